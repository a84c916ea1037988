"""Suite-wide pytest set-up: which database, and PostgreSQL-only / SQLite-only tests.

`make test` runs the suite twice: on SQLite (DATABASE_URL empty) and on
PostgreSQL (DATABASE_URL from scripts/test_postgres.sh). Tests marked
`postgres` are deselected on SQLite, tests marked `sqlite` on PostgreSQL; under
CI=true a PostgreSQL test that ends up skipped fails the run.
"""

from __future__ import annotations

import os

import pytest

# Settings: hagukumi/test_settings.py (pyproject [tool.pytest.ini_options]).


def _engine() -> str:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = "postgresql" in _engine()
    if os.environ.get("HAGUKUMI_REQUIRE_POSTGRES") and not on_postgres:
        raise pytest.UsageError(
            "PostgreSQL が必要な実行ですが、DATABASE_URL が PostgreSQL ではありません。"
        )
    keep, drop = [], []
    for item in items:
        if (item.get_closest_marker("postgres") and not on_postgres) or (
            item.get_closest_marker("sqlite") and on_postgres
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("CI", "").lower() == "true"
        and report.skipped
        and item.get_closest_marker("postgres")
    ):
        report.outcome = "failed"
        report.longrepr = f"CI=true: PostgreSQL のテストがスキップされました ({item.nodeid})"


@pytest.fixture
def organization(db):  # type: ignore[no-untyped-def]
    """A fictitious 団体 (not from the master)."""
    from hagukumi.orgs.tests.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.fixture
def user_with_role(db, organization):  # type: ignore[no-untyped-def]
    """Make a user holding `role` in `organization` (default: the `organization` fixture).

    A 所属長 needs `unit`. Password: hagukumi.core.tests.factories.TEST_PASSWORD.
    """
    from hagukumi.core.models import Role
    from hagukumi.core.tests.factories import MembershipFactory, UserFactory
    from hagukumi.orgs.tests.factories import UnitFactory

    def make(role: str, *, org=None, unit=None, **user_fields):  # type: ignore[no-untyped-def]
        org = org or organization
        if role == Role.UNIT_HEAD and unit is None:
            unit = UnitFactory(organization=org)
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, organization=org, role=role, unit=unit)
        return user

    return make
