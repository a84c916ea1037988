"""Fixtures of core's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection


@pytest.fixture
def concurrent_database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """A database that real threads can write at once (see core/tests/concurrency.py)."""
    if connection.vendor != "sqlite":
        yield
        return
    from hagukumi.core.tests.concurrency import sqlite_file_database

    with sqlite_file_database(tmp_path):
        yield
