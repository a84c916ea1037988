"""The audit log's hash chain: tampering with `core_auditevent` becomes evident.

An application that owns its SQLite file can always drop its own triggers, and a
PostgreSQL superuser can too; the triggers (hagukumi.core.audit) stop mistakes
and casual edits, the chain makes everything else visible:

- Each row stores `previous_hash` (the `row_hash` of the row before it, by id;
  `GENESIS_HASH` for the first) and `row_hash` = sha256 over a canonical
  serialisation of its fields and `previous_hash` (`event_hash`).
- `AuditEvent.save()` reads the previous hash inside the inserting transaction,
  under a lock (`chain_lock_and_head`): on PostgreSQL a transaction-level
  advisory lock (`pg_advisory_xact_lock`), held until commit, so concurrent
  writers queue; on SQLite the database write lock, which the transaction holds
  from `BEGIN IMMEDIATE` (settings: transaction_mode IMMEDIATE; with DEFERRED
  a second writer fails with "database is locked" rather than forking the chain).
  Audit writes of one database are therefore serialised: record audit events
  near the end of long transactions (the importers do).
- `chain_verify()` (`hagukumi audit_verify`) walks the rows in id order and
  reports the first row whose content no longer matches its hash (altered),
  whose link skips a row (inserted) or whose link points to a row that is not
  there (removed, or the previous row altered and re-hashed).

What a chain cannot show on its own: rows cut off the *end*, or rows appended
with correctly computed hashes. Keep the head that `audit_verify` prints (row
id and hash) somewhere the application cannot write, e.g. in the operations
log; a later head must extend it (`audit_verify --expect-head ID:HASH`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.db import connections

GENESIS_HASH = "0" * 64
# The pg_advisory_xact_lock key of the chain: the bytes of "haguaudi" as one bigint.
POSTGRES_CHAIN_LOCK_KEY = 0x68616775_61756469

# The fields a row's hash covers (everything but id and the hashes themselves).
CHAINED_FIELDS = (
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
)


def _canonical_json(value: Any) -> Any:
    """A tagged, type-exact form of a JSON value that survives the database round trip.

    Numbers become their normalised decimal text, so 1e16 written by Python and
    10000000000000000 read back from PostgreSQL's jsonb hash the same.
    """
    if value is None or isinstance(value, bool):
        return ["v", value]
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return ["n", str(number.normalize())]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, list | tuple):
        return ["l", [_canonical_json(item) for item in value]]
    if isinstance(value, dict):
        return ["d", [[str(key), _canonical_json(value[key])] for key in sorted(value, key=str)]]
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def canonical_fields(event: Any) -> dict[str, Any]:
    """The row's chained fields as plain JSON values (datetimes in UTC, microseconds)."""
    occurred_at = event.occurred_at
    return {
        "occurred_at": occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if occurred_at is not None
        else None,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username or "",
        "organization_id": event.organization_id,
        "organization_name": event.organization_name or "",
        "action": event.action or "",
        "target_type": event.target_type or "",
        "target_id": str(event.target_id or ""),
        "target_repr": event.target_repr or "",
        "detail": _canonical_json(event.detail if event.detail is not None else {}),
        "ip_address": _canonical_ip(event.ip_address),
        "user_agent": event.user_agent or "",
        "path": event.path or "",
    }


def event_hash(event: Any, previous_hash: str) -> str:
    """sha256 (hex) over the canonical fields of `event` and the previous row's hash."""
    payload = {"fields": canonical_fields(event), "previous_hash": previous_hash}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_link(event: Any, previous_hash: str) -> None:
    """Fill `previous_hash` and `row_hash` of an event about to be inserted.

    `detail` is first normalised through JSON (tuples become lists, …) so that
    what is hashed is what the database gives back.
    """
    event.detail = json.loads(json.dumps(event.detail if event.detail is not None else {}))
    event.previous_hash = previous_hash
    event.row_hash = event_hash(event, previous_hash)


