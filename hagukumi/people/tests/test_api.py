"""The 職員 API: visible fields only, 400 for hidden filters, 404 out of scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hagukumi.core.models import Role
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import JobChallenge, JobChallengeKind
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_search_and_paging(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    for i in range(3):
        StaffFactory(organization=organization, unit=tree["0101"], name=f"職員{i}")
    body = _client(user_with_role(Role.DX_OFFICE)).get("/api/v1/staff/?limit=2").json()
    assert body["total"] == 3
    assert len(body["results"]) == 2
    assert "birth_date" not in body["columns"]
    assert all("evaluation_notes" not in row for row in body["results"])


def test_hidden_filter_is_400_and_unknown_filter_is_400(user_with_role, tree):  # type: ignore[no-untyped-def]
    dx = _client(user_with_role(Role.DX_OFFICE))
    response = dx.get("/api/v1/staff/?born_from=1980-01-01")
    assert response.status_code == 400
    assert response.json()["field"] == "born_from"
    assert dx.get("/api/v1/staff/?no_such=1").status_code == 400


def test_unit_head_sees_unit_and_below_only(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    inside = StaffFactory(organization=organization, unit=tree["010101"])
    outside = StaffFactory(organization=organization, unit=tree["0201"])
    head = _client(user_with_role(Role.UNIT_HEAD, unit=tree["0101"]))
    ids = {row["id"] for row in head.get("/api/v1/staff/").json()["results"]}
    assert ids == {inside.pk}
    assert head.get(f"/api/v1/staff/{outside.pk}/").status_code == 404
    assert "birth_date" not in head.get(f"/api/v1/staff/{inside.pk}/").json()


@pytest.mark.parametrize("path", ["staff/", "designations/", "qualifications/", "job-challenges/"])
def test_prefecture_support_gets_404(path, user_with_role):  # type: ignore[no-untyped-def]
    prefecture = OrganizationFactory(kind="prefecture")
    client = _client(user_with_role(Role.PREFECTURE_SUPPORT, org=prefecture))
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。"}


def test_other_organization_staff_is_404(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    outsider = _client(user_with_role(Role.HR, org=OrganizationFactory()))
    assert outsider.get(f"/api/v1/staff/{staff.pk}/").status_code == 404


def test_catalogue_challenges_leaders_designations(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.DX_QUOTA,
        title="DX推進枠",
        unit=tree["0201"],
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
        fiscal_year=2026,
    )
    staff = _client(user_with_role(Role.STAFF))
    catalogue = staff.get("/api/v1/qualifications/").json()
    passport = next(q for q in catalogue if q["code"] == "it-passport")
    assert passport["itss_level"] == 1
    challenges = staff.get("/api/v1/job-challenges/").json()
    assert [c["title"] for c in challenges] == ["DX推進枠"]
    assert challenges[0]["is_open"] is True
    assert staff.get("/api/v1/leaders/").json() == []
    assert staff.get("/api/v1/designations/").status_code == 404  # 職員: no list
    hr = _client(user_with_role(Role.HR))
    assert hr.get("/api/v1/designations/").json() == []
