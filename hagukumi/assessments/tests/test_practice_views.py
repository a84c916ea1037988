"""実践記録 pages: create, a bad period, 「確認する」 by the 所属長, 404 for others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.assessments.models import PracticeRecord, PracticeStatus
from hagukumi.assessments.tests.factories import PracticeRecordFactory
from hagukumi.assessments.views import practice
from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(practice, "_now", lambda: NOW)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    organization = OrganizationFactory()
    unit = UnitFactory(organization=organization)
    other_unit = UnitFactory(organization=organization)
    author = UserFactory()
    MembershipFactory(user=author, organization=organization, role=Role.STAFF)
    staff = StaffFactory(organization=organization, unit=unit, user=author)
    head = UserFactory()
    MembershipFactory(user=head, organization=organization, role=Role.UNIT_HEAD, unit=unit)
    other_head = UserFactory()
    MembershipFactory(
        user=other_head, organization=organization, role=Role.UNIT_HEAD, unit=other_unit
    )
    return {
        "organization": organization,
        "staff": staff,
        "author": _client(author),
        "head": _client(head),
        "other_head": _client(other_head),
    }


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "申請受付の業務アプリ化",
        "period_start": "2026-04",
        "period_end": "2026-09",
        "as_is": "紙とExcelで管理",
        "to_be": "業務アプリで受付から集計まで",
        "result": "約10時間/月の削減",
        "evidence_url": "https://example.jp/app/1",
        "action": "save",
    }
    data.update(overrides)
    return data


def _submitted(world: dict[str, Any]) -> PracticeRecord:
    record: Any = PracticeRecordFactory(
        organization=world["organization"], staff=world["staff"], status=PracticeStatus.SUBMITTED
    )
    return record


def test_staff_creates_a_record_with_a_link(world: dict[str, Any]) -> None:
    response = world["author"].post(reverse("assessments:practice_new"), _form())
    record = PracticeRecord.objects.get(staff=world["staff"])
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:practice_edit", kwargs={"pk": record.pk})
    assert (record.period_start, record.period_end) == (dt.date(2026, 4, 1), dt.date(2026, 9, 1))
    assert record.status == PracticeStatus.DRAFT
    assert [e.url for e in record.evidence.all()] == ["https://example.jp/app/1"]
    listing = world["author"].get(reverse("assessments:practice_list")).content.decode()
    assert "申請受付の業務アプリ化" in listing


def test_submit_from_the_edit_form(world: dict[str, Any]) -> None:
    record: Any = PracticeRecordFactory(organization=world["organization"], staff=world["staff"])
    url = reverse("assessments:practice_edit", kwargs={"pk": record.pk})
    response = world["author"].post(url, _form(title="改題", action="submit", evidence_url=""))
    record.refresh_from_db()
    assert response.status_code == 302
    assert (record.title, record.status) == ("改題", PracticeStatus.SUBMITTED)


def test_period_ending_before_it_starts_is_refused_in_the_summary(world: dict[str, Any]) -> None:
    response = world["author"].post(
        reverse("assessments:practice_new"), _form(period_start="2026-09", period_end="2026-04")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    assert "終了月（令和8年4月）が開始月（令和8年9月）より前です" in html
    assert not PracticeRecord.objects.filter(staff=world["staff"]).exists()


def test_head_confirms_after_a_confirmation_page(world: dict[str, Any]) -> None:
    record = _submitted(world)
    url = reverse("assessments:practice_confirm", kwargs={"pk": record.pk})
    listing = world["head"].get(reverse("assessments:practice_list")).content.decode()
    assert url in listing  # awaiting their confirmation
    page = world["head"].get(url)
    assert page.status_code == 200
    assert 'name="confirm" value="yes"' in page.content.decode()
    world["head"].post(url)  # no confirm=yes: the page again, nothing changes
    record.refresh_from_db()
    assert record.status == PracticeStatus.SUBMITTED
    response = world["head"].post(url, {"confirm": "yes"})
    record.refresh_from_db()
    assert response.status_code == 302
    assert record.status == PracticeStatus.CONFIRMED
    assert record.confirmed_at == NOW


def test_another_head_and_the_author_get_404(world: dict[str, Any]) -> None:
    record = _submitted(world)
    url = reverse("assessments:practice_confirm", kwargs={"pk": record.pk})
    assert world["other_head"].get(url).status_code == 404
    assert world["other_head"].post(url, {"confirm": "yes"}).status_code == 404
    assert world["author"].post(url, {"confirm": "yes"}).status_code == 404
    record.refresh_from_db()
    assert record.status == PracticeStatus.SUBMITTED


def test_another_organization_changes_nothing(world: dict[str, Any]) -> None:
    record: Any = PracticeRecordFactory(organization=world["organization"], staff=world["staff"])
    outsider = UserFactory()
    other = OrganizationFactory()
    for role in (Role.STAFF, Role.DX_OFFICE, Role.HR):
        MembershipFactory(user=outsider, organization=other, role=role)
    MembershipFactory(
        user=outsider, organization=other, role=Role.UNIT_HEAD, unit=UnitFactory(organization=other)
    )
    client = _client(outsider)
    edit = reverse("assessments:practice_edit", kwargs={"pk": record.pk})
    confirm = reverse("assessments:practice_confirm", kwargs={"pk": record.pk})
    assert client.post(edit, _form(title="乗っ取り")).status_code == 404
    assert client.post(confirm, {"confirm": "yes"}).status_code == 404
    record.refresh_from_db()
    assert record.title != "乗っ取り"
    assert record.status == PracticeStatus.DRAFT
    assert not record.evidence.exists()


def test_user_without_staff_record_is_sent_to_the_list(world: dict[str, Any]) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=world["organization"], role=Role.STAFF)
    response = _client(user).post(reverse("assessments:practice_new"), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:practice_list")
    assert not PracticeRecord.objects.exists()
