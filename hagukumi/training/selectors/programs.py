"""Programme reads: templates, programmes and cohorts of a 団体, their plans, groups, audiences.

Programmes, courses and cohorts are the 団体's own (no personal data): every
role of the 団体 reads them (roles.TRAINING_READ_ROLES); another 団体 and
都道府県支援担当 get AccessDenied (404). Who a course's audience rule selects
(`course_audience`) and who is in which group (`cohort_groups`) are staff data:
scoped (所属長: unit and below) and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, fiscal_year_range
from hagukumi.frameworks.selectors import talent_type_name
from hagukumi.orgs.models import Organization
from hagukumi.people.models import Assignment, Staff
from hagukumi.people.visibility import headed_unit_ids
from hagukumi.training.audience import AudienceRule, audience_rule_parse
from hagukumi.training.models import (
    IN_PERSON_FORMATS,
    Cohort,
    CohortGroup,
    Course,
    Enrollment,
    Program,
    ProgramPhase,
    Session,
)
from hagukumi.training.program_templates import (
    ProgramTemplate,
    program_template_list,
    template_course_of,
)
from hagukumi.training.roles import (
    AUDIENCE_ROLES,
    ENROLMENT_WIDE_ROLES,
    TRAINING_READ_ROLES,
)

__all__ = [
    "AudienceRow",
    "GroupRow",
    "PhasePlan",
    "ProgramPlan",
    "access_cohort_by_id",
    "access_course_by_id",
    "access_program_by_id",
    "cohort_groups",
    "cohort_plan",
    "cohorts_for",
    "course_audience",
    "organization_id_of",
    "organization_of",
    "program_plan",
    "program_templates",
    "programs_for",
]


def organization_id_of(actor: Actor) -> int:
    """The actor's 団体 id (AccessDenied without one): the scope of every training read."""
    organization_id = actor.organization_id if actor is not None else None
    if organization_id is None:
        raise AccessDenied()
    return organization_id


def organization_of(actor: Actor) -> Organization:
    """The actor's 団体 (AccessDenied without one)."""
    if actor is None or actor.organization is None:
        raise AccessDenied()
    organization: Organization = actor.organization
    return organization


def program_templates(*, actor: Actor) -> list[ProgramTemplate]:
    """The shipped programme templates (for the adoption page of DX推進担当 and others)."""
    require_role(actor, *TRAINING_READ_ROLES)
    return program_template_list()


def programs_for(*, actor: Actor) -> QuerySet[Program]:
    """Programmes of the actor's 団体, with their phases and courses."""
    require_role(actor, *TRAINING_READ_ROLES)
    return (
        Program.objects.filter(organization_id=organization_id_of(actor))
        .select_related("framework")
        .prefetch_related("phases__course")
        .order_by("code")
    )


def access_program_by_id(*, actor: Actor, program_id: int | str) -> Program:
    require_role(actor, *TRAINING_READ_ROLES)
    return access_organization_object(
        actor, Program.objects.select_related("framework"), pk=program_id
    )


def access_course_by_id(*, actor: Actor, course_id: int | str) -> Course:
    require_role(actor, *TRAINING_READ_ROLES)
    return access_organization_object(actor, Course.objects.all(), pk=course_id)


def access_cohort_by_id(*, actor: Actor, cohort_id: int | str) -> Cohort:
    require_role(actor, *TRAINING_READ_ROLES)
    return access_organization_object(
        actor, Cohort.objects.select_related("program__framework"), pk=cohort_id
    )


def cohorts_for(
    *,
    actor: Actor,
    program: Program | None = None,
    fiscal_year: int | None = None,
    statuses: tuple[str, ...] = (),
) -> QuerySet[Cohort]:
    """Cohorts of the actor's 団体 (of one programme / 年度 / statuses when given)."""
    require_role(actor, *TRAINING_READ_ROLES)
    qs = Cohort.objects.filter(organization_id=organization_id_of(actor))
    if program is not None:
        qs = qs.filter(program_id=program.pk)
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return (
        qs.select_related("program")
        .prefetch_related("quotas")
        .order_by("-fiscal_year", "program__code", "number")
    )


# ---------------------------------------------------------------------------
# Plans: hours and 対面 回


@dataclass(frozen=True)
class PhasePlan:
    phase: ProgramPhase
    course: Course
    hours: Decimal | None
    sessions: int
    in_person_sessions: int


