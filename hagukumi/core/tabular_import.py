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

Values per kind (``ParsedRow.values[field]``): text/code -> str ("" when empty;
codes keep leading zeros), int/yen -> int, date -> datetime.date, bool -> bool,
choice -> the stored value; None when empty for the other kinds. A field whose
column is absent from the file (allowed when not required) is absent from
``values``, so an import can leave such fields untouched. Row numbers are the
ones the user sees in Excel (the header is usually row 1; up to
``HEADER_SEARCH_ROWS`` title rows above it are skipped).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import io
import os
import re
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError, OutputWrapper
from django.db import transaction
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from hagukumi.core.errors import ApplicationError

ColumnKind = Literal["text", "code", "int", "yen", "date", "bool", "choice"]
Source = str | os.PathLike[str] | bytes | IO[bytes]
# progress=None/True: a rich bar when stderr is a TTY; False: quiet;
# a callable is called with (rows done, total rows or None) instead.
ProgressOption = bool | Callable[[int, int | None], None] | None

HEADER_SEARCH_ROWS = 10
# Zip-bomb guard, checked on the zip directory before openpyxl opens the file.
# Real workbooks compress 5-30x; a 50,000-row roster is about 30 MB of XML.
XLSX_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_MEMBERS = 10_000
PROGRESS_MIN_ROWS = 2_000
PROGRESS_EVERY = 500
_CHUNK = 1024 * 1024
_MB = 1024 * 1024

_XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MSG_EMPTY = "ファイルが空です。"
MSG_HEADER_ONLY = "見出し行だけで、データの行がありません。"
MSG_NOT_TEXT = (
    "文字コードを判別できないか、CSV（テキスト）ではありません。"
    "UTF-8 (BOM付き) または Shift_JIS (CP932) の CSV を選んでください。"
)
MSG_UTF16 = "UTF-16 の CSV には対応していません。UTF-8 (BOM付き) の CSV で保存し直してください。"
MSG_OLD_XLS = (
    "古い Excel 形式 (.xls) またはパスワード付きのファイルは読めません。"
    "Excel で「名前を付けて保存」から「Excel ブック (*.xlsx)」を選び、パスワードを外してください。"
)
MSG_BAD_XLSX = "Excel ブック (.xlsx) として読めません。ファイルが壊れていないか確かめてください。"
MSG_ZIP_BOMB = "ファイルの展開後の大きさが上限を超えるため、読み込みません。"
MSG_FORMULA = "数式は取り込めません。値を入力してください"
MSG_REQUIRED = "必須の項目です。値を入力してください"
MSG_DECIMAL = "小数は入力できません"
MSG_NUMBER = "数値で入力してください"
MSG_DATE = "日付として読めません（例: 2020/4/1、R2.4.1、令和2年4月1日）"
MSG_BOOL = "○ か × で入力してください（はい/いいえ、1/0 も使えます）"


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

    def choice_pairs(self) -> list[tuple[str, str]]:
        """``choices`` as (stored value, label) pairs."""
        return [
            (c, c) if isinstance(c, str) else (str(c[0]), str(c[1])) for c in self.choices or ()
        ]


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
        if name in self.headers:
            return self.headers[name]
        for column in self.columns:
            if column.field == name:
                return column.header
        return name


