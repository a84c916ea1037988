"""`hagukumi backup` and `hagukumi restore`: a round trip keeps every table's rows."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hagukumi.core.audit import audit_record
from hagukumi.core.audit_chain import chain_verify
from hagukumi.core.models import AuditEvent, ImportJob, Role, User
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory

Action = AuditEvent.Action


def _every_table() -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name} ORDER BY 1")
            rows[table] = [tuple(row) for row in cursor.fetchall()]
    return rows


def _demo_like() -> None:
    org = OrganizationFactory(name="デモ市")
    units = [UnitFactory(organization=org, name=f"課{i}") for i in range(3)]
    for i in range(10):
        StaffFactory(organization=org, unit=units[i % 3])
    hr = UserFactory(username="jinji")
    MembershipFactory(user=hr, organization=org, role=Role.HR)
    MembershipFactory(
        user=UserFactory(username="kacho"), organization=org, role=Role.UNIT_HEAD, unit=units[0]
    )
    actor = actor_for(hr)
    for i in range(5):
        audit_record(actor=actor, action=Action.VIEW, target_repr=f"職員 {i:06d}")


def _run(*args: str, **kwargs: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_table(tmp_path: Path):
    _demo_like()
    backup = tmp_path / "hagukumi-backup.sqlite3"
    out = _run("backup", str(backup))
    assert "バックアップしました" in out
    assert backup.stat().st_mode & 0o077 == 0  # personal data: owner only
    saved = _every_table()
    assert AuditEvent.objects.filter(target_repr="データベース全体のバックアップ").exists()
    # The file is a plain, consistent SQLite database.
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM people_staff").fetchone() == (10,)
    finally:
        copy.close()

    # Life goes on after the backup ...
    User.objects.filter(username="jinji").update(display_name="変更後")
    StaffFactory(organization=OrganizationFactory())
    audit_record(action=Action.LOGIN, username="later")

    out = _run("restore", str(backup), "--yes")
    assert "復元しました" in out
    assert "監査ログの連鎖を確認しました" in out

    restored = _every_table()
    assert restored.keys() == saved.keys()
    for table, rows in saved.items():
        if table == AuditEvent._meta.db_table:
            # The restore itself is recorded in the restored log, after the saved rows.
            assert restored[table][: len(rows)] == rows
            assert len(restored[table]) == len(rows) + 1
        else:
            assert restored[table] == rows, table
    assert AuditEvent.objects.order_by("-id").first().target_repr == "データベース全体の復元"  # type: ignore[union-attr]
    assert chain_verify().ok
    # The restored database keeps its audit triggers.
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_checks_the_file(tmp_path: Path, monkeypatch):
    backup = tmp_path / "b.sqlite3"
    _run("backup", str(backup))
    with pytest.raises(CommandError, match="既にあります"):
        _run("backup", str(backup))
    _run("backup", str(backup), "--force")

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert "中止しました" in _run("restore", str(backup))

    not_ours = tmp_path / "other.sqlite3"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CommandError, match="はぐくみのバックアップではありません"):
        _run("restore", str(not_ours), "--yes")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(CommandError, match="SQLite のデータベースではありません"):
        _run("restore", str(garbage), "--yes")
    with pytest.raises(CommandError, match="ありません"):
        _run("restore", str(tmp_path / "missing.sqlite3"), "--yes")


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_restore_is_refused_while_an_import_runs(tmp_path: Path):
    backup = tmp_path / "b.sqlite3"
    _run("backup", str(backup))
    ImportJob.objects.create(
        organization=OrganizationFactory(), kind="x", lane="x", status=ImportJob.Status.RUNNING
    )
    with pytest.raises(CommandError, match="実行中です"):
        _run("restore", str(backup), "--yes")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_points_to_pg_dump_and_pg_restore(tmp_path: Path):
    with pytest.raises(CommandError, match="pg_dump --format=custom"):
        _run("backup", str(tmp_path / "b.dump"))
    with pytest.raises(CommandError, match="pg_restore"):
        _run("restore", str(tmp_path / "b.dump"), "--yes")
