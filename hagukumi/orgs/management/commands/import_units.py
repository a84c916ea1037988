"""hagukumi import_units FILE --organization CODE|NAME [--fiscal-year FY] [--dry-run] [--yes].

A direct service call (output and exit codes as before the job flow). A run that
would close a mass of units (core.jobs.mass_change) stops with exit code 1 and
the number unless --yes; a dry run names who works in each unit it would close.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hagukumi.core.cli import command_audit_context, report_errors
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year, parse_fiscal_year
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.orgs.services import mass_closure_of, units_import


class Command(BaseCommand):
    help = (
        "所属（組織図）を xlsx/CSV から取り込みます。"
        "列: 所属コード, 所属名, 上位所属コード, 区分, 機能"
        "（機能は「、」または「,」区切り）。ファイルはその年度の組織全体を表し、"
        "ファイルにない所属はその年度から廃止します。誤りが1件でもあれば何も登録しません。"
        "コマンドラインの実行者は指定した団体の人事担当・DX推進担当・システム管理者として"
        "実行します（監査ログの利用者は「コマンドライン」）。"
        "大量の廃止（その年度の所属の1割かつ10件を超える）は --yes を付けたときだけ実行します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="xlsx または CSV（UTF-8 BOM付き / UTF-8 / CP932）"
        )
        parser.add_argument(
            "--organization",
            required=True,
            help="団体コード（6桁、検査数字付き。5桁も可）または団体名（札幌市、デモ市など）",
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
        parser.add_argument(
            "--yes",
            action="store_true",
            help="大量の廃止を確認済みとして実行する",
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        organization: str,
        fiscal_year: str | None,
        dry_run: bool,
        yes: bool = False,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            fy = _fiscal_year(fiscal_year)
            if not file.is_file():
                raise ApplicationError(f"ファイル {file} が見つかりません。")
            with command_audit_context("import_units"):
                summary = units_import(
                    actor=Actor.command_line(org),
                    organization=org,
                    source=file,
                    filename=file.name,
                    fiscal_year=fy,
                    dry_run=dry_run,
                    mass_closure_confirmed=yes,
                )
        except ApplicationError as exc:  # TabularImportError too: one line per row error
            raise report_errors(exc, self.stderr) from exc
        heading = "確認のみ（登録していません）" if dry_run else "取り込みました"
        self.stdout.write(f"{org.display_full_name} {format_fiscal_year(fy)} の所属: {heading}")
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)
        if dry_run and not yes:
            mass = mass_closure_of(summary.counts, organization=org, fiscal_year=fy)
            if mass is not None:
                self.stdout.write(f"注意: {mass.warning}取り込むときは --yes を付けてください。")


def _fiscal_year(value: str | None) -> int:
    if not value:
        return fiscal_year_of(timezone.localdate())
    try:
        return parse_fiscal_year(value)
    except ValueError as exc:
        raise ApplicationError(str(exc)) from exc
