"""A small 札幌-style world for the certification tests (built through the services).

`build_world()` gives a 団体 with 部 → 課 A / 課 B, a published framework whose
`dx-leader` type has the 7 札幌 competencies (added by the service under test),
the 【②DX推進リーダー】育成 programme (five required phases + 自己啓発 optional),
cohorts 第1期 FY2025 and 第2期 FY2026 (with a 成果発表 session in March 2027),
a 1–4 sheet with an autumn window, and the demo rule (required phases + 事務局
mean ≥ 3.0). `add_member()` enrols one staff member with completions and a
事務局 assessment; `bulk_members()` does the same for many with bulk inserts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hagukumi.assessments.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentKind,
    AssessmentSheet,
    AssessmentWindow,
    CertificationRule,
)
from hagukumi.assessments.services import (
    framework_competencies_from_template_add,
    rule_template_adopt,
    sheet_create_from_framework,
    windows_from_template_create,
)
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import framework_draft
from hagukumi.frameworks.services import (
    framework_create,
    framework_version_publish,
    framework_version_update,
)
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Staff
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import (
    CourseCompletion,
    CourseFormat,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    Program,
    ProgramPhase,
    Session,
)
from hagukumi.training.tests.factories import (
    CohortFactory,
    CourseFactory,
    ProgramFactory,
    ProgramPhaseFactory,
    SessionFactory,
)

SAPPORO_DX_LEADER_CODES = (
    "dx-leader-mind-ownership",
    "dx-leader-mind-problem-solving",
    "dx-leader-mind-overall-optimum",
    "dx-leader-mind-continuous-learning",
    "dx-leader-skill-it-literacy",
    "dx-leader-skill-process-improvement",
    "dx-leader-skill-project-execution",
)
PHASES = (
    # (name, format, sessions × hours)
    ("事前学習", CourseFormat.ELEARNING, 1, "3"),
    ("マインドセット", CourseFormat.CLASSROOM, 3, "4"),
    ("スキル習得", CourseFormat.HANDS_ON, 3, "4"),
    ("スキル実践演習", CourseFormat.HANDS_ON, 3, "3"),
    ("成果発表", CourseFormat.CLASSROOM, 1, "2"),
)
FY = 2025


def published_framework(organization: Any, *, code: str = "mic") -> Framework:
    """A framework of the 団体 with a published `dx-leader` type (no competencies yet)."""
    actor = Actor.command_line(organization)
    framework = framework_create(
        actor=actor, organization=organization, code=code, name="総務省モデル"
    )
    draft = framework_draft(framework=framework)
    assert draft is not None
    content = {
        "code": code,
        "name": "総務省モデル",
        "talent_types": [
            {"code": "dx-leader", "name": "DX推進リーダー", "mic_type": "dx-leader"},
            {"code": "general-staff", "name": "一般職員", "mic_type": "general-staff"},
        ],
    }
    framework_version_update(actor=actor, framework_version=draft, content=content)
    framework_version_publish(actor=actor, framework_version=draft)
    return framework


@dataclass
class World:
    organization: Any
    actor: Actor
    framework: Framework
    units: dict[str, Any]
    program: Program
    phases: dict[str, ProgramPhase]
    cohort1: Any
    cohort2: Any
    sheet: AssessmentSheet
    window: AssessmentWindow
    rule: CertificationRule
    next_presentation: Session
    members: list[Staff] = field(default_factory=list)


def build_world(organization: Any = None, *, rule: bool = True) -> World:
    organization = organization or OrganizationFactory()
    actor = Actor.command_line(organization)
    framework = published_framework(organization)
    framework_competencies_from_template_add(actor=actor, framework=framework)
    dept = UnitFactory(organization=organization, code="01", name="総務局", kind="部")
    units = {
        "01": dept,
        "0101": UnitFactory(organization=organization, code="0101", name="行政課", parent=dept),
        "0102": UnitFactory(organization=organization, code="0102", name="財政課", parent=dept),
    }
    program = ProgramFactory(
        organization=organization, framework=framework, talent_type_code="dx-leader"
    )
    phases: dict[str, ProgramPhase] = {}
    for order, (name, course_format, _sessions, _hours) in enumerate(PHASES, start=1):
        course = CourseFactory(
            organization=organization, code=f"DX{order:02d}", title=name, format=course_format
        )
        phases[name] = ProgramPhaseFactory(program=program, order=order, course=course, name=name)
    phases["自己啓発"] = ProgramPhaseFactory(
        program=program,
        order=len(PHASES) + 1,
        course=CourseFactory(organization=organization, code="DX99", title="自己啓発"),
        name="自己啓発",
        required=False,
        counted=False,
    )
    cohort1 = CohortFactory(
        program=program,
        number=1,
        fiscal_year=2025,
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    cohort2 = CohortFactory(
        program=program,
        number=2,
        fiscal_year=2026,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    for cohort, year in ((cohort1, 2025), (cohort2, 2026)):
        for order, (name, _format, sessions, hours) in enumerate(PHASES, start=1):
            for number in range(1, sessions + 1):
                SessionFactory(
                    course=phases[name].course,
                    cohort=cohort,
                    fiscal_year=year,
                    number=number,
                    date=dt.date(year, 6 + order, 10 + number) if order < 5 else None,
                    start_time=None,
                    end_time=None,
                    hours=Decimal(hours),
                )
    # 成果発表 is in March: 2026-03-10 (第1期) and 2027-03-10 (第2期).
    Session.objects.filter(course=phases["成果発表"].course, cohort=cohort1).update(
        date=dt.date(2026, 3, 10)
    )
    next_presentation = Session.objects.get(course=phases["成果発表"].course, cohort=cohort2)
    next_presentation.date = dt.date(2027, 3, 10)
    next_presentation.save(update_fields=["date"])
    sheet = sheet_create_from_framework(
        actor=actor,
        framework=framework,
        code="dx-leader",
        title="DX推進リーダー アセスメントシート",
        talent_type_code="dx-leader",
        scale_min=1,
        scale_max=4,
    )
    (window,) = windows_from_template_create(
        actor=actor, sheet=sheet, template_code="hokkaido", fiscal_years=[FY]
    )
    windows_from_template_create(
        actor=actor, sheet=sheet, template_code="hokkaido", fiscal_years=[FY + 1]
    )
    made_rule = (
        rule_template_adopt(
            actor=actor,
            template_code="sapporo-demo",
            framework=framework,
            talent_type_code="dx-leader",
            sheet=sheet,
            program=program,
        )
        if rule
        else CertificationRule()
    )
    return World(
        organization=organization,
        actor=actor,
        framework=framework,
        units=units,
        program=program,
        phases=phases,
        cohort1=cohort1,
        cohort2=cohort2,
        sheet=sheet,
        window=window,
        rule=made_rule,
        next_presentation=next_presentation,
    )


SUBMITTED_AT = dt.datetime(2025, 11, 1, 10, 0)


def add_member(
    world: World,
    *,
    number: str,
    name: str = "",
    unit: str = "0101",
    skip: Sequence[str] = (),
    office_values: Sequence[int] | None = (3, 3, 3, 3, 3, 3, 3),
    test_score: Decimal | None = None,
    cohort: Any = None,
) -> Staff:
    """Enrol a staff member in 第1期, complete every required phase but `skip`, and record a
    submitted 事務局 assessment with `office_values` (None: not assessed)."""
    staff = StaffFactory(
        organization=world.organization,
        number=number,
        unit=world.units[unit],
        **({"name": name} if name else {}),
    )
    cohort = cohort or world.cohort1
    Enrollment.objects.create(
        organization=world.organization,
        staff=staff,
        cohort=cohort,
        fiscal_year=cohort.fiscal_year,
        channel=EnrollmentChannel.RECOMMENDED,
        status=EnrollmentStatus.APPROVED,
        requested_at=timezone.make_aware(dt.datetime(cohort.fiscal_year, 5, 1, 9, 0)),
    )
    for phase_name, phase in world.phases.items():
        if not phase.required or phase_name in skip:
            continue
        CourseCompletion.objects.create(
            organization=world.organization,
            staff=staff,
            course=phase.course,
            cohort=cohort,
            fiscal_year=cohort.fiscal_year,
            completed_on=dt.date(cohort.fiscal_year + 1, 3, 10),
        )
    if office_values is not None:
        assessment = Assessment.objects.create(
            organization=world.organization,
            window=world.window,
            staff=staff,
            kind=AssessmentKind.OFFICE,
            assessor_name="コマンドライン",
            submitted_at=timezone.make_aware(SUBMITTED_AT),
            test_score=test_score,
        )
        items = list(world.sheet.items.order_by("order"))
        AssessmentAnswer.objects.bulk_create(
            AssessmentAnswer(assessment=assessment, item=item, value=value)
            for item, value in zip(items, office_values, strict=False)
        )
    world.members.append(staff)
    return staff


def bulk_members(world: World, count: int, *, start: int = 1) -> list[Staff]:
    """`count` members who meet the rule, except every 7th (no 成果発表) and every 11th
    (mean 2.43): bulk inserts, for query-count tests."""
    organization = world.organization
    staff = Staff.objects.bulk_create(
        Staff(
            organization=organization,
            number=f"{start + i:06d}",
            name=f"職員{start + i}",
            unit=world.units["0101" if i % 2 else "0102"],
            position="主事",
        )
        for i in range(count)
    )
    requested = timezone.make_aware(dt.datetime(2025, 5, 1, 9, 0))
    Enrollment.objects.bulk_create(
        Enrollment(
            organization=organization,
            staff=s,
            cohort=world.cohort1,
            fiscal_year=FY,
            channel=EnrollmentChannel.RECOMMENDED,
            status=EnrollmentStatus.APPROVED,
            requested_at=requested,
        )
        for s in staff
    )
    required = [p for p in world.phases.values() if p.required]
    CourseCompletion.objects.bulk_create(
        CourseCompletion(
            organization=organization,
            staff=s,
            course=phase.course,
            cohort=world.cohort1,
            fiscal_year=FY,
            completed_on=dt.date(2026, 3, 10),
        )
        for i, s in enumerate(staff)
        for phase in required
        if not (i % 7 == 0 and phase.name == "成果発表")
    )
    submitted = timezone.make_aware(SUBMITTED_AT)
    assessments = Assessment.objects.bulk_create(
        Assessment(
            organization=organization,
            window=world.window,
            staff=s,
            kind=AssessmentKind.OFFICE,
            assessor_name="コマンドライン",
            submitted_at=submitted,
        )
        for s in staff
    )
    items = list(world.sheet.items.order_by("order"))
    low = (3, 3, 2, 2, 3, 2, 2)
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=a, item=item, value=low[k] if i % 11 == 0 else 3)
        for i, a in enumerate(assessments)
        for k, item in enumerate(items)
    )
    world.members.extend(staff)
    return staff
