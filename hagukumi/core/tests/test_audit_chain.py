"""Tamper evidence of the audit log (issue [品質] 3): REPLACE/UPSERT refused, the hash chain,
`hagukumi audit_verify`, and refused accesses to personal data."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hagukumi.core.audit import (
    REFUSED_AUDIT_WINDOW_SECONDS,
    SQLITE_PURGE_GATE_TABLE,
    audit_record,
    personal_data_path_prefix,
    register_personal_data_path,
)
from hagukumi.core.audit_chain import GENESIS_HASH, chain_verify, event_hash
from hagukumi.core.models import AuditEvent, AuditLogAppendOnlyError, Role
from hagukumi.core.tests.concurrency import in_threads

Action = AuditEvent.Action
TABLE = AuditEvent._meta.db_table
COLUMNS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organization_id",
    "organization_name",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "detail",
    "ip_address",
    "user_agent",
    "path",
    "previous_hash",
    "row_hash",
)


def _raw(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert_sql(suffix: str = "", verb: str = "INSERT") -> str:
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    return f"{verb} INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders}) {suffix}"


def _values(row_id: int, **fields: object) -> list[object]:
    values: dict[str, object] = {
        "id": row_id,
        "occurred_at": timezone.now(),
        "actor_id": None,
        "actor_username": "forger",
        "organization_id": None,
        "organization_name": "",
        "action": Action.LOGIN,
        "target_type": "",
        "target_id": "",
        "target_repr": "forged",
        "detail": "{}",
        "ip_address": None,
        "user_agent": "",
        "path": "",
        "previous_hash": GENESIS_HASH,
        "row_hash": "f" * 64,
        **fields,
    }
    return [values[c] for c in COLUMNS]


def _drop_append_only_triggers() -> None:
    # What someone who owns the database can always do (rolled back with the test).
    if connection.vendor == "sqlite":
        for name in ("core_auditevent_no_update", "core_auditevent_no_delete"):
            _raw(f"DROP TRIGGER {name}")
    else:
        _raw(f"DROP TRIGGER core_auditevent_append_only ON {TABLE}")


def _verify_command(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        _verify_command(*args)
    return str(excinfo.value)


# REPLACE / UPSERT -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("verb", "suffix"),
    [("INSERT OR REPLACE", ""), ("REPLACE", ""), ("INSERT", "ON CONFLICT (id) DO NOTHING")],
)
def test_sqlite_replace_of_an_audit_row_is_refused(verb, suffix):
    event = audit_record(action=Action.LOGIN, username="a", target_repr="original")
    with pytest.raises(IntegrityError, match="置き換え"), transaction.atomic():
        _raw(_insert_sql(suffix, verb=verb), _values(event.pk, target_repr="rewritten"))
    event.refresh_from_db()
    assert event.target_repr == "original"
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_upsert_of_an_audit_row_is_refused():
    event = audit_record(action=Action.LOGIN, username="a", target_repr="original")
    sql = _insert_sql("ON CONFLICT (id) DO UPDATE SET target_repr = 'rewritten'")
    with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
        _raw(sql, _values(event.pk))
    event.refresh_from_db()
    assert event.target_repr == "original"


@pytest.mark.django_db
def test_a_new_row_is_still_accepted_by_the_insert_trigger():
    first = audit_record(action=Action.LOGIN, username="a")
    _raw(_insert_sql(), _values(first.pk + 10))
    assert AuditEvent.objects.count() == 2


def test_bulk_create_is_refused():
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action=Action.LOGIN)])


# The chain ---------------------------------------------------------------------


@pytest.mark.django_db
def test_each_row_links_to_the_one_before():
    first = audit_record(action=Action.LOGIN, username="a", detail={"n": 1, "x": [1.5, "y"]})
    second = audit_record(action=Action.VIEW, username="a", target_repr="職員 000123 山田 太郎")
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.row_hash
    for event in (first, second):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert len(stored.row_hash) == 64
        # What the database gives back hashes to what was stored.
        assert event_hash(stored, stored.previous_hash) == stored.row_hash
    report = chain_verify()
    assert (report.ok, report.rows, report.head_id, report.head_hash) == (
        True,
        2,
        second.pk,
        second.row_hash,
    )


@pytest.mark.django_db
def test_numbers_and_tuples_in_detail_survive_the_round_trip():
    event = audit_record(
        action=Action.UPDATE,
        username="a",
        detail={"big": 1e16, "one": 1.0, "tuple": (1, 2), "nested": {"b": None, "a": True}},
        organization=None,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert event_hash(stored, stored.previous_hash) == stored.row_hash
    assert chain_verify().ok


@pytest.mark.django_db
def test_the_hash_covers_every_field():
    event = audit_record(action=Action.LOGIN, username="a")
    for field, value in [
        ("occurred_at", event.occurred_at + dt.timedelta(microseconds=1)),
        ("actor_username", "b"),
        ("action", Action.LOGOUT),
        ("detail", {"k": 1}),
        ("ip_address", "192.0.2.1"),
        ("path", "/x/"),
    ]:
        changed = AuditEvent.objects.get(pk=event.pk)
        setattr(changed, field, value)
        assert event_hash(changed, changed.previous_hash) != event.row_hash, field
    assert event_hash(event, "1" * 64) != event.row_hash


@pytest.mark.django_db
def test_audit_verify_accepts_an_intact_log():
    assert "監査ログは空です" in _verify_command()
    for i in range(5):
        audit_record(action=Action.VIEW, username="a", target_repr=f"記録{i}")
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    out = _verify_command()
    assert "5 件" in out
    assert f"最後の記録: {last.pk}:{last.row_hash}" in out
    # The head noted earlier is still part of the chain after more rows.
    audit_record(action=Action.VIEW, username="a")
    assert "6 件" in _verify_command("--expect-head", f"{last.pk}:{last.row_hash}")


@pytest.mark.django_db
def test_audit_verify_names_an_altered_row():
    events = [
        audit_record(action=Action.VIEW, username="a", target_repr=f"記録{i}") for i in range(4)
    ]
    _drop_append_only_triggers()
    _raw(f"UPDATE {TABLE} SET target_repr = 'だれも見ていない' WHERE id = %s", [events[2].pk])
    message = _verify_fails()
    assert f"監査ログ ID {events[2].pk} の記録が改ざんされています" in message


@pytest.mark.django_db
def test_audit_verify_finds_an_altered_row_whose_hash_was_recomputed():
    events = [
        audit_record(action=Action.VIEW, username="a", target_repr=f"記録{i}") for i in range(4)
    ]
    _drop_append_only_triggers()
    altered = AuditEvent.objects.get(pk=events[1].pk)
    altered.target_repr = "書き換え"
    _raw(
        f"UPDATE {TABLE} SET target_repr = %s, row_hash = %s WHERE id = %s",
        [altered.target_repr, event_hash(altered, altered.previous_hash), altered.pk],
    )
    message = _verify_fails()
    assert f"ID {events[1].pk} の記録が改ざんされています" in message


@pytest.mark.django_db
def test_audit_verify_names_a_removed_row():
    events = [
        audit_record(action=Action.VIEW, username="a", target_repr=f"記録{i}") for i in range(4)
    ]
    # The probe's way in: open the purge gate by hand (SQLite) / drop the trigger.
    if connection.vendor == "sqlite":
        _raw(f"INSERT INTO {SQLITE_PURGE_GATE_TABLE} (opened) VALUES (1)")
    else:
        _drop_append_only_triggers()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    message = _verify_fails()
    assert f"ID {events[0].pk} と ID {events[2].pk} の間の記録が削除された" in message


@pytest.mark.django_db
def test_audit_verify_names_removed_first_rows():
    events = [audit_record(action=Action.VIEW, username="a") for _ in range(3)]
    _drop_append_only_triggers()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    assert f"ID {events[1].pk} より前の記録が削除されています" in _verify_fails()


@pytest.mark.django_db
def test_audit_verify_names_an_inserted_row():
    first = audit_record(action=Action.VIEW, username="a")
    # Leave a gap of ids, as a rolled-back transaction does on PostgreSQL.
    later = AuditEvent.objects.create(id=first.pk + 5, action=Action.VIEW, actor_username="a")
    forged = AuditEvent(
        id=first.pk + 2,
        occurred_at=first.occurred_at,
        actor_username="a",
        action=Action.LOGIN,
        target_repr="偽の記録",
        detail={},
    )
    # A careful forger computes a valid hash that links to the row before.
    row_hash = event_hash(forged, first.row_hash)
    _raw(
        _insert_sql(),
        _values(
            forged.id,
            occurred_at=forged.occurred_at,
            actor_username="a",
            target_repr="偽の記録",
            previous_hash=first.row_hash,
            row_hash=row_hash,
        ),
    )
    assert later.previous_hash == first.row_hash
    message = _verify_fails()
    assert f"監査ログ ID {forged.id} は後から挿入された記録です" in message


@pytest.mark.django_db
def test_audit_verify_names_a_forged_last_row():
    first = audit_record(action=Action.VIEW, username="a")
    _raw(_insert_sql(), _values(first.pk + 1, previous_hash=first.row_hash))
    assert f"ID {first.pk + 1} の記録が改ざんされています" in _verify_fails()


@pytest.mark.django_db
def test_audit_verify_notices_a_cut_off_end_against_a_noted_head():
    events = [audit_record(action=Action.VIEW, username="a") for _ in range(3)]
    head = f"{events[-1].pk}:{events[-1].row_hash}"
    _drop_append_only_triggers()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])
    assert _verify_command()  # the chain alone cannot tell
    assert f"控えておいた監査ログ ID {events[-1].pk} がありません" in _verify_fails(
        "--expect-head", head
    )
    assert "ID:ハッシュ" in _verify_fails("--expect-head", "nonsense")


@pytest.mark.usefixtures("concurrent_database")
def test_concurrent_writers_keep_one_chain():
    def write(n: int) -> None:
        for i in range(5):
            with transaction.atomic():
                audit_record(action=Action.VIEW, username=f"w{n}", target_repr=f"{i}")

    results = in_threads([lambda n=n: write(n) for n in range(8)])
    assert not [r for r in results if isinstance(r, Exception)], results
    report = chain_verify()
    assert report.ok, report.problem
    assert report.rows == 40
    hashes = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(set(hashes)) == 40  # no two rows link to the same predecessor


# Migration 0007 ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_0007_chains_existing_rows_and_keeps_the_triggers():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("core", "0006_remove_membership_membership_unique_role_and_more")])
    try:
        # Rows written before the chain existed.
        columns = [c for c in COLUMNS if c not in ("id", "previous_hash", "row_hash")]
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({placeholders})"
        for i in range(3):
            values = dict(zip(COLUMNS, _values(0, target_repr=f"古い記録{i}"), strict=True))
            _raw(sql, [values[c] for c in columns])
        with pytest.raises(IntegrityError), transaction.atomic():
            _raw(f"DELETE FROM {TABLE}")  # the triggers of 0002 are back after the reverse
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    report = chain_verify()
    assert (report.ok, report.rows) == (True, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(f"UPDATE {TABLE} SET target_repr = 'x'")
    module = importlib.import_module("hagukumi.core.migrations.0007_audit_chain")
    assert module.SQLITE_APPEND_ONLY[0].startswith("CREATE TABLE IF NOT EXISTS")


# Refused accesses to personal data ------------------------------------------------------


@pytest.fixture
def staff_client(client, user_with_role):  # type: ignore[no-untyped-def]
    cache.clear()
    user = user_with_role(Role.STAFF, username="guesser")
    client.force_login(user)
    client.user = user
    return client


def _refusals():  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(action=Action.REFUSED).order_by("id")


@pytest.mark.django_db
def test_a_refused_personal_data_url_is_audited(staff_client, organization):
    response = staff_client.get("/people/987654/")
    assert response.status_code == 404
    (event,) = _refusals()
    assert (event.actor_id, event.organization_id) == (staff_client.user.pk, organization.pk)
    assert (event.target_type, event.target_id, event.target_repr) == (
        "URL",
        "/people/",
        "/people/987654/",
    )
    assert event.path == "/people/987654/"
    assert event.detail == {"status": 404, "method": "GET"}


@pytest.mark.django_db
def test_a_refused_api_answer_is_audited(staff_client):
    assert staff_client.get("/api/v1/staff/987654/").status_code == 404
    assert [e.target_id for e in _refusals()] == ["/api/v1/staff/"]


@pytest.mark.django_db
def test_refusals_are_written_once_a_minute_and_counted(staff_client):
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        for n in range(30):
            staff_client.get(f"/people/{900000 + n}/")
        staff_client.get("/api/v1/staff/1/")  # another prefix: its own row
    assert [e.target_id for e in _refusals()] == ["/people/", "/api/v1/staff/"]
    later = start + dt.timedelta(seconds=REFUSED_AUDIT_WINDOW_SECONDS + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        staff_client.get("/people/999999/")
    rows = list(_refusals().filter(target_id="/people/"))
    assert len(rows) == 2
    assert rows[1].detail["unwritten_before"] == 29


@pytest.mark.django_db
def test_other_refusals_are_not_audited(staff_client):
    assert staff_client.get("/no-such-page/").status_code == 404  # not personal data
    staff_client.logout()
    assert staff_client.get("/people/1/").status_code == 302  # anonymous: login first
    assert staff_client.get("/api/v1/staff/1/").status_code == 401
    assert not _refusals().exists()


def test_apps_can_add_personal_data_prefixes(settings, monkeypatch):
    monkeypatch.setattr("hagukumi.core.audit._registered_personal_data_paths", set())
    assert personal_data_path_prefix("/people/12/") == "/people/"
    assert personal_data_path_prefix("/cases/12/") is None
    register_personal_data_path("/training/records/")
    assert personal_data_path_prefix("/training/records/3/") == "/training/records/"
    settings.HAGUKUMI_PERSONAL_DATA_PATHS = ("/only/",)
    assert personal_data_path_prefix("/people/12/") is None
    with pytest.raises(ValueError, match="starts with"):
        register_personal_data_path("people/")
