"""Reads: 団体 search, the tree as of a fiscal year, unit and below, paths, access."""

from __future__ import annotations

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import (
    access_unit_by_id,
    fiscal_years_of,
    organization_by_code,
    organization_search,
    unit_descendant_ids,
    unit_path,
    unit_tree_for,
    unit_version_in,
    unit_versions,
    units_as_of,
)
from hagukumi.orgs.services import unit_close, unit_update
from hagukumi.orgs.tests.conftest import FY, make_tree
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


# --- 団体 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "札幌",
        "札幌市",
        "さっぽろ",
        "サッポロ",
        "ｻｯﾎﾟﾛ",
        "北海道札幌市",
        "北海道 札幌市",
        "011002",
        "01100",
        "０１１００２",
    ],
)
def test_search_finds_sapporo_first(text: str) -> None:
    assert organization_search(text=text)[0].code == "011002"


def test_search_by_kana_of_prefecture_and_municipality() -> None:
    assert organization_search(text="ほっかいどうさっぽろし")[0].code == "011002"


def test_search_variant_kana_small_ke() -> None:
    assert [o.name for o in organization_search(text="鶴ケ島")] == ["鶴ヶ島市"]


def test_search_exact_name_ranks_first() -> None:
    # 府中市 exists in 東京都 and 広島県; 府中町 must come after them.
    names = [o.full_name for o in organization_search(text="府中")]
    assert names[:2] == ["東京都府中市", "広島県府中市"]
    assert "広島県府中町" in names


def test_search_code_prefix_lists_a_prefecture() -> None:
    found = organization_search(text="13", limit=100)
    assert found[0].name == "東京都"
    assert all(o.code.startswith("13") for o in found)


def test_search_wrong_check_digit_raises() -> None:
    with pytest.raises(ApplicationError, match="正しくは 011002"):
        organization_search(text="011003")


def test_search_no_match_and_blank() -> None:
    assert organization_search(text="存在しない自治体") == []
    assert organization_search(text="  ") == []


def test_search_finds_the_ministry_and_demo() -> None:
    assert organization_search(text="総務省")[0].kind == "national"
    OrganizationFactory(code=None, is_demo=True, name="デモ市", name_kana="デモシ")
    assert [o.display_name for o in organization_search(text="でも")] == ["デモ市（デモ）"]


def test_search_limit() -> None:
    assert len(organization_search(text="町", limit=5)) == 5


def test_search_is_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        organization_search(text="さっぽろ")


def test_organization_by_code() -> None:
    assert organization_by_code("131016").name == "千代田区"
    with pytest.raises(ApplicationError, match="登録されていません"):
        organization_by_code("990001")


# --- tree -----------------------------------------------------------------------


