"""hagukumi import_transfers FILE --organization CODE|NAME [--dry-run].

人事異動 (職員番号, 発令日, 新所属コード, 新職位, 級) into 異動歴; the dry run lists
the units that would lose their only DX推進リーダー.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.import_jobs import TRANSFERS_KIND, TransferImportOptions


class Command(BaseCommand):
    help = (
        "人事異動を xlsx/CSV から異動歴に取り込みます。列: 職員番号, 発令日, 新所属コード, "
        "新職位, 級。新所属コードは発令日の年度の組織にあるもの、発令日は現在の異動歴より後。"
        "誤りが1件でもあれば何も登録しません。同じ団体の取込が実行中なら終了コード 3。"
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
                kind=TRANSFERS_KIND,
                source=file,
                options=TransferImportOptions(dry_run=dry_run),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        self.stdout.write(f"{org.display_full_name}（ImportJob #{job.pk}）")
        for line in job.result_lines:
            self.stdout.write(line)
