"""training's metrics for [計画]: enrolled, completed, hours by programme, course, 所属, 年度."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagukumi.core.errors import AccessDenied
from hagukumi.core.metrics import metric, metrics
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.people.models import Assignment
from hagukumi.training.metrics import COMPLETED, ENROLLED, HOURS
from hagukumi.training.models import AttendanceStatus
from hagukumi.training.services.attendance import AttendanceEntry, attendance_record
from hagukumi.training.services.completion import completions_update
from hagukumi.training.tests.test_attendance_world import World, add_members, build_world

pytestmark = pytest.mark.django_db
S = AttendanceStatus
TODAY = dt.date(2026, 6, 1)


def take(world: World, key: str, *people: Any) -> None:
    attendance_record(
        actor=world.actor,
        session_id=world.sessions[key].pk,
        entries=[AttendanceEntry(p.pk, S.PRESENT) for p in people],
    )


@pytest.fixture
def world() -> World:
    world = build_world()
    first, second, _third, moved = world.members[:4]
    # 000004 is in デジタル推進課 today but was in 人事課 throughout FY2025.
    Assignment.objects.create(staff=moved, unit=world.units["0101"], starts_on=dt.date(2020, 4, 1))
    Assignment.objects.create(staff=moved, unit=world.units["0201"], starts_on=dt.date(2026, 4, 1))
    take(world, "C1-1", first, second)
    take(world, "C1-2", first, second)
    take(world, "C2-1", first)
    take(world, "S1-1", first)
    as_of = dt.date(2026, 3, 31)
    completions_update(actor=world.actor, cohort=world.cohort, as_of=as_of)
    completions_update(actor=world.actor, course=world.s1, as_of=as_of)
    return world


def counts(key: str, world: World, group_by: str | None = None, fiscal_year: int = 2025) -> Any:
    found = metric(key).counts(
        organizations=[world.organization, world.other],
        fiscal_year=fiscal_year,
        group_by=group_by,
        today=TODAY,
    )
    assert found[world.other.pk] == ({"": 0} if group_by is None else {})
    return found[world.organization.pk]


def test_the_metrics_are_registered_and_certified_is_not_repeated() -> None:
    keys = {m.key for m in metrics()}
    assert {ENROLLED, COMPLETED, HOURS} <= keys
    assert not [k for k in keys if k.startswith("training.") and "certif" in k]
    assert metric(HOURS).unit == "時間"
    assert metric(ENROLLED).group_bys == ("program", "course", "unit")


def test_enrolled(world: World) -> None:
    assert counts(ENROLLED, world) == {"": 5}
    assert counts(ENROLLED, world, "program") == {"": 1, "leader": 5}
    # A cohort member counts for every counted phase (C3 自己啓発 is not counted).
    assert counts(ENROLLED, world, "course") == {"C1": 5, "C2": 5, "S1": 1}
    # The unit held in FY2025, not today's.
    assert counts(ENROLLED, world, "unit") == {"0101": 4, "0201": 1}
    assert counts(ENROLLED, world, fiscal_year=2026) == {"": 0}


def test_completed(world: World) -> None:
    # 000001 completed the programme and S1; 000002 only a phase (not a programme).
    assert counts(COMPLETED, world) == {"": 1}
    assert counts(COMPLETED, world, "program") == {"": 1, "leader": 1}
    assert counts(COMPLETED, world, "course") == {"C1": 2, "C2": 1, "S1": 1}
    assert counts(COMPLETED, world, "unit") == {"0101": 1}


def test_hours(world: World) -> None:
    assert counts(HOURS, world) == {"": Decimal("21.00")}
    assert counts(HOURS, world, "course") == {
        "C1": Decimal("16.00"),
        "C2": Decimal("3.00"),
        "S1": Decimal("2.00"),
    }
    assert counts(HOURS, world, "program") == {"": Decimal("2.00"), "leader": Decimal("19.00")}
    assert counts(HOURS, world, "unit") == {"0101": Decimal("21.00")}


def test_as_of_a_day_inside_the_year(world: World) -> None:
    """Before 第2回 (2025-08-10) the hours are the first session's only; nobody completed."""
    day = dt.date(2025, 7, 31)
    found = metric(HOURS).counts(organizations=[world.organization], fiscal_year=2025, today=day)
    # C1 第1回 8h, plus the self-paced e-learning 3h (counted in its 年度).
    assert found[world.organization.pk] == {"": Decimal("11.00")}
    found = metric(COMPLETED).counts(
        organizations=[world.organization], fiscal_year=2025, today=day
    )
    assert found[world.organization.pk] == {"": 0}


def test_labels(world: World) -> None:
    labels = metric(ENROLLED).group_labels(
        organization=world.organization, fiscal_year=2025, group_by="program"
    )
    assert labels == {"": "（プログラムなし）", "leader": "DX推進リーダー育成"}
    labels = metric(ENROLLED).group_labels(
        organization=world.organization, fiscal_year=2025, group_by="course"
    )
    assert labels["C1"] == "C1 マインドセット"
    labels = metric(ENROLLED).group_labels(
        organization=world.organization, fiscal_year=2025, group_by="unit"
    )
    assert labels["0201"] == "デジタル推進課"


@pytest.mark.parametrize("key", [ENROLLED, COMPLETED, HOURS])
def test_query_count_is_pinned_at_two_sizes(world: World, key: str) -> None:
    def queries(group_by: str | None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            metric(key).counts(
                organizations=[world.organization, world.other],
                fiscal_year=2025,
                group_by=group_by,
                today=TODAY,
            )
        return len(ctx.captured_queries)

    small = {g: queries(g) for g in (None, "program", "course", "unit")}
    people = add_members(world, 30)
    for session in ("C1-1", "C1-2", "C2-1"):
        take(world, session, *people)
    completions_update(actor=world.actor, cohort=world.cohort, as_of=dt.date(2026, 3, 31))
    large = {g: queries(g) for g in (None, "program", "course", "unit")}
    assert small == large
    assert max(large.values()) <= 3


def test_drill_down_applies_visibility_and_is_audited(world: World, user_with_role) -> None:  # type: ignore[no-untyped-def]
    org = world.organization
    dx = actor_for(user_with_role(Role.DX_OFFICE, org=org), org.pk)
    found = metric(ENROLLED).drill_down(
        actor=dx,
        organization=org,
        fiscal_year=2025,
        group_by="program",
        group="leader",
        today=TODAY,
    )
    assert [r.number for r in found.rows] == ["000001", "000002", "000003", "000004", "000005"]
    assert found.hidden == 0
    assert found.rows[0].unit_name == "人事課"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("id")
    assert event.detail["metric"] == ENROLLED
    assert event.detail["rows"] == 5

    head = actor_for(user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0201"]), org.pk)
    found = metric(COMPLETED).drill_down(
        actor=head, organization=org, fiscal_year=2025, group_by="course", group="C1", today=TODAY
    )
    assert (found.rows, found.hidden) == ([], 2)  # both C1 completers are in 人事課

    with pytest.raises(AccessDenied):
        metric(ENROLLED).drill_down(
            actor=Actor.command_line(world.other), organization=org, fiscal_year=2025, today=TODAY
        )
