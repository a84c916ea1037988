"""A unit's 課 (or 部) in a fiscal year: unit_ancestor_of_kind and its bulk forms."""

from __future__ import annotations

import pytest

from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import (
    section_of_unit_codes,
    section_of_units,
    unit_ancestor_of_kind,
)
from hagukumi.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reorganised(organization):  # type: ignore[no-untyped-def]
    """総務部 01 > 人事課 0101 > 研修係 010101 until FY2024; from FY2025 研修係 sits under
    企画部 02 > デジタル推進課 0201, and 人事課 is renamed 職員課 (a new version)."""
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    hr = UnitFactory(
        organization=organization,
        code="0101",
        name="人事課",
        parent=dept,
        valid_to_fy=2024,
    )
    hr_renamed = UnitFactory(
        organization=organization, code="0101", name="職員課", parent=dept, valid_from_fy=2025
    )
    training_old = UnitFactory(
        organization=organization,
        code="010101",
        name="研修係",
        kind="係",
        parent=hr,
        valid_to_fy=2024,
    )
    dept2 = UnitFactory(organization=organization, code="02", name="企画部", kind="部")
    dx = UnitFactory(organization=organization, code="0201", name="デジタル推進課", parent=dept2)
    training_new = UnitFactory(
        organization=organization,
        code="010101",
        name="研修係",
        kind="係",
        parent=dx,
        valid_from_fy=2025,
    )
    # A 担当 directly under a 部: no 課 above it.
    office = UnitFactory(
        organization=organization, code="0190", name="総務担当", kind="担当", parent=dept
    )
    # 人事課's children point at its first version; readers resolve the parent by code.
    return {
        "dept": dept,
        "hr": hr,
        "hr_renamed": hr_renamed,
        "training_old": training_old,
        "training_new": training_new,
        "dept2": dept2,
        "dx": dx,
        "office": office,
    }


def test_a_unit_of_the_kind_is_its_own_section(reorganised) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    assert unit_ancestor_of_kind(unit=u["dx"], fiscal_year=2025) == u["dx"]
    assert unit_ancestor_of_kind(unit=u["dept"], fiscal_year=2025, kinds=("部",)) == u["dept"]


def test_the_section_follows_the_tree_of_the_year(reorganised) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    # Any version of 研修係 may be asked about: the year's tree decides.
    for version in (u["training_old"], u["training_new"]):
        assert unit_ancestor_of_kind(unit=version, fiscal_year=2024) == u["hr"]
        assert unit_ancestor_of_kind(unit=version, fiscal_year=2025) == u["dx"]
        assert unit_ancestor_of_kind(unit=version, fiscal_year=2024, kinds=("部",)) == u["dept"]
        assert unit_ancestor_of_kind(unit=version, fiscal_year=2025, kinds=("部",)) == u["dept2"]


def test_renamed_section_is_the_version_valid_that_year(reorganised) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    section = unit_ancestor_of_kind(unit=u["hr"], fiscal_year=2025)
    assert section == u["hr_renamed"]
    assert section is not None
    assert section.name == "職員課"


def test_no_section_or_no_unit_that_year_is_none(reorganised) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    assert unit_ancestor_of_kind(unit=u["office"], fiscal_year=2025) is None
    assert unit_ancestor_of_kind(unit=u["dept"], fiscal_year=2025) is None
    assert unit_ancestor_of_kind(unit=u["dx"], fiscal_year=2019) is None
    # Several kinds: the nearest wins.
    assert (
        unit_ancestor_of_kind(unit=u["training_new"], fiscal_year=2025, kinds=("課", "部"))
        == u["dx"]
    )
    assert (
        unit_ancestor_of_kind(unit=u["office"], fiscal_year=2025, kinds=("課", "部")) == u["dept"]
    )


def test_section_of_units_in_one_query(
    organization, reorganised, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    with django_assert_num_queries(1):
        fy2024 = section_of_units(organization=organization, fiscal_year=2024)
    assert fy2024 == {
        u["hr"].pk: u["hr"],
        u["training_old"].pk: u["hr"],
        u["dx"].pk: u["dx"],
    }
    fy2025 = section_of_units(organization=organization, fiscal_year=2025)
    assert fy2025 == {
        u["hr_renamed"].pk: u["hr_renamed"],
        u["training_new"].pk: u["dx"],
        u["dx"].pk: u["dx"],
    }
    departments = section_of_units(organization=organization, fiscal_year=2025, kinds=("部",))
    assert departments[u["training_new"].pk] == u["dept2"]
    assert departments[u["office"].pk] == u["dept"]


def test_all_versions_maps_older_versions_too(
    organization, reorganised, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    with django_assert_num_queries(2):
        found = section_of_units(organization=organization, fiscal_year=2025, all_versions=True)
    # An Assignment written in FY2024 points at the old 研修係: it belongs to デジタル推進課 now.
    assert found[u["training_old"].pk] == u["dx"]
    assert found[u["hr"].pk] == u["hr_renamed"]
    assert u["office"].pk not in found


def test_section_of_unit_codes(organization, reorganised, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    u = reorganised
    with django_assert_num_queries(1):
        by_code = section_of_unit_codes(organization=organization, fiscal_year=2024)
    assert by_code == {"0101": u["hr"], "010101": u["hr"], "0201": u["dx"]}


def test_query_count_does_not_grow_with_the_tree(
    organization, reorganised, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    parent = reorganised["dx"]
    Unit.objects.bulk_create(
        Unit(
            organization=organization,
            code=f"0201{i:02d}",
            name=f"係{i}",
            kind="係",
            parent=parent,
            valid_from_fy=2020,
        )
        for i in range(30)
    )
    with django_assert_num_queries(1):
        found = section_of_units(organization=organization, fiscal_year=2025)
    assert sum(1 for section in found.values() if section == parent) == 32  # itself, 研修係, 30 new
