"""職員 pages in a real browser, where the defect is what the eye sees (issue [品質] 11):
the 職位 checkbox list of 人材検索 shows every choice (no height-capped scroll box), and
names, dates and button labels stay on one line (「髙橋 信 / 也」, 「1977年8月 / 2日」)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.code_lists import code_lists_ensure
from hagukumi.people.roster_import import staff_search_key
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.e2e

# Distinct line tops of an element's text: 1 when it is on one line.
LINES = """(elements) => elements.map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
    .map((r) => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
})"""


def test_search_shows_every_position_and_keeps_names_whole(
    page: Any, login_as: Any, organization: Any, transactional_db: Any
) -> None:
    code_lists_ensure(organization=organization)
    unit = UnitFactory(
        organization=organization, code="0101", name="市民生活部地域コミュニティ推進課"
    )
    for number, name in (("000001", "髙橋 信也"), ("000002", "𠮷田 花子")):
        staff = StaffFactory(
            organization=organization,
            unit=unit,
            number=number,
            name=name,
            birth_date=dt.date(1977, 8, 2),
            career_intent="窓口のデジタル化と業務改善に取り組みたい" * 3,
        )
        staff.search_key = staff_search_key(staff)
        staff.save()
    login_as(Role.HR, org=organization)  # 人事担当: the most columns, 生年月日 included
    page.set_viewport_size({"width": 1024, "height": 800})
    old = open("/tmp/h14/old_people.css").read()
    page.route("**/people/people*.css", lambda route: route.fulfill(body=old, content_type="text/css"))
    page.goto(reverse("people:search"))
    positions = page.get_by_role("group", name="職位")
    for label in ("部長", "次長", "課長", "課長補佐", "係長", "主査", "主任", "主事"):
        positions.get_by_label(label, exact=True).check(force=True)  # reachable: not scrolled away
    choices = positions.locator(".choices")

    with page.expect_navigation():
        page.get_by_role("button", name="検索する").click()
    assert page.locator(".people-count").inner_text() == "2人"
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: the table is squeezed
    table = page.locator("#search-results")
    names = table.locator("tbody th a")
    dates = table.locator("tbody td.nowrap")
    assert dates.count() == 2
    lines = names.evaluate_all(LINES) + dates.evaluate_all(LINES)
    lines += page.locator("main .button").evaluate_all(LINES)
    assert [text for text, count in lines if count != 1] == []
    assert {text for text, _ in lines} >= {"髙橋 信也", "𠮷田 花子", "1977年8月2日", "検索する"}
