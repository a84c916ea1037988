"""Attendance reads: who belongs to a session, the hours a record counts, a session's sheet.

A session's members are the staff enrolled in its run and admitted
(承認・修了・未修了, `ATTENDING_ENROLLMENT_STATUSES`): for a programme phase,
the cohort's enrolments; for a stand-alone course, the enrolments of the
course run (course, 年度), limited to one session when the enrolment names it.
Attendance is only ever recorded for members ("staff not in the cohort" is
refused by the services).

Hours a record counts (`counted_hours`): the hours recorded; when none were
recorded, 出席 and 免除 count the session's length (免除 counts as attended),
遅刻・早退 count nothing (their time is partial and unknown), 欠席 nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Q, Value, When
from django.db.models.functions import Coalesce

from hagukumi.core.access import require_role
from hagukumi.core.errors import AccessDenied
from hagukumi.core.tenancy import Actor
from hagukumi.training.models import (
    TAKEN_ATTENDANCE_STATUSES,
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    LmsColumnMapping,
    Session,
)
from hagukumi.training.roles import ATTENDANCE_RECORD_ROLES

# Enrolments whose staff take part in the run (申請中 and 待機 do not yet).
ATTENDING_ENROLLMENT_STATUSES = (
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NOT_COMPLETED,
)
# Statuses whose unrecorded hours count the session's length.
FULL_LENGTH_STATUSES = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.WAIVED})
TAKEN_STATUSES = frozenset(TAKEN_ATTENDANCE_STATUSES)
ZERO = Decimal("0")
HOURS_FIELD: DecimalField[Decimal, Decimal] = DecimalField(max_digits=10, decimal_places=2)


def counted_hours(*, status: str, hours: Decimal | None, session_hours: Decimal | None) -> Decimal:
    """The hours one attendance record counts (see the module docstring)."""
    if status == AttendanceStatus.ABSENT:
        return ZERO
    if hours is not None:
        return Decimal(hours)
    if status in FULL_LENGTH_STATUSES and session_hours is not None:
        return Decimal(session_hours)
    return ZERO


def counted_hours_expression(prefix: str = "") -> Any:
    """`counted_hours` as an SQL expression over Attendance rows (`prefix`: a relation path)."""
    full_length = Case(
        When(
            **{f"{prefix}status__in": sorted(FULL_LENGTH_STATUSES)},
            then=F(f"{prefix}session__hours"),
        )
    )
    return Case(
        When(**{f"{prefix}status": AttendanceStatus.ABSENT}, then=Value(ZERO)),
        default=Coalesce(F(f"{prefix}hours"), full_length, Value(ZERO)),
        output_field=HOURS_FIELD,
    )


@dataclass(frozen=True)
class SessionKey:
    """What decides a session's members: its run, and the session itself."""

    id: int
    course_id: int
    cohort_id: int | None
    fiscal_year: int


def session_members(sessions: Iterable[SessionKey | Session]) -> dict[int, set[int]]:
    """session id → ids of the staff admitted to its run, in one query (none for no sessions)."""
    keys = [
        s
        if isinstance(s, SessionKey)
        else SessionKey(s.pk, s.course_id, s.cohort_id, s.fiscal_year)
        for s in sessions
    ]
    members: dict[int, set[int]] = {k.id: set() for k in keys}
    cohort_ids = {k.cohort_id for k in keys if k.cohort_id is not None}
    course_ids = {k.course_id for k in keys if k.cohort_id is None}
    if not keys or not (cohort_ids or course_ids):
        return members
    condition = Q()
    if cohort_ids:
        condition |= Q(cohort_id__in=cohort_ids)
    if course_ids:
        condition |= Q(cohort__isnull=True, course_id__in=course_ids)
    by_cohort: dict[int, set[int]] = defaultdict(set)
    by_run: dict[tuple[int, int], list[tuple[int, int | None]]] = defaultdict(list)
    for staff_id, cohort_id, course_id, fiscal_year, session_id in (
        Enrollment.objects.filter(condition, status__in=ATTENDING_ENROLLMENT_STATUSES)
        .order_by()
        .values_list("staff_id", "cohort_id", "course_id", "fiscal_year", "session_id")
    ):
        if cohort_id is not None:
            by_cohort[cohort_id].add(staff_id)
        else:
            by_run[(course_id, fiscal_year)].append((staff_id, session_id))
    for key in keys:
        if key.cohort_id is not None:
            members[key.id] = set(by_cohort.get(key.cohort_id, ()))
        else:
            members[key.id] = {
                staff_id
                for staff_id, session_id in by_run.get((key.course_id, key.fiscal_year), ())
                if session_id is None or session_id == key.id
            }
    return members


