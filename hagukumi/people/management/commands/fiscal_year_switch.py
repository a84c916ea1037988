"""hagukumi fiscal_year_switch --organization CODE|NAME --fiscal-year N [--dry-run].

The 4月1日 switch to 年度 N (ADR 0009): prints what changes; without --dry-run
applies it, all or nothing, on or after 4月1日 of N (run it from cron on that
day). The command line acts as 人事担当 of the 団体.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hagukumi.core.cli import report_errors
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import parse_fiscal_year
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.services.fiscal_year_switch import fiscal_year_switch


class Command(BaseCommand):
    help = (
        "新年度（4月1日）への切替: 所属の新設・廃止・統合、異動する職員、所属が廃止される指定、"
        "移す所属長の役割を示し、--dry-run でなければ4月1日以降にまとめて反映します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁。5桁も可）または団体名"
        )
        parser.add_argument(
            "--fiscal-year", required=True, help="切り替える年度（2026, 令和8年度, R8 など）"
        )
        parser.add_argument("--dry-run", action="store_true", help="反映せずに内容だけ示す")

    def handle(
        self, *args: Any, organization: str, fiscal_year: str, dry_run: bool, **options: Any
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            try:
                year = parse_fiscal_year(fiscal_year)
            except ValueError as exc:
                raise ApplicationError(f"--fiscal-year: {exc}") from exc
            plan = fiscal_year_switch(
                actor=Actor.command_line(org), organization=org, fiscal_year=year, dry_run=dry_run
            )
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("（確認のみ: 何も変更していません）")
        elif plan.has_writes:
            self.stdout.write(f"{plan.label}に切り替えました。")
        else:
            self.stdout.write("反映する変更はありませんでした。")
