"""The page shell for a newcomer (issue #14), in a real browser: the served Japanese
typeface (𠮷田 without a missing-glyph box), the 人事担当 menu in one row at 1366 px,
names and dates kept whole in tables, a compact header on a phone, focus on the error
summary after a failed submit, and the collapsible org chart.

The page guard (conftest) fails each on an outside request (the font must come from
our server), a serious axe-core violation or a console error.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.roster_import import staff_search_key
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.e2e

WEB_FONT = "Noto Sans JP Variable"
NAV_ITEMS = ".site-nav__list > li"

# The text of `selector`'s first match, line by line as laid out (one Range per character).
_LINES_JS = """
(selector) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const lines = [];
  let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (top === null || rect.top > top + 2) { lines.push(""); top = rect.top; }
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines.map((line) => line.trim()).filter(Boolean);
}
"""


def test_names_render_in_the_served_japanese_font(page: Any, login_as: Any) -> None:
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    login_as(Role.STAFF, display_name="𠮷田 花子")

    heading = page.get_by_role("heading", level=1)
    assert "𠮷田 花子" in heading.inner_text()
    page.evaluate("document.fonts.ready")
    family = heading.evaluate("(el) => getComputedStyle(el).fontFamily")
    assert family.startswith(f'"{WEB_FONT}"')
    # The face holding 𠮷 (U+20BB7) is loaded from our server …
    faces = page.evaluate(
        "(family) => document.fonts.load(`32px '${family}'`, '𠮷')"
        ".then((faces) => faces.map((f) => [f.family, f.status]))",
        WEB_FONT,
    )
    assert faces
    assert all(status == "loaded" for _, status in faces)
    assert any("/static/vendor/noto-sans-jp/files/" in url for url in fetched)
    assert all(url.startswith(page.url.split("/", 3)[0] + "//") for url in fetched)
    # … and the browser really draws the heading's 𠮷 with it, not with a fallback.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert fonts
    assert all(font["isCustomFont"] for font in fonts), fonts


def test_the_hr_menu_fits_one_row_at_1366px(page: Any, login_as: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    login_as(Role.HR)

    tops = page.eval_on_selector_all(
        NAV_ITEMS, "(items) => items.map((li) => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(tops) >= 8
    assert len(set(tops)) == 1, tops


def test_names_dates_and_numbers_stay_whole_in_a_narrow_table(
    page: Any, login_as: Any, organization: Any
) -> None:
    unit = UnitFactory(organization=organization, code="0101", name="人事課")
    staff = StaffFactory(
        organization=organization, unit=unit, name="髙橋 信也", birth_date=dt.date(1977, 8, 2)
    )
    staff.search_key = staff_search_key(staff)
    staff.save()
    page.set_viewport_size({"width": 600, "height": 800})
    login_as(Role.HR, org=organization)
    page.goto(f"{reverse('people:search')}?q=髙橋")

    name = page.evaluate(_LINES_JS, "#search-results tbody th")
    assert name in (["髙橋 信也"], ["髙橋", "信也"]), name
    birth = page.locator("#search-results tbody td", has_text="1977年8月2日")
    assert birth.count() == 1
    cell = birth.first.evaluate("(td) => td.cellIndex")
    row = f"#search-results tbody tr td:nth-child({cell + 1})"
    assert page.evaluate(_LINES_JS, row) == ["1977年8月2日"]
    # Buttons keep their label on one line.
    white_space = page.get_by_role("button", name="検索する").evaluate(
        "(el) => getComputedStyle(el).whiteSpace"
    )
    assert white_space == "nowrap"


def test_the_header_is_compact_on_a_phone(page: Any, login_as: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(Role.HR, display_name="山田 花子")

    shell = page.evaluate(
        "document.querySelector('header.site-header').getBoundingClientRect().height"
        " + document.querySelector('nav.site-nav').getBoundingClientRect().height"
    )
    assert shell <= 844 * 0.2, shell
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The whole menu is still there, one row that scrolls sideways.
    tops = page.eval_on_selector_all(
        NAV_ITEMS, "(items) => items.map((li) => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1
    assert page.get_by_role("link", name="パスワードの変更").is_visible()


def test_a_failed_submit_focuses_the_error_summary(page: Any, login_as: Any) -> None:
    login_as(Role.STAFF)
    page.get_by_role("link", name="パスワードの変更").click()
    page.wait_for_url(f"**{reverse('core:password_change')}")
    page.locator("#id_old_password").fill("wrong-password-123")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    with page.expect_navigation():
        page.get_by_role("button", name="変更する").click()

    assert page.title().startswith("エラー：パスワードの変更")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "error-summary"
    assert "入力内容を確認してください" in page.evaluate("document.activeElement.innerText")


def test_the_org_chart_collapses_without_script(
    page: Any, login_as: Any, organization: Any
) -> None:
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    UnitFactory(organization=organization, code="0101", name="人事課", parent=dept)
    login_as(Role.STAFF, org=organization)
    page.goto(reverse("orgs:unit_tree"))

    child = page.get_by_text("人事課", exact=True)
    assert not child.is_visible()
    page.locator("summary", has_text="総務部").click()
    assert child.is_visible()
    page.get_by_role("link", name=re.compile(r"職員・DX推進リーダー\s*（人事課）")).click()
    page.wait_for_load_state("load")
    assert "「人事課」の" in page.locator(".unit-panels").inner_text()
    assert "在籍職員" in page.locator(".unit-panels").inner_text()
