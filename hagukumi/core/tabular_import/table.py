"""What reading a file gives: parsed rows, row errors, and the import's errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import.columns import Column

if TYPE_CHECKING:
    from hagukumi.core.tabular_import.runner import ImportSummary


@dataclass(frozen=True)
class RowError:
    """A problem in one row (and column) of the file; str() -> 「行 N 列 X: 理由」.

    ``row`` is None for a problem of the whole import found while applying it.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"行 {self.row}")
        if self.column:
            where.append(f"列 {self.column}")
        return f"{' '.join(where)}: {self.message}" if where else self.message


class TabularImportError(ApplicationError):
    """The file cannot be imported: a file-level message, or the list of row errors.

    ``TabularImportError("ファイルが空です。")`` for file-level problems;
    ``TabularImportError([RowError, ...])`` for row errors (the message then
    summarises them). ``.errors`` is the list, ``.lines()`` every line to show,
    ``.summary`` the (rolled back) summary when ``run_import`` had one.
    """

    def __init__(
        self,
        errors: str | Sequence[RowError],
        *,
        summary: ImportSummary | None = None,
        message: str | None = None,
    ) -> None:
        if isinstance(errors, str):
            row_errors: list[RowError] = []
            text = errors
        else:
            row_errors = list(errors)
            text = message or (
                f"エラーが {len(row_errors)} 件あるため、取り込みませんでした"
                "（何も変更していません）。"
            )
        super().__init__(
            text,
            extra={
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in row_errors
                ]
            },
        )
        self.errors = row_errors
        self.summary = summary

    def lines(self, limit: int | None = None) -> list[str]:
        """The message, then one 「行 N 列 X: 理由」 line per row error (first ``limit``)."""
        shown = self.errors if limit is None else self.errors[:limit]
        out = [self.message, *(str(e) for e in shown)]
        if len(shown) < len(self.errors):
            out.append(f"…ほか {len(self.errors) - len(shown)} 件")
        return out


class RowProblem(Exception):
    """Raised by an ``apply`` function for a row it refuses (column: field or header)."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class RowValues(dict[str, Any]):
    """A row's typed values by field; a field whose column is absent reads as empty.

    Only the columns found in the file are stored, so ``field in values`` tells
    whether the file had the column (an import may then leave the field
    untouched) and ``values.get(field)`` is None for an absent one; but
    ``values[field]`` of a declared optional column that the file lacks is the
    column's empty value ("" for text/code, None otherwise), never a KeyError.
    An undeclared field is still a KeyError (a programming mistake).
    """

    __slots__ = ("_empty",)

    def __init__(self, empty: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._empty = empty

    def __missing__(self, key: str) -> Any:
        try:
            return self._empty[key]
        except KeyError:
            raise KeyError(key) from None

    def __reduce__(self) -> Any:
        return (type(self), (dict(self._empty), dict(self)))


@dataclass(slots=True)
class ParsedRow:
    """One data row that parsed without errors: spreadsheet row number and typed values."""

    number: int
    values: dict[str, Any]

    def __getitem__(self, field_name: str) -> Any:
        return self.values[field_name]

    def __contains__(self, field_name: str) -> bool:
        """Whether the file has this field's column."""
        return field_name in self.values


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
    sample_rows: int = 0  # 記入例 rows skipped (rows.SAMPLE_MARK)

    def header_for(self, name: str) -> str:
        """The heading to show for a field name (or the name itself when unknown)."""
        if name in self.headers:
            return self.headers[name]
        for column in self.columns:
            if column.field == name:
                return column.header
        return name
