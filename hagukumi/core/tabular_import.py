"""One reader for every xlsx/CSV import (interface; implementation in progress).

Public API (other apps code against exactly this):

    Column(field, header, kind="text", required=False, aliases=(), choices=None)
    RowError(row, column, message)            str() -> "行 N 列 X: 理由"
    TabularImportError(errors)                ApplicationError carrying list[RowError]
    read_table(source, *, columns, filename=None, max_bytes=None, progress=None) -> Table
    Table.rows: list[ParsedRow]  (ParsedRow.number = spreadsheet row number, .values = dict)
    Table.errors: list[RowError]
    ImportSummary(new, changed, unchanged, ...)   dry-run / result counts
"""
