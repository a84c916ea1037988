"""The production serving path (issue [品質] #16 defect 4, #14 defect 8).

/healthz/ says "not ready" (503, Japanese reasons) when the database or the static
manifest is not there; the 400/403/404/500 pages are Japanese, in the design, with
DEBUG off; production settings serve hashed, compressed static files through
WhiteNoise; and the whole path (migrate, collectstatic, WSGI) works end to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

from hagukumi.core.models import Role

ROOT = Path(__file__).resolve().parents[3]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ENGLISH_DEFAULTS = (
    b"Not Found",
    b"Server Error",
    b"Bad Request",
    b"Forbidden",
    b"verification failed",
)


# A test-only URL conf: the site's URLs plus views that fail in each way. ------


def _raises(exc: Exception):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        raise exc

    return view


urlpatterns = [
    path("boom/", _raises(RuntimeError("boom"))),
    path("denied/", _raises(PermissionDenied())),
    path("suspicious/", _raises(SuspiciousOperation("bad"))),
    path("", include("hagukumi.urls")),
]
handler500 = "hagukumi.core.error_views.server_error"
FAILING_URLS = override_settings(ROOT_URLCONF=__name__, DEBUG=False)


def _manifest_storage(static_root: Path):  # type: ignore[no-untyped-def]
    from django.conf import settings

    return override_settings(
        STATIC_ROOT=static_root,
        WHITENOISE_USE_FINDERS=False,
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}},
    )


def _text(response: HttpResponse) -> str:
    return response.content.decode()


# /healthz/ ------------------------------------------------------------------


@pytest.mark.django_db
def test_health_is_ok_when_ready(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert _text(response) == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_fails_when_the_database_is_unreachable(client):
    with mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert "データベースに接続できません" in _text(response)
    assert response["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.django_db
def test_health_fails_when_migrations_are_pending(client):
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=[("m", False)] * 3):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert "移行が済んでいません（未適用 3件）" in _text(response)


@pytest.mark.django_db
def test_health_fails_until_the_static_manifest_is_collected(client, tmp_path):
    with _manifest_storage(tmp_path):
        response = client.get(reverse("core:health"))
        assert response.status_code == 503
        assert "collectstatic" in _text(response)
        assert "staticfiles.json" in _text(response)
    manifest = {"version": "1.1", "hash": "x", "paths": {"a.css": "a.0123456789ab.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    with _manifest_storage(tmp_path):
        assert client.get(reverse("core:health")).status_code == 200


# Error pages with DEBUG off ---------------------------------------------------


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unknown_page_is_the_japanese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = _text(response)
    assert "<h1>ページが見つかりません</h1>" in page
    assert f'href="{reverse("core:home")}"' in page
    assert "ホームへ戻る" in page
    assert "hagukumi/css/app.css" in page
    assert not any(word in response.content for word in ENGLISH_DEFAULTS)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_denied_page_is_the_same_404_inside_the_page_shell(client, user_with_role):
    client.force_login(user_with_role(Role.STAFF))
    response = client.get(reverse("core:audit"))
    assert response.status_code == 404
    page = _text(response)
    assert "ページが見つかりません" in page
    assert "ログアウト" in page  # the header of a logged-in user


@pytest.mark.django_db
@FAILING_URLS
def test_an_error_is_the_japanese_500():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = _text(response)
    assert "<h1>システムエラーが発生しました</h1>" in page
    assert "hagukumi/css/app.css" in page
    assert 'href="/"' in page
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert not any(word in response.content for word in ENGLISH_DEFAULTS)


@pytest.mark.django_db
@FAILING_URLS
def test_the_500_page_needs_neither_database_nor_static_manifest(tmp_path):
    # Without a manifest {% static %} itself fails: the plain fallback still answers.
    with (
        _manifest_storage(tmp_path),
        mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("down")),
    ):
        response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "システムエラーが発生しました" in _text(response)
    assert not any(word in response.content for word in ENGLISH_DEFAULTS)


@pytest.mark.django_db
@FAILING_URLS
def test_forbidden_and_bad_requests_are_japanese():
    client = Client(raise_request_exception=False)
    denied = client.get("/denied/")
    assert denied.status_code == 403
    assert "このページは表示できません" in _text(denied)
    bad = client.get("/suspicious/")
    assert bad.status_code == 400
    assert "リクエストを処理できませんでした" in _text(bad)
    for response in (denied, bad):
        assert "ホームへ戻る" in _text(response)
        assert not any(word in response.content for word in ENGLISH_DEFAULTS)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_csrf_failure_is_japanese():
    response = Client(enforce_csrf_checks=True).post(
        reverse("core:login"), {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    assert "送信できませんでした" in _text(response)
    assert not any(word in response.content for word in ENGLISH_DEFAULTS)


# Production settings and the whole path ---------------------------------------


def _clean_env(**env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HAGUKUMI_", "DEBUG", "DATABASE_URL", "DJANGO_"))
    }
    return {**clean, "SECRET_KEY": "subprocess-test-key", **env}


def test_production_settings_serve_hashed_compressed_static_files(tmp_path):
    code = (
        "import hagukumi.settings as s;"
        "print(s.STORAGES['staticfiles']['BACKEND']); print(s.STATIC_ROOT)"
    )

    def run(**env: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=_clean_env(**env),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.split()

    assert run(DEBUG="false", HAGUKUMI_DATA_DIR=str(tmp_path)) == [
        MANIFEST_STORAGE,
        str(tmp_path / "static"),
    ]
    assert run(DEBUG="true")[0] == "django.contrib.staticfiles.storage.StaticFilesStorage"


# Runs in a child process with the production settings (not test_settings).
_WSGI_PROBE = r"""
import json, sys
from django.core.wsgi import get_wsgi_application
from django.test import Client
application = get_wsgi_application()
from django.templatetags.static import static
client = Client(HTTP_HOST="127.0.0.1")
out = {}
health = client.get("/healthz/")
out["health"] = [health.status_code, health.content.decode()]
if sys.argv[1] == "ready":
    login = client.get("/login/")
    out["login"] = [login.status_code, login.content.decode()]
    css = static("hagukumi/css/app.css")
    out["css_url"] = css
    # WhiteNoise answers before Django: go through the WSGI application itself.
    from io import BytesIO
    status_headers = {}
    def start_response(status, headers, exc_info=None):
        status_headers["status"] = status
        status_headers["headers"] = dict(headers)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": css, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(), "HTTP_ACCEPT_ENCODING": "br, gzip",
    }
    b"".join(application(environ, start_response))
    out["css"] = status_headers
    missing = client.get("/no-such-page/")
    out["404"] = [missing.status_code, missing.content.decode()]
