"""Reads that only the training web pages need (views stay free of `.objects.`).

- `courses_for`: the 団体's courses (index page, audience links).
- `adoption_frameworks`: the 団体's frameworks with a published version (the
  framework a programme template is adopted onto).
- `cohort_sessions`: a cohort's sessions per phase (plan, attendance sheet links).
- `cohort_phase`: one phase of a cohort's programme (404 for another one).
- `cohort_roster`: a cohort's enrolments the actor may see, the 待機 list with
  its positions (first come first served), and the seat counts.
- `apply_page`: what a 職員 sees on their own application page: open cohorts
  with the places left and their own enrolments.
- `enrollment_cohort_id`: the cohort of an enrolment of the actor's 団体, for the
  POST-only pages (another 団体's enrolment: 404 before the method check).
- `staff_for_appointment`: a staff member of the 団体 by 職員番号 (指名 by DX推進担当).
- `attendance_sheet_page`: the attendance sheet of one session
  (`training.selectors.attendance.attendance_sheet`), its read audited.

Access rules are the ones of the modules these build on: programmes and cohorts
for every role of the 団体 (roles.TRAINING_READ_ROLES), enrolments by
visibility (training.selectors.enrolment), staff personal data audited there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import frameworks_for, version_in_force
from hagukumi.people.models import Staff
from hagukumi.people.selectors import staff_of_user
from hagukumi.training.models import (
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    ProgramPhase,
    Session,
)
from hagukumi.training.roles import (
    APPLY_ROLES,
    APPOINT_ROLES,
    PROGRAM_EDIT_ROLES,
    TRAINING_READ_ROLES,
)
from hagukumi.training.selectors.attendance import AttendanceSheet, attendance_sheet
from hagukumi.training.selectors.enrolment import (
    OPEN_COHORT_STATUSES,
    SeatCounts,
    cohort_enrollments,
    cohort_seat_counts,
    my_enrollments,
)
from hagukumi.training.selectors.programs import organization_id_of

__all__ = [
    "ApplyPage",
    "ApplyRow",
    "CohortRoster",
    "PhaseSessions",
    "RosterRow",
    "adoption_frameworks",
    "apply_page",
    "attendance_sheet_page",
    "cohort_phase",
    "cohort_roster",
    "cohort_sessions",
    "courses_for",
    "enrollment_cohort_id",
    "staff_for_appointment",
]


def courses_for(*, actor: Actor) -> QuerySet[Course]:
    """The courses of the actor's 団体, by 研修コード."""
    require_role(actor, *TRAINING_READ_ROLES)
    return Course.objects.filter(organization_id=organization_id_of(actor)).order_by("code")


def adoption_frameworks(*, actor: Actor) -> list[Framework]:
    """The 団体's frameworks that have a published version (a template maps onto one)."""
    require_role(actor, *PROGRAM_EDIT_ROLES)
    return [f for f in frameworks_for(actor=actor) if version_in_force(framework=f) is not None]


@dataclass(frozen=True)
class PhaseSessions:
    phase: ProgramPhase
    sessions: list[Session]


def cohort_sessions(*, actor: Actor, cohort: Cohort) -> list[PhaseSessions]:
    """The cohort's sessions grouped by the programme's phases, in phase and 回 order."""
    require_role(actor, *TRAINING_READ_ROLES)
    cohort = access_organization_object(actor, cohort)
    by_course: dict[int, list[Session]] = {}
    for session in Session.objects.filter(cohort=cohort).order_by("number"):
        by_course.setdefault(session.course_id, []).append(session)
    return [
        PhaseSessions(phase=phase, sessions=by_course.get(phase.course_id, []))
        for phase in cohort.program.phases.select_related("course").order_by("order")
    ]


def cohort_phase(*, actor: Actor, cohort: Cohort, phase_id: int | str) -> ProgramPhase:
    """A phase of the cohort's programme (AccessDenied for any other id)."""
    require_role(actor, *TRAINING_READ_ROLES)
    cohort = access_organization_object(actor, cohort)
    try:
        return ProgramPhase.objects.select_related("course").get(
            program_id=cohort.program_id, pk=int(phase_id)
        )
    except (ProgramPhase.DoesNotExist, TypeError, ValueError) as exc:
        raise AccessDenied() from exc


@dataclass(frozen=True)
class RosterRow:
    enrollment: Enrollment
    # 1, 2, … for 待機 in first-come-first-served order; None otherwise.
    waitlist_position: int | None


