"""Excel workbooks (.xlsx/.xlsm) into a ``Table``: one sheet, values only, no formulas."""

from __future__ import annotations

from typing import IO, Any

from hagukumi.core.cli import ProgressOption, progress_reporter
from hagukumi.core.tabular_import.columns import Column
from hagukumi.core.tabular_import.rows import RowParser, parse_rows
from hagukumi.core.tabular_import.sources import MSG_BAD_XLSX, MSG_EMPTY, check_zip
from hagukumi.core.tabular_import.table import Table, TabularImportError


def read_xlsx(
    fh: IO[bytes], columns: tuple[Column, ...], *, progress: ProgressOption, sheet: str | None
) -> Table:
    """The named sheet, else the active one (else the first worksheet)."""
    import openpyxl

    check_zip(fh)
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
        parser = RowParser(columns, _text, epoch_1904=book.epoch.year == 1904)
        with progress_reporter(progress, total, "読み込み") as advance:
            parse_rows(
                parser,
                ws.iter_rows(min_row=1),
                first_number=1,
                is_empty=_empty,
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
            sample_rows=parser.sample_rows,
        )
    finally:
        book.close()


def _text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    return "" if value is None else str(value)


def _empty(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and (not value or value.isspace()))
