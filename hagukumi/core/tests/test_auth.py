"""Login, lockout, logout, idle expiry, choice of 団体 and password change."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.auth import LoginRefused, is_locked, login_refused_message
from hagukumi.core.models import AuditEvent, Role, User
from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY
from hagukumi.core.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory

Action = AuditEvent.Action
LOGIN = "/login/"
IDLE_MESSAGE = "一定時間操作がなかったため、ログアウトしました。"


def _login(client: Client, username: str, password: str = TEST_PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("core:login"), {"username": username, "password": password, **extra})


def _actions(**filters: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def test_the_urls():
    assert reverse("core:login") == LOGIN
    assert reverse("core:logout") == "/logout/"
    assert reverse("core:organization_switch") == "/select-organization/"
    assert reverse("core:password_change") == "/password/"


@pytest.mark.django_db
def test_the_login_page_is_japanese_and_accessible(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "ログイン" in body
    assert '<label class="field__label" for="id_username">' in body
    assert "※必須" in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'autocomplete="current-password"' in body


@pytest.mark.django_db
def test_a_successful_login(client, user_with_role, organization):
    user = user_with_role(Role.HR, username="jinji")
    response = _login(client, "jinji")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session[SESSION_ORGANIZATION_KEY] == organization.pk
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert (event.actor_id, event.organization_id, event.path) == (user.pk, organization.pk, LOGIN)
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(user_with_role):
    assert user_with_role(Role.STAFF).password.startswith("argon2")


@pytest.mark.django_db
def test_next_is_followed_only_within_the_site(client, user_with_role):
    user_with_role(Role.STAFF, username="a")
    response = _login(client, "a", next="/password/")
    assert response["Location"] == "/password/"
    client.logout()
    response = _login(client, "a", next="https://evil.example/")
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_a_wrong_password_is_counted_and_audited(client, user_with_role, organization):
    user = user_with_role(Role.STAFF, username="a")
    response = _login(client, "a", "wrong-password")
    assert response.status_code == 200
    assert login_refused_message() in response.content.decode()
    user.refresh_from_db()
    assert user.failed_login_count == 1
    event = AuditEvent.objects.get()
    assert event.action == Action.LOGIN_FAILED
    assert event.actor_id == user.pk
    assert event.organization_id == organization.pk
    assert event.detail == {"reason": "wrong_password", "failures": 1}
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_15_minutes(client, user_with_role, settings):
    assert (settings.HAGUKUMI_LOCKOUT_FAILURES, settings.HAGUKUMI_LOCKOUT_MINUTES) == (5, 15)
    user = user_with_role(Role.STAFF, username="a")
    for _ in range(4):
        _login(client, "a", "wrong-password")
    user.refresh_from_db()
    assert not is_locked(user)

    start = timezone.now()
    _login(client, "a", "wrong-password")
    user.refresh_from_db()
    assert is_locked(user)
    assert user.locked_until is not None
    assert (
        dt.timedelta(minutes=14) < user.locked_until - start <= dt.timedelta(minutes=15, seconds=5)
    )
    assert _actions() == [Action.LOGIN_FAILED] * 5 + [Action.LOCKED]

    # The right password does not help while locked; the message is the usual one.
    response = _login(client, "a")
    assert response.status_code == 200
    assert login_refused_message() in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.order_by("id").last().detail == {"reason": "locked"}  # type: ignore[union-attr]

    with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=14)):
        assert _login(client, "a").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(minutes=16)):
        response = _login(client, "a")
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(client, user_with_role):
    user = user_with_role(Role.STAFF, username="a")
    for _ in range(4):
        _login(client, "a", "wrong-password")
    _login(client, "a")
    client.logout()
    for _ in range(4):
        _login(client, "a", "wrong-password")
    user.refresh_from_db()
    assert user.failed_login_count == 4
    assert not is_locked(user)


@pytest.mark.django_db
def test_refusals_do_not_tell_whether_the_username_exists(client, user_with_role):
    user_with_role(Role.STAFF, username="exists")
    inactive = user_with_role(Role.STAFF, username="inactive")
    inactive.is_active = False
    inactive.save()
    locked = user_with_role(Role.STAFF, username="locked")
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.save()

    def error_text(username: str, password: str) -> str:
        response = _login(Client(), username, password)
        assert response.status_code == 200
        return response.context["form"].non_field_errors()[0]

    messages = {
        error_text("exists", "wrong-password"),
        error_text("nobody", "wrong-password"),
        error_text("inactive", TEST_PASSWORD),
        error_text("locked", TEST_PASSWORD),
    }
    assert messages == {login_refused_message()}
    assert "exists" not in login_refused_message()


@pytest.mark.django_db
def test_an_unknown_username_is_audited_with_what_was_typed(client):
    _login(client, "たなか", "whatever", HTTP_USER_AGENT="UA")
    event = AuditEvent.objects.get()
    assert event.action == Action.LOGIN_FAILED
    assert event.actor_id is None
    assert event.actor_username == "たなか"
    assert event.organization_id is None
    assert event.detail == {"reason": "unknown_username"}
    assert not User.objects.filter(username="たなか").exists()


@pytest.mark.django_db
def test_login_attempt_raises_login_refused(rf, user_with_role):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    from hagukumi.core.auth import login_attempt

    user_with_role(Role.STAFF, username="a")
    request = rf.post(LOGIN)
    request.user = AnonymousUser()
    request.session = SessionStore()
    with pytest.raises(LoginRefused):
        login_attempt(username="a", password="nope", request=request)
    assert login_attempt(username="a", password=TEST_PASSWORD, request=request).username == "a"


@pytest.mark.django_db
def test_an_empty_form_gets_japanese_field_errors(client):
    body = client.post(LOGIN, {}).content.decode()
    assert "利用者IDを入力してください。" in body
    assert "パスワードを入力してください。" in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_username_error"' in body
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "a", "password": "b"})
    assert response.status_code == 403


# Logout ---------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_is_a_post_and_is_audited(client, user_with_role, organization):
    user = user_with_role(Role.STAFF, username="a")
    _login(client, "a")
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action=Action.LOGOUT).get()
    assert (event.actor_id, event.organization_id) == (user.pk, organization.pk)
    assert "ログアウトしました。" in client.get(LOGIN).content.decode()
    # Logging out again (a stale tab) is harmless.
    assert client.post("/logout/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.LOGOUT).count() == 1


# Idle expiry ----------------------------------------------------------------------


@pytest.mark.django_db
def test_30_idle_minutes_log_the_user_out(client, user_with_role, settings):
    assert settings.HAGUKUMI_IDLE_TIMEOUT_SECONDS == 30 * 60
    user_with_role(Role.STAFF, username="a")
    t0 = time.time()
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0):
        _login(client, "a")
        assert client.get(reverse("core:home")).status_code == 200
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0 + 29 * 60):
        assert client.get(reverse("core:home")).status_code == 200
    # 29 minutes after the last request, not after login: still in.
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0 + 58 * 60):
        assert client.get(reverse("core:home")).status_code == 200
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0 + 89 * 60):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    event = AuditEvent.objects.filter(action=Action.LOGOUT).get()
    assert event.detail == {"reason": "idle_timeout"}
    assert event.actor_username == "a"

    body = client.get(response["Location"]).content.decode()
    assert IDLE_MESSAGE in body
    # Shown once.
    assert IDLE_MESSAGE not in client.get(LOGIN).content.decode()


@pytest.mark.django_db
def test_the_idle_clock_starts_at_login(client, user_with_role):
    # A session left unused right after login expires 30 minutes after the login
    # (before the fix its clock started only at the first later request).
    user_with_role(Role.STAFF, username="a")
    t0 = time.time()
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0):
        assert _login(client, "a").status_code == 302
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0 + 31 * 60):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.get(action=Action.LOGOUT).detail == {"reason": "idle_timeout"}


@pytest.mark.django_db
def test_a_login_within_the_limit_stays_in(client, user_with_role):
    user_with_role(Role.STAFF, username="a")
    t0 = time.time()
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0):
        _login(client, "a")
    with mock.patch("hagukumi.core.middleware.time.time", return_value=t0 + 29 * 60):
        assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_a_session_the_store_already_expired_shows_the_idle_message(client, user_with_role):
    user_with_role(Role.STAFF, username="a")
    _login(client, "a")
    Session.objects.all().delete()  # what the session store does after SESSION_COOKIE_AGE
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert IDLE_MESSAGE in client.get(response["Location"]).content.decode()


# Several 団体 --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_of_several_organizations_chooses_after_login(client, organization):
    other = OrganizationFactory(name="別の市")
    user = UserFactory(username="both")
    MembershipFactory(user=user, organization=organization, role=Role.HR)
    MembershipFactory(user=user, organization=other, role=Role.SYSTEM_ADMIN)

    response = _login(client, "both")
    assert response.status_code == 302
    assert response["Location"] == "/select-organization/?next=%2F"
    assert SESSION_ORGANIZATION_KEY not in client.session
    # Filed under no single 団体; each of the user's 団体 sees it.
    assert AuditEvent.objects.get(action=Action.LOGIN).organization_id is None

    page = client.get(response["Location"]).content.decode()
    assert "別の市" in page
    assert organization.name in page
    response = client.post("/select-organization/", {"organization": other.pk, "next": "/"})
    assert response["Location"] == "/"
    assert client.session[SESSION_ORGANIZATION_KEY] == other.pk
    assert client.get(reverse("core:audit")).status_code == 200


@pytest.mark.django_db
def test_a_user_of_one_organization_is_not_asked(client, user_with_role):
    user_with_role(Role.STAFF, username="a")
    assert _login(client, "a")["Location"] == reverse("core:home")


# Password change ------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_change(client, user_with_role):
    user = user_with_role(Role.STAFF, username="a")
    client.force_login(user)
    page = client.get("/password/").content.decode()
    assert "現在のパスワード" in page

    response = client.post(
        "/password/",
        {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "現在のパスワードが正しくありません。" in response.content.decode()
    # A wrong current password counts like a wrong login password (and is audited).
    event = AuditEvent.objects.get()
    assert (event.action, event.detail) == (
        Action.LOGIN_FAILED,
        {"reason": "wrong_old_password", "failures": 1},
    )
    user.refresh_from_db()
    assert user.failed_login_count == 1

    new = "a-much-longer-passphrase-2026"
    response = client.post(
        "/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert "パスワードを変更しました。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert user.password.startswith("argon2")
    # Still logged in, and audited without the password itself; the right password ends the series.
    assert client.get(reverse("core:home")).status_code == 200
    assert user.failed_login_count == 0
    event = AuditEvent.objects.filter(action=Action.UPDATE).get()
    assert (event.action, event.target_type, event.detail) == (
        Action.UPDATE,
        "core.User",
        {"field": "password"},
    )
    assert new not in str(event.detail) + event.target_repr


@pytest.mark.django_db
def test_wrong_current_passwords_lock_the_account(client, user_with_role):
    user = user_with_role(Role.STAFF, username="a")
    client.force_login(user)
    data = {"old_password": "wrong", "new_password1": "x" * 12, "new_password2": "x" * 12}
    for _ in range(5):
        client.post("/password/", data)
    user.refresh_from_db()
    assert is_locked(user)
    assert _actions(action=Action.LOCKED) == [Action.LOCKED]

    # While locked even the right current password is not checked, here or at login.
    new = "a-much-longer-passphrase-2026"
    with mock.patch("django.contrib.auth.base_user.check_password") as check:
        body = client.post(
            "/password/",
            {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
        ).content.decode()
        assert "アカウントをロックしました" in body
        assert _login(Client(), "a").status_code == 200
    check.assert_not_called()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_the_fifth_attempt_may_still_be_the_right_one(client, user_with_role):
    # The attempt that reaches the limit locks at once, but its own password is still
    # checked: the owner who gets it right on the fifth try is let in.
    user = user_with_role(Role.STAFF, username="a")
    for _ in range(4):
        _login(client, "a", "wrong-password")
    assert _login(client, "a").status_code == 302
    user.refresh_from_db()
    assert (user.failed_login_count, user.locked_until) == (0, None)
