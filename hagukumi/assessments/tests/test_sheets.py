"""Sheets from a framework's competencies, the 札幌 competencies for the demo, windows, deletes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import ProtectedError

from hagukumi.assessments.models import AssessmentSheet
from hagukumi.assessments.services import (
    framework_competencies_from_template_add,
    sheet_create_from_framework,
    sheet_delete,
    window_create,
    windows_from_template_create,
)
from hagukumi.assessments.tests.certification_world import (
    SAPPORO_DX_LEADER_CODES,
    build_world,
    published_framework,
)
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.frameworks.models import Competency, VersionStatus
from hagukumi.frameworks.selectors import framework_draft, version_in_force
from hagukumi.frameworks.services import competency_remove, framework_version_new_draft
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_sapporo_competencies_become_a_new_published_version() -> None:
    organization = OrganizationFactory()
    actor = Actor.command_line(organization)
    framework = published_framework(organization)
    version = framework_competencies_from_template_add(actor=actor, framework=framework)
    assert version.number == 2
    assert version.status == VersionStatus.PUBLISHED
    assert version_in_force(framework=framework) == version
    competencies = list(Competency.objects.filter(version=version).order_by("order"))
    assert tuple(c.code for c in competencies) == SAPPORO_DX_LEADER_CODES
    assert competencies[5].name == "業務改善能力"
    assert {c.talent_type.code for c in competencies} == {"dx-leader"}
    assert {c.source_file for c in competencies} == {"002_4d04818ec15f2553.txt"}
    assert all("【②DX推進リーダー】" in c.source_section for c in competencies)
    # Again: nothing to add, no new version.
    assert framework_competencies_from_template_add(actor=actor, framework=framework) == version
    assert framework.versions.count() == 2


def test_competencies_need_the_talent_type_and_no_draft() -> None:
    organization = OrganizationFactory()
    actor = Actor.command_line(organization)
    framework = published_framework(organization)
    with pytest.raises(ApplicationError, match="人材類型 advanced-digital がフレームワーク"):
        framework_competencies_from_template_add(
            actor=actor, framework=framework, talent_type_code="advanced-digital"
        )
    framework_version_new_draft(actor=actor, framework=framework)
    with pytest.raises(ApplicationError, match="下書き v2"):
        framework_competencies_from_template_add(actor=actor, framework=framework)
    assert framework_draft(framework=framework).number == 2  # untouched


def test_only_the_office_of_the_owner_adds(user_with_role) -> None:  # type: ignore[no-untyped-def]
    organization = OrganizationFactory()
    framework = published_framework(organization)
    hr = actor_for(user_with_role(Role.HR, org=organization), organization.pk)
    with pytest.raises(AccessDenied):
        framework_competencies_from_template_add(actor=hr, framework=framework)
    with pytest.raises(AccessDenied):
        framework_competencies_from_template_add(
            actor=Actor.command_line(OrganizationFactory()), framework=framework
        )
    assert framework.versions.count() == 1


def test_sheet_items_are_the_competencies_with_the_sheets_own_scale() -> None:
    world = build_world(rule=False)
    sheet = world.sheet
    assert (sheet.scale_min, sheet.scale_max) == (1, 4)
    assert sheet.framework_version_number == 2
    items = list(sheet.items.order_by("order"))
    assert tuple(i.competency_code for i in items) == SAPPORO_DX_LEADER_CODES
    assert items[0].text == "当事者意識"


def test_sheet_bad_input() -> None:
    world = build_world(rule=False)
    kw = {"actor": world.actor, "framework": world.framework, "title": "t"}
    with pytest.raises(ApplicationError, match="最大値（1）は最小値（1）"):
        sheet_create_from_framework(code="a", scale_min=1, scale_max=1, **kw)
    with pytest.raises(ApplicationError, match="nope"):
        sheet_create_from_framework(code="b", competency_codes=["nope"], **kw)
    with pytest.raises(ApplicationError, match="既にあります"):
        sheet_create_from_framework(code="dx-leader", **kw)
    with pytest.raises(ApplicationError, match="マインド・スキルがありません"):
        sheet_create_from_framework(code="c", talent_type_code="general-staff", **kw)
    assert AssessmentSheet.objects.filter(organization=world.organization).count() == 1


def test_hokkaido_windows_every_autumn_marked_illustrative() -> None:
    world = build_world(rule=False)
    windows = windows_from_template_create(
        actor=world.actor, sheet=world.sheet, template_code="hokkaido", fiscal_years=[2025, 2027]
    )
    assert [(w.opens_on, w.closes_on, w.name, w.is_illustrative) for w in windows] == [
        (dt.date(2025, 10, 1), dt.date(2025, 11, 30), "秋期", True),
        (dt.date(2027, 10, 1), dt.date(2027, 11, 30), "秋期", True),
    ]
    assert world.sheet.windows.count() == 3  # 2025 (kept), 2026, 2027
    with pytest.raises(ApplicationError, match="令和5年度"):
        windows_from_template_create(
            actor=world.actor, sheet=world.sheet, template_code="hokkaido", fiscal_years=[2022]
        )


def test_window_dates_are_checked() -> None:
    world = build_world(rule=False)
    kw = {"actor": world.actor, "sheet": world.sheet, "fiscal_year": 2028}
    with pytest.raises(ApplicationError, match="締切日（令和10年5月1日）が開始日"):
        window_create(opens_on=dt.date(2028, 6, 1), closes_on=dt.date(2028, 5, 1), **kw)
    with pytest.raises(ApplicationError, match="令和10年度の中"):
        window_create(opens_on=dt.date(2029, 6, 1), closes_on=dt.date(2029, 7, 1), **kw)


def test_deleting_a_sheet_a_rule_uses_is_refused() -> None:
    world = build_world()
    with pytest.raises(
        ApplicationError, match="認定基準「DX推進リーダー認定基準（デモ）」で使われて"
    ):
        sheet_delete(actor=world.actor, sheet=world.sheet)
    assert AssessmentSheet.objects.filter(pk=world.sheet.pk).exists()


def test_deleting_an_unused_sheet_works() -> None:
    world = build_world(rule=False)
    sheet_delete(actor=world.actor, sheet=world.sheet)
    assert not AssessmentSheet.objects.filter(pk=world.sheet.pk).exists()


def test_a_course_a_rule_uses_cannot_be_deleted() -> None:
    """The database refuses (PROTECT); training's delete service words the refusal."""
    world = build_world()
    from hagukumi.assessments.services import ClauseSpec, rule_create, rule_deactivate

    rule_deactivate(actor=world.actor, rule=world.rule)
    course = world.phases["成果発表"].course
    rule_create(
        actor=world.actor,
        framework=world.framework,
        talent_type_code="dx-leader",
        name="研修だけ",
        clauses=[ClauseSpec(kind="courses_completed", courses=[course])],
    )
    course.phases.all().delete()
    course.sessions.all().delete()
    with pytest.raises(ProtectedError):
        course.delete()


def test_removing_a_competency_a_sheet_uses_is_refused_by_name() -> None:
    world = build_world()
    framework_version_new_draft(actor=world.actor, framework=world.framework)
    with pytest.raises(ApplicationError, match="dx-leader-skill-process-improvement"):
        competency_remove(
            actor=world.actor,
            framework=world.framework,
            code="dx-leader-skill-process-improvement",
        )
