"""Counts of the 職員台帳 for other apps ([計画], reports): the small interface they read.

Aggregates only — no names, no staff ids — so they take the 団体 rather than an
actor: the caller (a plan's KPI, a report, core's metric registry) decides who
may see the number. Both functions return ``{key: n}`` sorted by key, keys as
text ("" for a missing key, or the one key of ``by=None``).

- ``designation_counts(organization=, fiscal_year=, ...)``: designations in
  force in the 年度 (`DesignationQuerySet.in_force`), by default 認定 and 実践,
  grouped ``by`` talent_type (code), talent_type_key ("<framework id>:<code>",
  for 団体 with several frameworks), status, level, role, method or unit
  (所属コード, today's unit). ``framework`` limits them to one framework (two
  frameworks that share a code never mix), ``talent_type_code`` to one type.
  Every designation counts once (a person may hold several types).
- ``qualification_counts(organization=, as_of=, ...)``: staff holding
  qualifications on a date (not retired by then), grouped ``by`` qualification
  (code), itss_level or unit; a person counts once per key.

Raising ValueError for an unknown ``by`` is deliberate (a programming error).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from hagukumi.people.models import HOLDING_STATUSES, Designation, StaffQualification

__all__ = [
    "DESIGNATION_COUNT_KEYS",
    "QUALIFICATION_COUNT_KEYS",
    "designation_counts",
    "qualification_counts",
]

DESIGNATION_COUNT_KEYS = {
    "talent_type": "talent_type_code",
    "talent_type_key": "talent_type_key",
    "status": "status",
    "level": "level_code",
    "role": "role",
    "method": "method",
    "unit": "staff__unit__code",
}


def designation_counts(
    *,
    organization: Any,
    fiscal_year: int,
    talent_type_code: str | None = None,
    framework: Any = None,
    by: str | None = "talent_type",
    statuses: Iterable[str] | None = HOLDING_STATUSES,
) -> dict[str, int]:
    """Designations in force in `fiscal_year` (default: 認定 and 実践), counted per `by`."""
    qs = Designation.objects.filter(organization=organization).in_force(fiscal_year)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if talent_type_code:
        qs = qs.filter(talent_type_code=talent_type_code)
    if framework is not None:
        qs = qs.filter(framework=framework)
    if by is None:
        return {"": qs.count()}
    if by not in DESIGNATION_COUNT_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    if by == "talent_type_key":
        qs = qs.annotate(
            talent_type_key=Concat(
                Cast("framework_id", CharField()),
                Value(":"),
                "talent_type_code",
                output_field=CharField(),
            )
        )
    counts = Counter(qs.values_list(DESIGNATION_COUNT_KEYS[by], flat=True))
    return {str(k or ""): v for k, v in sorted(counts.items(), key=lambda kv: str(kv[0] or ""))}


QUALIFICATION_COUNT_KEYS = {
    "qualification": "qualification__code",
    "itss_level": "qualification__itss_level",
    "unit": "staff__unit__code",
}


def qualification_counts(
    *,
    organization: Any,
    as_of: dt.date,
    qualification_codes: Iterable[str] | None = None,
    itss_min: int | None = None,
    by: str | None = "qualification",
) -> dict[str, int]:
    """Staff holding qualifications on `as_of` (not retired by then), counted per `by`."""
    qs = StaffQualification.objects.filter(
        staff__organization=organization, obtained_on__lte=as_of
    ).filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=as_of))
    if qualification_codes is not None:
        qs = qs.filter(qualification__code__in=list(qualification_codes))
    if itss_min is not None:
        qs = qs.filter(qualification__itss_level__gte=itss_min)
    if by is None:
        return {"": qs.values("staff_id").distinct().count()}
    if by not in QUALIFICATION_COUNT_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    pairs = set(qs.values_list(QUALIFICATION_COUNT_KEYS[by], "staff_id"))
    counts = Counter(str(key if key is not None else "") for key, _staff in pairs)
    return dict(sorted(counts.items()))