print(json.dumps(out))
"""


def test_the_production_path_end_to_end(tmp_path):
    """DEBUG off: not ready before migrate + collectstatic, then pages and static files."""
    env = _clean_env(
        DEBUG="false",
        HAGUKUMI_HTTPS="false",
        HAGUKUMI_DATA_DIR=str(tmp_path),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="hagukumi.settings",
    )
    hagukumi = [sys.executable, "-m", "hagukumi.manage"]

    def probe(stage: str) -> dict:  # type: ignore[type-arg]
        done = subprocess.run(
            [sys.executable, "-c", _WSGI_PROBE, stage],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    before = probe("empty")
    assert before["health"][0] == 503
    assert "移行が済んでいません" in before["health"][1]
    assert "collectstatic" in before["health"][1]

    # django-ninja's API docs assets (9 MB) are left out only to keep the test fast.
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["collectstatic", "--noinput", "-v", "0", "--ignore", "ninja"],
    ):
        subprocess.run([*hagukumi, *command], env=env, cwd=ROOT, check=True, capture_output=True)

    after = probe("ready")
    assert after["health"] == [200, "ok"]
    assert after["login"][0] == 200
    assert after["css_url"] in after["login"][1]
    assert after["css_url"] != "/static/hagukumi/css/app.css"  # hashed name
    css = after["css"]
    assert css["status"].startswith("200")
    assert css["headers"]["Cache-Control"] == "max-age=315360000, public, immutable"
    assert css["headers"]["Content-Encoding"] == "br"
    assert after["404"][0] == 404
    assert "ページが見つかりません" in after["404"][1]
