"""One writer for every xlsx/CSV export.

Exports use the same ``Column`` as imports, so an exported file (or an empty
template, ``write_table([], columns=...)``) reads straight back in:

    data = write_table(units, columns=UNIT_COLUMNS, format="csv", encoding="cp932")
    return table_response(units, columns=UNIT_COLUMNS, filename="所属一覧.xlsx")

Rows are mappings (field -> value) or objects (attribute per field; a dotted
field such as "unit.code" follows attributes). Text cells that start with
= + - @ tab or CR get a leading ' against formula injection (the importer drops
it again); xlsx cells are always written as values, never formulas. Dates are
ISO text in CSV and real dates in xlsx; bool columns are ○/×; choice columns
show the label. CSV is UTF-8 with BOM unless CP932 is asked for; a character
CP932 cannot hold refuses the whole export, naming every such cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import Column, RowError

ExportFormat = Literal["xlsx", "csv"]
CsvEncoding = Literal["utf-8-sig", "cp932"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_FORMATS = {"code": "@", "date": "yyyy/mm/dd", "yen": "#,##0", "int": "0"}
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


class TabularExportError(ApplicationError):
    """The export cannot be written; ``.errors`` names each offending row and column."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        message = str(self.errors[0])
        if len(self.errors) > 1:
            message += f"（ほか {len(self.errors) - 1} 件）"
        super().__init__(
            message,
            extra={
                "errors": [
                    {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
                ]
            },
        )

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]


def write_table(
    rows: Iterable[Mapping[str, object] | object],
    *,
    columns: Sequence[Column],
    format: ExportFormat = "xlsx",
    encoding: CsvEncoding = "utf-8-sig",
    sheet_title: str = "Sheet1",
) -> bytes:
    """The whole file as bytes: a header row of ``Column.header`` then one row per item.

    Row N of an error message is the spreadsheet row (the header is row 1).
    """
    cols = tuple(columns)
    if format == "csv":
        return _write_csv(rows, cols, encoding)
    if format == "xlsx":
        return _write_xlsx(rows, cols, sheet_title)
    raise ValueError(f"unknown export format {format!r}")


def content_disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266 / RFC 5987).

    Old clients get an ASCII stand-in; every current browser uses the UTF-8 name.
    """
    stem, ext = os.path.splitext(unicodedata.normalize("NFKC", filename))
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "download"
    ascii_ext = re.sub(r"[^A-Za-z0-9.]+", "", ext)
    return (
        f'attachment; filename="{ascii_stem}{ascii_ext}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def table_response(
    rows: Iterable[Mapping[str, object] | object],
    *,
    columns: Sequence[Column],
    filename: str,
    format: ExportFormat | None = None,
    encoding: CsvEncoding = "utf-8-sig",
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    """A download response; the format defaults to ``filename``'s extension.

    Raises ``TabularExportError`` before any byte is sent, so a view can show it.
    """
    if format is None:
        format = "csv" if filename.lower().endswith(".csv") else "xlsx"
    data = write_table(
        rows, columns=columns, format=format, encoding=encoding, sheet_title=sheet_title
    )
    if format == "csv":
        charset = "utf-8" if encoding == "utf-8-sig" else "Shift_JIS"
        content_type = f"text/csv; charset={charset}"
    else:
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# ------------------------------------------------------------------------- values


def _get(row: object, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    value: Any = row
    for part in name.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _escape(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _choice_labels(column: Column) -> dict[str, str]:
    return dict(column.choice_pairs()) if column.kind == "choice" else {}


def _cell(column: Column, labels: Mapping[str, str], value: Any) -> Any:
    """The value to write: None, str (escaped), int, Decimal, float, date or naive datetime."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "○" if value else "×"
    if column.kind == "choice":
        return _escape(labels.get(str(value), str(value)))
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and column.kind not in ("text", "code"):
        return value
    return _escape(str(value))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------- CSV


def _write_csv(
    rows: Iterable[Mapping[str, object] | object], columns: tuple[Column, ...], encoding: str
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # CRLF: what Excel writes
    writer.writerow([c.header for c in columns])
    labels = [_choice_labels(c) for c in columns]
    strict = encoding == "cp932"
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=2):
        cells = [
            _csv_text(_cell(c, lab, _get(row, c.field)))
            for c, lab in zip(columns, labels, strict=True)
        ]
        if strict:
            try:
                "".join(cells).encode("cp932")
            except UnicodeEncodeError:
                errors.extend(_cp932_errors(number, columns, cells))
        writer.writerow(cells)
    if strict:
        # Headers come from code, but check them too rather than emit a broken file.
        errors[:0] = _cp932_errors(1, columns, [c.header for c in columns])
    if errors:
        raise TabularExportError(errors)
    return buffer.getvalue().encode(encoding)


def _cp932_errors(number: int, columns: Sequence[Column], cells: Sequence[str]) -> list[RowError]:
    found = []
    for column, text in zip(columns, cells, strict=True):
        for char in text:
            try:
                char.encode("cp932")
            except UnicodeEncodeError:
                found.append(
                    RowError(
                        number,
                        column.header,
                        f"「{char}」は CP932 で出力できません。UTF-8 (BOM付き) を選んでください",
                    )
                )
                break
    return found


# --------------------------------------------------------------------------- xlsx


def _write_xlsx(
    rows: Iterable[Mapping[str, object] | object], columns: tuple[Column, ...], sheet_title: str
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    title = _SHEET_TITLE_BAD.sub("_", sheet_title)[:31] or "Sheet1"
    sheet = book.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = max(8, min(40, _display_width(column.header) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xml_text(column.header))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    labels = [_choice_labels(c) for c in columns]
    formats = [_NUMBER_FORMATS.get(c.kind) for c in columns]
    for row in rows:
        out: list[Any] = []
        for column, lab, number_format in zip(columns, labels, formats, strict=True):
            value = _cell(column, lab, _get(row, column.field))
            if isinstance(value, str):
                value = _xml_text(value)
            if number_format is None and not isinstance(value, dt.date):
                # Escaped text never starts with "=", so openpyxl stores it as a string.
                out.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a value, never a formula
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy/mm/dd hh:mm:ss"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy/mm/dd"
            elif number_format is not None:
                cell.number_format = number_format
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xml_text(text: str) -> str:
    """Drop control characters that XML (and so xlsx) cannot hold."""
    return _ILLEGAL_XML.sub("", text)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