@dataclass(frozen=True)
class ProgramPlan:
    program: Program
    talent_type_name: str
    phases: list[PhasePlan]

    @property
    def required_hours(self) -> Decimal:
        """Hours of the counted phases (札幌: 38; 自己啓発（任意） is not counted)."""
        return sum((p.hours or Decimal(0) for p in self.phases if p.phase.counted), Decimal(0))

    @property
    def in_person_sessions(self) -> int:
        """対面 回 of the counted phases (札幌: 10日間の対面参加)."""
        return sum(p.in_person_sessions for p in self.phases if p.phase.counted)


def _in_person(course: Course, sessions: list[bool]) -> int:
    """How many of the sessions (given as their is_online flags) are 対面."""
    if course.format not in IN_PERSON_FORMATS:
        return 0
    return sum(1 for online in sessions if not online)


def program_plan(*, actor: Actor, program: Program) -> ProgramPlan:
    """The programme's phases with planned hours and 回 (the template's session plan)."""
    program = access_organization_object(actor, program)
    require_role(actor, *TRAINING_READ_ROLES)
    phases = []
    for phase in program.phases.select_related("course").order_by("order"):
        plan = template_course_of(phase.course)
        onlines = [s.online for s in plan.sessions] if plan is not None else []
        phases.append(
            PhasePlan(
                phase=phase,
                course=phase.course,
                hours=phase.course.planned_hours,
                sessions=len(onlines),
                in_person_sessions=_in_person(phase.course, onlines),
            )
        )
    return ProgramPlan(
        program=program,
        talent_type_name=talent_type_name(
            framework=program.framework_id, code=program.talent_type_code
        ),
        phases=phases,
    )


def cohort_plan(*, actor: Actor, cohort: Cohort) -> ProgramPlan:
    """Like `program_plan`, counted from the cohort's own sessions (hours = their sum)."""
    cohort = access_organization_object(actor, cohort)
    require_role(actor, *TRAINING_READ_ROLES)
    program = cohort.program
    by_course: dict[int, list[Session]] = {}
    for session in Session.objects.filter(cohort=cohort).order_by("number"):
        by_course.setdefault(session.course_id, []).append(session)
    phases = []
    for phase in program.phases.select_related("course").order_by("order"):
        sessions = by_course.get(phase.course_id, [])
        hours = [s.hours for s in sessions if s.hours is not None]
        phases.append(
            PhasePlan(
                phase=phase,
                course=phase.course,
                hours=sum(hours, Decimal(0)) if hours else None,
                sessions=len(sessions),
                in_person_sessions=_in_person(phase.course, [s.is_online for s in sessions]),
            )
        )
    return ProgramPlan(
        program=program,
        talent_type_name=talent_type_name(
            framework=program.framework_id, code=program.talent_type_code
        ),
        phases=phases,
    )


# ---------------------------------------------------------------------------
# Audiences (Course.audience_rule evaluated against the roster)


@dataclass(frozen=True)
class AudienceRow:
    staff: Staff
    unit_name: str
    position: str
    # Why the rule selects them (「採用1年次」「課長（2026-04-01 から）」).
    reason: str


def _scope_filter(actor: Actor, fiscal_year: int) -> Q:
    if actor.has_role(*ENROLMENT_WIDE_ROLES):
        return Q()
    if actor.has_role(Role.UNIT_HEAD):
        return Q(unit_id__in=headed_unit_ids(actor, fiscal_year=fiscal_year))
    raise AccessDenied()


