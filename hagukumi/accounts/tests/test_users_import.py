"""The users and roles import (accounts.users_import) and its job kind."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from hagukumi.accounts.import_jobs import USERS_KIND, UsersImportOptions
from hagukumi.accounts.users_import import user_columns, users_import
from hagukumi.core.jobs import job_result, job_submit, jobs_run_pending
from hagukumi.core.models import ImportJob, Membership, Role, User
from hagukumi.core.tabular_export import write_table
from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import OrganizationKind
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Staff
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
FY = fiscal_year_of(timezone.localdate())


def users_file(rows: list[dict[str, Any]], *, format: str = "xlsx") -> bytes:
    return write_table(rows, columns=user_columns(), format=format)  # type: ignore[arg-type]


def row(username: str, roles: str = "職員", **extra: Any) -> dict[str, Any]:
    return {"username": username, "display_name": f"{username} さん", "roles": roles, **extra}


def _import(admin: Any, rows: list[dict[str, Any]], **kw: Any):  # type: ignore[no-untyped-def]
    return users_import(
        actor=admin,
        organization=admin.organization,
        source=users_file(rows),
        filename="users.xlsx",
        **kw,
    )


def _errors(exc: pytest.ExceptionInfo[TabularImportError]) -> list[str]:
    return [f"{e.row}:{e.column}:{e.message}" for e in exc.value.errors]


def test_dry_run_then_import_creates_users_without_passwords(admin, organization):  # type: ignore[no-untyped-def]
    unit = UnitFactory(organization=organization, code="0101", name="総務課")
    staff = StaffFactory(organization=organization, number="000123")
    rows = [
        row("hr1", "人事担当、職員", staff_number="000123"),
        row("head1", "所属長", unit_code="0101"),
    ]
    dry = _import(admin, rows, dry_run=True)
    assert dry.counts["new"] == 2
    assert not User.objects.filter(username="hr1").exists()
    result = _import(admin, rows)
    assert result.counts["new"] == 2
    assert result.created == 2
    hr1 = User.objects.get(username="hr1")
    assert not hr1.has_usable_password()
    assert hr1.initial_password_pending
    assert hr1.must_change_password
    assert set(hr1.memberships.values_list("role", flat=True)) == {Role.HR, Role.STAFF}
    staff.refresh_from_db()
    assert staff.user == hr1
    head = Membership.objects.get(user__username="head1")
    assert head.role == Role.UNIT_HEAD
    assert head.unit == unit
    assert "初期パスワードの発行" in result.lines()[-1]


def test_reimport_of_the_export_changes_nothing(admin, organization, admin_client):  # type: ignore[no-untyped-def]
    UnitFactory(organization=organization, code="0101")
    StaffFactory(organization=organization, number="000123")
    _import(
        admin,
        [row("hr1", "人事担当", staff_number="000123"), row("head1", "所属長", unit_code="0101")],
    )
    response = admin_client.get(reverse("accounts:users_export") + "?format=xlsx")
    assert response.status_code == 200
    again = users_import(
        actor=admin,
        organization=organization,
        source=response.content,
        filename="export.xlsx",
    )
    assert again.counts.get("new", 0) == 0
    assert again.counts.get("changed", 0) == 0
    assert again.counts["unchanged"] == 3  # admin, hr1, head1


def test_update_syncs_roles_and_name(admin, organization):  # type: ignore[no-untyped-def]
    _import(admin, [row("hr1", "人事担当")])
    result = _import(admin, [{**row("hr1", "DX推進担当"), "display_name": "新しい名前"}])
    assert result.counts["changed"] == 1
    user = User.objects.get(username="hr1")
    assert user.display_name == "新しい名前"
    assert list(user.memberships.values_list("role", flat=True)) == [Role.DX_OFFICE]


def test_bad_rows_are_all_reported_and_nothing_is_written(admin, organization):  # type: ignore[no-untyped-def]
    UnitFactory(organization=organization, code="OLD", valid_from_fy=2000, valid_to_fy=2001)
    UnitFactory(organization=organization, code="0101")
    foreign = OrganizationFactory()
    UnitFactory(organization=foreign, code="X1")
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organization=foreign, role=Role.STAFF)
    rows = [
        row("dup"),
        row("DUP"),
        row("r3", "課長"),
        row("r4", "都道府県支援担当"),
        row("r5", "所属長"),
        row("r6", "所属長", unit_code="OLD"),
        row("r7", "所属長", unit_code="X1"),
        row("r8", "職員", unit_code="0101"),
        row("stranger"),
        row("r10", "職員", staff_number="999999"),
    ]
    with pytest.raises(TabularImportError) as exc:
        _import(admin, rows)
    errors = _errors(exc)
    assert any(e.startswith("3:ユーザー名:行 2 と同じユーザー名") for e in errors)
    assert any(e.startswith("4:役割:役割「課長」はありません") for e in errors)
    assert any(e.startswith("5:役割:都道府県支援担当は都道府県の団体でのみ") for e in errors)
    assert any(e.startswith("6:所属コード:所属長には所属コードが必要") for e in errors)
    assert any(e.startswith("7:所属コード:所属コード「OLD」は") for e in errors)
    assert any(e.startswith("8:所属コード:所属コード「X1」は") for e in errors)
    assert any(e.startswith("9:所属コード:所属コードは所属長の場合だけ") for e in errors)
    assert any(
        e.startswith("10:ユーザー名:ユーザー名「stranger」は既に使われています") for e in errors
    )
    assert any(
        e.startswith("11:職員番号:職員番号「999999」の職員は登録されていません") for e in errors
    )
    assert User.objects.count() == 2  # admin and stranger


def test_prefecture_support_in_a_prefecture(user_with_role):  # type: ignore[no-untyped-def]
    from hagukumi.core.tenancy import actor_for

    prefecture = OrganizationFactory(kind=OrganizationKind.PREFECTURE)
    admin = actor_for(user_with_role(Role.SYSTEM_ADMIN, org=prefecture), prefecture.pk)
    result = _import(admin, [row("support1", "都道府県支援担当")])
    assert result.counts["new"] == 1


def test_the_last_system_admin_is_kept(admin):  # type: ignore[no-untyped-def]
    with pytest.raises(TabularImportError) as exc:
        _import(admin, [row("admin", "職員")])
    assert any("最後のシステム管理者" in e for e in _errors(exc))


def test_staff_already_linked_elsewhere(admin, organization):  # type: ignore[no-untyped-def]
    other = UserFactory()
    MembershipFactory(user=other, organization=organization, role=Role.STAFF)
    StaffFactory(organization=organization, number="000555", user=other)
    with pytest.raises(TabularImportError) as exc:
        _import(admin, [row("new1", staff_number="000555")])
    assert any("既に別の利用者に紐付いています" in e for e in _errors(exc))


def test_job_flow_then_one_download(admin, organization, admin_client, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    job = job_submit(
        actor=admin,
        kind=USERS_KIND,
        source=users_file([row("u1"), row("u2")]),
        filename="users.xlsx",
        options=UsersImportOptions(),
    )
    assert job.options["dry_run"] is True
    list(jobs_run_pending(once=True))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    confirm = admin_client.post(reverse("core:job_confirm", kwargs={"pk": job.pk}))
    assert confirm.status_code == 302
    list(jobs_run_pending(once=True))
    real = ImportJob.objects.filter(confirmed_from=job).get()
    assert real.status == ImportJob.Status.SUCCEEDED, real.result_lines
    links = job_result(real).links
    assert [link.url_name for link in links] == ["accounts:initial_passwords"]

    page = admin_client.get(reverse("accounts:initial_passwords"))
    assert "2名" in page.content.decode()
    download = admin_client.post(reverse("accounts:initial_passwords"))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("ユーザー名", "氏名", "仮パスワード")
    passwords = {r[0]: r[2] for r in values[1:]}
    assert set(passwords) == {"u1", "u2"}
    assert User.objects.get(username="u1").check_password(passwords["u1"])
    # Once: the second download gives nothing.
    second = admin_client.post(reverse("accounts:initial_passwords"))
    assert second.status_code == 302
    # The passwords are in no stored job field.
    for stored in ImportJob.objects.all():
        text = f"{stored.result} {stored.result_lines} {stored.options} {stored.errors}"
        assert passwords["u1"] not in text


def test_staff_numbers_unchanged_are_not_relinked(admin, organization):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, number="000777")
    _import(admin, [row("u1", staff_number="000777")])
    result = _import(admin, [row("u1", staff_number="000777")])
    assert result.counts["unchanged"] == 1
    staff.refresh_from_db()
    assert staff.user is not None
    assert staff.user.username == "u1"
    assert Staff.objects.filter(user__username="u1").count() == 1
