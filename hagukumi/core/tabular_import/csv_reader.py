"""CSV files (UTF-8 with or without BOM, or CP932) into a ``Table``."""

from __future__ import annotations

import csv
import io
from typing import IO

from hagukumi.core.cli import ProgressOption, progress_reporter
from hagukumi.core.tabular_import.columns import Column
from hagukumi.core.tabular_import.rows import RowParser, parse_rows
from hagukumi.core.tabular_import.sources import detect_encoding
from hagukumi.core.tabular_import.table import Table, TabularImportError


def read_csv(fh: IO[bytes], columns: tuple[Column, ...], *, progress: ProgressOption) -> Table:
    encoding, lines = detect_encoding(fh)
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    parser = RowParser(columns, lambda cell: cell)
    try:
        with progress_reporter(progress, max(lines, 1), "読み込み") as advance:
            parse_rows(
                parser,
                iter(csv.reader(text, strict=False)),
                first_number=1,
                is_empty=_empty,
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
        sample_rows=parser.sample_rows,
    )


def _empty(cell: str) -> bool:
    return not cell or cell.isspace()