# --------------------------------------------------------------------------- reading


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
    the content (xlsx is a zip), else ``filename``'s (or the path's) extension.
    ``max_bytes`` defaults to ``settings.HAGUKUMI_UPLOAD_MAX_BYTES``. Row errors
    do not raise: they are collected for every row in ``Table.errors``.
    """
    cols = tuple(columns)
    _check_columns(cols)
    limit = max_bytes if max_bytes is not None else _default_max_bytes()
    with _open_source(source, limit) as (fh, size, name):
        if size == 0:
            raise TabularImportError(MSG_EMPTY)
        ext = os.path.splitext(filename or name or "")[1].lower()
        head = fh.read(8)
        fh.seek(0)
        if head.startswith(_ZIP_MAGIC):
            return _read_xlsx(fh, cols, progress=progress, sheet=sheet)
        if head.startswith(_OLE_MAGIC) or ext == ".xls":
            raise TabularImportError(MSG_OLD_XLS)
        if ext in _XLSX_EXTENSIONS:
            raise TabularImportError(MSG_BAD_XLSX)
        return _read_csv(fh, cols, progress=progress)


def _default_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "HAGUKUMI_UPLOAD_MAX_BYTES", 20 * _MB))


def _too_big(size: int, limit: int) -> TabularImportError:
    return TabularImportError(
        f"ファイルが大きすぎます（{_size_text(size)}）。上限は {_size_text(limit)} です。"
    )


def _size_text(size: int) -> str:
    for unit, scale in (("MB", _MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} バイト"


@contextlib.contextmanager
def _open_source(source: Source, limit: int) -> Iterator[tuple[IO[bytes], int, str | None]]:
    """A seekable binary file for ``source`` and its size, refusing by size first."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > limit:
            raise _too_big(len(data), limit)
        yield io.BytesIO(data), len(data), None
        return
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.stat(path).st_size  # refuse a huge file before reading any of it
        except OSError as exc:
            raise TabularImportError(f"ファイル「{path}」を開けません（{exc.strerror}）。") from exc
        if not os.path.isfile(path):
            raise TabularImportError(f"「{path}」はファイルではありません。")
        if size > limit:
            raise _too_big(size, limit)
        with open(path, "rb") as fh:
            yield fh, size, os.path.basename(path)
        return
    name = getattr(source, "name", None)
    name = name if isinstance(name, str) else None
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        start = source.tell()
        size = source.seek(0, os.SEEK_END) - start
        source.seek(start)
        if size > limit:
            raise _too_big(size, limit)
        if start == 0:
            yield source, size, name
            return
    # Not seekable (or not at its start): copy at most limit + 1 bytes aside.
    with tempfile.SpooledTemporaryFile(max_size=8 * _MB) as spool:
        copied = 0
        while chunk := source.read(_CHUNK):
            copied += len(chunk)
            if copied > limit:
                raise _too_big(copied, limit)
            spool.write(chunk)
        spool.seek(0)
        yield spool, copied, name


def _check_columns(columns: tuple[Column, ...]) -> None:
    """Programming mistakes in a column list fail loudly (not user errors)."""
    fields: set[str] = set()
    headers: set[str] = set()
    for column in columns:
        if column.field in fields:
            raise ValueError(f"duplicate column field {column.field!r}")
        fields.add(column.field)
        for heading in (column.header, *column.aliases):
            key = _norm_header(heading)
            if key in headers:
                raise ValueError(f"duplicate column heading {heading!r}")
            headers.add(key)
        if column.kind == "choice" and not column.choices:
            raise ValueError(f"choice column {column.field!r} needs choices")