def _require_recorder(actor: Actor, organization_id: int | None) -> int:
    """The 団体's id when the actor may record its attendance (AccessDenied otherwise)."""
    if actor is None or organization_id is None or actor.organization_id != organization_id:
        raise AccessDenied()
    require_role(actor, *ATTENDANCE_RECORD_ROLES)
    return organization_id


def session_for_recording(*, actor: Actor, session_id: int | str) -> Session | None:
    """The actor's 団体's session (None when unknown or of another 団体: one answer for both).

    AccessDenied for an actor who may not record attendance.
    """
    organization_id = _require_recorder(actor, actor.organization_id if actor is not None else None)
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        return None
    return (
        Session.objects.filter(organization_id=organization_id, pk=pk)
        .select_related("course", "cohort")
        .first()
    )


@dataclass(frozen=True)
class AttendanceSheetRow:
    """One member of a session with what is recorded for them (None: nothing yet)."""

    staff_id: int
    staff_number: str
    staff_name: str
    unit_name: str
    attendance: Attendance | None


@dataclass(frozen=True)
class AttendanceSheet:
    """The manual recording page of one session: every member, by 職員番号."""

    session: Session
    rows: list[AttendanceSheetRow]

    @property
    def recorded(self) -> int:
        return sum(1 for r in self.rows if r.attendance is not None)


def attendance_sheet(*, actor: Actor, session_id: int | str) -> AttendanceSheet:
    """The members of a session and their attendance, for DX推進担当 of its 団体 (3 queries).

    Unknown and other-団体 sessions are both AccessDenied (404).
    """
    from hagukumi.people.models import Staff

    session = session_for_recording(actor=actor, session_id=session_id)
    if session is None:
        raise AccessDenied()
    member_ids = session_members([session])[session.pk]
    staff = (
        Staff.objects.filter(organization_id=session.organization_id, pk__in=member_ids)
        .select_related("unit")
        .order_by("number")
    )
    records = {a.staff_id: a for a in Attendance.objects.filter(session=session)}
    rows = [
        AttendanceSheetRow(
            staff_id=s.pk,
            staff_number=s.number,
            staff_name=s.name,
            unit_name=s.unit.name if s.unit is not None else "",
            attendance=records.get(s.pk),
        )
        for s in staff
    ]
    return AttendanceSheet(session=session, rows=rows)


def lms_mappings_for(*, actor: Actor) -> list[LmsColumnMapping]:
    """The 団体's saved LMS column mappings (for the upload page's choice), by name."""
    organization_id = _require_recorder(actor, actor.organization_id if actor is not None else None)
    return list(LmsColumnMapping.objects.filter(organization_id=organization_id))


def lms_mapping_by_name(*, organization: Any, name: str) -> LmsColumnMapping | None:
    """The 団体's mapping called `name` (None when it has none by that name)."""
    return LmsColumnMapping.objects.filter(
        organization_id=getattr(organization, "pk", organization), provider_name=name.strip()
    ).first()


__all__ = [
    "ATTENDANCE_RECORD_ROLES",
    "ATTENDING_ENROLLMENT_STATUSES",
    "TAKEN_STATUSES",
    "AttendanceSheet",
    "AttendanceSheetRow",
    "SessionKey",
    "attendance_sheet",
    "counted_hours",
    "counted_hours_expression",
    "lms_mapping_by_name",
    "lms_mappings_for",
    "session_for_recording",
    "session_members",
]