def chain_lock_and_head(using: str) -> str:
    """Take the chain lock for the current transaction and return the last row's hash.

    Call inside `transaction.atomic(using=using)`.
    """
    from hagukumi.core.models import AuditEvent

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [POSTGRES_CHAIN_LOCK_KEY])
    # SQLite: the transaction already holds the database write lock (BEGIN IMMEDIATE).
    head = (
        AuditEvent.objects.using(using).order_by("-id").values_list("row_hash", flat=True).first()
    )
    return head or GENESIS_HASH


# ----------------------------------------------------------------------- verifying


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold: which row, and what happened (Japanese)."""

    row_id: int
    kind: str  # "altered" | "inserted" | "removed" | "head"
    message: str


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_id: int | None
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(using: str) -> Iterator[Any]:
    from hagukumi.core.models import AuditEvent

    fields = ("id", *CHAINED_FIELDS, "previous_hash", "row_hash")
    yield from (
        AuditEvent.objects.using(using).order_by("id").only(*fields).iterator(chunk_size=2000)
    )


def chain_verify(
    *, using: str = "default", expect_head: tuple[int, str] | None = None
) -> ChainReport:
    """Walk the audit rows in id order; report the first altered, removed or inserted row.

    `expect_head` (id, hash): a head recorded earlier, which the chain must still contain.
    """
    expected_previous = GENESIS_HASH
    # The hash of the row before the previous one: a link to it means the previous
    # row was slipped in.
    before_previous: str | None = None
    previous_id: int | None = None
    rows = 0
    expected_seen = expect_head is None
    for row in _rows(using):
        rows += 1
        if row.previous_hash != expected_previous:
            if before_previous is not None and row.previous_hash == before_previous:
                assert previous_id is not None
                problem = ChainProblem(
                    previous_id,
                    "inserted",
                    f"監査ログ ID {previous_id} は後から挿入された記録です"
                    f"（ID {row.id} の記録は ID {previous_id} を飛ばして"
                    "前の記録につながっています）。",
                )
            elif previous_id is None:
                problem = ChainProblem(
                    row.id,
                    "removed",
                    f"監査ログ ID {row.id} より前の記録が削除されています"
                    f"（ID {row.id} は最初の記録ではありません）。",
                )
            else:
                problem = ChainProblem(
                    row.id,
                    "removed",
                    f"監査ログ ID {previous_id} と ID {row.id} の間の記録が削除されたか、"
                    f"ID {previous_id} の記録が改ざんされています"
                    f"（ID {row.id} が指す直前の記録がありません）。",
                )
            return ChainReport(rows, previous_id, expected_previous, problem)
        actual = event_hash(row, row.previous_hash)
        if actual != row.row_hash:
            problem = ChainProblem(
                row.id,
                "altered",
                f"監査ログ ID {row.id} の記録が改ざんされています"
                "（内容がハッシュと一致しません）。",
            )
            return ChainReport(rows, previous_id, expected_previous, problem)
        if expect_head is not None and row.id == expect_head[0]:
            if row.row_hash != expect_head[1]:
                problem = ChainProblem(
                    row.id,
                    "head",
                    f"監査ログ ID {row.id} のハッシュが、控えておいた値と一致しません"
                    "（それ以前の記録が作り直されています）。",
                )
                return ChainReport(rows, previous_id, expected_previous, problem)
            expected_seen = True
        before_previous = expected_previous
        expected_previous = row.row_hash
        previous_id = row.id
    if not expected_seen:
        assert expect_head is not None
        problem = ChainProblem(
            expect_head[0],
            "removed",
            f"控えておいた監査ログ ID {expect_head[0]} がありません"
            "（末尾の記録が削除されています）。",
        )
        return ChainReport(rows, previous_id, expected_previous, problem)
    return ChainReport(rows, previous_id, expected_previous, None)
