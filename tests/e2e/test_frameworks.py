"""人材育成フレームワーク in a real browser: adopt a template → edit the draft → publish →
new draft → diff. The page guard also fails the test on an outside request, a serious
axe-core violation or a console error."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.frameworks.models import Framework, VersionStatus

pytestmark = pytest.mark.e2e


@pytest.fixture
def templates(transactional_db: Any) -> None:
    """The six shipped templates, as `hagukumi load_framework_templates` loads them."""
    from hagukumi.core.tenancy import Actor
    from hagukumi.frameworks.services import framework_templates_load

    framework_templates_load(actor=Actor.system())


# Chromium names a link "段階を追加 （新任職員）": a space before the visually hidden span.


def save_form(page: Any, fields: dict[str, str], button: str = "保存する") -> None:
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_adopt_edit_publish_and_diff(
    page: Any, page_guard: Any, login_as: Any, organization: Any, templates: None
) -> None:
    login_as(Role.DX_OFFICE, org=organization)

    page.goto(reverse("frameworks:index"))
    assert page.get_by_role("heading", level=1).inner_text() == "人材育成フレームワーク"
    page.get_by_role("link", name="テンプレートを採用する").click()
    page.get_by_label("テンプレート").select_option("sapporo")
    with page.expect_navigation():
        page.get_by_role("button", name="採用する").click()
    assert "下書きの編集" in page.get_by_role("heading", level=1).inner_text()
    assert "テンプレート「" in page.locator(".notice").first.inner_text()

    # A talent type with two levels; the second moved up with htmx.
    page.get_by_role("link", name="人材類型を追加する").click()
    page.get_by_label("ガイドブックの類型").select_option("general-staff")
    save_form(page, {"人材類型のコード": "newcomer", "名称": "新任職員"})
    for code, name in [("first", "はじめの段階"), ("second", "つぎの段階")]:
        page.get_by_role("link", name="段階を追加 （新任職員）").click()
        save_form(page, {"段階のコード": code, "名称": name})
    levels = page.locator("#levels-newcomer")
    levels.get_by_role("button", name="上へ （つぎの段階）").click()
    page.wait_for_function(
        "() => document.querySelector('#levels-newcomer tbody tr th')"
        ".textContent.includes('つぎの段階')"
    )
    page_guard.check_accessibility()

    # A form error is shown with the field and refused.
    page.get_by_role("link", name="人材類型を追加する").click()
    save_form(page, {"人材類型のコード": "newcomer", "名称": "重複"})
    assert "重複しています" in page.locator(".error-summary").inner_text()
    page.get_by_role("link", name="キャンセル").click()

    # Publishing asks first: a published version cannot be changed.
    framework = Framework.objects.get(owner=organization, code="sapporo")
    with page.expect_navigation():
        page.get_by_role("link", name="v1 を公開する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "v1 を公開しますか"
    assert "公開した版は変更できません" in page.locator(".notice").first.inner_text()
    assert framework.versions.get(number=1).status == VersionStatus.DRAFT
    with page.expect_navigation():
        page.get_by_role("button", name="v1 を公開する").click()
    assert "v1 を公開しました" in page.locator(".notice").first.inner_text()
    assert framework.versions.get(number=1).status == VersionStatus.PUBLISHED
    assert "新任職員" in page.locator("main").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="新しい下書きを作成する").click()
    page.get_by_role("link", name="人材類型を変更 （新任職員）").click()
    save_form(page, {"名称": "新規採用職員"})
    page.get_by_role("link", name="公開版との違いを見る").click()

    main = page.locator("main").inner_text()
    assert "v1 → v2 の違い" in main
    changed = page.locator("tr[data-kind='changed']").first.inner_text()
    assert "新任職員" in changed
    assert "新規採用職員" in changed


def test_skill_map_buttons_have_room_between_them(
    page: Any, page_guard: Any, login_as: Any, organization: Any
) -> None:
    from hagukumi.frameworks.tests.route_kwargs import framework_with_draft

    framework = framework_with_draft(organization)
    login_as(Role.DX_OFFICE, org=organization)
    page.goto(reverse("frameworks:skill_map", args=[framework.pk]))
    buttons = [
        page.get_by_role("button", name="この版を表示"),
        page.get_by_role("link", name="Excel（xlsx）でダウンロード"),
        page.get_by_role("link", name="ファイルから取り込む"),
    ]
    boxes = [b.bounding_box() for b in buttons]
    assert None not in boxes
    for one, other in itertools.pairwise(boxes):
        # The gap between two boxes: horizontal or vertical, whichever separates them.
        gap_x = max(other["x"] - one["x"] - one["width"], one["x"] - other["x"] - other["width"])
        gap_y = max(other["y"] - one["y"] - one["height"], one["y"] - other["y"] - other["height"])
        assert max(gap_x, gap_y) >= 8, (one, other)
