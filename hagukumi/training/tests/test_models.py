"""Database constraints and JSON schemas of training's models."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from hagukumi.frameworks.usage import Removal, usages_of
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.audience import audience_rule_errors, audience_rule_parse
from hagukumi.training.enrolment_scope import (
    EnrolmentScope,
    ScopeDecision,
    enrolment_scope_decide,
    register_enrolment_scope_checker,
    unregister_enrolment_scope_checker,
)
from hagukumi.training.lms_columns import header_aliases_errors
from hagukumi.training.models import (
    AttendanceStatus,
    CompletionRule,
    Course,
    EnrollmentStatus,
)
from hagukumi.training.tests.factories import (
    AttendanceFactory,
    CohortFactory,
    CohortGroupFactory,
    CohortGroupMembershipFactory,
    CompetencyEvidenceFactory,
    CourseCompetencyFactory,
    CourseCompletionFactory,
    CourseFactory,
    CourseTargetFactory,
    EnrollmentFactory,
    LmsColumnMappingFactory,
    ProgramFactory,
    ProgramPhaseFactory,
    QuotaFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    """The row `factory(**kwargs)` is refused by the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_every_factory_builds_a_valid_row():
    for factory in (
        CourseTargetFactory,
        CourseCompetencyFactory,
        ProgramPhaseFactory,
        SessionFactory,
        CohortGroupMembershipFactory,
        QuotaFactory,
        AttendanceFactory,
        CompetencyEvidenceFactory,
        LmsColumnMappingFactory,
    ):
        row = factory()
        row.full_clean()
        assert str(row)


def test_course_code_is_unique_per_organization():
    course = CourseFactory(code="DX-01")
    CourseFactory(code="DX-01")  # another 団体
    refused(CourseFactory, organization=course.organization, code="DX-01")


def test_completion_hours_go_with_the_hours_rule():
    refused(CourseFactory, completion_rule=CompletionRule.HOURS, completion_hours=None)
    refused(CourseFactory, completion_rule=CompletionRule.ALL_SESSIONS, completion_hours=3)
    course = CourseFactory(completion_rule=CompletionRule.HOURS, completion_hours=Decimal("38"))
    assert course.completion_hours == Decimal("38")


