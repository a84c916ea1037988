"""The JSON API shell: session auth with CSRF, /api/v1/me, OpenAPI and the offline docs."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from ninja.errors import HttpError
from ninja.security import SessionAuth

from hagukumi.api import api
from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_every_operation_needs_a_session_with_csrf() -> None:
    assert api.auth is not None
    [auth] = api.auth  # type: ignore[misc]
    assert isinstance(auth, SessionAuth)
    assert auth.csrf is True


def test_me_without_login_is_401(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_me_returns_user_organization_and_roles(client) -> None:  # type: ignore[no-untyped-def]
    org = OrganizationFactory(name="デモ市", is_demo=True, code=None)
    user = UserFactory(username="hanako", display_name="山田 花子")
    MembershipFactory(user=user, organization=org, role=Role.STAFF)
    MembershipFactory(user=user, organization=org, role=Role.HR)
    client.force_login(user)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "username": "hanako",
        "display_name": "山田 花子",
        "organization": {
            "id": org.pk,
            "code": None,
            "name": "デモ市",
            "full_name": "デモ市",
            "is_demo": True,
        },
        "roles": [{"value": "hr", "label": "人事担当"}, {"value": "staff", "label": "職員"}],
    }


def test_me_for_a_user_without_any_organization(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="lonely"))

    body = client.get("/api/v1/me").json()

    assert body["organization"] is None
    assert body["roles"] == []


def test_unsafe_request_without_csrf_token_is_refused_by_the_session_auth() -> None:
    request = RequestFactory().post("/api/v1/anything", data={})
    request.user = UserFactory()
    request._dont_enforce_csrf_checks = False  # type: ignore[attr-defined]
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "some-session"
    [auth] = api.auth  # type: ignore[misc]

    with pytest.raises(HttpError) as refused:
        auth(request)

    assert refused.value.status_code == 403


def test_openapi_document_lists_me(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "はぐくみ API"
    assert "/api/v1/me" in schema["paths"]


def test_docs_page_uses_only_local_files_and_no_inline_script(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "cdn" not in html.lower()
    assert not re.search(r"(src|href)=\"https?://", html)
    # Every <script> is either external (src) or inert JSON: the CSP needs no exception.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert response.headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
