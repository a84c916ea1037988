"""Fixtures of the accounts tests: a fast hasher, the システム管理者 and a logged-in client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hagukumi.core.models import Role
from hagukumi.core.tenancy import actor_for


@pytest.fixture(autouse=True)
def _fast_hasher(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(Role.SYSTEM_ADMIN, username="admin")


@pytest.fixture
def admin(admin_user, organization):  # type: ignore[no-untyped-def]
    return actor_for(admin_user, organization.pk)


@pytest.fixture
def admin_client(admin_user) -> Any:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    return client
