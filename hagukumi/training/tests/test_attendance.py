"""Recording attendance by hand and e-learning completions (training.services.attendance)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import Attendance, AttendanceStatus, RecordSource
from hagukumi.training.selectors.attendance import attendance_sheet, counted_hours
from hagukumi.training.services.attendance import (
    MSG_UNKNOWN_SESSION,
    AttendanceEntry,
    attendance_record,
    attendance_set,
    elearning_complete,
)
from hagukumi.training.tests.test_attendance_world import World, build_world

pytestmark = pytest.mark.django_db
S = AttendanceStatus


@pytest.fixture
def world() -> World:
    return build_world()


def _messages(exc: pytest.ExceptionInfo[ApplicationError]) -> list[str]:
    return [e["message"] for e in exc.value.extra.get("errors", [])] or [exc.value.message]


def test_many_staff_at_once_are_recorded_and_audited(world: World) -> None:
    session = world.sessions["C1-1"]
    a, b, c = world.members[:3]
    done = attendance_record(
        actor=world.actor,
        session_id=session.pk,
        entries=[
            AttendanceEntry(a.pk, S.PRESENT),
            AttendanceEntry(b.pk, S.LATE, Decimal("3.5")),
            AttendanceEntry(c.pk, S.WAIVED, waived_reason="前年度に受講済み"),
        ],
    )
    assert len(done.created) == 3
    rows = {r.staff_id: r for r in Attendance.objects.filter(session=session)}
    assert rows[a.pk].status == S.PRESENT
    assert rows[a.pk].hours is None
    assert rows[b.pk].hours == Decimal("3.5")
    assert rows[c.pk].waived_reason == "前年度に受講済み"
    assert {r.source for r in rows.values()} == {RecordSource.MANUAL}
    assert {r.recorded_by_name for r in rows.values()} == {"コマンドライン"}
    assert rows[a.pk].organization_id == world.organization.pk
    events = AuditEvent.objects.filter(
        target_type="training.Attendance", action=AuditEvent.Action.CREATE
    )
    assert events.count() == 3
    assert {e.target_repr for e in events} >= {f"出欠 {a.number} {a.name}"}


def test_recording_again_changes_only_what_differs(world: World) -> None:
    session = world.sessions["C1-1"]
    person = world.members[0]
    attendance_set(actor=world.actor, session_id=session.pk, staff_id=person.pk, status=S.PRESENT)
    again = attendance_set(
        actor=world.actor, session_id=session.pk, staff_id=person.pk, status=S.PRESENT
    )
    assert (len(again.created), len(again.changed), again.unchanged) == (0, 0, 1)
    changed = attendance_set(
        actor=world.actor,
        session_id=session.pk,
        staff_id=person.pk,
        status=S.LEFT_EARLY,
        hours=Decimal("2"),
    )
    assert len(changed.changed) == 1
    update = AuditEvent.objects.get(
        action=AuditEvent.Action.UPDATE, target_type="training.Attendance"
    )
    assert update.detail["changes"]["status"] == ["出席", "早退"]


@pytest.mark.parametrize(
    ("status", "hours", "reason", "expected"),
    [
        (
            S.PRESENT,
            Decimal("4.5"),
            "",
            "受講時間 4.5 が研修コード「C1」の第1回の時間数（4時間）を超えています",
        ),
        (S.PRESENT, Decimal("-1"), "", "受講時間 -1 は0以上で入力してください"),
        (S.ABSENT, Decimal("1"), "", "欠席の受講時間は入力できません（空欄か0）"),
        (S.WAIVED, None, "", "免除には理由が必要です"),
        (S.PRESENT, None, "体調不良", "理由は免除のときだけ入力できます"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_saved(
    world: World, status: str, hours: Decimal | None, reason: str, expected: str
) -> None:
    good, bad = world.members[:2]
    with pytest.raises(ApplicationError) as exc:
        attendance_record(
            actor=world.actor,
            session_id=world.sessions["C1-1"].pk,
            entries=[
                AttendanceEntry(good.pk, S.PRESENT),
                AttendanceEntry(bad.pk, status, hours, reason),
            ],
        )
    assert _messages(exc) == [f"職員 {bad.number} {bad.name}: {expected}"]
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(target_type="training.Attendance").exists()


def test_staff_not_in_the_cohort_is_refused(world: World) -> None:
    with pytest.raises(ApplicationError) as exc:
        attendance_set(
            actor=world.actor,
            session_id=world.sessions["C1-1"].pk,
            staff_id=world.outsider.pk,
            status=S.PRESENT,
        )
    assert _messages(exc) == [
        f"職員 {world.outsider.number} {world.outsider.name}: この期の受講者ではありません"
    ]


def test_stand_alone_course_needs_an_enrolment_in_its_run(world: World) -> None:
    session = world.sessions["S1-1"]
    attendance_set(
        actor=world.actor, session_id=session.pk, staff_id=world.members[0].pk, status=S.PRESENT
    )
    with pytest.raises(ApplicationError) as exc:
        attendance_set(
            actor=world.actor,
            session_id=session.pk,
            staff_id=world.members[1].pk,
            status=S.PRESENT,
        )
    assert "この研修（2025年度）の受講者ではありません" in _messages(exc)[0]


def test_a_session_of_another_organization_reads_as_unknown(world: World) -> None:
    person = world.members[0]
    messages = []
    for session_id in (world.other_session.pk, 999_999, "x"):
        with pytest.raises(ApplicationError) as exc:
            attendance_set(
                actor=world.actor, session_id=session_id, staff_id=person.pk, status=S.PRESENT
            )
        messages.append(exc.value.message)
    assert messages == [MSG_UNKNOWN_SESSION] * 3
    assert not Attendance.objects.filter(session=world.other_session).exists()


def test_staff_of_another_organization_reads_as_unknown(world: World) -> None:
    stranger = StaffFactory(organization=world.other)
    with pytest.raises(ApplicationError) as exc:
        attendance_set(
            actor=world.actor,
            session_id=world.sessions["C1-1"].pk,
            staff_id=stranger.pk,
            status=S.PRESENT,
        )
    assert _messages(exc) == ["職員が見つかりません。"]


def test_only_dx_office_of_the_organization_records(world: World, user_with_role) -> None:  # type: ignore[no-untyped-def]
    session = world.sessions["C1-1"]
    person = world.members[0]
    hr = actor_for(user_with_role(Role.HR, org=world.organization), world.organization.pk)
    for actor in (hr, Actor.system()):
        with pytest.raises(AccessDenied):
            attendance_set(actor=actor, session_id=session.pk, staff_id=person.pk, status=S.PRESENT)
    # DX推進担当 of another 団体: the session does not exist for them.
    with pytest.raises(ApplicationError, match=MSG_UNKNOWN_SESSION):
        attendance_set(
            actor=Actor.command_line(world.other),
            session_id=session.pk,
            staff_id=person.pk,
            status=S.PRESENT,
        )
    assert not Attendance.objects.exists()
    dx = actor_for(user_with_role(Role.DX_OFFICE, org=world.organization), world.organization.pk)
    done = attendance_set(actor=dx, session_id=session.pk, staff_id=person.pk, status=S.PRESENT)
    assert done.created[0].recorded_by_name == dx.user.get_username()  # type: ignore[union-attr]


def test_elearning_completion_of_a_self_paced_session(world: World) -> None:
    session = world.sessions["C2-1"]
    done = elearning_complete(
        actor=world.actor, session_id=session.pk, staff_ids=[m.pk for m in world.members[:2]]
    )
    assert [r.status for r in done.created] == [S.PRESENT, S.PRESENT]
    with pytest.raises(ApplicationError, match="日付のある回です"):
        elearning_complete(
            actor=world.actor,
            session_id=world.sessions["C1-1"].pk,
            staff_ids=[world.members[0].pk],
        )


def test_counted_hours() -> None:
    four = Decimal("4")
    assert counted_hours(status=S.PRESENT, hours=None, session_hours=four) == four
    assert counted_hours(status=S.WAIVED, hours=None, session_hours=four) == four
    assert counted_hours(status=S.LATE, hours=None, session_hours=four) == 0
    assert counted_hours(status=S.LATE, hours=Decimal("3"), session_hours=four) == 3
    assert counted_hours(status=S.ABSENT, hours=None, session_hours=four) == 0


def test_attendance_sheet_lists_the_members(world: World, user_with_role) -> None:  # type: ignore[no-untyped-def]
    session = world.sessions["C1-1"]
    attendance_set(
        actor=world.actor, session_id=session.pk, staff_id=world.members[0].pk, status=S.PRESENT
    )
    sheet = attendance_sheet(actor=world.actor, session_id=session.pk)
    assert [r.staff_number for r in sheet.rows] == [m.number for m in world.members]
    assert sheet.recorded == 1
    with pytest.raises(AccessDenied):
        attendance_sheet(actor=Actor.command_line(world.other), session_id=session.pk)
    staff_user = actor_for(
        user_with_role(Role.STAFF, org=world.organization), world.organization.pk
    )
    with pytest.raises(AccessDenied):
        attendance_sheet(actor=staff_user, session_id=session.pk)
