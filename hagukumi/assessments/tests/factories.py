"""factory_boy factories for assessments, practice records, rules and certificates."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from hagukumi.assessments.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentKind,
    AssessmentSheet,
    AssessmentWindow,
    Certificate,
    CertificationRule,
    ClauseKind,
    PracticeEvidence,
    PracticeRecord,
    RuleClause,
    RuleClauseCourse,
    SheetItem,
    certificate_number,
)
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.tests.factories import CourseFactory, FrameworkFactory


class AssessmentSheetFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentSheet

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"sheet-{n}")
    title = "DX推進リーダー アセスメントシート"
    framework = factory.SubFactory(FrameworkFactory, owner=factory.SelfAttribute("..organization"))
    framework_version_number = 1
    scale_min = 1
    scale_max = 4


class SheetItemFactory(DjangoModelFactory):
    class Meta:
        model = SheetItem

    sheet = factory.SubFactory(AssessmentSheetFactory)
    order = factory.Sequence(lambda n: n + 1)
    competency_code = factory.Sequence(lambda n: f"skill-{n}")
    text = factory.Sequence(lambda n: f"業務改善能力{n}")


class AssessmentWindowFactory(DjangoModelFactory):
    """北海道: every autumn (10/1–11/30 are ours: 例示)."""

    class Meta:
        model = AssessmentWindow

    sheet = factory.SubFactory(AssessmentSheetFactory)
    fiscal_year = 2025
    name = "秋期"
    opens_on = dt.date(2025, 10, 1)
    closes_on = dt.date(2025, 11, 30)
    is_illustrative = True


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    window = factory.SubFactory(AssessmentWindowFactory)
    organization = factory.SelfAttribute("window.sheet.organization")
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    kind = AssessmentKind.OFFICE
    assessor_name = "コマンドライン"
    submitted_at = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime(2025, 11, 1, 10, 0))
    )


class AssessmentAnswerFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentAnswer

    assessment = factory.SubFactory(AssessmentFactory)
    item = factory.SubFactory(
        SheetItemFactory, sheet=factory.SelfAttribute("..assessment.window.sheet")
    )
    value = 3


class PracticeRecordFactory(DjangoModelFactory):
    class Meta:
        model = PracticeRecord

    organization = factory.SubFactory(OrganizationFactory)
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    title = factory.Faker("sentence", nb_words=4, locale="ja_JP")
    period_start = dt.date(2026, 4, 1)
    period_end = dt.date(2026, 9, 1)
    as_is = "申請の受付を紙とExcelで管理している"
    to_be = "グループウェアの業務アプリで受付から集計まで行う"
    result = "約10時間/月の削減"


class PracticeEvidenceFactory(DjangoModelFactory):
    class Meta:
        model = PracticeEvidence

    record = factory.SubFactory(PracticeRecordFactory)
    url = "https://example.jp/app/123"
    description = "業務アプリの画面"


class CertificationRuleFactory(DjangoModelFactory):
    class Meta:
        model = CertificationRule

    organization = factory.SubFactory(OrganizationFactory)
    framework = factory.SubFactory(FrameworkFactory, owner=factory.SelfAttribute("..organization"))
    talent_type_code = "dx-leader"
    name = "DX推進リーダー認定基準"
    criteria = "必須フェーズをすべて修了し、事務局アセスメントの平均が3.0以上であること。"


class RuleClauseFactory(DjangoModelFactory):
    """Default: practice months (needs no referenced row)."""

    class Meta:
        model = RuleClause

    rule = factory.SubFactory(CertificationRuleFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = ClauseKind.PRACTICE_MONTHS
    params = factory.LazyFunction(lambda: {"months": 12})


class AssessmentClauseFactory(RuleClauseFactory):
    kind = ClauseKind.ASSESSMENT
    sheet = factory.SubFactory(
        AssessmentSheetFactory, organization=factory.SelfAttribute("..rule.organization")
    )
    params = factory.LazyFunction(
        lambda: {"kind": "office", "statistic": "mean", "op": ">=", "threshold": "3.0"}
    )


class RuleClauseCourseFactory(DjangoModelFactory):
    class Meta:
        model = RuleClauseCourse

    clause = factory.SubFactory(
        RuleClauseFactory, kind=ClauseKind.COURSES_COMPLETED, params=factory.LazyFunction(dict)
    )
    course = factory.SubFactory(
        CourseFactory, organization=factory.SelfAttribute("..clause.rule.organization")
    )


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    organization = factory.SubFactory(OrganizationFactory)
    prefix = factory.SelfAttribute("organization.code")
    fiscal_year = 2025
    serial = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(
        lambda o: certificate_number(prefix=o.prefix, fiscal_year=o.fiscal_year, serial=o.serial)
    )
    staff = factory.SubFactory(StaffFactory, organization=factory.SelfAttribute("..organization"))
    framework = factory.SubFactory(FrameworkFactory, owner=factory.SelfAttribute("..organization"))
    talent_type_code = "dx-leader"
    issued_on = dt.date(2026, 3, 25)
    issued_by_name = "コマンドライン"
    rule_snapshot = factory.LazyFunction(lambda: {"rule": "DX推進リーダー認定基準", "clauses": []})