def test_tree_as_of_in_one_query(organization: Organization, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    make_tree(organization)
    with django_assert_num_queries(1):
        tree = units_as_of(organization=organization, fiscal_year=FY)
    assert [(n.unit.code, n.depth) for n in tree] == [
        ("01", 0),
        ("0101", 1),
        ("010101", 2),
        ("02", 0),
        ("0201", 1),
    ]
    assert len(tree) == 5
    assert tree.node("010101").path[0].name == "総務部"


def test_tree_before_and_after_a_rename(organization: Organization) -> None:
    units = make_tree(organization)
    unit_update(
        actor=Actor.command_line(organization),
        unit=units["01"],
        fiscal_year=2027,
        name="総務局",
        kind="局",
        functions=[],
        parent=None,
    )
    before = units_as_of(organization=organization, fiscal_year=2026)
    after = units_as_of(organization=organization, fiscal_year=2027)
    assert before.node("01").unit.name == "総務部"
    assert after.node("01").unit.name == "総務局"
    # Children follow the parent by code: 人事課 sits under 総務局 in 2027 without a new version.
    assert after.node("0101").parent.unit.name == "総務局"
    assert after.node("0101").unit.pk == units["0101"].pk
    assert units_as_of(organization=organization, fiscal_year=2025).roots == []


def test_tree_is_per_organization(organization: Organization) -> None:
    make_tree(organization)
    other = OrganizationFactory()
    assert len(units_as_of(organization=other, fiscal_year=FY)) == 0


def test_descendant_ids(organization: Organization) -> None:
    units = make_tree(organization)
    ids = unit_descendant_ids(unit=units["01"], fiscal_year=FY)
    assert ids == {units["01"].pk, units["0101"].pk, units["010101"].pk}
    assert unit_descendant_ids(unit=units["010101"], fiscal_year=FY) == {units["010101"].pk}
    assert unit_descendant_ids(unit=units["01"], fiscal_year=2020) == set()


def test_descendant_ids_follow_the_code_across_versions(organization: Organization) -> None:
    units = make_tree(organization)
    renamed = unit_update(
        actor=Actor.command_line(organization),
        unit=units["0101"],
        fiscal_year=2027,
        name="職員課",
        kind="課",
        functions=["人事"],
        parent=units["01"],
    )
    # A membership may point at the 2026 version: the 2027 tree is still found by code.
    ids = unit_descendant_ids(unit=units["0101"], fiscal_year=2027)
    assert ids == {renamed.pk, units["010101"].pk}
    all_ids = unit_descendant_ids(unit=units["0101"], fiscal_year=2027, all_versions=True)
    assert all_ids == {renamed.pk, units["0101"].pk, units["010101"].pk}


def test_unit_path(organization: Organization) -> None:
    units = make_tree(organization)
    assert [u.name for u in unit_path(unit=units["010101"], fiscal_year=FY)] == [
        "総務部",
        "人事課",
        "研修係",
    ]
    assert [u.name for u in unit_path(unit=units["0201"])] == ["企画部", "デジタル推進課"]


def test_unit_version_in_and_versions(organization: Organization) -> None:
    units = make_tree(organization)
    new = unit_update(
        actor=Actor.command_line(organization),
        unit=units["0201"],
        fiscal_year=2028,
        name="DX推進課",
        kind="課",
        functions=["情報政策"],
        parent=units["02"],
    )
    assert unit_version_in(unit=units["0201"], fiscal_year=2029) == new
    assert unit_version_in(unit=new, fiscal_year=2027) == units["0201"]
    actor = Actor.command_line(organization)
    assert [v.name for v in unit_versions(actor=actor, code="0201")] == [
        "デジタル推進課",
        "DX推進課",
    ]
    stranger = Actor.command_line(OrganizationFactory())
    assert unit_versions(actor=stranger, code="0201") == []


def test_fiscal_years_of(organization: Organization) -> None:
    units = make_tree(organization)
    unit_close(actor=Actor.command_line(organization), unit=units["010101"], fiscal_year=2028)
    actor = Actor.command_line(organization)
    assert fiscal_years_of(actor=actor, around=2026) == [2028, 2027, 2026]
    # Another 団体's versions are not offered.
    assert fiscal_years_of(actor=Actor.command_line(OrganizationFactory()), around=2026) == [
        2027,
        2026,
    ]


def test_fiscal_years_have_no_gap(organization: Organization) -> None:
    """A tree recorded from 2024 offers 2025 too, though nothing changed that year (#14)."""
    make_tree(organization, fiscal_year=2024)
    actor = Actor.command_line(organization)
    assert fiscal_years_of(actor=actor, around=2026) == [2027, 2026, 2025, 2024]


def test_access_unit_by_id(organization: Organization, user_with_role) -> None:  # type: ignore[no-untyped-def]
    units = make_tree(organization)
    mine = actor_for(user_with_role("staff"))
    assert access_unit_by_id(actor=mine, unit_id=units["01"].pk) == units["01"]
    stranger = actor_for(user_with_role("hr", org=OrganizationFactory()))
    with pytest.raises(AccessDenied):
        access_unit_by_id(actor=stranger, unit_id=units["01"].pk)
    with pytest.raises(AccessDenied):
        access_unit_by_id(actor=mine, unit_id=Unit.objects.order_by("-pk").first().pk + 1)


def test_unit_tree_for_is_the_actors_own_tree(organization: Organization, user_with_role) -> None:  # type: ignore[no-untyped-def]
    make_tree(organization)
    make_tree(OrganizationFactory())
    tree = unit_tree_for(actor=actor_for(user_with_role("staff")), fiscal_year=FY)
    assert tree.organization == organization
    assert len(tree) == 5
    assert {n.unit.organization_id for n in tree} == {organization.pk}


def test_no_actor_sees_nothing(organization: Organization) -> None:
    """None is never an actor: no tree, no unit, no history, no years of anybody's 団体."""
    units = make_tree(organization)
    nobody = None
    with pytest.raises(AccessDenied):
        unit_tree_for(actor=nobody, fiscal_year=FY)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        access_unit_by_id(actor=nobody, unit_id=units["01"].pk)  # type: ignore[arg-type]
    assert unit_versions(actor=nobody, code="01") == []  # type: ignore[arg-type]
    assert fiscal_years_of(actor=nobody, around=FY) == [FY + 1, FY]  # type: ignore[arg-type]
    # The system actor has no 団体 either: the tree is not served to it.
    with pytest.raises(AccessDenied):
        unit_tree_for(actor=Actor.system(), fiscal_year=FY)
    with pytest.raises(AccessDenied):
        access_unit_by_id(actor=Actor.system(), unit_id=units["01"].pk)
