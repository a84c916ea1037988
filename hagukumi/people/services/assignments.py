"""異動歴 writes: the one writer of Assignments, corrections by 人事担当, "current" as of a day.

- `assignments_write`: the ONE place that writes Assignment rows for moves and
  retirements, used by the roster import, the 異動 import and the 4月1日 switch.
  A move closes the staff member's open period the day before it starts (or
  replaces it when it starts on the same day or later: the newer record wins)
  and opens a new one; a retirement closes the open period on its 退職日. Bulk
  statements: callers are imports of tens of thousands of rows. Callers check
  who acts and audit; this function holds the dating rule only.
- `assignment_correct`: 人事担当 corrects one period (所属, 職位, 級, from–to) with a
  reason, audited with before/after; periods of one person never overlap.
- `staff_current_apply`: `Staff.unit`/`position`/`grade` (the current values
  other pages read) set from the period in force on a day, for moves recorded
  ahead of their 発令日 (ADR 0009).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.bulk_insert import BULK, bulk_insert
from hagukumi.people.models import Assignment, Staff
from hagukumi.people.roles import ASSIGNMENT_ROLES
from hagukumi.people.selectors.assignments import access_assignment_by_id


@dataclass(frozen=True)
class AssignmentMove:
    """One 発令: from `starts_on` the staff member is in `unit` with `position`/`grade`."""

    staff: Staff
    unit: Unit
    position: str
    grade: int | None
    starts_on: dt.date


@dataclass(frozen=True)
class AssignmentRetirement:
    """A retirement: the open period ends on `last_day` (退職日)."""

    staff: Staff
    last_day: dt.date


def open_assignments(
    *, organization: Any, staff_ids: Iterable[int] | None = None
) -> dict[int, Assignment]:
    """{staff id: their open period (no end)} — the latest one, which a new 発令 follows."""
    qs = Assignment.objects.filter(staff__organization=organization, ends_on__isnull=True)
    if staff_ids is not None:
        qs = qs.filter(staff_id__in=list(staff_ids))
    return {a.staff_id: a for a in qs.order_by("starts_on")}


def assignments_write(
    *,
    moves: Sequence[AssignmentMove],
    retirements: Sequence[AssignmentRetirement] = (),
    current: Mapping[int, Assignment],
) -> None:
    """Write moves and retirements into 異動歴 (rules: module docstring). Bulk; no audit.

    `current` is each staff member's open period as read before (`open_assignments`);
    a staff member appears at most once in `moves`.
    """
    closing: list[Assignment] = []
    replaced: list[int] = []
    opening: list[Assignment] = []
    for move in moves:
        open_period = current.get(move.staff.pk)
        if open_period is not None and open_period.starts_on >= move.starts_on:
            replaced.append(open_period.pk)
        elif open_period is not None:
            open_period.ends_on = move.starts_on - dt.timedelta(days=1)
            closing.append(open_period)
        opening.append(
            Assignment(
                staff=move.staff,
                unit=move.unit,
                position=move.position,
                grade=move.grade,
                starts_on=move.starts_on,
            )
        )
    for retirement in retirements:
        open_period = current.get(retirement.staff.pk)
        if open_period is None:
            continue
        if open_period.starts_on <= retirement.last_day:
            open_period.ends_on = retirement.last_day
            closing.append(open_period)
        else:
            replaced.append(open_period.pk)
    for i in range(0, len(replaced), BULK):
        Assignment.objects.filter(pk__in=replaced[i : i + BULK]).delete()
    Assignment.objects.bulk_update(closing, ["ends_on", "updated_at"], batch_size=BULK)
    bulk_insert(Assignment, opening)


def _require_assignments(actor: Actor) -> None:
    require_role(actor, *ASSIGNMENT_ROLES)


def _shown(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def assignment_correct(
    *,
    actor: Actor,
    assignment_id: int,
    unit_code: str,
    position: str,
    grade: int | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    reason: str,
    today: dt.date | None = None,
) -> Assignment:
    """Correct one period of 異動歴 (人事担当); the reason is audited with before/after.

    The unit must exist in the 年度 the period starts; the period must not overlap
    another of the same staff member. When it is the period in force today, the
    staff member's current 所属/職位/級 follow.
    """
    assignment = access_assignment_by_id(actor=actor, assignment_id=assignment_id)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("訂正の理由を入力してください。")
    fiscal_year = fiscal_year_of(starts_on)
    unit = (
        units_valid_in(organization=actor.organization_id or 0, fiscal_year=fiscal_year)
        .filter(code=(unit_code or "").strip())
        .first()
    )
    if unit is None:
        raise ApplicationError(
            f"所属コード「{unit_code}」は発令日 {starts_on.isoformat()}"
            f"（{format_fiscal_year(fiscal_year)}）の組織にありません。"
        )
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("終了日は発令日以降にしてください。")
    others = Assignment.objects.filter(staff_id=assignment.staff_id).exclude(pk=assignment.pk)
    overlap = others.filter(starts_on__lte=ends_on or dt.date.max).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    clash = overlap.order_by("starts_on").first()
    if clash is not None:
        until = clash.ends_on.isoformat() if clash.ends_on else ""
        raise ApplicationError(
            f"期間が別の異動歴（{clash.starts_on.isoformat()}〜{until}）と重なります。"
            "先にそちらを訂正してください。"
        )
    before = {
        "unit": assignment.unit.code,
        "position": assignment.position,
        "grade": assignment.grade,
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
    }
    assignment.unit = unit
    assignment.position = (position or "").strip()
    assignment.grade = grade
    assignment.starts_on = starts_on
    assignment.ends_on = ends_on
    assignment.full_clean(exclude=["staff"])
    assignment.save()
    after = {
        "unit": unit.code,
        "position": assignment.position,
        "grade": grade,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    changes = {k: [_shown(before[k]), _shown(after[k])] for k in after if before[k] != after[k]}
    staff = assignment.staff
    day = today or timezone.localdate()
    if starts_on <= day and (ends_on is None or day <= ends_on):
        fields = []
        for name, value in (("unit", unit), ("position", assignment.position), ("grade", grade)):
            if getattr(staff, name) != value:
                setattr(staff, name, value)
                fields.append(name)
        if fields:
            staff.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=staff,
        detail={"assignment": assignment.pk, "correction": changes, "reason": reason},
    )
    return assignment


@dataclass(frozen=True)
class CurrentChange:
    """A staff member whose current 所属/職位/級 follow the period in force on the day."""

    staff: Staff
    unit: Unit
    position: str
    grade: int | None


def staff_current_changes(*, organization: Any, on: dt.date) -> list[CurrentChange]:
    """Staff in post whose current values differ from their period in force on `on`."""
    periods = (
        Assignment.objects.filter(staff__organization=organization, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=on))
        .select_related("staff", "unit")
        .order_by("staff__number")
    )
    return [
        CurrentChange(a.staff, a.unit, a.position, a.grade)
        for a in periods
        if (a.staff.unit_id, a.staff.position, a.staff.grade) != (a.unit_id, a.position, a.grade)
    ]


def staff_current_write(changes: Sequence[CurrentChange]) -> None:
    """Set the current values of `changes` (bulk; callers check and audit)."""
    staff = []
    for change in changes:
        change.staff.unit = change.unit
        change.staff.position = change.position
        change.staff.grade = change.grade
        staff.append(change.staff)
    Staff.objects.bulk_update(staff, ["unit", "position", "grade", "updated_at"], batch_size=BULK)


@transaction.atomic
def staff_current_apply(
    *, actor: Actor, organization: Any, on: dt.date | None = None
) -> list[CurrentChange]:
    """Make each staff member's current 所属/職位/級 those of the period in force on `on`.

    For 発令 recorded ahead of their date (a 10月1日 異動 imported in September):
    run daily (`hagukumi apply_assignments`). 人事担当 of the 団体. Audited once.
    """
    _require_assignments(actor)
    if actor.organization_id != organization.pk:
        raise AccessDenied()
    day = on or timezone.localdate()
    changes = staff_current_changes(organization=organization, on=day)
    staff_current_write(changes)
    if changes:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            organization=organization,
            target_type=Staff._meta.label,
            target_repr="職員の現在の所属（発令日の到来）",
            detail={"on": day.isoformat(), "staff": [c.staff.number for c in changes]},
        )
    return changes


__all__ = [
    "AssignmentMove",
    "AssignmentRetirement",
    "CurrentChange",
    "assignment_correct",
    "assignments_write",
    "open_assignments",
    "staff_current_apply",
    "staff_current_changes",
    "staff_current_write",
]
