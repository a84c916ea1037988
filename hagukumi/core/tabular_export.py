"""One writer for every xlsx/CSV export.

Exports use the same ``Column`` as imports, so an exported file (or an empty
template, ``write_table([], columns=...)``) reads straight back in:

    data = write_table(units, columns=UNIT_COLUMNS, format="csv", encoding="cp932")
    return table_response(units, columns=UNIT_COLUMNS, filename="所属一覧.xlsx")

Several tables in one machine-readable workbook (one a sheet; see
``write_workbook`` for the rules it follows):

    return workbook_response(
        [Sheet("職員", STAFF_COLUMNS, staff, wareki=("hired_on",)),
         Sheet("資格", QUALIFICATION_COLUMNS, holdings)],
        filename="人材育成状況.xlsx",
    )

An import template for users to fill in (a 記入例 row the importer skips, Text
format on code columns, and a 「選択肢」 sheet with drop-down lists):

    return template_response(STAFF_COLUMNS, sample={...}, filename="職員名簿_ひな形.xlsx")

Every xlsx sheet formats its columns by kind, also below the last row, so what a
user types later keeps its form: code and text columns are Text ("@"; Excel's
General format would turn a typed 020201 into 20201), date columns dates.

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
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import SAMPLE_MARK, Column, RowError
from hagukumi.core.tabular_import.columns import check_columns

ExportFormat = Literal["xlsx", "csv"]
CsvEncoding = Literal["utf-8-sig", "cp932"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_FORMATS = {"code": "@", "yen": "#,##0", "int": "0"}
# The format of a whole column (what Excel gives a cell typed there later).
_COLUMN_FORMATS = {"code": "@", "text": "@", "yen": "#,##0", "int": "0"}
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
    """``attachment; filename*=utf-8''…`` (Django's RFC 6266 header; ASCII names stay plain)."""
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


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

# The single-table exports keep the slashes Japanese Excel users know; the
# machine-readable workbooks write ISO 8601 (both are real date cells).
_DATE_FORMAT = "yyyy/mm/dd"
_DATETIME_FORMAT = "yyyy/mm/dd hh:mm:ss"
ISO_DATE_FORMAT = "yyyy-mm-dd"
ISO_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
WAREKI_SUFFIX = "（和暦）"
_NUMERIC_KINDS = frozenset({"int", "yen", "decimal"})


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its sheet name, columns and rows (one record a row).

    ``wareki`` names date columns (by field) that get a 和暦 column right after
    them, headed 「採用日（和暦）」 and holding text such as 令和2年4月1日; the
    date column itself stays a 西暦 date.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, object] | object]
    wareki: Collection[str] = ()


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """An xlsx workbook of one table a sheet, machine-readable as デジタル庁 asks.

    Following the government's rules for machine-readable tables (総務省
    「統計表における機械判読可能なデータの表記方法の統一ルール」, which
    デジタル庁's open-data guidance adopts): one header row per sheet and no
    title or note rows; no merged cells; one record per row, one value per cell;
    dates as 西暦 date cells in ISO form (和暦 beside them where ``Sheet.wareki``
    asks); numbers of int/yen/decimal columns stored as numbers, never as text
    (a value that is not a number refuses the export, naming its cell); values,
    never formulas.
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    titles = [_sheet_title(sheet.name) for sheet in sheets]
    if len(set(titles)) != len(titles):
        raise ValueError(f"duplicate sheet names {titles!r}")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    errors: list[RowError] = []
    for sheet, title in zip(sheets, titles, strict=True):
        columns = tuple(sheet.columns)
        check_columns(columns)
        by_field = {c.field: c for c in columns}
        for name in sheet.wareki:
            if name not in by_field or by_field[name].kind != "date":
                raise ValueError(f"wareki names {name!r}, which is not a date column")
        errors.extend(
            _append_sheet(
                book,
                title=title,
                columns=columns,
                rows=sheet.rows,
                wareki=frozenset(sheet.wareki),
                date_format=ISO_DATE_FORMAT,
                datetime_format=ISO_DATETIME_FORMAT,
                numbers_only=True,
                label=title if len(sheets) > 1 else None,
            )
        )
    data = _saved(book)  # also when refused: saving closes the write-only sheets
    if errors:
        raise TabularExportError(errors)
    return data


def workbook_response(sheets: Sequence[Sheet], *, filename: str) -> HttpResponse:
    """``write_workbook`` as a download; raises ``TabularExportError`` before any byte."""
    response = HttpResponse(write_workbook(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _write_xlsx(
    rows: Iterable[Mapping[str, object] | object], columns: tuple[Column, ...], sheet_title: str
) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _append_sheet(
        book,
        title=_sheet_title(sheet_title),
        columns=columns,
        rows=rows,
        wareki=frozenset(),
        date_format=_DATE_FORMAT,
        datetime_format=_DATETIME_FORMAT,
        numbers_only=False,
        label=None,
    )
    return _saved(book)


def _sheet_title(name: str) -> str:
    return _SHEET_TITLE_BAD.sub("_", name)[:31] or "Sheet1"


def _saved(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_sheet(
    book: Any,
    *,
    title: str,
    columns: tuple[Column, ...],
    rows: Iterable[Mapping[str, object] | object],
    wareki: frozenset[str],
    date_format: str,
    datetime_format: str,
    numbers_only: bool,
    label: str | None,
) -> list[RowError]:
    """Write one table to a new write-only sheet; return the cells it refused."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    headers: list[str] = []
    column_formats: list[str | None] = []
    for column in columns:
        headers.append(column.header)
        column_formats.append(_column_format(column, date_format))
        if column.field in wareki:
            headers.append(column.header + WAREKI_SUFFIX)
            column_formats.append("@")
    for index, (heading, column_format) in enumerate(
        zip(headers, column_formats, strict=True), start=1
    ):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(8, min(40, _display_width(heading) + 2))
        if column_format is not None:
            dimension.number_format = column_format
    bold = Font(bold=True)
    header = []
    for heading in headers:
        cell = WriteOnlyCell(sheet, value=_xml_text(heading))
        cell.font = bold
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    labels = [_choice_labels(c) for c in columns]
    formats = [date_format if c.kind == "date" else _NUMBER_FORMATS.get(c.kind) for c in columns]
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=2):
        out: list[Any] = []
        for column, lab, number_format in zip(columns, labels, formats, strict=True):
            given = _get(row, column.field)
            if numbers_only and column.kind in _NUMERIC_KINDS:
                try:
                    given = _number(column, given)
                except ValueError:
                    where = f"（シート「{label}」）" if label else ""
                    errors.append(
                        RowError(
                            number,
                            column.header,
                            f"「{given}」は数値ではないため出力できません{where}",
                        )
                    )
                    given = None
            value = _cell(column, lab, given)
            if isinstance(value, str):
                value = _xml_text(value)
            if number_format is None and not isinstance(value, dt.date):
                # Escaped text never starts with "=", so openpyxl stores it as a string.
                out.append(value)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a value, never a formula
                if isinstance(value, dt.datetime):
                    cell.number_format = datetime_format
                elif isinstance(value, dt.date):
                    cell.number_format = date_format
                elif number_format is not None:
                    cell.number_format = number_format
                out.append(cell)
            if column.field in wareki:
                out.append(_wareki_text(value))
        sheet.append(out)
    return errors


