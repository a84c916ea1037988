"""One reader for every xlsx/CSV import, and the all-or-nothing runner around it.

An import declares its columns, reads the file into a ``Table`` (typed values per
row plus every row error found), then hands each row to an ``apply`` function
inside ``run_import``, which commits only when no row has any error.

    UNIT_COLUMNS = (
        Column("code", "所属コード", kind="code", required=True, unique=True),
        Column("name", "所属名", required=True, aliases=("名称",)),
        Column("kind", "区分", kind="choice", choices=("局", "部", "課", "係")),
        Column("valid_from", "開始日", kind="date"),
    )

A management command (thin: parse input, call one service, report):

    def handle(self, *args, path, dry_run, **options):
        try:
            table = read_table(path, columns=UNIT_COLUMNS)
            summary = run_import(table, apply=partial(unit_import_row, organization=org),
                                 dry_run=dry_run, label="所属")
        except TabularImportError as exc:
            raise report_errors(exc, self.stderr) from exc  # every error; exit code 1
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)

Cell values per kind (``ParsedRow.values[field]``): text/code -> str ("" when
empty; codes keep leading zeros), int/yen -> int, date -> datetime.date,
bool -> bool, choice -> the stored value; None when empty for non-text kinds.
Row numbers are the ones the user sees in Excel (the header is usually row 1).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal, TextIO

from django.core.management.base import CommandError

from hagukumi.core.errors import ApplicationError

ColumnKind = Literal["text", "code", "int", "yen", "date", "bool", "choice"]
Source = str | os.PathLike[str] | bytes | IO[bytes]
# progress=None: a rich bar on a TTY stderr; False: quiet; a callable gets (done, total).
ProgressOption = bool | Callable[[int, int | None], None] | None


@dataclass(frozen=True)
class Column:
    """One column of an import (or export) file.

    ``header`` is the Japanese heading; ``aliases`` are other headings accepted
    on import. ``choices`` (kind "choice") are plain strings or Django-style
    ``(value, label)`` pairs (``SomeTextChoices.choices``): either the value or
    the label is accepted and the value is stored. ``unique`` reports repeated
    values across rows; ``max_length`` limits text/code length.
    """

    field: str
    header: str
    kind: ColumnKind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Sequence[str | tuple[str, str]] | None = None
    unique: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class RowError:
    """A problem in one row (and column) of the file; str() -> 「行 N 列 X: 理由」."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        raise NotImplementedError


class TabularImportError(ApplicationError):
    """The file cannot be imported: a file-level message, or the list of row errors.

    ``TabularImportError("ファイルが空です。")`` for file-level problems;
    ``TabularImportError([RowError, ...])`` for row errors (the message then
    summarises them). ``.errors`` is the list, ``.lines()`` every line to show,
    ``.summary`` the dry-run summary when ``run_import`` had one.
    """

    def __init__(
        self, errors: str | Sequence[RowError], *, summary: ImportSummary | None = None
    ) -> None:
        raise NotImplementedError

    def lines(self, limit: int | None = None) -> list[str]:
        """The message, then one 「行 N 列 X: 理由」 line per row error (first ``limit``)."""
        raise NotImplementedError


class RowProblem(Exception):
    """Raised by an ``apply`` function for a row it refuses (column: field or header)."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(slots=True)
class ParsedRow:
    """One data row that parsed without errors: spreadsheet row number and typed values."""

    number: int
    values: dict[str, Any]

    def __getitem__(self, field_name: str) -> Any:
        return self.values[field_name]


@dataclass
class Table:
    """The parsed file: rows without errors, every row error, and the headers found."""

    columns: tuple[Column, ...]
    rows: list[ParsedRow]
    errors: list[RowError]
    headers: dict[str, str]  # field -> heading as written in the file
    format: Literal["xlsx", "csv"]
    encoding: str | None = None  # CSV only: "utf-8-sig", "utf-8" or "cp932"
    sheet: str | None = None  # xlsx only

    def header_for(self, name: str) -> str:
        """The heading to show for a field name (or the name itself when unknown)."""
        raise NotImplementedError


def read_table(
    source: Source,
    *,
    columns: Sequence[Column],
    filename: str | None = None,
    max_bytes: int | None = None,
    progress: ProgressOption = None,
    sheet: str | None = None,
) -> Table:
    """Read an xlsx or CSV file into a ``Table``; file-level problems raise at once.

    ``source`` is a path, bytes or a binary file object; the format comes from
    ``filename``'s (or the path's) extension, else from the content. ``max_bytes``
    defaults to ``settings.HAGUKUMI_UPLOAD_MAX_BYTES``. Row errors do not raise:
    they are collected for every row in ``Table.errors``.
    """
    raise NotImplementedError


RowKind = str  # "new", "changed", "unchanged" or an extra kind named in ``labels``


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
        raise NotImplementedError

    def count_line(self) -> str:
        """「新規 3件 / 変更 1件 / 変更なし 10件」 (+ extra kinds)."""
        raise NotImplementedError

    def lines(self, *, details: bool = False) -> list[str]:
        """Japanese summary lines; with ``details`` one line per new/changed row."""
        raise NotImplementedError


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
    same transaction. Any error (``table.errors`` or raised) rolls everything
    back and raises ``TabularImportError`` with all of them. ``dry_run`` always
    rolls back and returns the summary.
    """
    raise NotImplementedError


def assign_changes(
    instance: object, values: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Set attributes that differ on ``instance``; return field -> (old, new) for them."""
    raise NotImplementedError


def report_errors(error: ApplicationError, stream: TextIO | Any) -> CommandError:
    """Write every line of ``error`` to ``stream`` (a command's stderr) and return a
    ``CommandError`` for the command to raise (non-zero exit)."""
    raise NotImplementedError


__all__ = [
    "Column",
    "ColumnKind",
    "ImportSummary",
    "ParsedRow",
    "RowChange",
    "RowError",
    "RowOutcome",
    "RowProblem",
    "Table",
    "TabularImportError",
    "assign_changes",
    "read_table",
    "report_errors",
    "run_import",
]
