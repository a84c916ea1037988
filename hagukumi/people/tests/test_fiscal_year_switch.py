"""The 4月1日 switch: the preview (plan) and its all-or-nothing application."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Membership, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Assignment, Staff
from hagukumi.people.selectors.fiscal_year_switch import fiscal_year_switch_plan
from hagukumi.people.services.assignments import (
    AssignmentMove,
    assignments_write,
    open_assignments,
)
from hagukumi.people.services.fiscal_year_switch import fiscal_year_switch
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.people.tests.test_metrics import designate, make_framework

pytestmark = pytest.mark.django_db

N = 2027  # the new 年度
APRIL = dt.date(N, 4, 1)
D = dt.date


@pytest.fixture
def world(organization) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """FY2026 → FY2027: 総務課 renamed, 財政課 + 契約課 merged into 財務課, 広報課 closed,
    DX推進課 new; one staff member per unit, a 4/1 異動 for the 広報課 one."""
    org = organization

    def unit(code: str, name: str, start: int = 2020, end: int | None = N - 1) -> Any:
        return UnitFactory(
            organization=org, code=code, name=name, valid_from_fy=start, valid_to_fy=end
        )

    u = {
        "general": unit("0101", "総務課"),
        "general_new": unit("0101", "総務・人事課", N, None),
        "finance": unit("0102", "財政課"),
        "contract": unit("0103", "契約課"),
        "finance_new": unit("0104", "財務課", N, None),
        "pr": unit("0105", "広報課"),
        "planning": unit("0201", "企画課", 2020, None),
        "dx": unit("0301", "DX推進課", N, None),
    }
    u["finance_new"].predecessors.set([u["finance"], u["contract"]])
    people = {}
    for key, number in (
        ("general", "000001"),
        ("finance", "000002"),
        ("contract", "000003"),
        ("pr", "000004"),
        ("planning", "000005"),
    ):
        person = StaffFactory(organization=org, number=number, unit=u[key])
        Assignment.objects.create(
            staff=person, unit=u[key], position=person.position, grade=1, starts_on=D(2024, 4, 1)
        )
        people[key] = person
    # The 4/1 異動 loaded ahead: 広報課 → DX推進課, 企画課 → DX推進課 (主任 2級).
    assignments_write(
        moves=[
            AssignmentMove(people["pr"], u["dx"], "主事", 1, APRIL),
            AssignmentMove(people["planning"], u["dx"], "主任", 2, APRIL),
        ],
        current=open_assignments(organization=org),
    )
    designate(people["contract"], make_framework(org), from_fy=2024)
    head = UserFactory(username="head-finance")
    MembershipFactory(
        user=head, organization=org, role=Role.UNIT_HEAD, unit=u["finance"], fiscal_year_to=N - 1
    )
    return {"units": u, "staff": people, "head": head}


@pytest.fixture
def hr(organization):  # type: ignore[no-untyped-def]
    return Actor.command_line(organization)


def test_the_plan_shows_what_changes_on_april_first(organization, world, hr):  # type: ignore[no-untyped-def]
    plan = fiscal_year_switch_plan(actor=hr, organization=organization, fiscal_year=N)
    kinds = {(c.kind, c.code) for c in plan.units}
    assert kinds == {
        ("統合", "0104"),
        ("新設", "0301"),
        ("統合・移管", "0102"),
        ("統合・移管", "0103"),
        ("廃止", "0105"),
        ("改編", "0101"),
    }
    moves = {m.staff.number: (m.to_unit.name, m.new_period) for m in plan.staff_moves}
    assert moves == {
        "000001": ("総務・人事課", True),
        "000002": ("財務課", True),
        "000003": ("財務課", True),
        "000004": ("DX推進課", False),
        "000005": ("DX推進課", False),
    }
    assert [d.staff.number for d in plan.designations] == ["000003"]
    assert [(m.from_unit.name, m.to_unit.name) for m in plan.memberships] == [("財政課", "財務課")]
    assert plan.problems == []
    # Nothing changed by looking.
    assert Staff.objects.get(number="000004", organization=organization).unit.code == "0105"


def test_a_closing_unit_without_transfer_blocks_the_switch(organization, world, hr):  # type: ignore[no-untyped-def]
    lonely = UnitFactory(organization=organization, code="0999", name="旧室", valid_to_fy=N - 1)
    StaffFactory(organization=organization, number="000009", unit=lonely)
    plan = fiscal_year_switch_plan(actor=hr, organization=organization, fiscal_year=N)
    assert len(plan.problems) == 1
    assert "000009" in plan.problems[0]
    assert "旧室" in plan.problems[0]
    with pytest.raises(ApplicationError) as exc:
        fiscal_year_switch(actor=hr, organization=organization, fiscal_year=N, today=APRIL)
    assert exc.value.extra["errors"]


def test_the_switch_waits_for_the_date_then_applies_the_plan(organization, world, hr):  # type: ignore[no-untyped-def]
    plan = fiscal_year_switch_plan(actor=hr, organization=organization, fiscal_year=N)
    with pytest.raises(ApplicationError, match="より前には切り替えられません"):
        fiscal_year_switch(actor=hr, organization=organization, fiscal_year=N, today=D(N, 3, 31))
    assert Staff.objects.get(pk=world["staff"]["pr"].pk).unit.code == "0105"
    with pytest.raises(ApplicationError, match="内容が変わりました"):
        fiscal_year_switch(
            actor=hr,
            organization=organization,
            fiscal_year=N,
            expected_digest="0" * 32,
            today=APRIL,
        )
    done = fiscal_year_switch(
        actor=hr, organization=organization, fiscal_year=N, expected_digest=plan.digest, today=APRIL
    )
    assert done.digest == plan.digest
    staff = {s.number: s for s in Staff.objects.filter(organization=organization)}
    assert staff["000001"].unit.name == "総務・人事課"
    assert staff["000002"].unit.name == "財務課"
    assert staff["000004"].unit.name == "DX推進課"
    assert (staff["000005"].position, staff["000005"].grade) == ("主任", 2)
    periods = list(
        Assignment.objects.filter(staff=staff["000002"])
        .order_by("starts_on")
        .values_list("unit__name", "starts_on", "ends_on")
    )
    assert periods == [("財政課", D(2024, 4, 1), D(N, 3, 31)), ("財務課", APRIL, None)]
    old = Membership.objects.get(user=world["head"], unit=world["units"]["finance"])
    new = Membership.objects.get(user=world["head"], unit=world["units"]["finance_new"])
    assert old.fiscal_year_to == N - 1
    assert new.fiscal_year_from == N
    # Again: nothing left to do.
    again = fiscal_year_switch_plan(actor=hr, organization=organization, fiscal_year=N)
    assert not again.has_writes


def test_the_switch_is_for_hr_of_the_organization(organization, world, user_with_role):  # type: ignore[no-untyped-def]
    from hagukumi.core.tenancy import actor_for

    dx = actor_for(user_with_role(Role.DX_OFFICE), organization.pk)
    with pytest.raises(AccessDenied):
        fiscal_year_switch_plan(actor=dx, organization=organization, fiscal_year=N)
    other = Actor.command_line(OrganizationFactory())
    with pytest.raises(AccessDenied):
        fiscal_year_switch(actor=other, organization=organization, fiscal_year=N, today=APRIL)


def test_command(organization, world):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "fiscal_year_switch",
        "--organization",
        organization.code,
        "--fiscal-year",
        "令和9年度",
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    assert "異動する職員: 5名" in text
    assert "何も変更していません" in text
    with pytest.raises(CommandError):
        # Today (2026) is before 2027-04-01.
        call_command(
            "fiscal_year_switch",
            "--organization",
            organization.code,
            "--fiscal-year",
            "2099",
            stderr=StringIO(),
        )


def test_preview_page_and_strangers(organization, world, user_with_role):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with_role(Role.HR))
    page = client.get(reverse("people:fiscal_year") + f"?fiscal_year={N}")
    assert page.status_code in (200,)
    body = page.content.decode()
    # The page offers this and next 年度 only; a 年度 not offered falls back to next year.
    assert "異動する職員" in body
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=OrganizationFactory(), role=Role.HR)
    other = Client()
    other.force_login(stranger)
    response = other.post(
        reverse("people:fiscal_year_switch"), {"fiscal_year": N, "digest": "x" * 32}
    )
    assert response.status_code == 302
    assert Staff.objects.get(pk=world["staff"]["pr"].pk).unit.code == "0105"
    assert Membership.objects.filter(user=world["head"]).count() == 1
