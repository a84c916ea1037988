"""Course and programme completion, and the skill evidence it writes (services.completion)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagukumi.assessments.models import Assessment
from hagukumi.assessments.tests.factories import AssessmentFactory
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.training.models import (
    AttendanceStatus,
    CompetencyEvidence,
    CourseCompletion,
    Enrollment,
    EnrollmentStatus,
    RecordSource,
)
from hagukumi.training.services.attendance import AttendanceEntry, attendance_record
from hagukumi.training.services.completion import completions_update
from hagukumi.training.tests.factories import CourseCompletionFactory
from hagukumi.training.tests.test_attendance_world import World, add_members, build_world

pytestmark = pytest.mark.django_db
S = AttendanceStatus
AUTUMN = dt.date(2025, 9, 1)


@pytest.fixture
def world() -> World:
    return build_world()


def record(world: World, key: str, *entries: tuple[object, str]) -> None:
    attendance_record(
        actor=world.actor,
        session_id=world.sessions[key].pk,
        entries=[
            AttendanceEntry(
                person.pk,  # type: ignore[attr-defined]
                status,
                waived_reason="前年度に受講済み" if status == S.WAIVED else "",
            )
            for person, status in entries
        ],
    )


def take_everything(world: World, person: object) -> None:
    for key in ("C1-1", "C1-2", "C2-1"):
        record(world, key, (person, S.PRESENT))


def enrolment(world: World, person: object) -> Enrollment:
    return Enrollment.objects.get(cohort=world.cohort, staff=person)


def test_all_sessions_rule_completes_on_the_last_session(world: World) -> None:
    first, second = world.members[:2]
    record(world, "C1-1", (first, S.PRESENT), (second, S.PRESENT))
    record(world, "C1-2", (first, S.LATE))
    completions_update(actor=world.actor, course=world.c1, as_of=AUTUMN)
    completion = CourseCompletion.objects.get()
    assert completion.staff == first
    assert completion.completed_on == dt.date(2025, 8, 10)
    assert completion.hours == Decimal("4.00")  # 出席 4h + 遅刻 without recorded hours
    assert (completion.cohort, completion.fiscal_year) == (world.cohort, 2025)
    assert completion.source == RecordSource.MANUAL
    evidence = CompetencyEvidence.objects.get()
    assert (evidence.staff, evidence.competency_code, evidence.level, evidence.course) == (
        first,
        "mindset",
        2,
        world.c1,
    )
    assert evidence.evidenced_on == dt.date(2025, 8, 10)
    assert evidence.framework == world.framework


def test_a_session_after_the_day_is_not_taken_yet(world: World) -> None:
    person = world.members[0]
    record(world, "C1-1", (person, S.PRESENT))
    record(world, "C1-2", (person, S.PRESENT))
    completions_update(actor=world.actor, course=world.c1, as_of=dt.date(2025, 8, 1))
    assert not CourseCompletion.objects.exists()


def test_waived_counts_as_attended(world: World) -> None:
    person = world.members[0]
    record(world, "C1-1", (person, S.WAIVED))
    record(world, "C1-2", (person, S.PRESENT))
    completions_update(actor=world.actor, course=world.c1, as_of=AUTUMN)
    assert CourseCompletion.objects.get().hours == Decimal("8.00")


def test_an_absence_means_no_completion(world: World) -> None:
    person = world.members[0]
    record(world, "C1-1", (person, S.ABSENT))
    record(world, "C1-2", (person, S.PRESENT))
    completions_update(actor=world.actor, course=world.c1, as_of=AUTUMN)
    assert not CourseCompletion.objects.exists()


def test_hours_rule(world: World) -> None:
    short, enough = world.members[:2]
    attendance_record(
        actor=world.actor,
        session_id=world.sessions["C2-1"].pk,
        entries=[
            AttendanceEntry(short.pk, S.PRESENT, Decimal("2.5")),
            AttendanceEntry(enough.pk, S.PRESENT, Decimal("3")),
        ],
    )
    completions_update(actor=world.actor, course=world.c2, as_of=AUTUMN)
    completion = CourseCompletion.objects.get()
    assert completion.staff == enough
    # A run of self-paced sessions only is dated by the first computation, and kept.
    assert completion.completed_on == AUTUMN
    completions_update(actor=world.actor, course=world.c2, as_of=dt.date(2025, 12, 1))
    assert CourseCompletion.objects.get().completed_on == AUTUMN


def test_programme_completion_counts_required_phases_only(world: World) -> None:
    done, missing = world.members[:2]
    take_everything(world, done)  # C3 自己啓発 (optional) not taken
    record(world, "C1-1", (missing, S.PRESENT))
    record(world, "C1-2", (missing, S.PRESENT))  # no 事前学習
    outcome = completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert outcome.programmes_completed == 1
    finished = enrolment(world, done)
    # Dated by the last phase completion: the self-paced 事前学習, first computed on AUTUMN.
    assert (finished.status, finished.completed_on) == (EnrollmentStatus.COMPLETED, AUTUMN)
    assert enrolment(world, missing).status == EnrollmentStatus.APPROVED
    # After the cohort's end, those short of a phase are 未修了.
    completions_update(actor=world.actor, cohort=world.cohort, as_of=dt.date(2026, 4, 1))
    assert enrolment(world, missing).status == EnrollmentStatus.NOT_COMPLETED
    assert enrolment(world, done).status == EnrollmentStatus.COMPLETED


def test_recomputing_is_idempotent(world: World) -> None:
    take_everything(world, world.members[0])
    first = completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert (first.created, first.programmes_completed) == (2, 1)
    rows = list(CourseCompletion.objects.values_list("pk", "completed_on", "hours"))
    evidence = list(CompetencyEvidence.objects.values_list("pk", "evidenced_on"))
    again = completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert (again.created, again.changed, again.removed, again.programmes_completed) == (0, 0, 0, 0)
    assert again.unchanged == 2
    assert list(CourseCompletion.objects.values_list("pk", "completed_on", "hours")) == rows
    assert list(CompetencyEvidence.objects.values_list("pk", "evidenced_on")) == evidence
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.UPDATE, target_repr__startswith="修了の判定"
        ).count()
        == 2
    )


def test_a_corrected_attendance_withdraws_the_completion(world: World) -> None:
    person = world.members[0]
    take_everything(world, person)
    completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert enrolment(world, person).status == EnrollmentStatus.COMPLETED
    record(world, "C1-2", (person, S.ABSENT))
    outcome = completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert outcome.removed == 1
    assert list(CourseCompletion.objects.values_list("course__code", flat=True)) == ["C2"]
    assert not CompetencyEvidence.objects.exists()
    assert enrolment(world, person).status == EnrollmentStatus.APPROVED
    assert enrolment(world, person).completed_on is None


def test_a_direct_lms_completion_without_attendance_stays(world: World) -> None:
    person = world.members[0]
    CourseCompletionFactory(
        course=world.c2,
        cohort=world.cohort,
        organization=world.organization,
        staff=person,
        fiscal_year=2025,
        source=RecordSource.LMS,
    )
    completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert CourseCompletion.objects.filter(staff=person, course=world.c2).exists()


def test_a_stand_alone_course_run(world: World) -> None:
    record(world, "S1-1", (world.members[0], S.PRESENT))
    completions_update(actor=world.actor, course=world.s1, as_of=dt.date(2025, 12, 1))
    completion = CourseCompletion.objects.get()
    assert (completion.cohort, completion.fiscal_year, completion.completed_on) == (
        None,
        2025,
        dt.date(2025, 10, 1),
    )


def test_completion_never_changes_an_assessment(world: World) -> None:
    person = world.members[0]
    assessment = AssessmentFactory(staff=person)
    before = Assessment.objects.filter(pk=assessment.pk).values().get()
    take_everything(world, person)
    with CaptureQueriesContext(connection) as ctx:
        completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
    assert not [q for q in ctx.captured_queries if "assessments_" in q["sql"]]
    assert Assessment.objects.filter(pk=assessment.pk).values().get() == before
    assert CompetencyEvidence.objects.filter(staff=person).exists()


def test_who_may_compute(world: World) -> None:
    with pytest.raises(AccessDenied):
        completions_update(actor=Actor.command_line(world.other), cohort=world.cohort, as_of=AUTUMN)
    with pytest.raises(AccessDenied):
        completions_update(actor=Actor.system(), cohort=world.cohort, as_of=AUTUMN)
    with pytest.raises(ApplicationError):
        completions_update(actor=world.actor, as_of=AUTUMN)


def test_query_count_does_not_grow_with_the_cohort(world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            completions_update(actor=world.actor, cohort=world.cohort, as_of=AUTUMN)
        CourseCompletion.objects.all().delete()  # the next round creates them again
        return len(ctx.captured_queries)

    for person in world.members:
        take_everything(world, person)
    small = queries()
    for person in add_members(world, 40):
        take_everything(world, person)
    Enrollment.objects.filter(cohort=world.cohort).update(
        status=EnrollmentStatus.APPROVED, completed_on=None
    )
    assert queries() == small
    assert CourseCompletion.objects.count() == 0
