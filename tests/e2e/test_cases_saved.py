"""Saved searches in a real browser: search → 「この条件を保存」 (the button follows the
htmx swap) → list → a new case imported → 「新着事例」 on the home page → 確認済み → delete."""

from __future__ import annotations

from typing import Any

import pytest

from hagukumi.core.models import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeds(transactional_db: Any) -> None:
    from hagukumi.cases import demo

    demo.load()


def test_save_search_and_see_new_cases(
    page: Any, page_guard: Any, login_as: Any, seeds: None
) -> None:
    from hagukumi.cases.services import case_import_file
    from hagukumi.core.tenancy import Actor
    from hagukumi.orgs.tests.factories import OrganizationFactory

    login_as(Role.STAFF)
    page.goto("/cases/")
    page.get_by_label("検索語").fill("副業")
    page.get_by_role("button", name="検索する").click()
    page.wait_for_url("**/cases/?q=*")
    page.wait_for_function(
        "() => document.querySelector('#case-save-search input[name=q]')?.value === '副業'"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="この条件を保存").click()
    assert page.get_by_role("heading", level=1).inner_text() == "保存した検索条件"
    assert "検索条件「副業」を保存しました" in page.content()
    page_guard.check_accessibility()

    outcome = case_import_file(
        actor=Actor.command_line(OrganizationFactory()),
        data="# 副業人材による新しい取組\n\n副業人材と協働した。\n".encode(),
        filename="new.md",
    )
    assert not outcome.failed
    page.goto("/")
    panel = page.get_by_role("region", name="新着事例")
    assert "副業人材による新しい取組" in panel.inner_text()
    page_guard.check_accessibility()

    panel.get_by_role("link", name="保存した検索条件で確認済みにする").click()
    page.wait_for_load_state()
    with page.expect_navigation():
        page.get_by_role("button", name="「副業」の新着を確認済みにする").click()
    page.goto("/")
    assert page.get_by_role("region", name="新着事例").count() == 0

    page.goto("/cases/saved/")
    with page.expect_navigation():
        page.get_by_role("button", name="「副業」を削除").click()
    assert "保存した検索条件はまだありません" in page.content()
