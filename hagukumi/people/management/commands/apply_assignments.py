"""hagukumi apply_assignments --organization CODE|NAME [--date YYYY-MM-DD].

Sets each staff member's current 所属/職位/級 from the 異動歴 period in force
on the day (a 発令 recorded ahead of its date). Run it daily; idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hagukumi.core.cli import report_errors
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import parse_date
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.services.assignments import staff_current_apply


class Command(BaseCommand):
    help = "発令日が来た異動歴を、職員の現在の所属・職位・級に反映します（毎日実行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁。5桁も可）または団体名"
        )
        parser.add_argument("--date", default="", help="基準日（既定: 今日）")

    def handle(self, *args: Any, organization: str, date: str, **options: Any) -> None:
        try:
            org = organization_by_code_or_name(organization)
            try:
                day = parse_date(date) if date else None
            except ValueError as exc:
                raise ApplicationError(f"--date: {exc}") from exc
            changes = staff_current_apply(actor=Actor.command_line(org), organization=org, on=day)
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for change in changes:
            self.stdout.write(f"{change.staff.number} {change.staff.name}: {change.unit.name}")
        self.stdout.write(f"反映した職員: {len(changes)}名")
