"""Per-staff training facts for the certification engine (assessments), in bulk.

Every function answers for a whole 団体 in one query, whatever the number of
staff (aggregates in SQL, no per-person loop), so the engine's query count is
fixed (assessments/tests pin it for 10 and 1,000 staff). They take the 団体's
id, not an actor: like `frameworks.in_force`, they serve selectors that have
already checked who asks (assessments.selectors.candidates), and they are not
audited here.

Facts are "as of" a day and up to a 年度: records of a later 年度, or dated
after the day, do not count. A cohort member is an Enrollment in one of the
programme's cohorts that takes part (`attendance.ATTENDING_ENROLLMENT_STATUSES`:
承認, 修了, 未修了 — not 申請中 or 待機), in a cohort whose 年度 is not after the
one asked. Hours follow `attendance.counted_hours`, the one rule for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from hagukumi.training.models import (
    TAKEN_ATTENDANCE_STATUSES,
    Attendance,
    CompetencyEvidence,
    CourseCompletion,
    Enrollment,
    Program,
    ProgramPhase,
    Session,
)
from hagukumi.training.selectors.attendance import (
    ATTENDING_ENROLLMENT_STATUSES,
    HOURS_FIELD,
    counted_hours_expression,
)

CENT = Decimal("0.01")


def aggregate_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` aggregate straight from the database cursor.

    Django's result iterator runs a Python converter on every row of an
    aggregate (int() of a SUM, Decimal() of a decimal SUM); for 50,000 people
    that is most of the cost, so the engine's bulk reads skip it and convert
    the few values it shows itself. The list's columns must name the grouping
    fields first, then the aggregates, in the order the SQL selects them.
    """
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hours(value: Any) -> Decimal:
    """A decimal SUM as the database gave it (SQLite: a float; PostgreSQL: a Decimal)."""
    return Decimal(f"{value:.2f}") if isinstance(value, float) else Decimal(value).quantize(CENT)


@dataclass(frozen=True)
class PhaseRow:
    """One phase of a programme, with what the engine names it by."""

    program_id: int
    order: int
    name: str  # the phase name, or its course's title
    course_id: int
    course_title: str
    required: bool
    counted: bool


def program_phase_rows(*, program_ids: Iterable[int]) -> list[PhaseRow]:
    """The phases of the programmes, in order (one query)."""
    return [
        PhaseRow(program_id, order, name or title, course_id, title, required, counted)
        for program_id, order, name, course_id, title, required, counted in (
            ProgramPhase.objects.filter(program_id__in=list(program_ids))
            .order_by("program_id", "order")
            .values_list(
                "program_id", "order", "name", "course_id", "course__title", "required", "counted"
            )
        )
    ]


def program_ids_for_talent_type(
    *, organization_id: int, framework_id: int, talent_type_code: str, level_code: str = ""
) -> list[int]:
    """The 団体's programmes for the talent type (and level, when given; one query)."""
    rows = Program.objects.filter(
        organization_id=organization_id,
        framework_id=framework_id,
        talent_type_code=talent_type_code,
    )
    if level_code:
        rows = rows.filter(level_code=level_code)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _members(
    *, organization_id: int, program_ids: Iterable[int], fiscal_year: int
) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        organization_id=organization_id,
        cohort__program_id__in=list(program_ids),
        cohort__fiscal_year__lte=fiscal_year,
        status__in=ATTENDING_ENROLLMENT_STATUSES,
    )


def programme_member_ids(
    *, organization_id: int, program_ids: Iterable[int], fiscal_year: int
) -> QuerySet[Any]:
    """Staff ids of the programmes' cohort members up to `fiscal_year` (a subquery)."""
    return _members(
        organization_id=organization_id, program_ids=program_ids, fiscal_year=fiscal_year
    ).values("staff_id")


def programme_first_years(
    *, organization_id: int, program_id: int, fiscal_year: int
) -> dict[int, int]:
    """staff id → the 年度 of their first cohort of the programme (青森's stages; one query)."""
    return dict(
        _members(organization_id=organization_id, program_ids=[program_id], fiscal_year=fiscal_year)
        .values("staff_id")
        .annotate(first=Min("cohort__fiscal_year"))
        .values_list("staff_id", "first")
    )


def _completions(
    *, organization_id: int, course_ids: Iterable[int], fiscal_year: int, as_of: dt.date
) -> QuerySet[CourseCompletion]:
    return CourseCompletion.objects.filter(
        organization_id=organization_id,
        course_id__in=list(course_ids),
        fiscal_year__lte=fiscal_year,
        completed_on__lte=as_of,
    )


MAX_MASK_COURSES = 62  # bits of a signed 64-bit integer