def test_audience_rule_schema():
    assert audience_rule_errors({}) == []
    assert audience_rule_parse({"hire_year": 1}).hire_year == 1
    rule = audience_rule_parse({"positions": ["部長", "課長"], "new_in_fy": True})
    assert rule.positions == ("部長", "課長")
    assert rule.to_json() == {"positions": ["部長", "課長"], "new_in_fy": True}
    assert audience_rule_parse({}).is_everyone
    assert audience_rule_errors({"hire_year": 0}) == [
        "採用年次（hire_year）は 1 以上の整数で指定してください。"
    ]
    assert audience_rule_errors({"new_in_fy": True}) == [
        "新任（new_in_fy）を指定するときは職位（positions）も指定してください。"
    ]
    assert audience_rule_errors({"grade": 3}) == ["受講対象の条件に不明な項目「grade」があります。"]
    assert audience_rule_errors({"positions": []})
    assert audience_rule_errors([1])
    course = CourseFactory.build(
        organization=OrganizationFactory(), audience_rule={"hire_year": "1"}
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "audience_rule" in error.value.message_dict


def test_phase_group_size_and_optional_phases():
    refused(ProgramPhaseFactory, group_size_min=6, group_size_max=5)
    refused(ProgramPhaseFactory, group_size_min=5, group_size_max=None)
    refused(ProgramPhaseFactory, required=False, counted=True)
    phase = ProgramPhaseFactory(group_size_min=5, group_size_max=6)
    ProgramPhaseFactory(program=phase.program, required=False, counted=False)
    refused(ProgramPhaseFactory, program=phase.program, order=phase.order)
    refused(ProgramPhaseFactory, program=phase.program, course=phase.course)


def test_cohort_period_and_number():
    cohort = CohortFactory()
    refused(CohortFactory, program=cohort.program, number=cohort.number)
    refused(CohortFactory, starts_on=dt.date(2025, 6, 1), ends_on=dt.date(2025, 5, 31))


def test_session_number_is_unique_per_run_without_cohort_too():
    session = SessionFactory(number=1)
    refused(SessionFactory, course=session.course, number=1)
    SessionFactory(course=session.course, number=1, fiscal_year=2026)
    cohort = CohortFactory(program=ProgramFactory(organization=session.organization))
    SessionFactory(course=session.course, number=1, cohort=cohort)


def test_session_times():
    refused(SessionFactory, start_time=dt.time(17, 0), end_time=dt.time(13, 0))
    refused(SessionFactory, date=None)  # times without a date
    refused(SessionFactory, hours=Decimal("0"))
    self_paced = SessionFactory(date=None, start_time=None, end_time=None, hours=Decimal("3"))
    assert self_paced.date is None


def test_one_live_enrolment_per_cohort():
    enrollment = EnrollmentFactory()
    refused(EnrollmentFactory, cohort=enrollment.cohort, staff=enrollment.staff)
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.save()
    EnrollmentFactory(cohort=enrollment.cohort, staff=enrollment.staff)


def test_enrolment_scope_is_a_cohort_or_a_course_run():
    course = CourseFactory()
    cohort = CohortFactory(program=ProgramFactory(organization=course.organization))
    refused(EnrollmentFactory, cohort=cohort, course=course)
    refused(EnrollmentFactory, cohort=None, organization=course.organization, fiscal_year=2025)
    session = SessionFactory(course=course)
    enrollment = EnrollmentFactory(
        cohort=None,
        course=course,
        session=session,
        organization=course.organization,
        fiscal_year=2025,
    )
    refused(
        EnrollmentFactory,
        cohort=None,
        course=course,
        organization=course.organization,
        staff=enrollment.staff,
        fiscal_year=2025,
    )


def test_quota_seats_refuse_a_second_recommendation_for_one_unit():
    quota = QuotaFactory()
    section = UnitFactory(organization=quota.cohort.organization, name="情報政策課")
    other = UnitFactory(organization=quota.cohort.organization, name="財政課")
    first = EnrollmentFactory(cohort=quota.cohort, quota=quota, quota_unit=section, quota_seat=1)
    refused(EnrollmentFactory, cohort=quota.cohort, quota=quota, quota_unit=section, quota_seat=1)
    EnrollmentFactory(cohort=quota.cohort, quota=quota, quota_unit=other, quota_seat=1)
    # A cancelled enrolment gives its seat back.
    first.status = EnrollmentStatus.CANCELLED
    first.quota_seat = None
    first.save()
    EnrollmentFactory(cohort=quota.cohort, quota=quota, quota_unit=section, quota_seat=1)
    refused(EnrollmentFactory, cohort=quota.cohort, quota=quota, quota_unit=None)
    refused(QuotaFactory, cohort=quota.cohort, channel=quota.channel)
    refused(QuotaFactory, max_per_unit=0)


def test_completed_enrolment_has_a_date():
    refused(EnrollmentFactory, status=EnrollmentStatus.COMPLETED)
    EnrollmentFactory(status=EnrollmentStatus.COMPLETED, completed_on=dt.date(2026, 3, 20))


def test_group_membership_one_group_per_phase():
    membership = CohortGroupMembershipFactory()
    other_group = CohortGroupFactory(cohort=membership.group.cohort)
    refused(CohortGroupMembershipFactory, group=other_group, enrollment=membership.enrollment)
    refused(CohortGroupFactory, cohort=membership.group.cohort, number=membership.group.number)


def test_duplicate_attendance_is_refused():
    attendance = AttendanceFactory()
    refused(AttendanceFactory, session=attendance.session, staff=attendance.staff)


def test_attendance_status_rules():
    refused(AttendanceFactory, status=AttendanceStatus.WAIVED, waived_reason="")
    refused(AttendanceFactory, status=AttendanceStatus.PRESENT, waived_reason="公務")
    refused(AttendanceFactory, status=AttendanceStatus.ABSENT, hours=Decimal("1"))
    refused(AttendanceFactory, hours=Decimal("-1"))
    AttendanceFactory(status=AttendanceStatus.WAIVED, waived_reason="既修得", hours=None)
    AttendanceFactory(status=AttendanceStatus.ABSENT, hours=None)


def test_attendance_keeps_its_session():
    attendance = AttendanceFactory()
    with pytest.raises(ProtectedError):
        Course.objects.filter(pk=attendance.session.course_id).delete()


def test_completion_and_evidence_uniqueness():
    completion = CourseCompletionFactory()
    refused(
        CourseCompletionFactory,
        course=completion.course,
        staff=completion.staff,
        fiscal_year=completion.fiscal_year,
    )
    evidence = CompetencyEvidenceFactory(completion=completion)
    refused(
        CompetencyEvidenceFactory,
        completion=completion,
        framework=evidence.framework,
        competency_code=evidence.competency_code,
    )
    completion.delete()
    assert not type(evidence).objects.filter(pk=evidence.pk).exists()


def test_lms_column_mapping_schema():
    assert header_aliases_errors({"staff_number": ["社員番号"]}) == []
    assert header_aliases_errors({"unknown": ["x"]}) == [
        "列名の対応に不明な項目「unknown」があります。"
    ]
    assert header_aliases_errors({"staff_number": ["ID"], "course_code": ["ID"]}) == [
        "列名「ID」が「職員番号」と「研修コード」の両方に指定されています。"
    ]
    mapping = LmsColumnMappingFactory.build(
        organization=OrganizationFactory(), status_aliases={"完了": "done"}
    )
    with pytest.raises(ValidationError) as error:
        mapping.full_clean()
    assert error.value.message_dict["status_aliases"] == [
        "出欠の値「完了」の対応先「done」は使えません。"
    ]
    mapping = LmsColumnMappingFactory()
    refused(
        LmsColumnMappingFactory,
        organization=mapping.organization,
        provider_name=mapping.provider_name,
    )


def test_audit_labels_name_the_person():
    attendance = AttendanceFactory(staff=StaffFactory(number="000123", name="山田 太郎"))
    assert attendance.audit_label == "出欠 000123 山田 太郎"
    enrollment = EnrollmentFactory(staff=StaffFactory(number="000124", name="𠮷田 花子"))
    assert enrollment.audit_label == "受講申込 000124 𠮷田 花子"


def test_used_codes_cannot_be_removed_from_a_framework():
    target = CourseTargetFactory(talent_type_code="dx-leader", level_code="lv1")
    CourseCompetencyFactory(course=target.course, framework=target.framework, competency_code="bpr")
    removal = Removal(
        framework=target.framework,
        talent_type_codes=frozenset({"dx-leader"}),
        level_codes=frozenset({("dx-leader", "lv1")}),
        competency_codes=frozenset({"bpr"}),
    )
    reasons = usages_of(removal)
    assert "人材類型「dx-leader」は 1 件の研修の対象に使われています。" in reasons
    assert "人材類型「dx-leader」の段階「lv1」は 1 件の研修の対象に使われています。" in reasons
    assert (
        "マインド・スキル「bpr」は 1 件の研修（身に付くマインド・スキル）に使われています。"
        in reasons
    )


def test_enrolment_scope_registry():
    course = CourseFactory()
    outsider = OrganizationFactory()
    own = EnrolmentScope(staff_organization_id=course.organization_id, course=course)
    other = EnrolmentScope(staff_organization_id=outsider.pk, course=course)
    assert enrolment_scope_decide(own).allowed
    assert enrolment_scope_decide(other) == ScopeDecision(False, "研修が見つかりません。")

    def joint(scope: EnrolmentScope) -> ScopeDecision | None:
        return (
            ScopeDecision(True, "共同研修") if scope.staff_organization_id == outsider.pk else None
        )

    register_enrolment_scope_checker("test-joint", joint)
    try:
        assert enrolment_scope_decide(other) == ScopeDecision(True, "共同研修", "test-joint")
    finally:
        unregister_enrolment_scope_checker("test-joint")
