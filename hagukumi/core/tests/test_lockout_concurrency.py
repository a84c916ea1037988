"""The lockout holds under concurrency (issue [品質] 2): parallel logins check at most N passwords.

Real threads, each with its own database connection (`concurrent_database`:
transactional_db, on SQLite moved to a WAL file; every thread closes its
connections at the end). The password hasher is slowed down and counted, so
every request of the burst is in flight at once, as in the outside probe that
saw 19-20 passwords checked instead of 5.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import hashers
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import AuditEvent, Role, User
from hagukumi.core.tests.concurrency import in_threads
from hagukumi.core.tests.factories import TEST_PASSWORD

BURST = 20
CHECK_SECONDS = 0.3


class CountingHasher:
    """Stands in for `check_password`: counts the checks and makes each one slow."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(
        self, password: str, encoded: str, setter: Any = None, preferred: str = "default"
    ) -> bool:
        with self.lock:
            self.calls += 1
        time.sleep(CHECK_SECONDS)
        return hashers.check_password(password, encoded, setter, preferred)


def _login(password: str, *, after: Callable[[], bool] | None = None) -> bool:
    """POST the login form; True if it logged in. `after`: wait until it holds first."""
    deadline = time.monotonic() + 30
    while after is not None and not after():
        if time.monotonic() > deadline:
            raise TimeoutError("the burst never got going")
        time.sleep(0.01)
    client = Client()
    response = client.post(reverse("core:login"), {"username": "a", "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.usefixtures("concurrent_database")
def test_a_burst_of_logins_checks_at_most_five_passwords(user_with_role):
    assert settings.HAGUKUMI_LOCKOUT_FAILURES == 5
    user_with_role(Role.STAFF, username="a")
    hasher = CountingHasher()
    wrong = [lambda: _login("wrong-password") for _ in range(BURST - 1)]
    # The right password arrives while five wrong ones are being checked: it must not
    # log in (before the fix nothing was counted until a check had failed).
    right = [lambda: _login(TEST_PASSWORD, after=lambda: hasher.calls >= 5)]
    with mock.patch("django.contrib.auth.base_user.check_password", hasher):
        results = in_threads(wrong + right)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert results == [False] * BURST
    assert hasher.calls <= 5
    user = User.objects.get(username="a")
    assert user.locked_until is not None
    events = AuditEvent.objects.filter(actor_id=user.pk)
    assert events.filter(action=AuditEvent.Action.LOCKED).count() == 1
    assert events.filter(action=AuditEvent.Action.LOGIN_FAILED).count() == BURST


@pytest.mark.usefixtures("concurrent_database")
def test_a_burst_of_old_password_guesses_is_rate_limited_too(user_with_role):
    user = user_with_role(Role.STAFF, username="a")
    hasher = CountingHasher()

    def guess() -> int:
        client = Client()
        client.force_login(user)
        data = {"old_password": "wrong", "new_password1": "x" * 12, "new_password2": "x" * 12}
        return client.post(reverse("core:password_change"), data).status_code

    with mock.patch("django.contrib.auth.base_user.check_password", hasher):
        results = in_threads([guess for _ in range(BURST)])

    assert results == [200] * BURST, results
    assert hasher.calls <= 5
    assert User.objects.get(pk=user.pk).locked_until is not None
