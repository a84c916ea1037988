"""`hagukumi backup FILE`: copy the whole database to FILE (SQLite online backup API).

On PostgreSQL it prints the pg_dump command to use instead and exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hagukumi.core.cli import command_audit_context, report_errors
from hagukumi.core.database_backup import database_backup
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor


class Command(BaseCommand):
    help = (
        "データベース全体（監査ログを含む）を FILE にバックアップします（SQLite。"
        "サーバーを止めずに実行できます）。PostgreSQL では pg_dump の使い方を表示します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="バックアップの保存先ファイル")
        parser.add_argument("--force", action="store_true", help="既にあるファイルを上書きする")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, file: Path, force: bool, database: str, **options: Any) -> None:
        with command_audit_context("backup"):
            try:
                summary = database_backup(
                    actor=Actor.system(), path=file, using=database, overwrite=force
                )
            except ApplicationError as exc:
                raise report_errors(exc, self.stderr) from exc
        self.stdout.write(
            f"バックアップしました: {summary.path}（{summary.size_bytes:,} バイト、"
            f"テーブル {summary.tables} 個）。個人情報を含むため、安全な場所に保管してください。"
        )
