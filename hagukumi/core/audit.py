"""The audit log: who did what, when, in which 団体 and from where (issue [基盤] §7).

Every write, and every read of a staff member's personal data, calls
`audit_record()` once, in the service or selector that does it::

    from hagukumi.core.audit import audit_record
    from hagukumi.core.models import AuditEvent

    def staff_detail(*, actor: Actor, staff_id: int) -> Staff:
        staff = access_staff_by_id(actor=actor, staff_id=staff_id)
        audit_record(actor=actor, action=AuditEvent.Action.VIEW, target=staff)
        return staff

Where it happened (接続元 IP, ブラウザ, 画面 or API path) is not a service's
business: `AuditContextMiddleware` puts it in a ContextVar for each request,
the job worker and management commands set their own (`audit_context_set`),
and `audit_record` reads it. Services never take `request`.

Append-only, in three layers, and tamper-evident:

1. `AuditEvent.save()` inserts only; `delete()` and queryset `update()`/`delete()`/
   `bulk_create()` raise `AuditLogAppendOnlyError`.
2. Database triggers (migrations core 0002 and 0007) refuse UPDATE and DELETE of
   `core_auditevent` (and TRUNCATE on PostgreSQL) with an IntegrityError:
   a plpgsql function + BEFORE UPDATE OR DELETE row trigger + BEFORE TRUNCATE
   statement trigger on PostgreSQL; BEFORE UPDATE / BEFORE DELETE triggers
   with `SELECT RAISE(ABORT, …)` on SQLite, plus a BEFORE INSERT trigger that
   refuses an id already present (`INSERT OR REPLACE` deletes the old row
   without firing DELETE triggers; `INSERT … ON CONFLICT DO UPDATE`).
   On PostgreSQL the application's role also lacks UPDATE, DELETE and TRUNCATE
   on the table (docs/audit.md has the GRANT/REVOKE statements).
3. The triggers have exactly one gate, opened only inside one transaction by
   `audit_purge_allowed()`: on PostgreSQL the transaction-local setting
   `hagukumi.allow_audit_purge = 'on'` (`set_config(…, true)`); on SQLite, which
   has no session settings, a row in the control table
   `hagukumi_audit_purge_gate` (not a Django model, so `flush` never touches it;
   the app never writes it), inserted and deleted again in the same
   transaction, so no other connection ever sees the gate open.
4. Whoever gets past all that (the owner of a SQLite file can drop triggers or
   write the gate table by hand) leaves evidence: every row carries the hash of
   the row before it, and `hagukumi audit_verify` names the first altered,
   removed or inserted row (hagukumi.core.audit_chain).

Who opens the gate: Django's `flush` command, overridden by
`hagukumi/core/management/commands/flush.py`. Flush empties the *whole*
database (every user and 団体 too); it is how TransactionTestCase,
pytest-django's `transactional_db` and `live_server` (the browser tests) reset
the database after each test, so they keep working with the triggers in place.
A retention purge by a DBA uses `audit_purge_allowed()` the same way (afterwards
`audit_verify` reports the first kept row as "earlier rows removed", as it should).
Nothing else in the app may call it.

Refused access: a 404 answered to a logged-in user under a personal-data URL
(`personal_data_path_prefix`; core's defaults, `HAGUKUMI_PERSONAL_DATA_PATHS`,
and what apps add with `register_personal_data_path`) is recorded as
「アクセス拒否」 by `TenantMiddleware`, at most once a minute per user and URL
prefix; the next row says how many refusals in between were not written.

Caveat for future migrations: on SQLite, altering AuditEvent's columns makes
Django rebuild the table, which drops its triggers. Such a migration must
re-create them (copy the SQL of 0007, which copies 0002); `test_audit.py` checks the
triggers exist and work on the final schema, so a forgotten re-creation fails the suite.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hagukumi.core.models import AuditEvent, Membership, User
from hagukumi.core.tenancy import Actor, request_actor

if TYPE_CHECKING:
    from django.http import HttpRequest

SQLITE_PURGE_GATE_TABLE = "hagukumi_audit_purge_gate"
POSTGRES_PURGE_SETTING = "hagukumi.allow_audit_purge"


@dataclass(frozen=True)
class AuditContext:
    """Where the current work comes from: a request, a job or a command."""

    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


_NO_CONTEXT = AuditContext()
_audit_context: ContextVar[AuditContext] = ContextVar("hagukumi_audit_context", default=_NO_CONTEXT)


def audit_context() -> AuditContext:
    """The context `audit_record` writes (empty outside a request, job or command)."""
    return _audit_context.get()


@contextmanager
def audit_context_set(context: AuditContext) -> Iterator[AuditContext]:
    """Make `context` current for the body (requests, the job worker, commands)."""
    token = _audit_context.set(context)
    try:
        yield context
    finally:
        _audit_context.reset(token)


def audit_context_of_request(request: HttpRequest) -> AuditContext:
    return AuditContext(
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent", "")[:255],
        path=request.path[:255],
    )


def audit_record(
    *,
    actor: Actor | User | None = None,
    request: HttpRequest | None = None,
    action: str,
    target: Any = None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    detail: dict[str, Any] | None = None,
    organization: Any = None,
    username: str = "",
) -> AuditEvent:
    """Append one audit event and return it.

    `actor` defaults to the request's actor (or its user); `organization` to the
    actor's active 団体. `target` (a model instance) fills target_type
    ("app_label.Model"), target_id and target_repr unless they are given;
    target_repr is the object's `audit_label` when it has one (「職員 000123
    山田 太郎」), else `str()`. `username` records what was typed when there is
    no user (unknown login). IP, browser and path come from the current
    AuditContext; `request` is only for the login views, which run before the
    actor exists.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action: {action!r}")
    if actor is None and request is not None:
        actor = request_actor(request)
        if actor is None and request.user.is_authenticated:
            actor = request.user
    user: User | None = actor.user if isinstance(actor, Actor) else actor
    if isinstance(actor, Actor) and actor.user is None:
        username = actor.audit_username
    if organization is None and isinstance(actor, Actor):
        organization = actor.organization
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
        target_repr = target_repr or audit_label_of(target)
    context = audit_context_of_request(request) if request is not None else audit_context()
    return AuditEvent.objects.create(
        actor_id=user.pk if user is not None else None,
        actor_username=(user.get_username() if user is not None else username)[:150],
        organization_id=getattr(organization, "pk", None),
        organization_name=(getattr(organization, "name", "") or "")[:100],
        action=action,
        target_type=target_type[:100],
        target_id=str(target_id)[:64],
        target_repr=target_repr[:255],
        detail=detail or {},
        ip_address=context.ip_address,
        user_agent=context.user_agent[:255],
        path=context.path[:255],
    )


