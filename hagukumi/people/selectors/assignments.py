"""異動歴 reads: who was where on a date (the unit, 職位 and 級 held then)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from hagukumi.orgs.models import Unit
from hagukumi.people.models import Assignment, Staff

__all__ = ["StaffAsOf", "staff_as_of"]


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
