"""``read_table``: any supported file into a ``Table`` of typed rows and row errors."""

from __future__ import annotations

from collections.abc import Sequence

from hagukumi.core.cli import ProgressOption
from hagukumi.core.tabular_import.columns import Column, check_columns
from hagukumi.core.tabular_import.csv_reader import read_csv
from hagukumi.core.tabular_import.sources import (
    Source,
    default_max_bytes,
    file_format,
    open_source,
)
from hagukumi.core.tabular_import.table import Table
from hagukumi.core.tabular_import.xlsx_reader import read_xlsx


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
    check_columns(cols)
    limit = max_bytes if max_bytes is not None else default_max_bytes()
    with open_source(source, limit) as (fh, size, name):
        if file_format(fh, size=size, filename=filename or name) == "xlsx":
            return read_xlsx(fh, cols, progress=progress, sheet=sheet)
        return read_csv(fh, cols, progress=progress)