def audit_label_of(target: Any) -> str:
    """A person's words for an audit target: its `audit_label`, else `str()`."""
    label = getattr(target, "audit_label", None)
    if callable(label):
        label = label()
    return str(label) if label else str(target)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our proxy the last X-Forwarded-For hop.

    Only the entry our own reverse proxy appended (the last one) is trusted;
    earlier entries are whatever the client chose to send.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "HAGUKUMI_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


# -------------------------------------------------------------- refused access

# URL prefixes of pages and API answers holding personal data. A refused (404)
# request under one of them is audited, so guessing IDs is visible.
DEFAULT_PERSONAL_DATA_PATHS: tuple[str, ...] = (
    "/people/",
    "/api/v1/staff/",
    "/api/v1/designations/",
    "/api/v1/qualifications/",
    "/api/v1/job-challenges/",
    "/api/v1/leaders/",
)
_registered_personal_data_paths: set[str] = set()
# At most one 「アクセス拒否」 row per user and prefix in this many seconds.
REFUSED_AUDIT_WINDOW_SECONDS = 60


def register_personal_data_path(*prefixes: str) -> None:
    """Apps add the URL prefixes of their personal-data pages (from AppConfig.ready())."""
    for prefix in prefixes:
        if not prefix.startswith("/"):
            raise ValueError(f"a URL prefix starts with '/': {prefix!r}")
        _registered_personal_data_paths.add(prefix)


def personal_data_path_prefix(path: str) -> str | None:
    """The longest personal-data prefix `path` starts with, or None."""
    prefixes = {
        *getattr(settings, "HAGUKUMI_PERSONAL_DATA_PATHS", DEFAULT_PERSONAL_DATA_PATHS),
        *_registered_personal_data_paths,
    }
    matches = [prefix for prefix in prefixes if path.startswith(prefix)]
    return max(matches, key=len) if matches else None


def _unwritten_refusals_key(event: AuditEvent) -> str:
    # The hash tells apart rows that reuse an id (tests roll back; a restored backup).
    return f"hagukumi:audit-refused:{event.pk}:{event.row_hash[:16]}"


