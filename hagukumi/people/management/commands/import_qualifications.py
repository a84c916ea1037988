"""hagukumi import_qualifications FILE --organization CODE|NAME [--dry-run]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.import_jobs import QUALIFICATIONS_KIND, QualificationImportOptions


class Command(BaseCommand):
    help = (
        "職員の資格を xlsx/CSV から取り込みます（職員番号・資格・取得年月日で追加・更新）。"
        "列: 職員番号, 資格（コードまたは名称）, 取得年月日, 受験料, 講座受講料, テキスト代, "
        "交通費（円。7,500 可、小数は不可）。誤りが1件でもあれば何も登録しません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="xlsx または CSV")
        parser.add_argument("--organization", required=True, help="団体コードまたは団体名")
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
                kind=QUALIFICATIONS_KIND,
                source=file,
                options=QualificationImportOptions(dry_run=dry_run),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in job.result_lines:
            self.stdout.write(line)
