"""Backup and restore of the whole database (`hagukumi backup` / `hagukumi restore`).

SQLite: SQLite's online backup API copies the live database page by page into
a new file (consistent even while the server runs; WAL contents included), and
restore copies a backup file back over the live database the same way. The
copy includes the audit triggers and the hash chain; `restore` checks the
chain afterwards (hagukumi.core.audit_chain).

PostgreSQL: use the server's own tools (`pg_dump` / `pg_restore`, see
docs/deploy.md); these functions refuse with the commands to
run, naming the configured database (docs/deploy.md §8).

Both operations are audited (a backup holds every 団体's personal data): a
backup records its event before copying, so the file contains it; a restore
records its event in the restored database.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from hagukumi.core.audit import audit_record
from hagukumi.core.audit_chain import ChainReport, chain_verify
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import AuditEvent, ImportJob
from hagukumi.core.tenancy import Actor

# Tables every Hagukumi database has; a file without them is not one of our backups.
REQUIRED_TABLES = ("django_migrations", "core_auditevent", "core_user")
PAGES_PER_STEP = 1024


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    size_bytes: int
    tables: int


@dataclass(frozen=True)
class RestoreSummary:
    path: Path
    tables: int
    chain: ChainReport
    pending_migrations: int


def _postgres_refusal(using: str, *, restore: bool) -> ApplicationError:
    name = connections[using].settings_dict.get("NAME") or "hagukumi"
    if restore:
        how = (
            "PostgreSQL の復元は pg_restore で、空のデータベースに行ってください（Web サーバーと"
            f"run_jobs を止めてから）: pg_restore --dbname={name} --exit-on-error バックアップ.dump"
            "（手順は docs/deploy.md「8. Backups and restore」）"
        )
    else:
        how = (
            "PostgreSQL のバックアップは pg_dump で行ってください"
            "（サーバーを止める必要はありません）: "
            f"pg_dump --format=custom --file=バックアップ.dump {name}"
            "（手順は docs/deploy.md「8. Backups and restore」）"
        )
    return ApplicationError(how)


def _sqlite_connection(using: str) -> sqlite3.Connection:
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _open(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with Django's SQL functions (CHECK constraints use REGEXP)."""
    from django.db.backends.sqlite3._functions import register

    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True) if read_only else sqlite3.connect(path)
    register(db)
    return db


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return sorted(name for (name,) in rows)


def database_backup(
    *, actor: Actor, path: Path, using: str = "default", overwrite: bool = False
) -> BackupSummary:
    """Copy the whole SQLite database to `path` (online; readable only by its owner)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise _postgres_refusal(using, restore=False)
    path = path.expanduser().resolve()
    if path.exists() and not overwrite:
        raise ApplicationError(
            f"{path} は既にあります。上書きするときは --force を付けてください。"
        )
    if not path.parent.is_dir():
        raise ApplicationError(f"保存先のフォルダ {path.parent} がありません。")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target_type="database",
        target_repr="データベース全体のバックアップ",
        detail={"file": str(path)},
    )
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    target = _open(partial)
    try:
        _sqlite_connection(using).backup(target, pages=PAGES_PER_STEP)
        # The copy is a self-contained file, whatever journal mode the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
        (check,) = target.execute("PRAGMA integrity_check").fetchone()
        tables = len(_tables(target))
    finally:
        target.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise ApplicationError(f"バックアップの検査に失敗しました: {check}")
    os.replace(partial, path)
    return BackupSummary(path=path, size_bytes=path.stat().st_size, tables=tables)


def database_restore(*, actor: Actor, path: Path, using: str = "default") -> RestoreSummary:
    """Replace the whole SQLite database with the backup at `path`; check the audit chain.

    Refused while an import job runs. The web server and `run_jobs` should be
    stopped first (their open connections would see the database change under them).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise _postgres_refusal(using, restore=True)
    if connection.in_atomic_block:
        raise ApplicationError("トランザクションの中では復元できません。")
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ApplicationError(f"バックアップファイル {path} がありません。")
    try:
        source = _open(path, read_only=True)
    except sqlite3.Error as exc:
        raise ApplicationError(f"{path} を開けません: {exc}") from exc
    try:
        try:
            (check,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = _tables(source)
        except sqlite3.DatabaseError as exc:
            raise ApplicationError(f"{path} は SQLite のデータベースではありません。") from exc
        if check != "ok":
            raise ApplicationError(f"バックアップファイルが壊れています: {check}")
        missing = [name for name in REQUIRED_TABLES if name not in tables]
        if missing:
            raise ApplicationError(
                f"{path} ははぐくみのバックアップではありません"
                f"（{', '.join(missing)} がありません）。"
            )
        running = ImportJob.objects.using(using).filter(status=ImportJob.Status.RUNNING)
        if running.exists():
            ids = ", ".join(f"#{pk}" for pk in running.values_list("pk", flat=True)[:5])
            raise ApplicationError(
                f"取込ジョブ {ids} が実行中です。"
                "終わるのを待つか、run_jobs を止めてから復元してください。"
            )
        live = _sqlite_connection(using)
        source.backup(live, pages=PAGES_PER_STEP)
    finally:
        source.close()
    # Cached schema and statements belong to the old database.
    connection.close()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target_type="database",
        target_repr="データベース全体の復元",
        detail={"file": str(path)},
    )
    executor = MigrationExecutor(connections[using])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreSummary(
        path=path,
        tables=len(tables),
        chain=chain_verify(using=using),
        pending_migrations=len(pending),
    )
