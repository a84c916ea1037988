"""異動・任用の記録: the one 異動歴 writer, corrections, the 人事異動 import and its pages."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_export import write_table
from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tenancy import Actor
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Assignment, Staff
from hagukumi.people.roster_import import staff_import
from hagukumi.people.selectors.assignments import assignment_history
from hagukumi.people.services.assignments import (
    AssignmentMove,
    AssignmentRetirement,
    assignment_correct,
    assignments_write,
    open_assignments,
    staff_current_apply,
)
from hagukumi.people.tests.conftest import roster_file, roster_row
from hagukumi.people.tests.test_metrics import designate, make_framework
from hagukumi.people.transfer_import import (
    LEADERLESS_PREFIX,
    transfer_columns,
    transfer_import,
)

pytestmark = pytest.mark.django_db

D = dt.date


def transfers_file(rows: list[dict[str, Any]]) -> bytes:
    return write_table(rows, columns=transfer_columns(), format="xlsx")  # type: ignore[arg-type]


def t_row(number: str, day: dt.date, unit: str, **extra: Any) -> dict[str, Any]:
    return {"number": number, "effective_date": day, "unit_code": unit, **extra}


@pytest.fixture
def hr(organization):  # type: ignore[no-untyped-def]
    return Actor.command_line(organization)


@pytest.fixture
def placed(organization, tree, hr):  # type: ignore[no-untyped-def]
    """Three staff placed by the roster on 2024-04-01 (0101, 0101, 0201)."""
    rows = [
        roster_row("000001", "一 太郎", "0101"),
        roster_row("000002", "二 花子", "0101"),
        roster_row("000003", "三 次郎", "0201"),
    ]
    staff_import(
        actor=hr,
        organization=organization,
        source=roster_file(rows),
        filename="r.xlsx",
        effective_date=D(2024, 4, 1),
    )
    return {s.number: s for s in Staff.objects.filter(organization=organization)}


def _periods(staff: Staff) -> list[tuple[str, dt.date, dt.date | None]]:
    return [
        (a.unit.code, a.starts_on, a.ends_on)
        for a in Assignment.objects.filter(staff=staff).select_related("unit").order_by("starts_on")
    ]


# ------------------------------------------------------------------ the one writer


def test_writer_closes_replaces_and_retires(organization, tree, placed):  # type: ignore[no-untyped-def]
    one, two = placed["000001"], placed["000002"]
    current = open_assignments(organization=organization)
    assignments_write(
        moves=[AssignmentMove(one, tree["0201"], "主任", 2, D(2025, 4, 1))],
        retirements=[AssignmentRetirement(two, D(2025, 3, 31))],
        current=current,
    )
    assert _periods(one) == [("0101", D(2024, 4, 1), D(2025, 3, 31)), ("0201", D(2025, 4, 1), None)]
    assert _periods(two) == [("0101", D(2024, 4, 1), D(2025, 3, 31))]
    # A move on the same day as the open period replaces it (a correction).
    assignments_write(
        moves=[AssignmentMove(one, tree["0102"], "主任", 2, D(2025, 4, 1))],
        current=open_assignments(organization=organization),
    )
    assert _periods(one)[-1] == ("0102", D(2025, 4, 1), None)
    assert len(_periods(one)) == 2


def test_roster_import_still_records_a_change_of_unit(organization, tree, placed, hr):  # type: ignore[no-untyped-def]
    staff_import(
        actor=hr,
        organization=organization,
        source=roster_file([roster_row("000001", "一 太郎", "0102")]),
        filename="r.xlsx",
        effective_date=D(2025, 10, 1),
    )
    assert _periods(placed["000001"]) == [
        ("0101", D(2024, 4, 1), D(2025, 9, 30)),
        ("0102", D(2025, 10, 1), None),
    ]


# ------------------------------------------------------------------ the 異動 import


def test_transfer_import_dry_run_then_real(organization, tree, placed, hr):  # type: ignore[no-untyped-def]
    framework = make_framework(organization)
    designate(placed["000003"], framework, from_fy=2024)  # the only leader of 0201
    rows = [
        t_row("000003", D(2025, 4, 1), "0101", position="主任", grade=2),
        t_row("000001", D(2099, 4, 1), "0102"),
    ]
    dry = transfer_import(
        actor=hr,
        organization=organization,
        source=transfers_file(rows),
        dry_run=True,
        today=D(2025, 5, 1),
    )
    assert dry.counts["new"] == 2
    assert f"{LEADERLESS_PREFIX}デジタル推進課" in dry.lines()
    assert len(_periods(placed["000003"])) == 1
    real = transfer_import(
        actor=hr, organization=organization, source=transfers_file(rows), today=D(2025, 5, 1)
    )
    assert real.warnings == [f"{LEADERLESS_PREFIX}デジタル推進課"]
    three = Staff.objects.get(pk=placed["000003"].pk)
    assert (three.unit.code, three.position, three.grade) == ("0101", "主任", 2)
    # A 発令 ahead of its date is recorded; the current 所属 waits for the day.
    one = Staff.objects.get(pk=placed["000001"].pk)
    assert one.unit.code == "0101"
    assert _periods(one)[-1] == ("0102", D(2099, 4, 1), None)
    changes = staff_current_apply(actor=hr, organization=organization, on=D(2099, 4, 1))
    assert [c.staff.number for c in changes] == ["000001"]
    one.refresh_from_db()
    assert one.unit.code == "0102"
    assert AuditEvent.objects.filter(target_repr="人事異動（異動歴）").exists()


def test_transfer_import_bad_rows(organization, tree, placed, hr):  # type: ignore[no-untyped-def]
    UnitFactory(organization=organization, code="9901", valid_from_fy=2030)
    rows = [
        t_row("000001", D(2025, 4, 1), "9901"),  # exists only from FY2030
        t_row("000002", D(2024, 3, 1), "0102"),  # before the current period began
        t_row("999999", D(2025, 4, 1), "0102"),
        t_row("000003", D(2025, 4, 1), "0102"),
        t_row("000003", D(2025, 5, 1), "0101"),
        t_row("000003", D(2025, 4, 1), "NOPE"),
    ]
    with pytest.raises(TabularImportError) as exc:
        transfer_import(actor=hr, organization=organization, source=transfers_file(rows))
    errors = [f"{e.row}:{e.column}:{e.message}" for e in exc.value.errors]
    assert any(e.startswith("2:新所属コード:所属コード「9901」は発令日 2025-04-01") for e in errors)
    assert any(
        e.startswith("3:発令日:発令日が現在の異動歴の発令日（2024-04-01）より前") for e in errors
    )
    assert any(e.startswith("4:職員番号:職員番号「999999」") for e in errors)
    assert any(e.startswith("6:職員番号:行 5 と同じ職員") for e in errors)
    assert Assignment.objects.filter(staff__organization=organization).count() == 3


def test_transfer_import_needs_hr(organization, tree, placed, actor_of):  # type: ignore[no-untyped-def]
    rows = [t_row("000001", D(2025, 4, 1), "0102")]
    with pytest.raises(AccessDenied):
        transfer_import(
            actor=actor_of(Role.DX_OFFICE), organization=organization, source=transfers_file(rows)
        )
    other = Actor.command_line(OrganizationFactory())
    with pytest.raises(AccessDenied):
        transfer_import(actor=other, organization=organization, source=transfers_file(rows))


def test_import_transfers_command(organization, tree, placed, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    path = tmp_path / "transfers.xlsx"
    path.write_bytes(transfers_file([t_row("000002", D(2025, 4, 1), "0102")]))
    out = StringIO()
    call_command(
        "import_transfers", str(path), "--organization", organization.code, "--dry-run", stdout=out
    )
    assert "発令 1件" in out.getvalue()
    assert len(_periods(placed["000002"])) == 1


# ------------------------------------------------------------------ corrections


def test_correction_with_reason_is_audited(organization, tree, placed, actor_of):  # type: ignore[no-untyped-def]
    hr = actor_of(Role.HR)
    one = placed["000001"]
    period = Assignment.objects.get(staff=one)
    with pytest.raises(ApplicationError, match="理由"):
        assignment_correct(
            actor=hr,
            assignment_id=period.pk,
            unit_code="0102",
            position="主事",
            grade=1,
            starts_on=D(2024, 4, 1),
            ends_on=None,
            reason=" ",
        )
    assignment_correct(
        actor=hr,
        assignment_id=period.pk,
        unit_code="0102",
        position="主事",
        grade=1,
        starts_on=D(2024, 4, 1),
        ends_on=None,
        reason="所属の入力誤り",
        today=D(2025, 1, 1),
    )
    one.refresh_from_db()
    assert one.unit.code == "0102"
    event = AuditEvent.objects.filter(target_id=str(one.pk), action="update").latest("id")
    assert event.detail["reason"] == "所属の入力誤り"
    assert event.detail["correction"]["unit"] == ["0101", "0102"]


def test_correction_refuses_overlap_and_unknown_unit(organization, tree, placed, actor_of):  # type: ignore[no-untyped-def]
    hr = actor_of(Role.HR)
    one = placed["000001"]
    assignments_write(
        moves=[AssignmentMove(one, tree["0201"], "主事", 1, D(2025, 4, 1))],
        current=open_assignments(organization=organization),
    )
    first = Assignment.objects.filter(staff=one).order_by("starts_on").first()
    assert first is not None
    common = {"position": "主事", "grade": 1, "reason": "訂正"}
    with pytest.raises(ApplicationError, match="重なります"):
        assignment_correct(
            actor=hr,
            assignment_id=first.pk,
            unit_code="0101",
            starts_on=D(2024, 4, 1),
            ends_on=D(2025, 6, 30),
            **common,
        )
    with pytest.raises(ApplicationError, match="組織にありません"):
        assignment_correct(
            actor=hr,
            assignment_id=first.pk,
            unit_code="NOPE",
            starts_on=D(2024, 4, 1),
            ends_on=D(2025, 3, 31),
            **common,
        )


def test_history_is_hr_only_and_audited(organization, tree, placed, actor_of):  # type: ignore[no-untyped-def]
    one = placed["000001"]
    history = assignment_history(actor=actor_of(Role.HR), staff_id=one.pk, today=D(2025, 1, 1))
    assert [line.state for line in history.lines] == ["現在"]
    assert AuditEvent.objects.filter(target_id=str(one.pk), action="view").exists()
    with pytest.raises(AccessDenied):
        assignment_history(actor=actor_of(Role.DX_OFFICE), staff_id=one.pk)


# ------------------------------------------------------------------ pages


@pytest.fixture
def hr_client(user_with_role):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user_with_role(Role.HR))
    return client


def test_pages(hr_client, placed):  # type: ignore[no-untyped-def]
    one = placed["000001"]
    hub = hr_client.get(reverse("people:assignments") + "?q=000001")
    assert hub.status_code == 200
    assert reverse("people:staff_assignments", kwargs={"pk": one.pk}) in hub.content.decode()
    page = hr_client.get(reverse("people:staff_assignments", kwargs={"pk": one.pk}))
    assert "0101" in page.content.decode()
    period = Assignment.objects.get(staff=one)
    edit = reverse("people:assignment_edit", kwargs={"pk": period.pk})
    assert hr_client.get(edit).status_code == 200
    done = hr_client.post(
        edit,
        {
            "unit_code": "0101",
            "position": "主任",
            "grade": "2",
            "starts_on": "2024-04-01",
            "ends_on": "",
            "reason": "職位の入力誤り",
        },
    )
    assert done.status_code == 302
    period.refresh_from_db()
    assert period.position == "主任"
    assert hr_client.get(reverse("people:transfers_upload")).status_code == 200
    assert hr_client.get(reverse("people:transfers_template")).status_code == 200


def test_home_task_is_a_link(hr_client):  # type: ignore[no-untyped-def]
    body = hr_client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("people:assignments")}"' in body


def test_hr_of_another_organization_changes_nothing(placed):  # type: ignore[no-untyped-def]
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=OrganizationFactory(), role=Role.HR)
    client = Client()
    client.force_login(stranger)
    period = Assignment.objects.get(staff=placed["000001"])
    response = client.post(
        reverse("people:assignment_edit", kwargs={"pk": period.pk}),
        {
            "unit_code": "0102",
            "position": "部長",
            "grade": "9",
            "starts_on": "2024-04-01",
            "reason": "乗っ取り",
        },
    )
    assert response.status_code == 404
    period.refresh_from_db()
    assert (period.unit.code, period.position) == ("0101", "主事")
    assert (
        client.get(
            reverse("people:staff_assignments", kwargs={"pk": placed["000001"].pk})
        ).status_code
        == 404
    )
