"""GET /api/v1/certification/candidates: the same JSON as the command, 404 out of scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hagukumi.assessments.tests.certification_world import add_member, build_world
from hagukumi.core.models import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/certification/candidates"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(organization):  # type: ignore[no-untyped-def]
    world = build_world(organization)
    add_member(world, number="000002", skip=["成果発表"])
    add_member(world, number="000001")
    return world


def test_candidates_for_the_office_and_hr(world, user_with_role) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.DX_OFFICE, Role.HR):
        response = _client(user_with_role(role)).get(
            URL, {"talent_type": "dx-leader", "fiscal_year": "令和7年度"}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["fiscal_year"] == 2025
        assert body["organization_code"] == world.organization.code
        assert [m["staff_no"] for m in body["meets"]] == ["000001"]
        (missing,) = body["missing"]
        assert missing["reasons"][0]["message"] == "成果発表 未修了"
        assert set(missing["reasons"][0]) == {
            "clause",
            "message",
            "current",
            "required",
            "source",
            "as_of",
            "next_chance",
        }


def test_other_roles_and_organizations_get_404(world, user_with_role) -> None:  # type: ignore[no-untyped-def]
    other = build_world()
    for user in (
        user_with_role(Role.UNIT_HEAD),
        user_with_role(Role.STAFF),
        user_with_role(Role.PREFECTURE_SUPPORT),
    ):
        response = _client(user).get(URL, {"talent_type": "dx-leader", "fiscal_year": "2025"})
        assert response.status_code == 404
    outsider = _client(user_with_role(Role.DX_OFFICE, org=other.organization))
    body = outsider.get(URL, {"talent_type": "dx-leader", "fiscal_year": "2025"}).json()
    assert body["meets"] == []
    assert body["missing"] == []


def test_bad_input_is_400_in_japanese(world, user_with_role) -> None:  # type: ignore[no-untyped-def]
    client = _client(user_with_role(Role.DX_OFFICE))
    response = client.get(URL, {"talent_type": "dx-leader", "fiscal_year": "来年"})
    assert response.status_code == 400
    assert "年度" in response.json()["detail"]
    response = client.get(URL, {"talent_type": "nope", "fiscal_year": "2025"})
    assert response.status_code == 400
    assert "nope" in response.json()["detail"]


def test_anonymous_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(URL, {"talent_type": "dx-leader"}).status_code == 401
