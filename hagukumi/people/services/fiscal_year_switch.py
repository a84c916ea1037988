"""The 4月1日 switch to a new 年度: apply exactly the previewed plan, all or nothing (ADR 0009).

On or after 4月1日 of the new 年度 (never before: nothing visible changes
early), 人事担当 or the command line (`hagukumi fiscal_year_switch`, e.g. from
cron on 4月1日) applies `selectors.fiscal_year_switch.fiscal_year_switch_plan`:
staff's current 所属/職位/級 follow their 4/1 period (a new period when their
unit was revised or merged, through people's one 異動歴 writer), and 所属長
memberships move to the unit's next version or successor (core's
`membership_move`). One transaction; refused while the plan has problems, or
when `expected_digest` (the plan the page showed) no longer matches. Running it
again finds nothing to do.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.services import membership_move
from hagukumi.core.wareki import format_date
from hagukumi.orgs.models import Organization
from hagukumi.people.models import Staff
from hagukumi.people.roles import ASSIGNMENT_ROLES
from hagukumi.people.selectors.fiscal_year_switch import (
    SwitchPlan,
    fiscal_year_switch_plan,
    switch_day,
)
from hagukumi.people.services.assignments import (
    AssignmentMove,
    CurrentChange,
    assignments_write,
    open_assignments,
    staff_current_write,
)

MESSAGE_CHANGED = (
    "確認した後に切替の内容が変わりました（何も変更していません）。"
    "もう一度、切替の内容を確かめてください。"
)


def fiscal_year_switch(
    *,
    actor: Actor,
    organization: Organization,
    fiscal_year: int,
    expected_digest: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SwitchPlan:
    """Switch the 団体 to `fiscal_year` as of its 4月1日 (rules: module docstring)."""
    require_role(actor, *ASSIGNMENT_ROLES)
    if actor.organization_id != organization.pk:
        raise AccessDenied()
    day = switch_day(fiscal_year)
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = fiscal_year_switch_plan(
            actor=actor, organization=organization, fiscal_year=fiscal_year, audit=False
        )
        if dry_run:
            return plan
        if today < day:
            raise ApplicationError(
                f"{format_date(day)}より前には切り替えられません（内容の確認だけできます）。"
            )
        if expected_digest is not None and expected_digest != plan.digest:
            raise ApplicationError(MESSAGE_CHANGED)
        if plan.problems:
            raise ApplicationError(
                f"{plan.label}への切替に必要な異動が足りません（何も変更していません）。",
                extra={"errors": [{"message": p} for p in plan.problems]},
            )
        _apply(actor=actor, plan=plan, organization=organization, day=day)
    return plan


def _apply(*, actor: Actor, plan: SwitchPlan, organization: Organization, day: dt.date) -> None:
    new_periods = [
        AssignmentMove(
            staff=m.staff,
            unit=m.to_unit,
            position=m.position_to,
            grade=m.grade_to,
            starts_on=day,
        )
        for m in plan.staff_moves
        if m.new_period
    ]
    if new_periods:
        current = open_assignments(
            organization=organization, staff_ids=[m.staff.pk for m in new_periods]
        )
        assignments_write(moves=new_periods, current=current)
    staff_current_write(
        [CurrentChange(m.staff, m.to_unit, m.position_to, m.grade_to) for m in plan.staff_moves]
    )
    for move in plan.memberships:
        membership_move(
            actor=actor, membership=move.membership, unit=move.to_unit, fiscal_year=plan.fiscal_year
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        organization=organization,
        target_type=Staff._meta.label,
        target_repr=f"{plan.label}への切替",
        detail={
            "fiscal_year": plan.fiscal_year,
            "digest": plan.digest,
            "staff": [m.staff.number for m in plan.staff_moves],
            "memberships": len(plan.memberships),
            "units": len(plan.units),
        },
    )


__all__ = ["MESSAGE_CHANGED", "fiscal_year_switch"]
