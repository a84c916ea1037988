"""The 研修 API: programmes and cohorts, 手挙げ / 推薦 / 指名 / 承認 / 却下 / 取消, 404 out of
scope, and no POST of another 団体's user changes anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.training.models import Enrollment, EnrollmentStatus
from hagukumi.training.tests.test_enrolment import QUOTA_FULL, World, build_world

pytestmark = pytest.mark.django_db

BASE = "/api/v1/training"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _user(organization: Any, role: str, unit: Any = None) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    return user


@pytest.fixture
def world(organization: Any) -> World:
    return build_world(organization)


def _head(world: World, unit: str) -> Client:
    return _client(world.head_0101.user if unit == "0101" else world.head_0201.user)


def test_programmes_and_cohorts(world: World) -> None:
    world.staff("000001", "0101", with_user=True)
    staff = _client(world.users["000001"])
    programs = {p["code"]: p for p in staff.get(f"{BASE}/programs").json()}
    sapporo = programs["sapporo-dx-leader"]
    assert sapporo["required_hours"] in ("38.00", 38, "38")
    assert float(sapporo["required_hours"]) == 38
    assert sapporo["in_person_sessions"] == 10
    assert [p["period"] for p in sapporo["phases"]][:2] == ["～7月", "7～8月"]
    assert sapporo["phases"][3]["group_size_min"] == 5
    assert (
        staff.get(f"{BASE}/programs/{world.sapporo.pk}").json()["talent_type_name"]
        == "②DX推進リーダー"
    )
    cohorts = staff.get(f"{BASE}/cohorts?status=recruiting").json()
    assert {c["id"] for c in cohorts} == {world.leader_cohort.pk, world.promoter_cohort.pk}
    promoter = staff.get(f"{BASE}/cohorts/{world.promoter_cohort.pk}").json()
    assert [q["max_per_unit"] for q in promoter["quotas"]] == [1, None]
    assert promoter["seated"] == 0


@pytest.mark.parametrize("path", ["programs", "cohorts", "enrollments/mine"])
def test_prefecture_support_gets_404(world: World, path: str) -> None:
    prefecture = OrganizationFactory(kind="prefecture")
    response = _client(_user(prefecture, Role.PREFECTURE_SUPPORT)).get(f"{BASE}/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。"}


def test_other_organization_gets_404_on_objects(world: World) -> None:
    outsider = _client(_user(OrganizationFactory(), Role.DX_OFFICE))
    for path in (
        f"programs/{world.sapporo.pk}",
        f"cohorts/{world.leader_cohort.pk}",
        f"cohorts/{world.leader_cohort.pk}/enrollments",
    ):
        assert outsider.get(f"{BASE}/{path}").status_code == 404, path
    assert outsider.get(f"{BASE}/programs").json() == []


def test_apply_approve_and_cancel(world: World) -> None:
    world.staff("000002", "010101", with_user=True)
    me = _client(world.users["000002"])
    response = me.post(f"{BASE}/cohorts/{world.leader_cohort.pk}/apply")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["channel"], body["status"]) == ("volunteer", "applied")
    again = me.post(f"{BASE}/cohorts/{world.leader_cohort.pk}/apply")
    assert again.status_code == 400
    assert "既に" in again.json()["detail"]
    enrollment_id = body["id"]
    assert (
        _head(world, "0201").post(f"{BASE}/enrollments/{enrollment_id}/approve").status_code == 404
    )
    approved = _head(world, "0101").post(f"{BASE}/enrollments/{enrollment_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [e["id"] for e in me.get(f"{BASE}/enrollments/mine").json()] == [enrollment_id]
    cancelled = me.post(
        f"{BASE}/enrollments/{enrollment_id}/cancel",
        data={"reason": "業務都合"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["reason"] == "業務都合"


def test_recommend_within_the_quota_and_the_unit(world: World) -> None:
    a = world.staff("000003", "010101")
    b = world.staff("000004", "0101")
    outside = world.staff("000005", "0102")
    head = _head(world, "0101")
    url = f"{BASE}/cohorts/{world.promoter_cohort.pk}/recommend"
    first = head.post(url, data={"staff_id": a.pk}, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["quota_unit"] == "人事課"
    second = head.post(url, data={"staff_id": b.pk}, content_type="application/json")
    assert second.status_code == 400
    assert second.json()["detail"] == QUOTA_FULL
    assert (
        head.post(url, data={"staff_id": outside.pk}, content_type="application/json").status_code
        == 404
    )
    listed = head.get(f"{BASE}/cohorts/{world.promoter_cohort.pk}/recommendable").json()
    assert {r["staff_number"]: r["can_recommend"] for r in listed["rows"]} == {
        "000003": False,
        "000004": False,
    }
    assert listed["quota_label"] == "①推薦枠：各所属1名（毎年度新規）"
    enrollments = head.get(f"{BASE}/cohorts/{world.promoter_cohort.pk}/enrollments").json()
    assert [e["staff_number"] for e in enrollments] == ["000003"]


def test_appoint_and_reject_by_the_dx_office(world: World) -> None:
    staff = world.staff("000006", "0201")
    dx = _client(world.dx.user)
    appointed = dx.post(
        f"{BASE}/cohorts/{world.leader_cohort.pk}/appoint",
        data={"staff_id": staff.pk},
        content_type="application/json",
    )
    assert appointed.status_code == 200
    enrollment_id = appointed.json()["id"]
    no_reason = dx.post(
        f"{BASE}/enrollments/{enrollment_id}/reject", data={}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    rejected = dx.post(
        f"{BASE}/enrollments/{enrollment_id}/reject",
        data={"reason": "対象外"},
        content_type="application/json",
    )
    assert rejected.json()["status"] == "rejected"
    # The unit head may not appoint: 404.
    assert (
        _head(world, "0201")
        .post(
            f"{BASE}/cohorts/{world.leader_cohort.pk}/appoint",
            data={"staff_id": staff.pk},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_no_post_of_another_organization_changes_anything(world: World) -> None:
    staff = world.staff("000007", "0101", with_user=True)
    applied = Enrollment.objects.create(
        organization=world.organization,
        staff=staff,
        cohort=world.leader_cohort,
        fiscal_year=2025,
        channel="volunteer",
        status=EnrollmentStatus.APPLIED,
        requested_at="2025-05-01T09:00:00+09:00",
    )
    other = OrganizationFactory()
    user = UserFactory()
    for role in Role.values:
        MembershipFactory(
            user=user,
            organization=other,
            role=role,
            unit=None if role != Role.UNIT_HEAD else world.units["0101"],
        )
    outsider = _client(user)
    json = {"content_type": "application/json"}
    posts = [
        (f"cohorts/{world.leader_cohort.pk}/apply", {}),
        (f"cohorts/{world.promoter_cohort.pk}/recommend", {"staff_id": staff.pk}),
        (f"cohorts/{world.leader_cohort.pk}/appoint", {"staff_id": staff.pk}),
        (f"enrollments/{applied.pk}/approve", {}),
        (f"enrollments/{applied.pk}/reject", {"reason": "x"}),
        (f"enrollments/{applied.pk}/cancel", {"reason": "x"}),
    ]
    before = list(Enrollment.objects.values_list("id", "status").order_by("id"))
    for path, data in posts:
        response = outsider.post(f"{BASE}/{path}", data=data, **json)
        assert response.status_code == 404, (path, response.content)
    assert list(Enrollment.objects.values_list("id", "status").order_by("id")) == before


def test_the_openapi_document_describes_the_training_endpoints(user_with_role: Any) -> None:
    response = _client(user_with_role(Role.DX_OFFICE)).get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/training/programs",
        "/api/v1/training/cohorts/{cohort_id}/recommend",
        "/api/v1/training/enrollments/{enrollment_id}/approve",
    ):
        assert path in paths, path


def test_cancel_needs_no_body(world: World) -> None:
    world.staff("000008", "0201", with_user=True)
    me = _client(world.users["000008"])
    enrollment_id = me.post(f"{BASE}/cohorts/{world.leader_cohort.pk}/apply").json()["id"]
    response = me.post(
        f"{BASE}/enrollments/{enrollment_id}/cancel", content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
