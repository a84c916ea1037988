"""庁内公募: 採用/不採用 only after a confirmation page (no JavaScript needed), and who
sees the applicants of a DX推進枠 (DX推進担当: 氏名・所属・志望動機, never 所属長意見;
人事担当 decides, and the page says so)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.models import Role
from hagukumi.core.tenancy import actor_for
from hagukumi.people.models import (
    ApplicationStatus,
    Designation,
    JobApplication,
    JobChallenge,
    JobChallengeKind,
)
from hagukumi.people.selectors import job_applications_for
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

HR_DECIDES = "応募者の選考（採用・不採用）は人事担当が行います。"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _posting(organization: Any, unit: Any, kind: str = JobChallengeKind.DX_QUOTA) -> JobChallenge:
    today = timezone.localdate()
    return JobChallenge.objects.create(
        organization=organization,
        kind=kind,
        title="DX推進枠 行政DX支援",
        unit=unit,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        fiscal_year=2026,
    )


@pytest.fixture
def application(organization, tree):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"], name="髙橋 一郎")
    return JobApplication.objects.create(
        challenge=_posting(organization, tree["0201"]),
        staff=staff,
        motivation="窓口のDXに挑戦したい",
        head_opinion="推薦します（本人には見せない）",
    )


def test_deciding_asks_first_and_acts_only_on_confirm(application, user_with_role):  # type: ignore[no-untyped-def]
    hr = _client(user_with_role(Role.HR))
    detail = reverse("people:challenge_detail", kwargs={"pk": application.challenge_id})
    decide = reverse("people:application_decide", kwargs={"pk": application.pk})
    page = hr.get(detail).content.decode()
    assert f'action="{decide}"' in page
    assert 'method="get"' in page  # the buttons open the confirmation page
    confirm = hr.get(decide, {"decision": "accept"})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "髙橋 一郎さんを採用にします" in text
    assert "決定は取り消せません" in text
    assert 'name="confirm" value="yes"' in text
    assert 'name="decision" value="accept"' in text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED  # a GET changes nothing
    # A POST without confirm (an old page, a resubmitted form) shows the page again.
    again = hr.post(decide, {"decision": "accept"})
    assert again.status_code == 200
    assert "髙橋 一郎さんを採用にします" in again.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    done = hr.post(decide, {"decision": "accept", "confirm": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_rejecting_is_confirmed_too(application, user_with_role):  # type: ignore[no-untyped-def]
    hr = _client(user_with_role(Role.HR))
    decide = reverse("people:application_decide", kwargs={"pk": application.pk})
    text = hr.get(decide, {"decision": "reject"}).content.decode()
    assert "髙橋 一郎さんを不採用にします" in text
    assert ">不採用にする</button>" in text
    hr.post(decide, {"decision": "reject", "confirm": "yes"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not Designation.objects.exists()
    # Once decided, the confirmation page is not offered again.
    response = hr.get(decide, {"decision": "accept"})
    assert response.status_code == 302


def test_confirmation_page_without_a_decision_goes_back(application, user_with_role):  # type: ignore[no-untyped-def]
    hr = _client(user_with_role(Role.HR))
    decide = reverse("people:application_decide", kwargs={"pk": application.pk})
    response = hr.get(decide)
    assert response.status_code == 302
    assert response.url == reverse(
        "people:challenge_detail", kwargs={"pk": application.challenge_id}
    )


def test_only_hr_reaches_the_confirmation(application, user_with_role):  # type: ignore[no-untyped-def]
    dx = _client(user_with_role(Role.DX_OFFICE))
    decide = reverse("people:application_decide", kwargs={"pk": application.pk})
    assert dx.get(decide, {"decision": "accept"}).status_code == 404
    assert dx.post(decide, {"decision": "accept", "confirm": "yes"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_dx_office_sees_the_applicants_of_a_dx_quota(application, organization, user_with_role):  # type: ignore[no-untyped-def]
    dx_user = user_with_role(Role.DX_OFFICE)
    rows = job_applications_for(
        actor=actor_for(dx_user, organization.pk), challenge=application.challenge
    )
    assert [(r["name"], r["unit"], r["motivation"]) for r in rows] == [
        ("髙橋 一郎", "人事課", "窓口のDXに挑戦したい")
    ]
    assert "head_opinion" not in rows[0]  # 所属長意見 is for 人事担当 and the 所属長
    page = _client(dx_user).get(
        reverse("people:challenge_detail", kwargs={"pk": application.challenge_id})
    )
    text = page.content.decode()
    assert "髙橋 一郎" in text
    assert "窓口のDXに挑戦したい" in text
    assert "推薦します" not in text
    assert HR_DECIDES in text
    assert "採用にする" not in text  # no decision buttons for DX推進担当


def test_hr_sees_everything_and_is_not_told_someone_else_decides(application, user_with_role):  # type: ignore[no-untyped-def]
    page = _client(user_with_role(Role.HR)).get(
        reverse("people:challenge_detail", kwargs={"pk": application.challenge_id})
    )
    text = page.content.decode()
    assert "髙橋 一郎" in text
    assert "推薦します" in text
    assert HR_DECIDES not in text


def test_dx_office_is_told_who_sees_the_applicants_of_other_postings(  # type: ignore[no-untyped-def]
    organization, tree, user_with_role
):
    posting = _posting(organization, tree["0201"], kind=JobChallengeKind.JOB_CHALLENGE)
    JobApplication.objects.create(
        challenge=posting,
        staff=StaffFactory(organization=organization, unit=tree["0101"], name="山﨑 二郎"),
        motivation="異動したい",
    )
    dx_user = user_with_role(Role.DX_OFFICE)
    assert job_applications_for(actor=actor_for(dx_user, organization.pk), challenge=posting) == []
    text = (
        _client(dx_user)
        .get(reverse("people:challenge_detail", kwargs={"pk": posting.pk}))
        .content.decode()
    )
    assert "山﨑 二郎" not in text
    assert "応募者は人事担当と応募者の所属長が確認します。" in text
