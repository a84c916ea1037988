"""Security headers, cookies and the HTTPS settings (issue [基盤] §6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from hagukumi.core.models import Role

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["core:login", "core:health"])
def test_every_response_carries_the_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_logged_in_pages_carry_them_too(client, user_with_role):
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    response = client.get(reverse("core:audit"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_hsts_and_secure_cookies_when_https(client, settings, user_with_role):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    user_with_role(Role.STAFF, username="a")
    from hagukumi.core.tests.factories import TEST_PASSWORD

    page = client.get(reverse("core:login"), secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        reverse("core:login"), {"username": "a", "password": TEST_PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_no_hsts_over_plain_http_in_development(client, settings):
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in client.get(reverse("core:login"))


def _settings_in_subprocess(**env: str) -> dict[str, str]:
    code = (
        "import hagukumi.settings as s;"
        "print(s.HAGUKUMI_HTTPS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_HTTPONLY)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HAGUKUMI_", "DEBUG"))}
    clean.update({"SECRET_KEY": "subprocess-test-key", **env})
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    keys = ["https", "session_secure", "csrf_secure", "hsts", "httponly"]
    return dict(zip(keys, out, strict=True))


def test_https_settings_follow_debug_by_default():
    production = _settings_in_subprocess(DEBUG="false")
    assert production == {
        "https": "True",
        "session_secure": "True",
        "csrf_secure": "True",
        "hsts": "31536000",
        "httponly": "True",
    }
    development = _settings_in_subprocess(DEBUG="true")
    assert development["https"] == "False"
    assert development["hsts"] == "0"
    assert development["session_secure"] == "False"
    # An explicit HAGUKUMI_HTTPS wins over the default.
    assert _settings_in_subprocess(DEBUG="false", HAGUKUMI_HTTPS="false")["hsts"] == "0"


@pytest.mark.django_db
def test_idle_and_session_settings(settings):
    assert settings.HAGUKUMI_IDLE_TIMEOUT_SECONDS == 1800
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_not_found_pages_never_say_forbidden(client, user_with_role):
    client.force_login(user_with_role(Role.STAFF))
    response = client.get(reverse("core:audit"))
    assert response.status_code == 404
    assert b"403" not in response.content
    assert b"Forbidden" not in response.content


# No caching of personal data (issue [品質] 7) --------------------------------------


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def hr_client(client, user_with_role, organization):  # type: ignore[no-untyped-def]
    from hagukumi.orgs.tests.factories import UnitFactory
    from hagukumi.people.tests.factories import StaffFactory

    client.force_login(user_with_role(Role.HR))
    client.staff = StaffFactory(
        organization=organization, unit=UnitFactory(organization=organization)
    )
    return client


@pytest.mark.django_db
def test_a_profile_page_is_not_cached(hr_client):
    response = hr_client.get(reverse("people:staff_detail", kwargs={"pk": hr_client.staff.pk}))
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.django_db
def test_an_api_answer_is_not_cached(hr_client):
    response = hr_client.get(f"/api/v1/staff/{hr_client.staff.pk}/")
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.django_db
def test_an_export_is_not_cached(hr_client):
    response = hr_client.get(reverse("people:search_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert _no_store(response)


@pytest.mark.django_db
def test_a_not_found_answer_to_a_logged_in_user_is_not_cached(hr_client):
    assert _no_store(hr_client.get("/people/999999999/"))


@pytest.mark.django_db
def test_anonymous_pages_and_static_files_keep_their_caching(client, user_with_role):
    # (The login page and /healthz/ say never-cache themselves.)
    assert "no-store" not in client.get("/no-such-page/").get("Cache-Control", "")
    client.force_login(user_with_role(Role.STAFF))
    static = client.get("/static/core/jobs.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
