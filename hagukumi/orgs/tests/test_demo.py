"""hagukumi.orgs.demo: デモ市, its 6 部 / 60 課 tree and one login per role."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from hagukumi.core.models import Membership, Role, User
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs import demo
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_as_of

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_builds_the_demo() -> None:
    first = demo.load()
    counts = (
        Organization.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    demo.load()
    assert (
        Organization.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert "デモ市（デモ）" in first

    org = demo.demo_organization()
    assert org is not None
    assert org.is_demo
    assert org.code is None
    assert org.prefecture.code == "010006"
    assert org.display_name == "北海道デモ市（デモ）"

    tree = units_as_of(organization=org, fiscal_year=fiscal_year_of(timezone.localdate()))
    departments = [n for n in tree.roots]
    assert len(departments) == 6
    assert all(n.unit.kind == "部" for n in departments)
    sections = [n for n in tree if n.unit.kind == "課"]
    assert len(sections) == 60
    assert all(n.depth == 1 for n in sections)
    assert all(len(d.children) == 10 for d in departments)
    assert any(n.unit.kind == "係" and n.depth == 2 for n in tree)
    digital = next(n for n in tree if n.unit.name == "デジタル推進課")
    assert "情報政策" in digital.unit.functions
    assert digital.parent.unit.name == "企画部"


def test_one_login_per_role() -> None:
    demo.load()
    org = demo.demo_organization()
    logins = demo.logins()
    assert [u for u, _, _ in logins] == ["dx", "hr", "head", "staff", "pref", "admin"]
    for username, password, description in logins:
        assert password == demo.DEMO_PASSWORD
        assert authenticate(username=username, password=password) is not None, username
        assert description
    roles = {
        m.user.username: m
        for m in Membership.objects.select_related("user", "organization", "unit")
    }
    assert roles["pref"].role == Role.PREFECTURE_SUPPORT
    assert roles["pref"].organization.code == "010006"
    assert roles["head"].role == Role.UNIT_HEAD
    assert roles["head"].unit.name == "デジタル推進課"
    assert roles["admin"].role == Role.SYSTEM_ADMIN
    assert roles["admin"].organization == org
    assert {roles[u].role for u in ("dx", "hr", "staff")} == {Role.DX_OFFICE, Role.HR, Role.STAFF}
