"""factory_boy factories for training records (courses, programmes, cohorts, attendance)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from hagukumi.frameworks.models import Framework
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortGroup,
    CohortGroupMembership,
    CompetencyEvidence,
    Course,
    CourseCompetency,
    CourseCompletion,
    CourseFormat,
    CourseTarget,
    Enrollment,
    EnrollmentChannel,
    LmsColumnMapping,
    Program,
    ProgramPhase,
    Quota,
    QuotaChannel,
    Session,
)


class FrameworkFactory(DjangoModelFactory):
    """A 団体's own framework row (no versions: enough for records that name it)."""

    class Meta:
        model = Framework

    owner = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"fw{n}")
    name = factory.Sequence(lambda n: f"テスト育成方針{n}")


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"C{n + 1:03d}")
    title = factory.Sequence(lambda n: f"DX研修{n + 1}")
    format = CourseFormat.CLASSROOM


class CourseTargetFactory(DjangoModelFactory):
    class Meta:
        model = CourseTarget

    course = factory.SubFactory(CourseFactory)
    framework = factory.SubFactory(
        FrameworkFactory, owner=factory.SelfAttribute("..course.organization")
    )
    talent_type_code = "dx-leader"


class CourseCompetencyFactory(DjangoModelFactory):
    class Meta:
        model = CourseCompetency

    course = factory.SubFactory(CourseFactory)
    framework = factory.SubFactory(
        FrameworkFactory, owner=factory.SelfAttribute("..course.organization")
    )
    competency_code = factory.Sequence(lambda n: f"skill-{n}")
    level = 2


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"program-{n}")
    title = "【②DX推進リーダー】育成"
    framework = factory.SubFactory(FrameworkFactory, owner=factory.SelfAttribute("..organization"))
    talent_type_code = "dx-leader"


class ProgramPhaseFactory(DjangoModelFactory):
    class Meta:
        model = ProgramPhase

    program = factory.SubFactory(ProgramFactory)
    order = factory.Sequence(lambda n: n + 1)
    course = factory.SubFactory(
        CourseFactory, organization=factory.SelfAttribute("..program.organization")
    )


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SelfAttribute("program.organization")
    number = factory.Sequence(lambda n: n + 1)
    fiscal_year = 2025
    capacity = 35
    starts_on = dt.date(2025, 6, 1)
    ends_on = dt.date(2026, 3, 31)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    organization = factory.SelfAttribute("course.organization")
    fiscal_year = 2025
    number = factory.Sequence(lambda n: n + 1)
    date = dt.date(2025, 7, 10)
    start_time = dt.time(13, 0)
    end_time = dt.time(17, 0)
    hours = Decimal("4.00")
    venue = "本庁舎 会議室A"


class CohortGroupFactory(DjangoModelFactory):
    class Meta:
        model = CohortGroup

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)


class EnrollmentFactory(DjangoModelFactory):
    """A cohort enrolment; pass cohort=None, course=… for a course run."""

    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    organization = factory.SelfAttribute("cohort.organization")
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    fiscal_year = factory.SelfAttribute("cohort.fiscal_year")
    channel = EnrollmentChannel.RECOMMENDED
    requested_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 5, 1, 9, 0)))


class CohortGroupMembershipFactory(DjangoModelFactory):
    class Meta:
        model = CohortGroupMembership

    group = factory.SubFactory(CohortGroupFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..group.cohort")
    )
    phase = factory.SelfAttribute("group.phase")


class QuotaFactory(DjangoModelFactory):
    """青森県 DX推進員 ①推薦枠: 各所属1名（毎年度新規）."""

    class Meta:
        model = Quota

    cohort = factory.SubFactory(CohortFactory)
    channel = QuotaChannel.RECOMMENDED
    unit_kind = "課"
    max_per_unit = 1
    new_every_year = True
    exclude_previous_designees = True
    label = "推薦枠（各所属1名）"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    organization = factory.SelfAttribute("session.organization")
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    status = AttendanceStatus.PRESENT
    hours = factory.SelfAttribute("session.hours")


class CourseCompletionFactory(DjangoModelFactory):
    class Meta:
        model = CourseCompletion

    course = factory.SubFactory(CourseFactory)
    organization = factory.SelfAttribute("course.organization")
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    fiscal_year = 2025
    completed_on = dt.date(2025, 8, 31)
    hours = Decimal("12.00")


class CompetencyEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyEvidence

    completion = factory.SubFactory(CourseCompletionFactory)
    organization = factory.SelfAttribute("completion.organization")
    staff = factory.SelfAttribute("completion.staff")
    course = factory.SelfAttribute("completion.course")
    framework = factory.SubFactory(FrameworkFactory, owner=factory.SelfAttribute("..organization"))
    competency_code = factory.Sequence(lambda n: f"skill-{n}")
    level = 3
    evidenced_on = factory.SelfAttribute("completion.completed_on")


class LmsColumnMappingFactory(DjangoModelFactory):
    class Meta:
        model = LmsColumnMapping

    organization = factory.SubFactory(OrganizationFactory)
    provider_name = factory.Sequence(lambda n: f"テストLMS{n}")
    header_aliases = factory.LazyFunction(
        lambda: {"staff_number": ["社員番号"], "hours": ["学習時間(h)"]}
    )
    status_aliases = factory.LazyFunction(lambda: {"完了": "present"})


__all__ = [
    "AttendanceFactory",
    "CohortFactory",
    "CohortGroupFactory",
    "CohortGroupMembershipFactory",
    "CompetencyEvidenceFactory",
    "CourseCompetencyFactory",
    "CourseCompletionFactory",
    "CourseFactory",
    "CourseTargetFactory",
    "EnrollmentFactory",
    "FrameworkFactory",
    "LmsColumnMappingFactory",
    "ProgramFactory",
    "ProgramPhaseFactory",
    "QuotaFactory",
    "SessionFactory",
    "UnitFactory",
]
