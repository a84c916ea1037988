"""Many rows in one statement: the bulk INSERT the roster and 異動 imports share."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

BULK = 2000


def bulk_insert(model: type[Model], objects: list[Any]) -> None:
    """INSERT many rows with executemany: Django's bulk_create prepares every value
    through the field API, which was a third of a 50,000-row import (bench/import_roster.py).
    Values are adapted the same way (dates, aware datetimes); primary keys are not read back.
    """
    if not objects:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapters: list[Any] = []
    for f in fields:
        internal = f.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    names = [f.attname for f in fields]
    auto = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    rows = []
    for obj in objects:
        for name in auto:
            setattr(obj, name, now)
        rows.append(
            tuple(
                adapt(getattr(obj, name)) if adapt is not None else getattr(obj, name)
                for name, adapt in zip(names, adapters, strict=True)
            )
        )
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows[start : start + BULK],
            )
