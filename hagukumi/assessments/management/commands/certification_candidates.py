"""hagukumi certification_candidates --organization CODE|NAME --talent-type CODE
[--framework CODE] [--level CODE] [--fiscal-year FY] [--as-of DATE] [--json]."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hagukumi.assessments.selectors import CandidateReport, certification_candidates
from hagukumi.core.cli import command_audit_context, report_errors
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year, parse_date, parse_fiscal_year
from hagukumi.orgs.selectors import organization_by_code_or_name


class Command(BaseCommand):
    help = (
        "認定基準を満たす職員と、満たさない職員の理由（条件ごと）を表示します。"
        "年度を省略すると今年度。監査ログに「コマンドライン」として記録します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="団体コードまたは団体名")
        parser.add_argument("--talent-type", required=True, help="人材類型コード（例: dx-leader）")
        parser.add_argument("--framework", default="", help="フレームワークのコード")
        parser.add_argument("--level", default="", help="個人の段階コード")
        parser.add_argument("--fiscal-year", default="", help="年度（例: 2025、令和7年度、R7）")
        parser.add_argument(
            "--as-of", default="", help="この日の時点で判定（既定: 今日。年度末より後なら年度末）"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON で出力")

    def handle(
        self,
        *args: Any,
        organization: str,
        talent_type: str,
        framework: str,
        level: str,
        fiscal_year: str,
        as_of: str,
        as_json: bool,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            today = _day(as_of) if as_of else timezone.localdate()
            year = _fiscal_year(fiscal_year) if fiscal_year else fiscal_year_of(today)
            with command_audit_context("certification_candidates"):
                report = certification_candidates(
                    actor=Actor.command_line(org),
                    talent_type_code=talent_type,
                    framework_code=framework,
                    level_code=level,
                    fiscal_year=year,
                    today=today,
                )
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(_text(report))


def _day(text: str) -> Any:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ApplicationError(f"--as-of「{text}」が日付として読み取れません。") from exc


def _fiscal_year(text: str) -> int:
    try:
        return parse_fiscal_year(text)
    except ValueError as exc:
        raise ApplicationError(f"--fiscal-year: {exc}") from exc


def _text(report: CandidateReport) -> str:
    lines = [
        f"{report.organization.name} {report.rule.name}"
        f"（{format_fiscal_year(report.fiscal_year)}、{report.as_of.isoformat()} 時点）",
        f"基準を満たす: {len(report.meets)}人",
    ]
    lines += [f"  {r.staff_no} {r.name}（{r.unit}）" for r in report.meets]
    lines.append(f"満たさない: {len(report.missing)}人")
    for row in report.missing:
        lines.append(f"  {row.staff_no} {row.name}（{row.unit}）")
        for reason in row.reasons:
            chance = f" → 次の機会: {reason.next_chance}" if reason.next_chance else ""
            lines.append(f"    - {reason.message}{chance}")
    return "\n".join(lines)
