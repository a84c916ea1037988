"""The registry of every tabular import, filled by the apps from ``AppConfig.ready()``.

core knows no app's columns; each app registers its imports so that checks
over all of them (e.g. "a file holding only the required columns is accepted",
``core/tests/test_importers.py``) cover an import the day it is added:

    register_importer(ImporterSpec("orgs-units", "所属", UNIT_COLUMNS, command="import_units"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hagukumi.core.tabular_import.columns import Column


@dataclass(frozen=True)
class ImporterSpec:
    """One import: a stable key, its Japanese label and its columns.

    ``columns`` is the column tuple, or a function of no arguments returning it
    (for columns whose choices come from a 団体's code lists: the defaults).
    ``command`` names the management command that runs it, if any.
    """

    key: str
    label: str
    columns: Sequence[Column] | Callable[[], Sequence[Column]]
    command: str = ""

    def column_list(self) -> tuple[Column, ...]:
        columns = self.columns() if callable(self.columns) else self.columns
        return tuple(columns)

    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.column_list() if c.required)


_importers: dict[str, ImporterSpec] = {}


def register_importer(spec: ImporterSpec) -> None:
    """Add (or replace, by key) an import. Idempotent."""
    _importers[spec.key] = spec


def registered_importers() -> list[ImporterSpec]:
    """Every registered import, by key."""
    return sorted(_importers.values(), key=lambda s: s.key)


def importer_by_key(key: str) -> ImporterSpec:
    """The import registered under ``key`` (KeyError when none is)."""
    return _importers[key]
