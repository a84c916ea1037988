"""The page shell in a real browser: login, the role-aware home page, logout, API docs.

The page guard (conftest) also fails any of these on an outside request, a
serious axe-core violation or a console error (CSP included).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.core.registries import nav_items_for
from hagukumi.core.selectors import home_for
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests.factories import TEST_PASSWORD, MembershipFactory
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.e2e

NAV = "nav[aria-label='メインメニュー'] a"
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def nav_labels(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(NAV).all_inner_texts()]


def test_login_page_is_japanese_and_served_locally(page: Any) -> None:
    response = page.goto(reverse("core:login"))

    assert response.status == 200
    assert "charset=utf-8" in response.headers["content-type"]
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.title() == "ログイン | はぐくみ"
    assert page.get_by_role("heading", level=1).inner_text() == "ログイン"
    assert page.get_by_label("利用者ID").is_visible()
    assert page.get_by_label("パスワード").is_visible()
    assert page.get_by_role("button", name="ログイン").is_visible()
    # The stylesheets came from our server (WhiteNoise): the body has our line height.
    assert page.evaluate("getComputedStyle(document.body).lineHeight") == "27.2px"
    assert not page.locator(NAV).count()


ROLE_CASES = [
    pytest.param(Role.DX_OFFICE, id="dx_office"),
    pytest.param(Role.HR, id="hr"),
    pytest.param(Role.UNIT_HEAD, id="unit_head"),
    pytest.param(Role.STAFF, id="staff"),
    pytest.param(Role.PREFECTURE_SUPPORT, id="prefecture_support"),
    pytest.param(Role.SYSTEM_ADMIN, id="system_admin"),
]


@pytest.mark.parametrize("role", ROLE_CASES)
def test_home_page_for_each_role(page: Any, login_as: Any, organization: Any, role: Role) -> None:
    user = login_as(role, org=organization, display_name="山田 花子")

    assert page.url.endswith(reverse("core:home"))
    header = page.locator("header.site-header")
    assert organization.name in header.inner_text()
    assert role.label in header.inner_text()
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text() == "ようこそ、山田 花子 さん"
    assert organization.name in main.inner_text()
    assert role.label in main.inner_text()
    assert re.search(r"令和\d+年度 \(\d{4}\)", main.inner_text())

    labels = nav_labels(page)
    expected = [item.label for item in nav_items_for(actor_for(user))]
    assert labels == expected
    assert labels[0] == "ホーム"
    assert ("監査ログ" in labels) is (role == Role.SYSTEM_ADMIN)
    current = page.locator(f"{NAV}[aria-current='page']")
    assert current.inner_text() == "ホーム"
    # One card per reachable entry besides ホーム; features not built yet are not links.
    cards = page.locator(".card__title a")
    assert cards.all_inner_texts() == expected[1:]
    # A task whose feature is not built yet is marked 準備中 (no link).
    unbuilt = [t for g in home_for(actor=actor_for(user)).role_tasks for t in g.tasks if not t.url]
    assert page.locator(".task-list .badge", has_text="準備中").count() == len(unbuilt)


def test_system_admin_reaches_audit_log_from_the_navigation(page: Any, login_as: Any) -> None:
    login_as(Role.SYSTEM_ADMIN)

    page.locator(NAV, has_text="監査ログ").click()

    page.wait_for_url(f"**{reverse('core:audit')}")
    assert page.locator(f"{NAV}[aria-current='page']").inner_text() == "監査ログ"


def test_demo_organization_is_marked(page: Any, login_as: Any) -> None:
    demo = OrganizationFactory(name="デモ市", is_demo=True, code=None)
    login_as(Role.STAFF, org=demo)

    # The one display name of the 団体 says デモ in the header as on every page.
    header = page.locator("header.site-header .site-header__organization")
    assert header.inner_text().split() == ["団体：", "デモ市（デモ）"]
    assert demo.display_name == "デモ市（デモ）"


def test_wrong_password_shows_a_japanese_error(page: Any, user_with_role: Any) -> None:
    user = user_with_role(Role.STAFF)
    page.goto(reverse("core:login"))
    page.get_by_label("利用者ID").fill(user.username)
    page.get_by_label("パスワード").fill("wrong-password-123")
    page.get_by_role("button", name="ログイン").click()

    alert = page.get_by_role("alert")
    assert (
        "ログインできませんでした。利用者IDとパスワードを確認してください。" in alert.inner_text()
    )
    assert page.url.endswith(reverse("core:login"))
    assert not page.locator(NAV).count()


def test_logout_ends_the_session(page: Any, login_as: Any) -> None:
    login_as(Role.HR)

    page.get_by_role("button", name="ログアウト").click()

    page.wait_for_url(f"**{reverse('core:login')}")
    assert "ログアウトしました" in page.get_by_role("status").first.inner_text()
    page.goto(reverse("core:home"))
    assert reverse("core:login") in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "ログイン"


def test_home_fits_a_375px_screen(page: Any, login_as: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    login_as(Role.DX_OFFICE, display_name="山田 花子")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_skip_link_moves_to_the_main_content(page: Any, login_as: Any) -> None:
    login_as(Role.STAFF)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_api_docs_render_offline(page: Any, login_as: Any) -> None:
    login_as(Role.STAFF)

    page.goto("/api/v1/docs")

    page.locator(".swagger-ui .info .title").wait_for()
    assert "はぐくみ API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/me").count() == 1


def test_screenshots(request: pytest.FixtureRequest, page: Any, user_with_role: Any) -> None:
    """`make screenshots`: docs/screenshots/login.png and home.png (1280×800, full page)."""
    if not request.config.getoption("--screenshots"):
        pytest.skip("--screenshots を付けたときだけ撮影します")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    demo = OrganizationFactory(name="デモ市", is_demo=True, code=None)
    user = user_with_role(Role.DX_OFFICE, org=demo, username="demo-dx", display_name="山田 花子")
    MembershipFactory(user=user, organization=demo, role=Role.HR)

    page.goto(reverse("core:login"))
    page.screenshot(path=SCREENSHOT_DIR / "login.png", full_page=True)

    page.get_by_label("利用者ID").fill(user.username)
    page.get_by_label("パスワード").fill(TEST_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"**{reverse('core:home')}")
    page.screenshot(path=SCREENSHOT_DIR / "home.png", full_page=True)