def course_audience(*, actor: Actor, course: Course, fiscal_year: int) -> list[AudienceRow]:
    """Who the course's 受講対象 rule selects in the 年度 (training.audience), by 職員番号.

    Staff in service during the 年度 (hired by its end, not retired before its
    start). `hire_year` n: 年度 − 採用年度 + 1 = n. `positions`: a 職位 held
    during the 年度 (異動歴; the current 職位 for staff without history); with
    `new_in_fy`, taken up in the 年度 with no earlier assignment to one of those
    職位 (新任). 所属長 see their unit and below; audited.
    """
    require_role(actor, *AUDIENCE_ROLES)
    course = access_organization_object(actor, course)
    rule: AudienceRule = audience_rule_parse(course.audience_rule)
    first, last = fiscal_year_range(fiscal_year)
    staff_qs = (
        Staff.objects.filter(organization_id=organization_id_of(actor))
        .filter(_scope_filter(actor, fiscal_year))
        .filter(Q(hired_on__isnull=True) | Q(hired_on__lte=last))
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gte=first))
        .select_related("unit")
        .order_by("number")
    )
    if rule.job_types:
        staff_qs = staff_qs.filter(job_type__in=rule.job_types)
    if rule.employments:
        staff_qs = staff_qs.filter(employment__in=rule.employments)
    if rule.hire_year is not None:
        start_first, start_last = fiscal_year_range(fiscal_year - rule.hire_year + 1)
        staff_qs = staff_qs.filter(hired_on__gte=start_first, hired_on__lte=start_last)
    staff_rows = list(staff_qs)
    reasons: dict[int, list[str]] = {s.pk: [] for s in staff_rows}
    if rule.hire_year is not None:
        for s in staff_rows:
            reasons[s.pk].append(f"採用{rule.hire_year}年次")
    if rule.positions:
        held: dict[int, tuple[str, dt.date | None]] = {}
        earlier: set[int] = set()
        with_history: set[int] = set()
        for staff_id, position, starts_on, ends_on in Assignment.objects.filter(
            staff_id__in=[s.pk for s in staff_rows]
        ).values_list("staff_id", "position", "starts_on", "ends_on"):
            with_history.add(staff_id)
            if position not in rule.positions:
                continue
            if starts_on < first:
                earlier.add(staff_id)
            overlaps = starts_on <= last and (ends_on is None or ends_on >= first)
            if overlaps and (not rule.new_in_fy or starts_on >= first):
                current = held.get(staff_id)
                if current is None or (current[1] is not None and starts_on < current[1]):
                    held[staff_id] = (position, starts_on)
        if rule.new_in_fy:
            held = {k: v for k, v in held.items() if k not in earlier}
        for s in staff_rows:
            if s.pk not in with_history and not rule.new_in_fy and s.position in rule.positions:
                held[s.pk] = (s.position, None)
        staff_rows = [s for s in staff_rows if s.pk in held]
        for s in staff_rows:
            position, since = held[s.pk]
            text = f"新任{position}" if rule.new_in_fy else position
            reasons[s.pk].append(f"{text}（{since.isoformat()} から）" if since else text)
    rows = [
        AudienceRow(
            staff=s,
            unit_name=s.unit.name if s.unit else "",
            position=s.position,
            reason="・".join(reasons[s.pk]) or "全職員",
        )
        for s in staff_rows
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=course,
        target_repr=f"受講対象者 {course.code} {course.title}",
        detail={"fiscal_year": fiscal_year, "rows": len(rows)},
    )
    return rows


# ---------------------------------------------------------------------------
# Groups


@dataclass(frozen=True)
class GroupRow:
    group: CohortGroup
    members: list[Enrollment]


def cohort_groups(
    *, actor: Actor, cohort: Cohort, phase: ProgramPhase | None = None, today: dt.date | None = None
) -> list[GroupRow]:
    """The cohort's groups of `phase` (None: cohort-wide) with their members, by number.

    DX推進担当 / 人事担当 see every member; 所属長 only their unit's members
    (other members are left out); audited.
    """
    require_role(actor, *TRAINING_READ_ROLES)
    cohort = access_organization_object(actor, cohort)
    if not actor.has_role(*ENROLMENT_WIDE_ROLES, Role.UNIT_HEAD):
        raise AccessDenied()
    visible: frozenset[int] | None = None
    if not actor.has_role(*ENROLMENT_WIDE_ROLES):
        year = fiscal_year_of(today) if today is not None else cohort.fiscal_year
        visible = headed_unit_ids(actor, fiscal_year=year)
    rows = []
    for group in (
        CohortGroup.objects.filter(cohort=cohort, phase=phase)
        .prefetch_related("memberships__enrollment__staff__unit")
        .order_by("number")
    ):
        members = [
            m.enrollment
            for m in group.memberships.all()
            if visible is None or m.enrollment.staff.unit_id in visible
        ]
        members.sort(key=lambda e: e.staff.number)
        rows.append(GroupRow(group=group, members=members))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=cohort,
        target_repr=f"{cohort.program.title} {cohort} のグループ",
        detail={"phase": phase.order if phase is not None else None, "groups": len(rows)},
    )
    return rows
