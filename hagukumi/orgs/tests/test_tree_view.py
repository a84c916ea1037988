"""The org chart page (issue #14): collapsible levels, the chosen unit's panels from
core's unit-panel registry (orgs never imports the apps that fill it), the 年度 list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import format_html

from hagukumi.core.models import Role
from hagukumi.core.registries import UnitPanel, register_unit_panel, unregister_unit_panel
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.tests.conftest import FY, make_tree

pytestmark = pytest.mark.django_db

PANEL_KEY = "test-orgs-tree"


@pytest.fixture
def calls() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def render(**kwargs: Any) -> str:
        seen.append(kwargs)
        return format_html('<p class="test-panel">在籍 {}人</p>', 7)

    register_unit_panel(UnitPanel(PANEL_KEY, "テストの欄", render, order=0))
    yield seen
    unregister_unit_panel(PANEL_KEY)


def _page(client: Client, **query: Any) -> str:
    return client.get(reverse("orgs:unit_tree"), {"fy": FY, **query}).content.decode()


def _details(page: str, unit: Unit) -> str:
    """The opening <details …> tag of `unit`'s level."""
    return page.split(f'<li id="unit-{unit.pk}">')[1].split(">")[0]


def test_levels_are_collapsed_and_no_panel_is_rendered_by_default(
    client: Client, user_with_role, tree: dict[str, Unit], calls: list[dict[str, Any]]
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.STAFF))
    page = _page(client)
    assert page.count('<details class="unit-tree__group"') == 3  # 総務部, 人事課, 企画部
    assert " open" not in _details(page, tree["01"])
    assert "<summary" in page
    assert "下位 1件" in page
    assert calls == []
    assert 'class="test-panel"' not in page
    # Every unit, leaves too, can be chosen.
    assert page.count(">職員・DX推進リーダー<") == 5


def test_the_chosen_unit_shows_its_panels_on_an_open_way(
    client: Client, user_with_role, tree: dict[str, Unit], calls: list[dict[str, Any]]
) -> None:  # type: ignore[no-untyped-def]
    user = user_with_role(Role.STAFF)
    client.force_login(user)
    page = _page(client, unit="010101")
    assert len(calls) == 1
    assert calls[0]["unit"] == tree["010101"]
    assert calls[0]["fiscal_year"] == FY
    assert calls[0]["actor"].user == user
    assert page.count('class="test-panel"') == 1
    assert "テストの欄" in page
    assert "「研修係」の" in page
    # The way down to it is open, the other 部 stays closed.
    assert " open" in _details(page, tree["01"])
    assert " open" in _details(page, tree["0101"])
    assert " open" not in _details(page, tree["02"])
    assert 'aria-current="true">職員・DX推進リーダー' in page


def test_an_unknown_unit_code_shows_no_panel(
    client: Client, user_with_role, tree: dict[str, Unit], calls: list[dict[str, Any]]
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.STAFF))
    page = _page(client, unit="nope")
    assert calls == []
    assert 'class="test-panel"' not in page


def test_open_all_opens_every_level(client: Client, user_with_role, tree: dict[str, Unit]) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.STAFF))
    page = _page(client, open="all")
    assert all(" open" in _details(page, tree[code]) for code in ("01", "0101", "02"))
    assert "すべて閉じる" in page


def test_the_year_selector_has_no_gap(
    client: Client, user_with_role, organization: Organization
) -> None:  # type: ignore[no-untyped-def]
    make_tree(organization, fiscal_year=2024)
    client.force_login(user_with_role(Role.STAFF))
    page = client.get(reverse("orgs:unit_tree"), {"fy": 2024}).content.decode()
    select = page.split('id="fy-select"')[1].split("</select>")[0]
    years = [int(part.split('"')[0]) for part in select.split('value="')[1:]]
    assert years == sorted(years, reverse=True)
    assert years == list(range(years[0], 2023, -1))
    assert 2025 in years
