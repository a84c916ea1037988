"""hagukumi import_users FILE --organization CODE|NAME [--dry-run].

Columns: ユーザー名, 氏名, 職員番号, 役割, 所属コード (所属長), メールアドレス. New users
get no password here: the システム管理者 downloads their one-time passwords once
from the web page 「初期パスワードの発行」 (ADR 0009).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.accounts.import_jobs import USERS_KIND, UsersImportOptions
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.orgs.selectors import organization_by_code_or_name


class Command(BaseCommand):
    help = (
        "利用者と役割を xlsx/CSV から取り込みます（ユーザー名で追加・更新）。列: ユーザー名, "
        "氏名, 職員番号, 役割, 所属コード, メールアドレス。誤りが1件でもあれば何も登録しません。"
        "コマンドラインの実行者はシステム管理者と同じ扱いです。新しい利用者の仮パスワードは、"
        "画面の「初期パスワードの発行」から一度だけダウンロードします。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="xlsx または CSV（UTF-8 BOM付き / CP932）")
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁。5桁も可）または団体名"
        )
        parser.add_argument("--dry-run", action="store_true", help="登録せずに結果だけ示す")

    def handle(
        self, *args: Any, file: Path, organization: str, dry_run: bool, **options: Any
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            if not file.is_file():
                raise ApplicationError(f"ファイル {file} が見つかりません。")
            job = job_run_inline(
                organization=org,
                kind=USERS_KIND,
                source=file,
                options=UsersImportOptions(dry_run=dry_run),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        self.stdout.write(f"{org.display_full_name}（ImportJob #{job.pk}）")
        for line in job.result_lines:
            self.stdout.write(line)
