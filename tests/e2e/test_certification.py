"""認定 in a real browser: the DX推進担当 opens the candidates page (the demo's shape: one
member without 成果発表, one with 事務局 mean 2.43), sees the two reasons, certifies one
member who meets the rule, and opens the certificate. The page guard runs axe-core on
every page and fails on outside requests and console errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hagukumi.assessments.models import Certificate
from hagukumi.core.models import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def certification_world(transactional_db: Any, organization: Any) -> Any:
    from hagukumi.assessments.tests.certification_world import add_member, build_world

    world = build_world(organization)
    add_member(world, number="000001", name="青木 一郎")
    add_member(world, number="000002", name="石井 二郎", skip=("成果発表",))
    add_member(world, number="000003", name="上田 三郎", office_values=(3, 3, 2, 2, 3, 2, 2))
    add_member(world, number="000004", name="𠮷田 四郎")
    return world


def test_candidates_certify_and_certificate(
    page: Any, login_as: Any, organization: Any, certification_world: Any
) -> None:
    login_as(Role.DX_OFFICE, org=organization)
    page.goto(reverse("assessments:candidates") + "?talent_type=dx-leader&fiscal_year=2025")
    assert page.get_by_role("heading", level=1).inner_text() == "認定候補"
    missing = page.locator("#missing")
    assert "成果発表 未修了" in missing.inner_text()
    assert "アセスメント 2.4 < 3.0" in missing.inner_text()
    assert "石井 二郎" in missing.inner_text()
    assert "上田 三郎" in missing.inner_text()
    assert "基準を満たす職員（2名）" in page.locator("#meets-heading").inner_text()

    page.get_by_label("000001 青木 一郎 を選ぶ").check()
    with page.expect_navigation():
        page.get_by_role("button", name="認定する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "認定の確認"
    assert "000001 青木 一郎" in page.locator("#certify-list").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="認定する").click()

    certificate = Certificate.objects.get(staff__number="000001")
    assert page.url.endswith(reverse("assessments:certificate", kwargs={"pk": certificate.pk}))
    assert "青木 一郎" in page.content()