@dataclass(frozen=True)
class CohortRoster:
    cohort: Cohort
    rows: list[RosterRow]
    seats: SeatCounts

    @property
    def waitlist(self) -> list[RosterRow]:
        return [r for r in self.rows if r.waitlist_position is not None]

    @property
    def members(self) -> list[RosterRow]:
        return [r for r in self.rows if r.waitlist_position is None]


def cohort_roster(*, actor: Actor, cohort: Cohort, today: dt.date) -> CohortRoster:
    """The cohort's enrolments the actor may see (audited by `cohort_enrollments`).

    The 待機 positions count every 待機 of the cohort, not only the visible
    ones, so a 所属長 sees the real place of their staff in the queue.
    """
    rows = cohort_enrollments(actor=actor, cohort=cohort, today=today)
    queue = list(
        Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
        .order_by("requested_at", "id")
        .values_list("pk", flat=True)
    )
    positions = {pk: n for n, pk in enumerate(queue, start=1)}
    return CohortRoster(
        cohort=cohort,
        rows=[RosterRow(enrollment=e, waitlist_position=positions.get(e.pk)) for e in rows],
        seats=cohort_seat_counts([cohort])[cohort.pk],
    )


@dataclass(frozen=True)
class ApplyRow:
    cohort: Cohort
    seats: SeatCounts
    mine: Enrollment | None

    @property
    def places_left(self) -> int | None:
        if self.cohort.capacity is None:
            return None
        return max(self.cohort.capacity - self.seats.seated, 0)


@dataclass(frozen=True)
class ApplyPage:
    # False: the login is not linked to a 職員 record (nothing can be applied for).
    linked: bool
    open_cohorts: list[ApplyRow]
    mine: list[Enrollment]


def apply_page(*, actor: Actor) -> ApplyPage:
    """A 職員's own application page: the cohorts open for 手挙げ and their enrolments."""
    require_role(actor, *APPLY_ROLES)
    linked = staff_of_user(actor=actor) is not None
    mine = my_enrollments(actor=actor)
    live = {
        e.cohort_id: e
        for e in mine
        if e.cohort_id is not None
        and e.status not in (EnrollmentStatus.CANCELLED, EnrollmentStatus.REJECTED)
    }
    cohorts = list(
        Cohort.objects.filter(
            organization_id=organization_id_of(actor), status__in=OPEN_COHORT_STATUSES
        )
        .select_related("program")
        .order_by("fiscal_year", "program__code", "number")
    )
    seats = cohort_seat_counts(cohorts)
    return ApplyPage(
        linked=linked,
        open_cohorts=[ApplyRow(cohort=c, seats=seats[c.pk], mine=live.get(c.pk)) for c in cohorts],
        mine=mine,
    )


def enrollment_cohort_id(*, actor: Actor, enrollment_id: int | str) -> int:
    """The cohort id of an enrolment of the actor's 団体 (AccessDenied otherwise).

    Only the 団体 is checked here: who may act on the enrolment is the service's
    rule, so a POST by someone outside the staff member's reach is still 404.
    """
    require_role(actor, *TRAINING_READ_ROLES)
    try:
        pk = int(enrollment_id)
    except (TypeError, ValueError) as exc:
        raise AccessDenied() from exc
    cohort_id = (
        Enrollment.objects.filter(
            pk=pk, organization_id=organization_id_of(actor), cohort__isnull=False
        )
        .values_list("cohort_id", flat=True)
        .first()
    )
    if cohort_id is None:
        raise AccessDenied()
    return int(cohort_id)


def staff_for_appointment(*, actor: Actor, number: str) -> Staff | None:
    """The 団体's staff member with 職員番号 `number` for 指名 (DX推進担当), or None."""
    require_role(actor, *APPOINT_ROLES)
    return (
        Staff.objects.filter(organization_id=organization_id_of(actor), number=number.strip())
        .select_related("unit")
        .first()
    )


def attendance_sheet_page(*, actor: Actor, session_id: int | str) -> AttendanceSheet:
    """The members of a session and their attendance (DX推進担当); the read is audited."""
    sheet = attendance_sheet(actor=actor, session_id=session_id)
    session = sheet.session
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=session,
        target_repr=f"出欠 {session.course.code} {session.course.title} 第{session.number}回",
        detail={"session_id": session.pk, "rows": len(sheet.rows)},
    )
    return sheet
