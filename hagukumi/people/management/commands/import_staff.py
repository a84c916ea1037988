"""hagukumi import_staff FILE --organization CODE|NAME [--dry-run] [--retire-missing]
[--effective-date YYYY-MM-DD] [--yes].

A real run that would retire a mass of staff (more than core.jobs.mass_change
allows of those in post) stops with exit code 1 and the number, unless --yes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.core.wareki import parse_date
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.import_jobs import STAFF_KIND, StaffImportOptions
from hagukumi.people.roster_import import mass_retirement_of


class Command(BaseCommand):
    help = (
        "職員台帳を xlsx/CSV から取り込みます（職員番号で追加・更新）。列: 職員番号, 氏名, "
        "氏名カナ, 生年月日, 所属コード, 職位, 級, 職種, 任用形態, 採用区分, 採用年月日, "
        "任期満了日, キャリアモデル, 特定部門。誤りが1件でもあれば何も登録しません。"
        "コマンドラインの実行者は人事担当と同じ扱いです（サーバーの管理者）。"
        "同じ団体の取込が実行中なら終了コード 3 で終わります。"
        "ファイルにない職員を大量に退職にする取込（在職者の1割かつ10名を超える）は "
        "--yes を付けたときだけ実行します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="xlsx または CSV（UTF-8 BOM付き / CP932）")
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁。5桁も可）または団体名"
        )
        parser.add_argument("--dry-run", action="store_true", help="登録せずに結果だけ示す")
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="ファイルにない在職者を発令日の前日付で退職とする",
        )
        parser.add_argument(
            "--effective-date",
            help="発令日（異動歴・退職の日付。2026-04-01, R8.4.1 など。既定: 今日）",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="大量の退職（--retire-missing）を確認済みとして実行する",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        organization: str,
        dry_run: bool,
        retire_missing: bool,
        effective_date: str | None,
        yes: bool = False,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            day = _date(effective_date)
            if not file.is_file():
                raise ApplicationError(f"ファイル {file} が見つかりません。")
            job = job_run_inline(
                organization=org,
                kind=STAFF_KIND,
                source=file,
                options=StaffImportOptions(
                    effective_date=day,
                    dry_run=dry_run,
                    retire_missing=retire_missing,
                    mass_retirement_confirmed=yes,
                ),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        self.stdout.write(
            f"{org.display_full_name} 発令日 {day.isoformat()}（ImportJob #{job.pk}）"
        )
        for line in job.result_lines:
            self.stdout.write(line)
        if dry_run and not yes:
            mass = mass_retirement_of(job.counts, organization=org)
            if mass is not None:
                self.stdout.write(f"注意: {mass.warning}取り込むときは --yes を付けてください。")


def _date(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ApplicationError(f"--effective-date: {exc}") from exc