def course_completion_masks(
    *, organization_id: int, course_ids: Sequence[int], fiscal_year: int, as_of: dt.date
) -> dict[int, int]:
    """staff id → which of `course_ids` they completed, as bits (bit i = course_ids[i]).

    One aggregate query: each completed course adds its own power of two once
    (SUM of DISTINCT values), so 50,000 people cost 50,000 small rows, not one
    row per completion. Staff with no completion are absent.
    """
    if len(course_ids) > MAX_MASK_COURSES:
        raise ValueError(f"at most {MAX_MASK_COURSES} courses per clause")
    bit = Case(
        *(When(course_id=course_id, then=Value(1 << i)) for i, course_id in enumerate(course_ids)),
        output_field=BigIntegerField(),
    )
    rows = (
        _completions(
            organization_id=organization_id,
            course_ids=course_ids,
            fiscal_year=fiscal_year,
            as_of=as_of,
        )
        .values("staff_id")
        .annotate(mask=Sum(bit, distinct=True, output_field=BigIntegerField()))
        .values_list("staff_id", "mask")
    )
    return {staff_id: int(mask) for staff_id, mask in aggregate_rows(rows)}


def attendance_hours(
    *,
    organization_id: int,
    course_ids: Iterable[int] | None,
    fiscal_year: int,
    as_of: dt.date,
) -> dict[int, Decimal]:
    """staff id → hours attended of the courses (None: every course), one query.

    A row counts `attendance.counted_hours` (the hours recorded; else the
    session's length for 出席 and 免除; 遅刻・早退 without hours and 欠席 nothing).
    Sessions of a later 年度 or dated after `as_of` do not count; undated
    (self-paced e-learning) sessions count by their 年度.
    """
    rows = Attendance.objects.filter(
        organization_id=organization_id,
        status__in=TAKEN_ATTENDANCE_STATUSES,
        session__fiscal_year__lte=fiscal_year,
    ).filter(Q(session__date__isnull=True) | Q(session__date__lte=as_of))
    if course_ids is not None:
        rows = rows.filter(session__course_id__in=list(course_ids))
    totals = (
        rows.values("staff_id")
        .annotate(total=Sum(counted_hours_expression(), output_field=HOURS_FIELD))
        .values_list("staff_id", "total")
    )
    return {staff_id: _hours(total) for staff_id, total in aggregate_rows(totals)}


@dataclass(frozen=True)
class NextSession:
    """The next dated session of a course after a day (for certification's next_chance)."""

    course_id: int
    date: dt.date
    number: int
    cohort_number: int | None


def next_sessions(
    *, organization_id: int, course_ids: Iterable[int], after: dt.date
) -> dict[int, NextSession]:
    """course id → its first session dated after `after` (one query)."""
    found: dict[int, NextSession] = {}
    for course_id, date, number, cohort_number in (
        Session.objects.filter(
            organization_id=organization_id, course_id__in=list(course_ids), date__gt=after
        )
        .order_by("course_id", "date", "start_time", "number")
        .values_list("course_id", "date", "number", "cohort__number")
    ):
        if date is not None:  # the filter excludes undated sessions; this tells mypy
            found.setdefault(course_id, NextSession(course_id, date, number, cohort_number))
    return found


@dataclass(frozen=True)
class EvidenceRow:
    """Skill evidence training wrote: a course completion showing a competency at a level."""

    staff_id: int
    competency_code: str
    level: int | None
    course_code: str
    course_title: str
    evidenced_on: dt.date


def competency_evidence(
    *,
    organization_id: int,
    framework_id: int,
    staff_ids: Iterable[int],
    competency_codes: Iterable[str] | None = None,
) -> list[EvidenceRow]:
    """Evidence of the staff for the framework's competencies, newest first (one query)."""
    rows = CompetencyEvidence.objects.filter(
        organization_id=organization_id, framework_id=framework_id, staff_id__in=list(staff_ids)
    )
    if competency_codes is not None:
        rows = rows.filter(competency_code__in=list(competency_codes))
    return [
        EvidenceRow(*values)
        for values in rows.order_by(
            "staff_id", "competency_code", "-evidenced_on", "-id"
        ).values_list(
            "staff_id", "competency_code", "level", "course__code", "course__title", "evidenced_on"
        )
    ]


def programme_channels(
    *, organization_id: int, program_ids: Iterable[int], staff_ids: Iterable[int], fiscal_year: int
) -> dict[int, str]:
    """staff id → the EnrollmentChannel of their latest cohort enrolment (one query)."""
    found: dict[int, str] = {}
    for staff_id, channel in (
        _members(organization_id=organization_id, program_ids=program_ids, fiscal_year=fiscal_year)
        .filter(staff_id__in=list(staff_ids))
        .order_by("staff_id", "-cohort__fiscal_year", "-requested_at")
        .values_list("staff_id", "channel")
    ):
        found.setdefault(staff_id, channel)
    return found
