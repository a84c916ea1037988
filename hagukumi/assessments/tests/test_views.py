"""assessments pages: sheets, the assessment form, the heatmap, candidates and 「認定する」."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.assessments.models import Assessment, Certificate
from hagukumi.assessments.tests.certification_world import World, add_member, build_world
from hagukumi.assessments.views import pages
from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Designation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 27)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "_now", lambda: dt.datetime(2026, 3, 27, 10, 0, tzinfo=dt.UTC))


def _client(organization: Any, *roles: str) -> Client:
    user = UserFactory()
    for role in roles:
        MembershipFactory(user=user, organization=organization, role=role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> World:
    w = build_world()
    add_member(w, number="000001", name="青木 一郎")
    add_member(w, number="000002", name="石井 二郎", skip=("成果発表",))
    add_member(w, number="000003", name="上田 三郎", office_values=(3, 3, 2, 2, 3, 2, 2))
    return w


def _candidates_url(fiscal_year: int = 2025) -> str:
    return reverse("assessments:candidates") + f"?talent_type=dx-leader&fiscal_year={fiscal_year}"


def test_sheet_list_and_detail(world: World) -> None:
    client = _client(world.organization, Role.DX_OFFICE)
    html = client.get(reverse("assessments:sheets")).content.decode()
    assert world.sheet.title in html
    detail = client.get(reverse("assessments:sheet", kwargs={"pk": world.sheet.pk}))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert reverse("assessments:heatmap", kwargs={"window_pk": world.window.pk}) in body
    assert world.sheet.items.first().text in body


def test_candidates_page_shows_meets_and_reasons(world: World) -> None:
    response = _client(world.organization, Role.DX_OFFICE).get(_candidates_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "基準を満たす職員（1名）" in html
    assert "基準を満たさない職員（2名）" in html
    assert "成果発表 未修了" in html
    assert "アセスメント 2.4 &lt; 3.0" in html
    assert "成果発表（第2期）" in html  # next_chance
    assert 'name="staff"' in html


def test_hr_reads_candidates_without_certify_button(world: World) -> None:
    html = _client(world.organization, Role.HR).get(_candidates_url()).content.decode()
    assert "成果発表 未修了" in html
    assert 'name="staff"' not in html


def test_certify_asks_for_confirmation_then_certifies(world: World) -> None:
    client = _client(world.organization, Role.DX_OFFICE)
    meets = world.members[0]
    data = {"talent_type": "dx-leader", "fiscal_year": "2025", "staff": [str(meets.pk)]}
    confirm = client.post(reverse("assessments:certify"), data)
    assert confirm.status_code == 200
    assert "認定の確認" in confirm.content.decode()
    assert not Certificate.objects.exists()
    done = client.post(reverse("assessments:certify"), {**data, "confirm": "yes"})
    certificate = Certificate.objects.get(staff=meets)
    assert done.status_code == 302
    assert done["Location"] == reverse("assessments:certificate", kwargs={"pk": certificate.pk})
    assert Designation.objects.get(staff=meets).status == "certified"


def test_certify_refuses_someone_who_does_not_meet(world: World) -> None:
    client = _client(world.organization, Role.DX_OFFICE)
    lacking = world.members[1]
    data = {"talent_type": "dx-leader", "fiscal_year": "2025", "staff": [str(lacking.pk)]}
    response = client.post(reverse("assessments:certify"), {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_certify_by_another_organization_changes_nothing(world: World) -> None:
    outsider = _client(OrganizationFactory(), Role.DX_OFFICE, Role.HR)
    data = {
        "talent_type": "dx-leader",
        "fiscal_year": "2025",
        "staff": [str(world.members[0].pk)],
        "confirm": "yes",
    }
    outsider.post(reverse("assessments:certify"), data)
    assert not Certificate.objects.exists()
    assert not Designation.objects.filter(staff=world.members[0], status="certified").exists()


def test_assessment_form_post_by_another_organization_is_404(world: World) -> None:
    outsider = _client(OrganizationFactory(), Role.DX_OFFICE, Role.HR)
    staff = world.members[0]
    url = reverse(
        "assessments:assessment_form",
        kwargs={"window_pk": world.window.pk, "staff_pk": staff.pk, "kind": "office"},
    )
    before = Assessment.objects.count()
    response = outsider.post(url, {"action": "submit"})
    assert response.status_code == 404
    assert Assessment.objects.count() == before


def test_office_form_saves_within_the_window(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "_today", lambda: dt.date(2025, 10, 15))
    staff = add_member(world, number="000009", name="岡田 九郎", office_values=None)
    client = _client(world.organization, Role.DX_OFFICE)
    url = reverse(
        "assessments:assessment_form",
        kwargs={"window_pk": world.window.pk, "staff_pk": staff.pk, "kind": "office"},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "スキルの根拠" in page.content.decode()
    codes = list(world.sheet.items.order_by("order").values_list("competency_code", flat=True))
    response = client.post(url, {"action": "submit", **{f"item_{c}": "4" for c in codes}})
    assert response.status_code == 302
    assessment = Assessment.objects.get(staff=staff, kind="office")
    assert assessment.submitted_at is not None
    bad = add_member(world, number="000010", office_values=None)
    url = url.replace(f"/staff/{staff.pk}/", f"/staff/{bad.pk}/")
    response = client.post(url, {"action": "submit", f"item_{codes[0]}": "9"})
    assert response.status_code == 400
    assert not Assessment.objects.filter(staff=bad).exists()


def test_heatmap_is_a_table_with_counts(world: World) -> None:
    client = _client(world.organization, Role.DX_OFFICE)
    response = client.get(reverse("assessments:heatmap", kwargs={"window_pk": world.window.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table class="table heatmap"' in html
    assert "data-shade=" in html
    assert "平均" in html
