"""hagukumi import_attendance FILE --organization CODE|NAME [--mapping NAME] [--as-of DATE]
[--dry-run]."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.training.import_jobs import ATTENDANCE_KIND, AttendanceImportOptions


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日付「{text}」を読めません（例: 2026-03-31）。") from None


class Command(BaseCommand):
    help = (
        "研修の出欠を xlsx/CSV から取り込みます（職員・研修の回ごとに追加・更新）。"
        "列: 職員番号, 研修コード, 回, 日付, 出欠（出席・欠席・遅刻・早退・免除）, "
        "受講時間（小数は「.」: 1.5）, 免除の理由。誤りが1件でもあれば何も登録しません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="xlsx または CSV")
        parser.add_argument("--organization", required=True, help="団体コードまたは団体名")
        parser.add_argument(
            "--mapping", default="", help="保存したLMSの列名の対応（LMS・提供元の名前）"
        )
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            help="この日付で修了を判定し直す（YYYY-MM-DD。省略: 判定しない）",
        )
        parser.add_argument("--dry-run", action="store_true", help="登録せずに結果だけ示す")

    def handle(
        self,
        *args: Any,
        file: Path,
        organization: str,
        mapping: str,
        as_of: dt.date | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            if not file.is_file():
                raise ApplicationError(f"ファイル {file} が見つかりません。")
            job = job_run_inline(
                organization=org,
                kind=ATTENDANCE_KIND,
                source=file,
                options=AttendanceImportOptions(dry_run=dry_run, mapping_name=mapping, as_of=as_of),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in job.result_lines:
            self.stdout.write(line)
