"""Real concurrency in tests: threads with their own connections, on SQLite and PostgreSQL.

pytest-django's SQLite test database lives in shared-cache memory, where a second
writer fails at once ("database table is locked") instead of waiting. The
`concurrent_database` fixture (conftest of core's tests) therefore moves the test
database to a WAL file in the test's tmp_path for the duration of the test, so
threads queue on the write lock as they do in production. On PostgreSQL the
ordinary test database is used. Either way the test is transactional
(`transactional_db`): what the threads commit is visible to the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connections


def in_threads(targets: list[Callable[[], Any]], *, timeout: float = 120) -> list[Any]:
    """Run the targets at once, one thread (and database connection) each.

    Returns each target's result, or the exception it raised. Every thread
    closes its connections when it ends.
    """
    results: list[Any] = [None] * len(targets)
    start = threading.Barrier(len(targets))

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = targets[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("a test thread did not finish")
    return results


@contextmanager
def sqlite_file_database(directory: Path, alias: str = "default") -> Iterator[Path]:
    """Copy the in-memory SQLite test database to a file and use that file meanwhile.

    New connections (other threads) open the file through the shared settings;
    the current thread's connection is replaced for the duration and restored
    afterwards, so the test database's own teardown (flush) runs as usual.
    """
    path = directory / "concurrent.sqlite3"
    memory = connections[alias]
    memory.ensure_connection()
    settings_dict = connections.settings[alias]
    original_name = settings_dict["NAME"]
    import sqlite3

    target = sqlite3.connect(path)
    try:
        memory.connection.backup(target)
    finally:
        target.close()
    settings_dict["NAME"] = str(path)
    file_connection = connections.create_connection(alias)
    connections[alias] = file_connection
    try:
        yield path
    finally:
        file_connection.close()
        settings_dict["NAME"] = original_name
        connections[alias] = memory
