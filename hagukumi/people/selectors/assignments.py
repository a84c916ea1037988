"""異動歴 reads: who was where on a date (the unit, 職位 and 級 held then), and the
history pages of 人事担当 (`assignment_history`, `access_assignment_by_id`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from hagukumi.core.access import acting_organization_id, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.models import Unit
from hagukumi.people.models import Assignment, Staff
from hagukumi.people.roles import ASSIGNMENT_ROLES

__all__ = [
    "AssignmentHistory",
    "AssignmentLine",
    "StaffAsOf",
    "access_assignment_by_id",
    "assignment_history",
    "assignment_staff_search",
    "staff_as_of",
]


@dataclass(frozen=True)
class StaffAsOf:
    staff: Staff
    unit: Unit
    position: str
    grade: int | None


def staff_as_of(
    *, organization: Any, on: dt.date, staff_ids: Iterable[int] | None = None
) -> list[StaffAsOf]:
    """Who was where on date `on` (from 異動歴), one query; retired staff excluded.

    For other selectors and counts that already checked who asks (not audited).
    """
    qs = (
        Assignment.objects.filter(staff__organization=organization, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=on))
        .select_related("staff", "unit")
        .order_by("staff__number")
    )
    if staff_ids is not None:
        qs = qs.filter(staff_id__in=list(staff_ids))
    return [StaffAsOf(a.staff, a.unit, a.position, a.grade) for a in qs]


def access_assignment_by_id(*, actor: Actor, assignment_id: int | str) -> Assignment:
    """A 異動歴 row of the actor's 団体 (人事担当 only); AccessDenied (404) otherwise."""
    require_role(actor, *ASSIGNMENT_ROLES)
    try:
        return Assignment.objects.select_related("staff", "unit").get(
            pk=assignment_id, staff__organization_id=acting_organization_id(actor)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


@dataclass(frozen=True)
class AssignmentLine:
    assignment: Assignment
    # 「過去」「現在」「予定」 (a 発令 recorded ahead of its date)
    state: str


@dataclass(frozen=True)
class AssignmentHistory:
    staff: Staff
    lines: list[AssignmentLine]


def assignment_history(
    *, actor: Actor, staff_id: int | str, today: dt.date | None = None
) -> AssignmentHistory:
    """One staff member's 異動歴, oldest first (人事担当 of the 団体). Audited 閲覧."""
    require_role(actor, *ASSIGNMENT_ROLES)
    try:
        staff = Staff.objects.select_related("unit").get(
            pk=staff_id, organization_id=acting_organization_id(actor)
        )
    except (Staff.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    day = today or timezone.localdate()
    lines = []
    for a in Assignment.objects.filter(staff=staff).select_related("unit").order_by("starts_on"):
        if a.starts_on > day:
            state = "予定"
        elif a.ends_on is not None and a.ends_on < day:
            state = "過去"
        else:
            state = "現在"
        lines.append(AssignmentLine(a, state))
    audit_record(
        actor=actor, action=AuditEvent.Action.VIEW, target=staff, detail={"what": "異動歴"}
    )
    return AssignmentHistory(staff=staff, lines=lines)


def assignment_staff_search(*, actor: Actor, text: str, limit: int = 20) -> list[Staff]:
    """Staff of the 団体 whose 職員番号 or 氏名 contains `text` (人事担当), for the 異動歴 page."""
    require_role(actor, *ASSIGNMENT_ROLES)
    text = (text or "").strip()
    if not text:
        return []
    found = list(
        Staff.objects.filter(organization_id=acting_organization_id(actor))
        .filter(Q(number__icontains=text) | Q(name__icontains=text))
        .select_related("unit")
        .order_by("number")[:limit]
    )
    if found:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            target_type=Staff._meta.label,
            target_repr="異動歴の職員検索",
            detail={"rows": len(found)},
        )
    return found