def _norm_header(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


# Cell access differs per format; the rest of the reader works on these two hooks.
@dataclass(slots=True)
class _Layout:
    columns: list[tuple[int, Column, Callable[[Any], Any]]]  # index, column, converter
    headers: dict[str, str]
    width: int


class _CellError(Exception):
    pass


_Cell = Any  # a str (CSV) or an openpyxl read-only cell (xlsx)


class _Parser:
    """Turns raw rows (after the header) into ParsedRow objects and RowErrors."""

    def __init__(
        self,
        columns: tuple[Column, ...],
        text_of: Callable[[_Cell], str],
        *,
        epoch_1904: bool = False,
    ) -> None:
        self.columns = columns
        self.text_of = text_of  # a header cell's text
        self.epoch_1904 = epoch_1904
        self.rows: list[ParsedRow] = []
        self.errors: list[RowError] = []
        self.layout: _Layout | None = None
        self._seen: dict[str, dict[Any, int]] = {c.field: {} for c in columns if c.unique}

    def find_header(self, number: int, cells: Sequence[_Cell]) -> bool:
        """Take this row as the header if any cell names a known column."""
        wanted = {
            _norm_header(heading): column
            for column in self.columns
            for heading in (column.header, *column.aliases)
        }
        found: dict[str, tuple[int, str]] = {}
        problems: list[str] = []
        for index, cell in enumerate(cells):
            text = self.text_of(cell).strip()
            column = wanted.get(_norm_header(text)) if text else None
            if column is None:
                continue
            if column.field in found:
                first = found[column.field][0]
                problems.append(
                    f"列「{column.header}」が 2 つあります"
                    f"（{_letter(first)}列と{_letter(index)}列）。1 つにしてください。"
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
            (index, by_field[name], _converter(by_field[name], epoch_1904=self.epoch_1904))
            for name, (index, _text) in found.items()
        ]
        layout.sort(key=lambda item: item[0])
        self.layout = _Layout(
            columns=layout,
            headers={name: text for name, (_index, text) in found.items()},
            width=max(index for index, _c, _f in layout) + 1,
        )
        return True

    def add(self, number: int, cells: Sequence[_Cell], is_empty: Callable[[_Cell], bool]) -> bool:
        """Parse one data row; False when the row is wholly empty (skipped)."""
        assert self.layout is not None
        count = len(cells)
        present = [(i, c, f) for i, c, f in self.layout.columns if i < count]
        if all(is_empty(cells[i]) for i, _c, _f in present):
            return False
        values: dict[str, Any] = {}
        ok = True
        headers = self.layout.headers
        for index, column, convert in self.layout.columns:
            try:
                value = convert(cells[index] if index < count else None)
            except _CellError as exc:
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


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _run_rows(
    parser: _Parser,
    rows: Iterator[Sequence[_Cell]],
    *,
    first_number: int,
    is_empty: Callable[[_Cell], bool],
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
    if data_rows == 0:
        raise TabularImportError(MSG_HEADER_ONLY)


# ------------------------------------------------------------------------------- CSV


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def _detect_encoding(fh: IO[bytes]) -> tuple[str, int]:
    """UTF-8 with BOM, else UTF-8, else CP932; also counts lines for progress."""
    head = fh.read(4)
    fh.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TabularImportError(MSG_UTF16)
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8", "cp932"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            while chunk := fh.read(_CHUNK):
                if _CONTROL_BYTES.search(chunk):
                    raise TabularImportError(MSG_NOT_TEXT)
                lines += chunk.count(b"\n")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            fh.seek(0)
            continue
        fh.seek(0)
        return encoding, lines
    raise TabularImportError(MSG_NOT_TEXT)


def _read_csv(fh: IO[bytes], columns: tuple[Column, ...], *, progress: ProgressOption) -> Table:
    encoding, lines = _detect_encoding(fh)
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    parser = _Parser(columns, lambda cell: cell)
    try:
        with _progress(progress, max(lines, 1), "読み込み") as advance:
            _run_rows(
                parser,
                iter(csv.reader(text, strict=False)),
                first_number=1,
                is_empty=_csv_empty,
                advance=advance,
            )
    except csv.Error as exc:
        raise TabularImportError(f"CSV の形式が正しくありません（{exc}）。") from exc
    finally:
        text.detach()  # leave the caller's file open
    assert parser.layout is not None
    return Table(
        columns=columns,
        rows=parser.rows,
        errors=parser.errors,
        headers=parser.layout.headers,
        format="csv",
        encoding=encoding,
    )


def _csv_empty(cell: str) -> bool:
    return not cell or cell.isspace()


# ------------------------------------------------------------------------------ xlsx


def _check_zip(fh: IO[bytes]) -> None:
    """Refuse zip bombs by the sizes in the zip directory, before anything is inflated.

    Python's zipfile never inflates a member beyond its declared size, so the
    declared sizes are a real upper bound.
    """
    try:
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularImportError(MSG_BAD_XLSX) from exc
    finally:
        fh.seek(0)
    if len(members) > XLSX_MAX_MEMBERS:
        raise TabularImportError(MSG_ZIP_BOMB)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > _MB and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise TabularImportError(MSG_ZIP_BOMB)
    if total > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise TabularImportError(MSG_ZIP_BOMB)
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise TabularImportError(MSG_BAD_XLSX)


def _read_xlsx(
    fh: IO[bytes], columns: tuple[Column, ...], *, progress: ProgressOption, sheet: str | None
) -> Table:
    import openpyxl

    _check_zip(fh)
    try:
        # data_only=False keeps formulas visible so they can be refused.
        book = openpyxl.load_workbook(fh, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise TabularImportError(MSG_BAD_XLSX) from exc
    try:
        worksheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
        if sheet is not None:
            if sheet not in book.sheetnames:
                names = "、".join(f"「{n}」" for n in book.sheetnames)
                raise TabularImportError(f"シート「{sheet}」がありません（あるシート: {names}）。")
            ws = book[sheet]
        else:
            ws = book.active if book.active in worksheets else None
            ws = ws or (worksheets[0] if worksheets else None)
        if ws is None:
            raise TabularImportError(MSG_EMPTY)
        total = ws.max_row if ws.max_row and ws.max_row > 1 else None
        # The stored dimension may be wrong ("A1" from some writers): read every row.
        ws.reset_dimensions()
        parser = _Parser(columns, _xlsx_text, epoch_1904=book.epoch.year == 1904)
        with _progress(progress, total, "読み込み") as advance:
            _run_rows(
                parser,
                ws.iter_rows(min_row=1),
                first_number=1,
                is_empty=_xlsx_empty,
                advance=advance,
            )
        assert parser.layout is not None
        return Table(
            columns=columns,
            rows=parser.rows,
            errors=parser.errors,
            headers=parser.layout.headers,
            format="xlsx",
            sheet=ws.title,
        )
    finally:
        book.close()


def _xlsx_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    return "" if value is None else str(value)


def _xlsx_empty(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


# ------------------------------------------------------------------- cell conversion


_FORMULA_ESCAPED = re.compile(r"'[=+\-@\t\r]")
_ZERO_PAD_FORMAT = re.compile(r"^0+$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.(\d+))?$")
_TRUE = {"○", "〇", "◯", "はい", "1", "true", "yes", "有", "あり", "済"}
_FALSE = {"×", "✕", "✖", "いいえ", "0", "false", "no", "無", "なし", "未"}


def _raw(cell: Any) -> tuple[Any, bool]:
    """(value, is_formula) of a CSV string or an openpyxl cell."""
    if isinstance(cell, str) or cell is None:
        if cell and cell[0] == "=":
            return cell, True
        return cell, False
    data_type = getattr(cell, "data_type", "n")
    value = cell.value
    if data_type == "f":
        return value, True
    if data_type == "e":
        raise _CellError(f"セルがエラー値（{value}）です。正しい値を入力してください")
    return value, False


def _as_text(value: Any, cell: Any) -> str:
    """A cell's text as typed: strings as they are, numbers without a spurious .0."""
    if isinstance(value, str):
        text = value.strip()
        if _FORMULA_ESCAPED.match(text):
            text = text[1:]  # undo the export's formula-injection guard
        return text
    if isinstance(value, bool):
        return "○" if value else "×"
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        text = str(int(value))
        number_format = getattr(cell, "number_format", "General") or "General"
        if _ZERO_PAD_FORMAT.match(number_format) and value >= 0:
            text = text.zfill(len(number_format))  # what the user sees, e.g. 000123
        return text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _converter(column: Column, *, epoch_1904: bool = False) -> Callable[[Any], Any]:
    """A function from one cell to the column's value, raising _CellError."""
    kind = column.kind
    empty: Any = "" if kind in ("text", "code") else None
    typed: Callable[[Any, Any], Any]
    if kind == "choice":
        typed = _choice_converter(column)
    elif kind == "date":
        typed = functools.partial(_to_date, epoch_1904=epoch_1904)
    else:
        typed = _TYPED[kind]
    required = column.required
    max_length = column.max_length

    def convert(cell: Any) -> Any:
        value, is_formula = _raw(cell)
        if is_formula:
            raise _CellError(MSG_FORMULA)
        if value is None or (isinstance(value, str) and (not value or value.isspace())):
            if required:
                raise _CellError(MSG_REQUIRED)
            return empty
        result = typed(value, cell)
        if max_length is not None and isinstance(result, str) and len(result) > max_length:
            raise _CellError(f"{max_length} 文字以内で入力してください（{len(result)} 文字）")
        return result

    return convert


def _to_int(value: Any, cell: Any, *, yen: bool = False) -> int:
    if isinstance(value, bool):
        raise _CellError(MSG_NUMBER)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise _CellError(MSG_DECIMAL)
        return int(value)
    text = unicodedata.normalize("NFKC", _as_text(value, cell)).replace("−", "-")
    text = text.replace(",", "").replace(" ", "")
    if yen:
        text = text.removeprefix("¥").removeprefix("\\").removesuffix("円")
    match = _NUMBER.match(text)
    if not match:
        raise _CellError(MSG_NUMBER)
    fraction = match.group(1)
    if fraction is not None:
        if fraction.strip("0"):
            raise _CellError(MSG_DECIMAL)
        text = text.split(".")[0]
    return int(text)


def _to_yen(value: Any, cell: Any) -> int:
    return _to_int(value, cell, yen=True)


def _serial_to_date(serial: float, *, epoch_1904: bool = False) -> dt.date:
    """An Excel serial day number to a date (1900 system unless the book is 1904-based).

    The 1900 system counts Lotus 1-2-3's phantom 1900-02-29 as day 60.
    """
    days = int(serial)
    if epoch_1904:
        base = dt.date(1904, 1, 1)
    elif days == 60:
        raise _CellError("1900年2月29日は存在しない日付です")
    elif days < 60:
        base = dt.date(1899, 12, 31)
    else:
        base = dt.date(1899, 12, 30)
    if days < 1 or days > 2_958_465:
        raise _CellError(MSG_DATE)
    return base + dt.timedelta(days=days)


def _to_date(value: Any, cell: Any, *, epoch_1904: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise _CellError(MSG_DATE)
    if isinstance(value, int | float):
        return _serial_to_date(value, epoch_1904=epoch_1904)
    text = unicodedata.normalize("NFKC", _as_text(value, cell)).strip()
    if text.isascii() and text.isdigit() and len(text) <= 5:
        return _serial_to_date(int(text), epoch_1904=epoch_1904)
    from hagukumi.core.wareki import parse_date  # lazy: wareki is a sibling module

    try:
        return parse_date(text)
    except ValueError as exc:
        raise _CellError(str(exc) or MSG_DATE) from exc


def _to_bool(value: Any, cell: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFKC", _as_text(value, cell)).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(MSG_BOOL)


def _choice_converter(column: Column) -> Callable[[Any, Any], str]:
    pairs = column.choice_pairs()
    lookup: dict[str, str] = {}
    for stored, label in pairs:
        lookup.setdefault(unicodedata.normalize("NFKC", label).strip(), stored)
        lookup.setdefault(unicodedata.normalize("NFKC", stored).strip(), stored)
    listed = "、".join(label for _stored, label in pairs)

    def to_choice(value: Any, cell: Any) -> str:
        text = unicodedata.normalize("NFKC", _as_text(value, cell)).strip()
        if text in lookup:
            return lookup[text]
        raise _CellError(f"「{text}」は選べません。次のいずれかを入力してください: {listed}")

    return to_choice


_TYPED: dict[str, Callable[[Any, Any], Any]] = {
    "text": _as_text,
    "code": _as_text,
    "int": _to_int,
    "yen": _to_yen,
    "bool": _to_bool,
}


# -------------------------------------------------------------------------- progress


@contextlib.contextmanager
def _progress(
    option: ProgressOption, count: int | Callable[[], int | None] | None, description: str
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(done)``: a rich bar on a TTY stderr, a callback, or nothing.

    ``count`` may be a function, called only when someone will see the total.
    """
    if option is False or (option is None and not sys.stderr.isatty()):
        yield _ignore
        return
    total = count() if callable(count) else count
    if callable(option) and not isinstance(option, bool):
        callback = option
        yield lambda done: callback(done, total)
        return
    if not sys.stderr.isatty() or (total is not None and total < PROGRESS_MIN_ROWS):
        yield _ignore
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TextColumn("残り"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(done: int) -> None:
            bar.update(task, completed=done if total is None else min(done, total))

        yield advance


def _ignore(done: int) -> None:
    return None


class _RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("" if speed is None else f"{speed:,.0f} 行/秒")


# --------------------------------------------------------------------------- running


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
        with _progress(progress, len(table.rows), f"{label}の取り込み") as advance:
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


def report_errors(error: ApplicationError, stream: TextIO | OutputWrapper) -> CommandError:
    """Write every row error of ``error`` to ``stream`` (a command's stderr) and return
    a ``CommandError`` carrying its message, for the command to raise (exit code 1).

    Works for any ApplicationError; the row errors of TabularImportError and
    TabularExportError (their ``.errors``) get one line each.
    """
    row_errors: Sequence[RowError] = getattr(error, "errors", None) or []
    for line in map(str, row_errors):
        if isinstance(stream, OutputWrapper):
            stream.write(line)  # adds the newline itself
        else:
            stream.write(line + "\n")
    return CommandError(error.message)


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
