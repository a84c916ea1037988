"""The 受講歴 profile panel: people's visibility matrix, and every read audited."""

from __future__ import annotations

import datetime as dt

import pytest

from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.registries import profile_panels_for, render_profile_panels
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.training.models import AttendanceStatus
from hagukumi.training.panels import PANEL_KEY, training_history_render
from hagukumi.training.selectors.completion import training_history
from hagukumi.training.services.attendance import AttendanceEntry, attendance_record
from hagukumi.training.services.completion import completions_update
from hagukumi.training.tests.test_attendance_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    person = world.members[0]
    for key in ("C1-1", "C1-2", "C2-1"):
        attendance_record(
            actor=world.actor,
            session_id=world.sessions[key].pk,
            entries=[AttendanceEntry(person.pk, AttendanceStatus.PRESENT)],
        )
    completions_update(actor=world.actor, cohort=world.cohort, as_of=dt.date(2025, 9, 1))
    return world


def views() -> int:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_repr__startswith="受講歴"
    ).count()


def test_the_history_shows_enrolments_completions_hours_and_evidence(world: World) -> None:
    person = world.members[0]
    history = training_history(actor=world.actor, staff=person)
    assert history is not None
    assert [(e.title, e.status) for e in history.enrollments] == [
        ("DX推進リーダー育成 第1期（2025年度）", "修了"),
        ("S1 情報セキュリティ研修", "承認"),
    ]
    assert [c.course_code for c in history.completions] == ["C2", "C1"]
    assert history.hours_by_year == {2025: 11}
    assert [(e.competency_code, e.level) for e in history.evidence] == [("mindset", 2)]
    html = training_history_render(actor=world.actor, staff=person)
    for text in ("受講申込", "修了した研修", "mindset"):
        assert text in html
    assert "11時間" in html


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("self", True),
        ("dx", True),
        ("hr", True),
        ("head-of-unit", True),
        ("head-of-other-unit", False),
        ("other-staff", False),
        ("prefecture", False),
        ("other-organization", False),
    ],
)
def test_who_sees_the_panel(world: World, user_with_role, who: str, sees: bool) -> None:  # type: ignore[no-untyped-def]
    org = world.organization
    person = world.members[0]  # in 人事課 (0101)
    if who == "self":
        user = user_with_role(Role.STAFF, org=org)
        person.user = user
        person.save(update_fields=["user"])
        actor = actor_for(user, org.pk)
    elif who == "dx":
        actor = actor_for(user_with_role(Role.DX_OFFICE, org=org), org.pk)
    elif who == "hr":
        actor = actor_for(user_with_role(Role.HR, org=org), org.pk)
    elif who == "head-of-unit":
        actor = actor_for(user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0101"]), org.pk)
    elif who == "head-of-other-unit":
        actor = actor_for(user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0201"]), org.pk)
    elif who == "other-staff":
        actor = actor_for(user_with_role(Role.STAFF, org=org), org.pk)
    elif who == "prefecture":
        actor = actor_for(user_with_role(Role.PREFECTURE_SUPPORT, org=org), org.pk)
    else:
        other_unit = UnitFactory(organization=world.other)
        actor = actor_for(
            user_with_role(Role.UNIT_HEAD, org=world.other, unit=other_unit), world.other.pk
        )
    before = views()
    html = training_history_render(actor=actor, staff=person)
    assert bool(html) is sees
    assert views() == before + (1 if sees else 0)


def test_registered_for_the_profile_page(world: World) -> None:
    actor = Actor.command_line(world.organization)
    assert PANEL_KEY in {p.key for p in profile_panels_for(actor)}
    rendered = dict(
        (p.key, html) for p, html in render_profile_panels(actor=actor, staff=world.members[0])
    )
    assert "修了した研修" in rendered[PANEL_KEY]


def test_an_empty_history(world: World) -> None:
    html = training_history_render(actor=world.actor, staff=world.outsider)
    assert "受講歴はありません。" in html
