"""Database constraints and clause schemas of assessments' models."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from hagukumi.assessments.clause_params import clause_params_errors
from hagukumi.assessments.models import (
    AssessmentKind,
    ClauseKind,
    PracticeStatus,
    certificate_number,
)
from hagukumi.assessments.tests.factories import (
    AssessmentAnswerFactory,
    AssessmentClauseFactory,
    AssessmentFactory,
    AssessmentSheetFactory,
    AssessmentWindowFactory,
    CertificateFactory,
    CertificationRuleFactory,
    PracticeEvidenceFactory,
    PracticeRecordFactory,
    RuleClauseCourseFactory,
    RuleClauseFactory,
    SheetItemFactory,
)
from hagukumi.frameworks.usage import Removal, usages_of
from hagukumi.people.models import Qualification
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import Course
from hagukumi.training.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_every_factory_builds_a_valid_row():
    for factory in (
        AssessmentAnswerFactory,
        PracticeEvidenceFactory,
        AssessmentClauseFactory,
        RuleClauseCourseFactory,
        CertificateFactory,
    ):
        row = factory()
        row.full_clean()
        assert str(row)


def test_sheet_scale_and_kinds():
    refused(AssessmentSheetFactory, scale_min=4, scale_max=4)
    refused(AssessmentSheetFactory, allows_self=False, allows_supervisor=False, allows_office=False)
    refused(AssessmentSheetFactory, has_test_score=False, test_score_max=Decimal("100"))
    sheet = AssessmentSheetFactory(allows_self=False)
    assert sheet.kinds_allowed == ("supervisor", "office")


def test_sheet_items_are_unique_by_order_and_competency():
    item = SheetItemFactory(competency_code="bpr")
    refused(SheetItemFactory, sheet=item.sheet, order=item.order)
    refused(SheetItemFactory, sheet=item.sheet, competency_code="bpr")


def test_one_assessment_per_kind_staff_and_window():
    assessment = AssessmentFactory(kind=AssessmentKind.SUPERVISOR)
    refused(
        AssessmentFactory,
        window=assessment.window,
        staff=assessment.staff,
        kind=AssessmentKind.SUPERVISOR,
    )
    AssessmentFactory(window=assessment.window, staff=assessment.staff, kind=AssessmentKind.SELF)


def test_test_scores_are_the_office_s():
    refused(AssessmentFactory, kind=AssessmentKind.SELF, test_score=Decimal("70"))
    refused(AssessmentFactory, test_score=Decimal("-1"))
    assert AssessmentFactory(test_score=Decimal("70")).test_score == Decimal("70")


def test_one_answer_per_item():
    answer = AssessmentAnswerFactory()
    refused(AssessmentAnswerFactory, assessment=answer.assessment, item=answer.item)


def test_window_period():
    refused(
        AssessmentWindowFactory,
        opens_on=dt.date(2025, 11, 30),
        closes_on=dt.date(2025, 10, 1),
    )


def test_practice_period_cannot_end_before_it_starts():
    refused(PracticeRecordFactory, period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 4, 1))
    refused(PracticeRecordFactory, status=PracticeStatus.CONFIRMED, confirmed_at=None)


def test_practice_evidence_is_a_link_or_a_file():
    refused(PracticeEvidenceFactory, url="")
    record = PracticeRecordFactory()
    # A stored name is enough for the constraint; no file is written.
    refused(PracticeEvidenceFactory, record=record, file="practice/2026/a.pdf")
    evidence = PracticeEvidenceFactory(
        record=record, url="", file="practice/2026/a.pdf", filename="a.pdf"
    )
    assert str(evidence) == "a.pdf"


def test_one_active_rule_per_talent_type_and_level():
    rule = CertificationRuleFactory()
    refused(
        CertificationRuleFactory,
        organization=rule.organization,
        framework=rule.framework,
        talent_type_code=rule.talent_type_code,
    )
    CertificationRuleFactory(
        organization=rule.organization,
        framework=rule.framework,
        talent_type_code=rule.talent_type_code,
        is_active=False,
    )
    CertificationRuleFactory(
        organization=rule.organization,
        framework=rule.framework,
        talent_type_code=rule.talent_type_code,
        level_code="lv2",
    )


def test_clause_columns_follow_the_kind():
    rule = CertificationRuleFactory()
    refused(RuleClauseFactory, rule=rule, kind=ClauseKind.ASSESSMENT)
    refused(RuleClauseFactory, rule=rule, kind=ClauseKind.QUALIFICATION_HELD)
    refused(RuleClauseFactory, rule=rule, kind=ClauseKind.PHASES_COMPLETED)
    refused(RuleClauseFactory, rule=rule, kind=ClauseKind.YEARS_IN_PROGRAMME)
    sheet = AssessmentSheetFactory(organization=rule.organization)
    refused(RuleClauseFactory, rule=rule, sheet=sheet)  # practice months with a sheet
    program = ProgramFactory(organization=rule.organization)
    refused(RuleClauseFactory, rule=rule, program=program)  # practice months with a programme
    RuleClauseFactory(
        rule=rule, kind=ClauseKind.HOURS_AT_LEAST, program=program, params={"hours": "38"}
    )
    RuleClauseFactory(
        rule=rule, kind=ClauseKind.PHASES_COMPLETED, program=program, params={"phases": "required"}
    )
    qualification = Qualification.objects.create(code="ip-test", name="ITパスポート試験")
    clause = RuleClauseFactory(
        rule=rule, kind=ClauseKind.QUALIFICATION_HELD, qualification=qualification, params={}
    )
    clause.full_clean()
    refused(RuleClauseFactory, rule=rule, order=clause.order)


def test_clause_params_are_validated_per_kind():
    assert (
        clause_params_errors("assessment", {"kind": "office", "op": ">", "threshold": "70"}) == []
    )
    assert clause_params_errors("assessment", {"kind": "office", "op": "=>", "threshold": 3.0}) == [
        '比較（op）は ">="（以上）か ">"（を上回る）です。',
        '基準値（threshold）は数を文字列で指定してください（例: "3.0"）。',
    ]
    assert clause_params_errors("phases_completed", {"phases": [1, 5]}) == []
    assert clause_params_errors("phases_completed", {"phases": [1, 1]}) == [
        "フェーズ（phases）に同じ順序が重複しています。"
    ]
    assert clause_params_errors("hours_at_least", {"hours": "-1"})
    assert clause_params_errors("practice_months", {"months": True})
    assert clause_params_errors("years_in_programme", {"years": 2}) == []
    assert clause_params_errors("courses_completed", {"x": 1}) == ["条件の項目「x」は使えません。"]
    assert clause_params_errors("magic", {}) == ["条件の種類「magic」は使えません。"]
    clause = AssessmentClauseFactory.build(
        rule=CertificationRuleFactory(),
        sheet=AssessmentSheetFactory(),
        params={"kind": "office", "op": ">", "threshold": "70", "statistic": "median"},
    )
    with pytest.raises(ValidationError) as error:
        clause.full_clean()
    assert error.value.message_dict["params"] == [
        "集計（statistic）は mean / test_score のいずれかです。"
    ]


def test_rows_a_rule_uses_cannot_be_deleted():
    clause_course = RuleClauseCourseFactory()
    with pytest.raises(ProtectedError):
        Course.objects.filter(pk=clause_course.course_id).delete()
    clause = AssessmentClauseFactory()
    with pytest.raises(ProtectedError):
        clause.sheet.delete()


def test_certificate_numbers():
    assert certificate_number(prefix="011002", fiscal_year=2025, serial=1) == "011002-2025-0001"
    certificate = CertificateFactory(staff=StaffFactory(name="𠮷田 花子"))
    assert certificate.audit_label == f"修了証 {certificate.number} 𠮷田 花子"
    refused(CertificateFactory, number=certificate.number)
    refused(
        CertificateFactory,
        organization=certificate.organization,
        fiscal_year=certificate.fiscal_year,
        serial=certificate.serial,
        number="other",
    )
    refused(CertificateFactory, revoked_on=dt.date(2020, 1, 1))


def test_used_codes_cannot_be_removed_from_a_framework():
    item = SheetItemFactory(competency_code="bpr")
    CertificationRuleFactory(framework=item.sheet.framework, organization=item.sheet.organization)
    removal = Removal(
        framework=item.sheet.framework,
        talent_type_codes=frozenset({"dx-leader"}),
        level_codes=frozenset(),
        competency_codes=frozenset({"bpr"}),
    )
    reasons = usages_of(removal)
    assert "人材類型「dx-leader」は 1 件の認定基準に使われています。" in reasons
    assert "マインド・スキル「bpr」は 1 件のアセスメントシートの設問に使われています。" in reasons