def audit_refused_access(
    *, actor: Actor | None, path: str, method: str, status: int = 404
) -> AuditEvent | None:
    """Record a refused request for personal data, at most once a minute per user and prefix.

    Refusals inside the minute are counted (in the cache) and the next row
    written states how many there were (`detail["unwritten_before"]`). Returns
    the row written, or None (not a personal-data URL, no user, or counted only).
    """
    prefix = personal_data_path_prefix(path)
    if prefix is None or actor is None or actor.user is None:
        return None
    last = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.REFUSED, actor_id=actor.user.pk, target_id=prefix[:64]
        )
        .order_by("-id")
        .only("id", "occurred_at", "row_hash")
        .first()
    )
    now = timezone.now()
    if last is not None and now - last.occurred_at < dt.timedelta(
        seconds=REFUSED_AUDIT_WINDOW_SECONDS
    ):
        key = _unwritten_refusals_key(last)
        if not cache.add(key, 1, timeout=24 * 60 * 60):
            cache.incr(key)
        return None
    detail: dict[str, Any] = {"status": status, "method": method}
    if last is not None:
        unwritten = cache.get(_unwritten_refusals_key(last))
        if unwritten:
            detail["unwritten_before"] = int(unwritten)
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.REFUSED,
        target_type="URL",
        target_id=prefix,
        target_repr=path,
        detail=detail,
    )


@dataclass(frozen=True)
class AuditFilters:
    """Search conditions of the audit page (all optional; dates inclusive, local time)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    username: str = ""
    action: str = ""
    target: str = ""

    def as_detail(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def audit_events_for(*, actor: Actor, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """Events the actor's 団体 may see, newest first (selector; caller checks the role).

    Events of the 団体, plus events with no 団体 by one of its members (the
    login events of a user who belongs to several 団体). Failed logins with an
    unknown username belong to no 団体 and show on no 団体's page.
    """
    if actor.organization_id is None:
        return AuditEvent.objects.none()
    members = Membership.objects.filter(organization_id=actor.organization_id).values("user_id")
    events = AuditEvent.objects.filter(
        Q(organization_id=actor.organization_id)
        | Q(organization_id__isnull=True, actor_id__in=members)
    )
    f = filters or AuditFilters()
    if f.date_from:
        events = events.filter(occurred_at__gte=_start_of_day(f.date_from))
    if f.date_to:
        events = events.filter(occurred_at__lt=_start_of_day(f.date_to + dt.timedelta(days=1)))
    if f.username:
        events = events.filter(actor_username__icontains=f.username)
    if f.action:
        events = events.filter(action=f.action)
    if f.target:
        events = events.filter(
            Q(target_repr__icontains=f.target)
            | Q(target_type__icontains=f.target)
            | Q(target_id=f.target)
        )
    return events.order_by("-occurred_at", "-id")


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@contextmanager
def audit_purge_allowed(using: str = "default") -> Iterator[None]:
    """Open the triggers' gate for the body, inside one transaction (see module docstring).

    Only `flush` (whole-database reset) and a DBA's retention purge use this.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [POSTGRES_PURGE_SETTING])
            elif connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_PURGE_GATE_TABLE} (opened) VALUES (1)")  # noqa: S608
        yield
        # Close the gate before commit. On an error the (sub)transaction rolls back,
        # which closes it as well: the SQLite row and the PostgreSQL setting are both transactional.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'off', true)", [POSTGRES_PURGE_SETTING])
            elif connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {SQLITE_PURGE_GATE_TABLE}")  # noqa: S608


def audit_purge_for_tests(using: str = "default") -> int:
    """Delete every audit row (tests only) and return how many there were."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with audit_purge_allowed(using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        return int(cursor.rowcount)


AUDIT_EXPORT_HEADERS: tuple[tuple[str, str], ...] = (
    ("occurred_at", "日時"),
    ("actor_username", "利用者ID"),
    ("organization_name", "団体"),
    ("action", "操作"),
    ("target_type", "対象種別"),
    ("target_id", "対象ID"),
    ("target_repr", "対象"),
    ("detail", "詳細"),
    ("ip_address", "接続元"),
    ("user_agent", "ブラウザ"),
    ("path", "画面・API"),
)


def audit_export(
    *, actor: Actor, request: HttpRequest | None = None, filters: AuditFilters
) -> list[dict[str, str]]:
    """The rows of an audit CSV for the actor's 団体 (one dict per event); audits the export.

    The caller checks the role (システム管理者). The export event itself is
    recorded after the rows are read, so it appears in the next export.
    """
    labels = dict(AuditEvent.Action.choices)
    rows = [
        {
            "occurred_at": timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            "actor_username": event.actor_username,
            "organization_name": event.organization_name,
            "action": labels.get(event.action, event.action),
            "target_type": event.target_type,
            "target_id": event.target_id,
            "target_repr": event.target_repr,
            "detail": json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
            if event.detail
            else "",
            "ip_address": event.ip_address or "",
            "user_agent": event.user_agent,
            "path": event.path,
        }
        for event in audit_events_for(actor=actor, filters=filters).iterator(chunk_size=2000)
    ]
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.EXPORT,
        target_type=AuditEvent._meta.label,
        target_repr="監査ログ",
        detail={"filters": filters.as_detail(), "rows": len(rows)},
    )
    return rows
