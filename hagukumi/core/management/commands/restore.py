"""`hagukumi restore FILE`: replace the whole SQLite database with a `hagukumi backup` file.

Asks for confirmation unless --yes / --noinput. Refused while an import job
runs; stop the web server and `run_jobs` first. On PostgreSQL it prints the
pg_restore command to use instead and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from hagukumi.core.cli import command_audit_context, report_errors
from hagukumi.core.database_backup import database_restore
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor


class Command(BaseCommand):
    help = (
        "バックアップファイルからデータベース全体を復元します（SQLite。今のデータはすべて"
        "置き換わります）。Web サーバーと run_jobs を止めてから実行してください。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="hagukumi backup で作ったファイル")
        parser.add_argument(
            "--yes",
            "--noinput",
            "--no-input",
            action="store_true",
            dest="yes",
            help="確認せずに復元する",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, file: Path, yes: bool, database: str, **options: Any) -> None:
        if not yes and connections[database].vendor == "sqlite":
            name = connections[database].settings_dict["NAME"]
            answer = input(
                f"データベース「{name}」の今のデータをすべて {file} の内容で置き換えます。"
                "元に戻せません。続けるには yes と入力してください: "
            )
            if answer != "yes":
                self.stdout.write("中止しました。")
                return
        with command_audit_context("restore"):
            try:
                summary = database_restore(actor=Actor.system(), path=file, using=database)
            except ApplicationError as exc:
                raise report_errors(exc, self.stderr) from exc
        self.stdout.write(f"復元しました: {summary.path}（テーブル {summary.tables} 個）。")
        if summary.pending_migrations:
            self.stdout.write(
                f"このバックアップには未適用のマイグレーションが {summary.pending_migrations} 件"
                "あります。hagukumi migrate を実行してください。"
            )
        if summary.chain.problem is not None:
            raise CommandError(
                f"復元したデータの監査ログに問題があります: {summary.chain.problem.message}"
            )
        self.stdout.write(f"監査ログの連鎖を確認しました（{summary.chain.rows} 件）。")
