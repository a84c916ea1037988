"""The audit log: recording, append-only (ORM and database triggers), the audit page and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.audit import (
    SQLITE_PURGE_GATE_TABLE,
    AuditFilters,
    audit_events_for,
    audit_purge_allowed,
    audit_purge_for_tests,
    audit_record,
    client_ip,
)
from hagukumi.core.models import AuditEvent, AuditLogAppendOnlyError, Role
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

Action = AuditEvent.Action
TABLE = AuditEvent._meta.db_table


def _request(path: str = "/staff/1/", **meta: str):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(path, HTTP_USER_AGENT="Mozilla/5.0 テスト", **meta)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


# Recording ----------------------------------------------------------------


@pytest.mark.django_db
def test_audit_record_fills_who_when_what_where(user_with_role, organization):
    user = user_with_role(Role.HR)
    actor = actor_for(user)
    unit = UnitFactory(organization=organization, name="人事課")
    request = _request(REMOTE_ADDR="192.0.2.10")

    before = timezone.now()
    event = audit_record(
        actor=actor, request=request, action=Action.VIEW, target=unit, detail={"k": "v"}
    )

    event.refresh_from_db()
    assert event.occurred_at >= before
    assert event.actor_id == user.pk
    assert event.actor_username == user.username
    assert event.organization_id == organization.pk
    assert event.organization_name == organization.name
    assert event.action == Action.VIEW
    assert (event.target_type, event.target_id, event.target_repr) == (
        "orgs.Unit",
        str(unit.pk),
        "人事課",
    )
    assert event.detail == {"k": "v"}
    assert event.ip_address == "192.0.2.10"
    assert event.user_agent == "Mozilla/5.0 テスト"
    assert event.path == "/staff/1/"


@pytest.mark.django_db
def test_audit_record_without_request_or_actor_keeps_the_typed_username():
    event = audit_record(action=Action.LOGIN_FAILED, username="x" * 200)
    assert event.actor_id is None
    assert event.actor_username == "x" * 150
    assert event.ip_address is None
    assert event.path == ""


@pytest.mark.django_db
def test_audit_record_takes_the_actor_from_the_request(user_with_role, organization):
    user = user_with_role(Role.DX_OFFICE)
    request = _request()
    request.user = user
    request.actor = actor_for(user)
    event = audit_record(request=request, action=Action.CREATE, target_type="x.Y", target_id=7)
    assert event.actor_id == user.pk
    assert event.organization_id == organization.pk
    assert event.target_id == "7"


@pytest.mark.django_db
def test_audit_record_refuses_an_unknown_action():
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(action="hacked")


def test_client_ip_trusts_x_forwarded_for_only_behind_our_proxy(settings):
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    settings.HAGUKUMI_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.HAGUKUMI_BEHIND_PROXY = True
    # The last hop is the one our proxy appended; the first is whatever the client sent.
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(_request(REMOTE_ADDR="garbage")) is None


# Append-only: the ORM -------------------------------------------------------


@pytest.mark.django_db
def test_the_orm_cannot_change_or_delete_audit_rows():
    event = audit_record(action=Action.LOGIN, username="a")
    event.target_repr = "changed"
    with pytest.raises(AuditLogAppendOnlyError):
        event.save()
    with pytest.raises(AuditLogAppendOnlyError):
        event.save(update_fields=["target_repr"])
    with pytest.raises(AuditLogAppendOnlyError):
        event.delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target_repr="x")
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["target_repr"])
    event.refresh_from_db()
    assert event.target_repr == ""


@pytest.mark.django_db
def test_a_new_event_with_a_taken_id_is_an_insert_not_an_overwrite():
    event = audit_record(action=Action.LOGIN, username="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent(pk=event.pk, action=Action.LOGOUT).save()


# Append-only: the database ---------------------------------------------------


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET target_repr = 'tampered'",
        f"UPDATE {TABLE} SET occurred_at = occurred_at WHERE id > 0",
        f"DELETE FROM {TABLE}",
        f"DELETE FROM {TABLE} WHERE action = 'login'",
    ],
)
def test_raw_sql_update_and_delete_are_refused_by_the_database(sql):
    audit_record(action=Action.LOGIN, username="a")
    with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
        _raw(sql)
    assert AuditEvent.objects.filter(target_repr="", action=Action.LOGIN).count() == 1


@pytest.mark.django_db
@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql():
    audit_record(action=Action.LOGIN, username="a")
    with pytest.raises(IntegrityError, match="追記のみ"), transaction.atomic():
        _raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        return {row[0] for row in cursor.fetchall()}


TRIGGERS_OF_0002 = {
    "postgresql": {"core_auditevent_append_only", "core_auditevent_no_truncate"},
    "sqlite": {"core_auditevent_no_update", "core_auditevent_no_delete"},
}
EXPECTED_TRIGGERS = {
    "postgresql": TRIGGERS_OF_0002["postgresql"],
    # 0007: INSERT OR REPLACE / upsert of an existing id.
    "sqlite": TRIGGERS_OF_0002["sqlite"] | {"core_auditevent_no_replace"},
}


@pytest.mark.django_db
def test_the_triggers_exist_on_the_final_schema():
    # A later migration that rebuilds the table on SQLite would drop them silently.
    assert _trigger_names() == EXPECTED_TRIGGERS[connection.vendor]


@pytest.mark.django_db
def test_the_purge_gate_opens_for_one_transaction_only():
    audit_record(action=Action.LOGIN, username="a")
    audit_record(action=Action.LOGOUT, username="a")
    with audit_purge_allowed():
        _raw(f"DELETE FROM {TABLE} WHERE action = 'login'")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [Action.LOGOUT]
    # Closed again afterwards.
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(f"DELETE FROM {TABLE}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {SQLITE_PURGE_GATE_TABLE}")
            assert cursor.fetchone()[0] == 0
    assert audit_purge_for_tests() == 1
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_an_error_inside_the_gate_closes_it_again():
    audit_record(action=Action.LOGIN, username="a")
    with pytest.raises(RuntimeError), audit_purge_allowed():
        raise RuntimeError("boom")
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw(f"DELETE FROM {TABLE}")


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_log_despite_the_triggers():
    audit_record(action=Action.LOGIN, username="a")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    # And the triggers are still there afterwards.
    audit_record(action=Action.LOGIN, username="b")
    with pytest.raises(IntegrityError):
        _raw(f"DELETE FROM {TABLE}")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_may_leave_audit_rows_behind():
    # pytest-django flushes after this test (as after every live_server test);
    # the flush command opens the gate, so the teardown does not fail.
    audit_record(action=Action.LOGIN, username="left-behind")
    assert AuditEvent.objects.filter(actor_username="left-behind").exists()


@pytest.mark.django_db(transaction=True)
def test_the_trigger_migration_is_reversible():
    migration = importlib.import_module("hagukumi.core.migrations.0002_audit_append_only")
    (operation,) = migration.Migration.operations
    from django.apps import apps

    with connection.schema_editor() as editor:
        operation.reverse_code(apps, editor)
    assert (
        _trigger_names()
        == EXPECTED_TRIGGERS[connection.vendor] - TRIGGERS_OF_0002[connection.vendor]
    )
    with connection.schema_editor() as editor:
        operation.code(apps, editor)
    assert _trigger_names() == EXPECTED_TRIGGERS[connection.vendor]


@pytest.mark.django_db
def test_flush_asks_before_deleting(monkeypatch):
    audit_record(action=Action.LOGIN, username="a")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = io.StringIO()
    call_command("flush", interactive=True, stdout=out)
    assert "中止しました" in out.getvalue()
    assert AuditEvent.objects.count() == 1


# The audit page -----------------------------------------------------------------


@pytest.fixture
def admin_client(client, user_with_role):  # type: ignore[no-untyped-def]
    admin = user_with_role(Role.SYSTEM_ADMIN, username="kanri")
    client.force_login(admin)
    client.admin = admin
    return client


def _event_at(when: dt.datetime, **fields):  # type: ignore[no-untyped-def]
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit_record(**fields)


def _local(y: int, m: int, d: int, h: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.mark.django_db
def test_the_audit_page_shows_only_the_admins_organization(admin_client, organization):
    other = OrganizationFactory()
    member = UserFactory(username="member")
    MembershipFactory(user=member, organization=organization, role=Role.STAFF)
    MembershipFactory(user=member, organization=other, role=Role.STAFF)
    audit_record(action=Action.CREATE, organization=organization, target_repr="自団体の記録")
    audit_record(action=Action.CREATE, organization=other, target_repr="他団体の記録")
    # No 団体 (a user of several 団体 logging in): shown to each of their 団体.
    audit_record(actor=member, action=Action.LOGIN, target_repr="複数団体の利用者")
    # An unknown username belongs to no 団体's page.
    audit_record(action=Action.LOGIN_FAILED, username="nobody", target_repr="不明な利用者")

    response = admin_client.get(reverse("core:audit"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "監査ログ" in body
    assert "自団体の記録" in body
    assert "複数団体の利用者" in body
    assert "他団体の記録" not in body
    assert "不明な利用者" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SYSTEM_ADMIN])
def test_the_audit_page_is_for_system_administrators_only(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("core:audit")).status_code == 404
    assert client.get(reverse("core:audit_export")).status_code == 404


@pytest.mark.django_db
def test_audit_search_filters(organization, user_with_role):
    admin = user_with_role(Role.SYSTEM_ADMIN)
    actor = actor_for(admin)
    _event_at(
        _local(2026, 4, 1, 0),
        action=Action.VIEW,
        organization=organization,
        username="tanaka",
        target_repr="職員 山田",
    )
    _event_at(
        _local(2026, 4, 30, 23),
        action=Action.UPDATE,
        organization=organization,
        username="suzuki",
        target_repr="職員 佐藤",
    )
    _event_at(
        _local(2026, 5, 1, 0), action=Action.EXPORT, organization=organization, username="tanaka"
    )

    def found(**kw):  # type: ignore[no-untyped-def]
        events = audit_events_for(actor=actor, filters=AuditFilters(**kw))
        return sorted(e.action for e in events)

    april = {"date_from": dt.date(2026, 4, 1), "date_to": dt.date(2026, 4, 30)}
    assert found(**april) == sorted([Action.VIEW, Action.UPDATE])
    assert found(date_from=dt.date(2026, 5, 1)) == [Action.EXPORT]
    assert found(username="tana") == sorted([Action.VIEW, Action.EXPORT])
    assert found(action=Action.UPDATE) == [Action.UPDATE]
    assert found(target="山田") == [Action.VIEW]


@pytest.mark.django_db
def test_the_audit_form_reports_bad_input_in_japanese(admin_client):
    response = admin_client.get(
        reverse("core:audit"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    body = response.content.decode()
    assert "終了日は開始日以降の日付にしてください。" in body
    assert 'aria-invalid="true"' in body
    assert admin_client.get(reverse("core:audit"), {"action": "hack"}).status_code == 200


@pytest.mark.django_db
def test_the_audit_page_has_50_rows_a_page(admin_client, organization):
    for i in range(120):
        audit_record(action=Action.VIEW, organization=organization, target_repr=f"記録{i:03d}")
    first = admin_client.get(reverse("core:audit"))
    assert first.context["page"].paginator.per_page == 50
    assert len(first.context["page"].object_list) == 50
    last = admin_client.get(reverse("core:audit"), {"page": 3, "action": Action.VIEW})
    assert len(last.context["page"].object_list) == 20
    assert "action=view" in last.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 50])
def test_the_audit_page_query_count_does_not_grow_with_rows(
    admin_client, organization, django_assert_num_queries, rows
):
    for i in range(rows):
        audit_record(action=Action.VIEW, organization=organization, target_repr=f"記録{i}")
    # Session, user, actor (memberships with their 団体), count, page rows, and the
    # session save (savepoint, UPDATE, release): the same for 5 and for 50 rows.
    with django_assert_num_queries(8):
        response = admin_client.get(reverse("core:audit"))
    assert response.status_code == 200


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    data = b"".join(response) if response.streaming else response.content
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_csv_export_is_filtered_escaped_and_audited(admin_client, organization):
    other = OrganizationFactory()
    audit_record(action=Action.UPDATE, organization=organization, target_repr="=HYPERLINK(1)")
    audit_record(action=Action.VIEW, organization=organization, target_repr="閲覧")
    audit_record(action=Action.UPDATE, organization=other, target_repr="他団体")

    response = admin_client.get(reverse("core:audit_export"), {"action": Action.UPDATE})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:4] == ["日時", "利用者ID", "団体", "操作"]
    assert len(rows) == 2
    assert rows[1][3] == "更新"
    assert rows[1][6] == "'=HYPERLINK(1)"
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_id == admin_client.admin.pk
    assert export.organization_id == organization.pk
    assert export.detail == {"filters": {"action": "update"}, "rows": 1}
    assert export.path == reverse("core:audit_export")
