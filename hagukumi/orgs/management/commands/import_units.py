"""hagukumi import_units FILE --organization CODE [--fiscal-year FY] [--dry-run]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import TabularImportError, report_errors
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year, parse_fiscal_year
from hagukumi.orgs.selectors import organization_by_code
from hagukumi.orgs.services import units_import


class Command(BaseCommand):
    help = (
        "所属（組織図）を xlsx/CSV から取り込みます。"
        "列: 所属コード, 所属名, 上位所属コード, 区分, 機能"
        "（機能は「、」または「,」区切り）。ファイルはその年度の組織全体を表し、"
        "ファイルにない所属はその年度から廃止します。誤りが1件でもあれば何も登録しません。"
        "コマンドラインの実行者は権限確認なしで実行できます（サーバーの管理者）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="xlsx または CSV（UTF-8 BOM付き / UTF-8 / CP932）"
        )
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁、検査数字付き。5桁も可）"
        )
        parser.add_argument(
            "--fiscal-year",
            help="年度（2026, 令和8年度, R8 など。既定: 今日の年度）",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="登録せずに新規・変更・変更なし・廃止の件数を示す",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        organization: str,
        fiscal_year: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code(organization)
            fy = _fiscal_year(fiscal_year)
            if not file.is_file():
                raise ApplicationError(f"ファイル {file} が見つかりません。")
            summary = units_import(
                actor=None,  # the command line: see hagukumi.orgs.services
                organization=org,
                source=file,
                filename=file.name,
                fiscal_year=fy,
                dry_run=dry_run,
            )
        except TabularImportError as exc:
            raise report_errors(exc, self.stderr) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        heading = "確認のみ（登録していません）" if dry_run else "取り込みました"
        self.stdout.write(f"{org.display_full_name} {format_fiscal_year(fy)} の所属: {heading}")
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)


def _fiscal_year(value: str | None) -> int:
    if not value:
        return fiscal_year_of(timezone.localdate())
    try:
        return parse_fiscal_year(value)
    except ValueError as exc:
        raise ApplicationError(str(exc)) from exc
