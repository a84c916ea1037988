"""The all-or-nothing runner: apply each parsed row, commit only when no row failed."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from hagukumi.core.cli import PROGRESS_EVERY, ProgressOption, progress_reporter
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import.table import (
    ParsedRow,
    RowError,
    RowProblem,
    Table,
    TabularImportError,
)

RowKind = str  # "new", "changed", "unchanged" or an extra kind named in ``labels``

KIND_LABELS = {"new": "新規", "changed": "変更", "unchanged": "変更なし"}


@dataclass(frozen=True)
class RowOutcome:
    """What ``apply`` did with one row; ``changes`` maps field -> (old, new)."""

    kind: RowKind
    key: str = ""
    changes: Mapping[str, tuple[object, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class RowChange:
    """One row's outcome kept for the dry-run report."""

    row: int
    kind: RowKind
    key: str
    changes: Mapping[str, tuple[object, object]]


@dataclass
class ImportSummary:
    """Counts per outcome kind and per-row details of an import (or dry run)."""

    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    details: list[RowChange] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # extra kind -> Japanese
    headers: dict[str, str] = field(default_factory=dict)  # field -> heading
    dry_run: bool = False

    @property
    def new(self) -> int:
        return self.counts.get("new", 0)

    @property
    def changed(self) -> int:
        return self.counts.get("changed", 0)

    @property
    def unchanged(self) -> int:
        return self.counts.get("unchanged", 0)

    def add(
        self,
        kind: RowKind,
        *,
        row: int = 0,
        key: str = "",
        changes: Mapping[str, tuple[object, object]] | None = None,
        count: int = 1,
    ) -> None:
        """Count an outcome (``finish`` hooks use it for e.g. retiring rows)."""
        self.counts[kind] = self.counts.get(kind, 0) + count
        if kind != "unchanged" and (row or key):
            self.details.append(RowChange(row=row, kind=kind, key=key, changes=changes or {}))

    def label_of(self, kind: RowKind) -> str:
        return self.labels.get(kind) or KIND_LABELS.get(kind) or kind

    def count_line(self) -> str:
        """「新規 3件 / 変更 1件 / 変更なし 10件」 (+ extra kinds)."""
        kinds = [*KIND_LABELS, *(k for k in self.counts if k not in KIND_LABELS)]
        return " / ".join(f"{self.label_of(k)} {self.counts.get(k, 0)}件" for k in kinds)

    def lines(self, *, details: bool = False) -> list[str]:
        """Japanese summary lines; with ``details`` one line per row that is not unchanged."""
        subject = f"{self.label}の" if self.label else ""
        if self.dry_run:
            head = f"{subject}取り込みを試しました（保存していません）: {self.count_line()}"
        else:
            head = f"{subject}取り込みが終わりました: {self.count_line()}"
        out = [head]
        if details:
            for change in self.details:
                where = " ".join(
                    part for part in (f"行 {change.row}" if change.row else "", change.key) if part
                )
                text = (
                    f"{where}: {self.label_of(change.kind)}"
                    if where
                    else self.label_of(change.kind)
                )
                if change.changes:
                    text += " " + "、".join(
                        f"{self.headers.get(name, name)} {_shown(old)} → {_shown(new)}"
                        for name, (old, new) in change.changes.items()
                    )
                out.append(text)
        return out


def _shown(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "○" if value else "×"
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"「{value}」"


def run_import(
    table: Table,
    *,
    apply: Callable[[ParsedRow], RowOutcome],
    dry_run: bool,
    label: str,
    finish: Callable[[ImportSummary], None] | None = None,
    labels: Mapping[str, str] | None = None,
    progress: ProgressOption = None,
    using: str | None = None,
) -> ImportSummary:
    """Apply every row inside one transaction: all rows or nothing.

    ``apply`` may raise ``RowProblem``, ``ApplicationError`` or Django's
    ``ValidationError`` (e.g. from ``full_clean()``); they become row errors and
    the remaining rows are still checked. ``finish`` runs after the rows in the
    same transaction (it may raise ``ApplicationError``). Any error
    (``table.errors`` or raised) rolls everything back and raises
    ``TabularImportError`` with all of them. ``dry_run`` always rolls back and
    returns the summary.
    """
    headers = {c.field: c.header for c in table.columns} | table.headers
    summary = ImportSummary(
        label=label, labels=dict(labels or {}), headers=headers, dry_run=dry_run
    )
    errors: list[RowError] = list(table.errors)
    with transaction.atomic(using=using):
        with progress_reporter(progress, len(table.rows), f"{label}の取り込み") as advance:
            for done, row in enumerate(table.rows, start=1):
                try:
                    outcome = apply(row)
                except RowProblem as exc:
                    column = table.header_for(exc.column) if exc.column else None
                    errors.append(RowError(row.number, column, exc.message))
                except ValidationError as exc:
                    errors.extend(_validation_errors(row.number, exc, table))
                except ApplicationError as exc:
                    errors.append(RowError(row.number, None, exc.message))
                else:
                    summary.add(
                        outcome.kind, row=row.number, key=outcome.key, changes=outcome.changes
                    )
                if done % PROGRESS_EVERY == 0:
                    advance(done)
            advance(len(table.rows))
        if finish is not None:
            try:
                finish(summary)
            except ValidationError as exc:
                errors.extend(_validation_errors(None, exc, table))
            except ApplicationError as exc:
                errors.append(RowError(None, None, exc.message))
        if errors or dry_run:
            transaction.set_rollback(True, using=using)
    if errors:
        errors.sort(key=lambda e: e.row if e.row is not None else sys.maxsize)
        raise TabularImportError(
            errors,
            summary=summary,
            message=(
                f"{label}の取り込みを中止しました。エラーが {len(errors)} 件あります"
                "（何も変更していません）。"
            ),
        )
    return summary


def _validation_errors(row: int | None, exc: ValidationError, table: Table) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(row, None, message) for message in exc.messages]
    out = []
    for name, field_errors in exc.error_dict.items():
        column = None if name == NON_FIELD_ERRORS else table.header_for(name)
        for message in ValidationError(field_errors).messages:
            out.append(RowError(row, column, message))
    return out


def assign_changes(
    instance: object, values: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Set attributes that differ on ``instance``; return field -> (old, new) for them."""
    changes: dict[str, tuple[object, object]] = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            setattr(instance, name, new)
            changes[name] = (old, new)
    return changes
