"""One writer for every xlsx/CSV export.

Exports use the same ``Column`` as imports, so an exported file (or an empty
template, ``write_table([], columns=...)``) reads straight back in:

    data = write_table(units, columns=UNIT_COLUMNS, format="csv", encoding="cp932")
    return table_response(units, columns=UNIT_COLUMNS, filename="所属一覧.xlsx")

Rows are mappings (field -> value) or objects (attribute per field). Cells that
start with = + - @ tab or CR get a leading ' against formula injection; xlsx
cells are always written as values, never formulas. Dates are ISO text in CSV
and real dates in xlsx. CSV is UTF-8 with BOM unless CP932 is asked for; a
character CP932 cannot hold refuses the whole export (no file is produced).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from django.http import HttpResponse

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import Column, RowError

ExportFormat = Literal["xlsx", "csv"]
CsvEncoding = Literal["utf-8-sig", "cp932"]


class TabularExportError(ApplicationError):
    """The export cannot be written; ``.errors`` names each offending row and column."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        raise NotImplementedError


def write_table(
    rows: Iterable[Mapping[str, object] | object],
    *,
    columns: Sequence[Column],
    format: ExportFormat = "xlsx",
    encoding: CsvEncoding = "utf-8-sig",
    sheet_title: str = "Sheet1",
) -> bytes:
    """The whole file as bytes: a header row of ``Column.header`` then one row per item."""
    raise NotImplementedError


def content_disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266 / RFC 5987)."""
    raise NotImplementedError


def table_response(
    rows: Iterable[Mapping[str, object] | object],
    *,
    columns: Sequence[Column],
    filename: str,
    format: ExportFormat | None = None,
    encoding: CsvEncoding = "utf-8-sig",
    sheet_title: str = "Sheet1",
) -> HttpResponse:
    """A download response; the format defaults to ``filename``'s extension."""
    raise NotImplementedError
