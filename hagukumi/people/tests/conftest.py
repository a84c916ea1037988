"""Fixtures of the people tests: a 団体 with a small tree, actors per role, a roster file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hagukumi.core.tabular_export import write_table
from hagukumi.core.tenancy import actor_for
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.roster_import import staff_columns


@pytest.fixture
def tree(organization):  # type: ignore[no-untyped-def]
    """部 01 (課 0101 → 係 010101, 課 0102) and 部 02 (課 0201), valid from FY2020."""
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    sec = UnitFactory(organization=organization, code="0101", name="人事課", parent=dept)
    group = UnitFactory(
        organization=organization, code="010101", name="人事係", kind="係", parent=sec
    )
    other = UnitFactory(organization=organization, code="0102", name="財政課", parent=dept)
    dept2 = UnitFactory(organization=organization, code="02", name="企画部", kind="部")
    sec2 = UnitFactory(organization=organization, code="0201", name="デジタル推進課", parent=dept2)
    return {u.code: u for u in (dept, sec, group, other, dept2, sec2)}


@pytest.fixture
def actor_of(user_with_role, organization):  # type: ignore[no-untyped-def]
    """actor_of(role, unit=None, user=None) → Actor in `organization`."""

    def make(role: str, *, unit: Any = None, org: Any = None) -> Any:
        org = org or organization
        user = user_with_role(role, org=org, unit=unit)
        return actor_for(user, org.pk)

    return make


def roster_row(number: str, name: str, unit: str = "0101", **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "number": number,
        "name": name,
        "name_kana": "テスト\u3000タロウ",
        "unit_code": unit,
        "position": "主事",
        "grade": 1,
        "job_type": "一般事務",
        "employment": "正規",
        "recruitment": "一般",
        "hired_on": dt.date(2020, 4, 1),
    }
    row.update(extra)
    return row


def roster_file(rows: list[dict[str, Any]], *, format: str = "xlsx", **kw: Any) -> bytes:
    return write_table(rows, columns=staff_columns(), format=format, **kw)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):  # type: ignore[no-untyped-def]
    """Test users need no real password hashing (PBKDF2 dominates these tests' time)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
