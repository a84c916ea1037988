"""Editing a draft item by item, and the usage checkers that protect used items."""

from __future__ import annotations

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import actor_for
from hagukumi.frameworks.models import VersionStatus
from hagukumi.frameworks.selectors import framework_draft, framework_export
from hagukumi.frameworks.services import (
    competency_level_remove,
    competency_level_save,
    competency_remove,
    competency_save,
    framework_version_new_draft,
    framework_version_publish,
    individual_level_move,
    individual_level_remove,
    individual_level_save,
    talent_type_remove,
    talent_type_save,
)
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.frameworks.usage import Removal, register_usage_checker, unregister_usage_checker
from hagukumi.orgs.tests.factories import OrganizationFactory


@pytest.fixture
def framework(organization):
    return framework_with_draft(organization)


def draft_content(framework):
    return framework_export(framework_version=framework_draft(framework=framework))


def test_levels_are_added_moved_and_removed_keeping_the_order(dx_actor, framework):
    for code, name in [("l2", "中級"), ("l3", "上級")]:
        individual_level_save(
            actor=dx_actor,
            framework=framework,
            type_code="t1",
            code=None,
            values={"code": code, "name": name},
        )
    individual_level_move(
        actor=dx_actor, framework=framework, type_code="t1", code="l3", direction="up"
    )
    levels = draft_content(framework)["talent_types"][0]["individual_levels"]
    assert [(lv["code"], lv["order"]) for lv in levels] == [("l1", 1), ("l3", 2), ("l2", 3)]
    individual_level_remove(actor=dx_actor, framework=framework, type_code="t1", code="l1")
    levels = draft_content(framework)["talent_types"][0]["individual_levels"]
    assert [(lv["code"], lv["order"]) for lv in levels] == [("l3", 1), ("l2", 2)]
    with pytest.raises(ApplicationError, match="既に最初"):
        individual_level_move(
            actor=dx_actor, framework=framework, type_code="t1", code="l3", direction="up"
        )


def test_bad_input_is_refused_and_nothing_changes(dx_actor, framework):
    before = draft_content(framework)
    cases = [
        (talent_type_save, {"code": None, "values": {"code": "t1", "name": "重複"}}, "重複"),
        (talent_type_save, {"code": None, "values": {"code": "t2", "name": ""}}, "名称"),
        (talent_type_save, {"code": None, "values": {"code": "t 2", "name": "x"}}, "半角英数字"),
        (
            competency_level_save,
            {"competency_code": "c1", "level": None, "values": {"level": 1}},
            "重複",
        ),
        (talent_type_save, {"code": "nope", "values": {"name": "x"}}, "見つかりません"),
    ]
    for service, kwargs, message in cases:
        with pytest.raises(ApplicationError, match=message):
            service(actor=dx_actor, framework=framework, **kwargs)
    assert draft_content(framework) == before


def test_a_type_with_competencies_is_not_removed(dx_actor, framework):
    competency_save(actor=dx_actor, framework=framework, code="c1", values={"talent_type": "t1"})
    with pytest.raises(ApplicationError, match="マインド・スキルが 1 件あります"):
        talent_type_remove(actor=dx_actor, framework=framework, code="t1")
    competency_remove(actor=dx_actor, framework=framework, code="c1")
    talent_type_remove(actor=dx_actor, framework=framework, code="t1")
    assert draft_content(framework)["talent_types"] == []


def test_behaviours_are_saved_and_removed(dx_actor, framework):
    competency_level_save(
        actor=dx_actor,
        framework=framework,
        competency_code="c1",
        level=None,
        values={"level": 3, "label": "LV3", "behaviours": ["a", "b"]},
    )
    levels = draft_content(framework)["competencies"][0]["levels"]
    assert [(cl["level"], cl["behaviours"]) for cl in levels] == [
        (1, ["自ら動く"]),
        (3, ["a", "b"]),
    ]
    competency_level_remove(actor=dx_actor, framework=framework, competency_code="c1", level=1)
    assert [cl["level"] for cl in draft_content(framework)["competencies"][0]["levels"]] == [3]


def test_a_published_version_is_never_edited(dx_actor, framework):
    framework_version_publish(actor=dx_actor, framework_version=framework.versions.get())
    with pytest.raises(ApplicationError, match="下書きがありません"):
        talent_type_save(actor=dx_actor, framework=framework, code="t1", values={"name": "x"})
    framework_version_new_draft(actor=dx_actor, framework=framework)
    talent_type_save(actor=dx_actor, framework=framework, code="t1", values={"name": "x"})
    v1 = framework.versions.get(number=1)
    assert v1.status == VersionStatus.PUBLISHED
    assert framework_export(framework_version=v1)["talent_types"][0]["name"] == "DX推進リーダー"


def test_only_editors_of_the_owning_organization_edit(user_with_role, framework):
    staff = actor_for(user_with_role(Role.STAFF))
    outsider_org = OrganizationFactory()
    outsider = actor_for(user_with_role(Role.DX_OFFICE, org=outsider_org), outsider_org.pk)
    for actor in (staff, outsider):
        with pytest.raises(AccessDenied):
            talent_type_save(actor=actor, framework=framework, code="t1", values={"name": "x"})


@pytest.fixture
def checker():
    seen: list[Removal] = []

    def designations_using(removal: Removal) -> list[str]:
        seen.append(removal)
        found = []
        if "t1" in removal.talent_type_codes:
            found.append("人材類型「DX推進リーダー」は 2 人の指定に使われています。")
        if ("t1", "l1") in removal.level_codes:
            found.append("段階「初級」は 1 件の目標に使われています。")
        return found

    register_usage_checker("test-designations", designations_using)
    yield seen
    unregister_usage_checker("test-designations")


def test_a_used_level_or_type_is_not_removed(dx_actor, framework, checker):
    before = draft_content(framework)
    with pytest.raises(ApplicationError, match="段階「初級」は 1 件の目標に使われています"):
        individual_level_remove(actor=dx_actor, framework=framework, type_code="t1", code="l1")
    competency_remove(actor=dx_actor, framework=framework, code="c1")
    with pytest.raises(ApplicationError, match="2 人の指定に使われています"):
        talent_type_remove(actor=dx_actor, framework=framework, code="t1")
    after = draft_content(framework)
    assert after["talent_types"] == before["talent_types"]
    # The checker saw each removal by code; a plain edit removes nothing and is not blocked.
    assert checker[0].level_codes == {("t1", "l1")}
    assert checker[1].competency_codes == {"c1"}
    assert checker[2].talent_type_codes == {"t1"}
    assert checker[2].level_codes == frozenset()
    talent_type_save(actor=dx_actor, framework=framework, code="t1", values={"name": "改名"})
