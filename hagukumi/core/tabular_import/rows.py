"""Format-independent reading: find the header row, then parse each data row.

The CSV and xlsx readers feed raw rows (lists of strings, or of openpyxl cells)
to ``parse_rows`` with two hooks of their own: a header cell's text and whether a
cell is empty. Row numbers are the ones the user sees in Excel.

Sample rows are skipped wherever they are: a data row whose first cell starts
with 「記入例」 (``SAMPLE_MARK``, also 「【記入例】」 or 「(記入例)」) is the
example an import template carries (``tabular_export.write_template``), never
data. A file of sample rows only reads as no rows (not an error: the untouched
template round-trips); a file with the header only is still refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hagukumi.core.cli import PROGRESS_EVERY
from hagukumi.core.tabular_import.cells import CellError, converter
from hagukumi.core.tabular_import.columns import Column, norm_header
from hagukumi.core.tabular_import.sources import MSG_EMPTY
from hagukumi.core.tabular_import.table import (
    ParsedRow,
    RowError,
    RowValues,
    TabularImportError,
)

# Up to this many title rows above the header are skipped.
HEADER_SEARCH_ROWS = 10
MSG_HEADER_ONLY = "見出し行だけで、データの行がありません。"
# The first cell of a template's example row; rows starting so are skipped.
SAMPLE_MARK = "記入例"
_SAMPLE = re.compile(r"^[\s【\[(（［〔〈<＜]*記入例")


def is_sample_mark(text: str) -> bool:
    """Whether a row's first cell marks it as an example (「記入例」, 「【記入例】…」)."""
    return bool(_SAMPLE.match(unicodedata.normalize("NFKC", text)))


Cell = Any  # a str (CSV) or an openpyxl read-only cell (xlsx)


@dataclass(slots=True)
class Layout:
    """Where each column of the file is: index, column, converter; headings as written."""

    columns: list[tuple[int, Column, Callable[[Any], Any]]]
    headers: dict[str, str]
    width: int


class RowParser:
    """Turns raw rows (after the header) into ParsedRow objects and RowErrors."""

    def __init__(
        self,
        columns: tuple[Column, ...],
        text_of: Callable[[Cell], str],
        *,
        epoch_1904: bool = False,
    ) -> None:
        self.columns = columns
        self.text_of = text_of  # a header cell's text
        self.epoch_1904 = epoch_1904
        self.rows: list[ParsedRow] = []
        self.errors: list[RowError] = []
        self.layout: Layout | None = None
        self.sample_rows = 0  # rows skipped as 記入例
        # Absent optional columns read as their empty value (RowValues).
        self._empty = {c.field: c.empty for c in columns}
        self._seen: dict[str, dict[Any, int]] = {c.field: {} for c in columns if c.unique}

    def find_header(self, number: int, cells: Sequence[Cell]) -> bool:
        """Take this row as the header if any cell names a known column."""
        wanted = {
            norm_header(heading): column
            for column in self.columns
            for heading in (column.header, *column.aliases)
        }
        found: dict[str, tuple[int, str]] = {}
        problems: list[str] = []
        for index, cell in enumerate(cells):
            text = self.text_of(cell).strip()
            column = wanted.get(norm_header(text)) if text else None
            if column is None:
                continue
            if column.field in found:
                first = found[column.field][0]
                problems.append(
                    f"列「{column.header}」が 2 つあります"
                    f"（{column_letter(first)}列と{column_letter(index)}列）。1 つにしてください。"
                )
                continue
            found[column.field] = (index, text)
        if not found:
            return False
        missing = [c.header for c in self.columns if c.required and c.field not in found]
        if missing:
            names = "".join(f"「{h}」" for h in missing)
            problems.append(
                f"必須の列がありません: {names}。{number}行目の見出しを確かめてください。"
            )
        if problems:
            raise TabularImportError("\n".join(problems))
        by_field = {c.field: c for c in self.columns}
        layout = [
            (index, by_field[name], converter(by_field[name], epoch_1904=self.epoch_1904))
            for name, (index, _text) in found.items()
        ]
        layout.sort(key=lambda item: item[0])
        self.layout = Layout(
            columns=layout,
            headers={name: text for name, (_index, text) in found.items()},
            width=max(index for index, _c, _f in layout) + 1,
        )
        return True

    def add(self, number: int, cells: Sequence[Cell], is_empty: Callable[[Cell], bool]) -> bool:
        """Parse one data row; False when the row is wholly empty or a 記入例 (skipped)."""
        assert self.layout is not None
        count = len(cells)
        present = [(i, c, f) for i, c, f in self.layout.columns if i < count]
        if all(is_empty(cells[i]) for i, _c, _f in present):
            return False
        if count and not is_empty(cells[0]) and is_sample_mark(self.text_of(cells[0])):
            self.sample_rows += 1
            return False
        values = RowValues(self._empty)
        ok = True
        headers = self.layout.headers
        for index, column, convert in self.layout.columns:
            try:
                value = convert(cells[index] if index < count else None)
            except CellError as exc:
                self.errors.append(RowError(number, headers[column.field], str(exc)))
                ok = False
                continue
            values[column.field] = value
            if column.unique and value not in (None, ""):
                seen = self._seen[column.field]
                if value in seen:
                    self.errors.append(
                        RowError(
                            number,
                            headers[column.field],
                            f"「{value}」は行 {seen[value]} と重複しています",
                        )
                    )
                    ok = False
                else:
                    seen[value] = number
        if ok:
            self.rows.append(ParsedRow(number, values))
        return True


def column_letter(index: int) -> str:
    """A 0-based column index as Excel's letter (0 -> A)."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def parse_rows(
    parser: RowParser,
    rows: Iterator[Sequence[Cell]],
    *,
    first_number: int,
    is_empty: Callable[[Cell], bool],
    advance: Callable[[int], None],
) -> None:
    """Find the header, then parse every data row; raises for empty/header-only files."""
    number = first_number - 1
    any_cell = False
    for cells in rows:
        number += 1
        if not any(not is_empty(c) for c in cells):
            continue
        any_cell = True
        if parser.find_header(number, cells):
            break
        if number - first_number + 1 >= HEADER_SEARCH_ROWS:
            break
    if parser.layout is None:
        if not any_cell:
            raise TabularImportError(MSG_EMPTY)
        expected = "、".join(f"「{c.header}」" for c in parser.columns if c.required) or "、".join(
            f"「{c.header}」" for c in parser.columns
        )
        raise TabularImportError(
            f"見出しの行が見つかりません。1 行目に見出し（{expected} など）を入れてください。"
        )
    data_rows = 0
    for cells in rows:
        number += 1
        if parser.add(number, cells, is_empty):
            data_rows += 1
        if number % PROGRESS_EVERY == 0:
            advance(number)
    advance(number)
    if data_rows == 0 and parser.sample_rows == 0:
        raise TabularImportError(MSG_HEADER_ONLY)
