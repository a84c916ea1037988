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

A management command (thin: parse input, call one service, report; see
``hagukumi.core.cli``):

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
codes keep leading zeros), int/yen -> int, decimal -> Decimal, date ->
datetime.date, bool -> bool, choice -> the stored value; None when empty for
the other kinds. Only the required columns must be in the file: a field whose
optional column is absent is not stored (``field in row.values`` is False, so
an import can leave such fields untouched), but ``row[field]`` and
``row.values[field]`` read as the column's empty value, never a KeyError. Row
numbers are the ones the user sees in Excel (the header is usually row 1; up to
``HEADER_SEARCH_ROWS`` title rows above it are skipped). A row whose first cell
starts with 「記入例」 (``SAMPLE_MARK``) is a template's example and is skipped;
``Table.sample_rows`` counts them (a file of sample rows only is no rows, not
an error).

Unknown codes: ``CodeIndex(known).unknown(message, code)`` adds
「先頭の0が落ちていませんか（020201）」 when ``code`` is a known one without its
leading zeros (what Excel's General format does to 020201).

Where things are: ``columns`` (Column and kinds), ``codes`` (CodeIndex),
``sources`` (opening files, size caps, zip-bomb guard, format and encodings),
``csv_reader`` and ``xlsx_reader``, ``rows`` (header and row parsing, 記入例
rows), ``cells`` (value conversions), ``table`` (what reading gives, and the
errors), ``runner`` (run_import, ImportSummary), ``importers`` (the registry
of every import).
"""

from hagukumi.core.cli import (
    PROGRESS_EVERY,
    PROGRESS_MIN_ROWS,
    ProgressOption,
    report_errors,
)
from hagukumi.core.tabular_import.cells import (
    MSG_BOOL,
    MSG_DATE,
    MSG_DECIMAL,
    MSG_FORMULA,
    MSG_NUMBER,
    MSG_REQUIRED,
)
from hagukumi.core.tabular_import.codes import MSG_LEADING_ZERO, CodeIndex
from hagukumi.core.tabular_import.columns import Column, ColumnKind
from hagukumi.core.tabular_import.importers import (
    ImporterSpec,
    importer_by_key,
    register_importer,
    registered_importers,
)
from hagukumi.core.tabular_import.reader import read_table
from hagukumi.core.tabular_import.rows import (
    HEADER_SEARCH_ROWS,
    MSG_HEADER_ONLY,
    SAMPLE_MARK,
    is_sample_mark,
)
from hagukumi.core.tabular_import.runner import (
    KIND_LABELS,
    ImportSummary,
    RowChange,
    RowKind,
    RowOutcome,
    assign_changes,
    run_import,
)
from hagukumi.core.tabular_import.sources import (
    MSG_BAD_XLSX,
    MSG_EMPTY,
    MSG_NOT_TEXT,
    MSG_OLD_XLS,
    MSG_UTF16,
    MSG_ZIP_BOMB,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNCOMPRESSED_BYTES,
    Source,
)
from hagukumi.core.tabular_import.table import (
    ParsedRow,
    RowError,
    RowProblem,
    RowValues,
    Table,
    TabularImportError,
)

__all__ = [
    "HEADER_SEARCH_ROWS",
    "KIND_LABELS",
    "MSG_BAD_XLSX",
    "MSG_BOOL",
    "MSG_DATE",
    "MSG_DECIMAL",
    "MSG_EMPTY",
    "MSG_FORMULA",
    "MSG_HEADER_ONLY",
    "MSG_LEADING_ZERO",
    "MSG_NOT_TEXT",
    "MSG_NUMBER",
    "MSG_OLD_XLS",
    "MSG_REQUIRED",
    "MSG_UTF16",
    "MSG_ZIP_BOMB",
    "PROGRESS_EVERY",
    "PROGRESS_MIN_ROWS",
    "SAMPLE_MARK",
    "XLSX_MAX_MEMBERS",
    "XLSX_MAX_RATIO",
    "XLSX_MAX_UNCOMPRESSED_BYTES",
    "CodeIndex",
    "Column",
    "ColumnKind",
    "ImportSummary",
    "ImporterSpec",
    "ParsedRow",
    "ProgressOption",
    "RowChange",
    "RowError",
    "RowKind",
    "RowOutcome",
    "RowProblem",
    "RowValues",
    "Source",
    "Table",
    "TabularImportError",
    "assign_changes",
    "importer_by_key",
    "is_sample_mark",
    "read_table",
    "register_importer",
    "registered_importers",
    "report_errors",
    "run_import",
]