def _column_format(column: Column, date_format: str) -> str | None:
    """The number format of a column as a whole: Text for codes and text, dates, numbers."""
    if column.kind == "date":
        return date_format
    return _COLUMN_FORMATS.get(column.kind)


# ----------------------------------------------------------------------- templates

CHOICES_SHEET = "選択肢"
SAMPLE_NOTE = "この行は記入例です。取り込むときは読み飛ばします（消しても構いません）。"
_LAST_ROW = 1_048_576  # Excel's last row: the lists and formats cover every row typed
_SAMPLE_FONT_COLOR = "595959"  # grey with a contrast of 7:1 on white


def write_template(
    columns: Sequence[Column],
    *,
    sample: Mapping[str, object] | None = None,
    sheet_title: str = "Sheet1",
    lists: Collection[str] | None = None,
) -> bytes:
    """An import template (xlsx) that reads straight back in.

    The first sheet (the active one, which the importer reads) has the header
    row, then, given ``sample`` (field -> value, as for a row of ``write_table``),
    one example row whose first cell is 「記入例」 (``SAMPLE_MARK``: the
    importer skips such rows, so the untouched template imports no rows). Its
    columns are formatted by kind down to Excel's last row: Text for code and
    text columns (020201 stays 020201), dates for date columns. Choice columns
    (those of ``lists``, by field; every one when None) get their labels on a
    「選択肢」 sheet and a drop-down list (data validation) referring to it.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = tuple(columns)
    check_columns(cols)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    shown: list[Any] = []
    if sample is not None:
        shown = [_cell(c, _choice_labels(c), _get(sample, c.field)) for c in cols]
        shown[0] = SAMPLE_MARK
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        column_format = _column_format(column, _DATE_FORMAT)
        dimension = sheet.column_dimensions[letter]
        widest = max(
            _display_width(column.header),
            _display_width(str(shown[index - 1])) if shown and shown[index - 1] else 0,
        )
        dimension.width = max(8, min(40, widest + 2))
        if column_format is not None:
            dimension.number_format = column_format
        header = sheet.cell(row=1, column=index, value=_xml_text(column.header))
        header.data_type = "s"
        header.font = bold
        if shown:
            value = shown[index - 1]
            cell = sheet.cell(row=2, column=index, value=_template_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # a value, never a formula
            cell.font = Font(italic=True, color=_SAMPLE_FONT_COLOR)
            if isinstance(value, dt.date):
                cell.number_format = _DATE_FORMAT
            elif column_format is not None:
                cell.number_format = column_format
    if shown:
        sheet["A2"].comment = Comment(SAMPLE_NOTE, "はぐくみ")
    listed = [
        (index, c)
        for index, c in enumerate(cols, start=1)
        if c.kind == "choice" and (lists is None or c.field in lists)
    ]
    if listed:
        choices = book.create_sheet(CHOICES_SHEET)
        for number, (index, column) in enumerate(listed, start=1):
            letter = get_column_letter(number)
            labels = list(dict.fromkeys(_choice_labels(column).values()))
            header = choices.cell(row=1, column=number, value=_xml_text(column.header))
            header.data_type = "s"
            header.font = bold
            for row, label in enumerate(labels, start=2):
                cell = choices.cell(row=row, column=number, value=_xml_text(label))
                cell.data_type = "s"
                cell.number_format = "@"
            widest = max(_display_width(t) for t in (column.header, *labels))
            choices.column_dimensions[letter].width = max(8, min(40, widest + 2))
            validation = DataValidation(
                type="list",
                formula1=f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(labels) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle="選択肢にない値です",
                error=f"「{CHOICES_SHEET}」シートの「{column.header}」から選んでください。",
            )
            target = get_column_letter(index)
            validation.add(f"{target}2:{target}{_LAST_ROW}")
            sheet.add_data_validation(validation)
        choices.freeze_panes = "A2"
    book.active = 0
    return _saved(book)


def template_response(
    columns: Sequence[Column],
    *,
    filename: str,
    sample: Mapping[str, object] | None = None,
    sheet_title: str = "Sheet1",
    lists: Collection[str] | None = None,
) -> HttpResponse:
    """``write_template`` as a download."""
    data = write_template(columns, sample=sample, sheet_title=sheet_title, lists=lists)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _template_value(value: Any) -> Any:
    return _xml_text(value) if isinstance(value, str) else value


def _number(column: Column, value: Any) -> int | float | Decimal | None:
    """A numeric column's value as a number (numeric text is converted); ValueError else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        return value
    from hagukumi.core.tabular_import.cells import CellError, to_decimal, to_int, to_yen

    convert: Callable[[Any, Any], int | Decimal] = (
        to_decimal if column.kind == "decimal" else to_yen if column.kind == "yen" else to_int
    )
    try:
        return convert(str(value), None)
    except CellError as exc:
        raise ValueError(value) from exc


def _wareki_text(value: Any) -> str | None:
    if not isinstance(value, dt.date):
        return None
    from hagukumi.core.wareki import format_date

    day = value.date() if isinstance(value, dt.datetime) else value
    try:
        return format_date(day)
    except ValueError:  # before 明治6年: no 和暦 date
        return None


def _xml_text(text: str) -> str:
    """Drop control characters that XML (and so xlsx) cannot hold."""
    return _ILLEGAL_XML.sub("", text)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
