"""Every registered import accepts a file that holds only its required columns.

The registry (``core.tabular_import.register_importer``) is filled by each app's
``AppConfig.ready()``, so an import added later is covered here the day it is
registered. Absent optional columns must read as their empty value, never as a
KeyError (a units CSV without 機能 once crashed ``hagukumi import_units``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from hagukumi.core.tabular_import import (
    Column,
    ImporterSpec,
    importer_by_key,
    read_table,
    registered_importers,
)
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

# The imports the apps below training register today; more may come.
KNOWN_IMPORTERS = {
    "cases-list",
    "frameworks-skill-map",
    "orgs-units",
    "people-qualifications",
    "people-staff",
}


def example_text(column: Column) -> str:
    """A cell every column of this kind accepts, as a user would type it."""
    if column.kind == "choice":
        return column.choice_pairs()[0][1]
    return {
        "code": "001",
        "int": "1",
        "yen": "1,000",
        "decimal": "1.5",
        "date": "2024-04-01",
        "bool": "○",
    }.get(column.kind, "テスト")


def required_only_csv(spec: ImporterSpec) -> bytes:
    columns = spec.required_columns()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    writer.writerow([example_text(c) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def required_only_xlsx(spec: ImporterSpec) -> bytes:
    columns = spec.required_columns()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c.header for c in columns])
    sheet.append([example_text(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_apps_register_their_imports():
    specs = registered_importers()
    assert {s.key for s in specs} >= KNOWN_IMPORTERS
    for spec in specs:
        assert spec.label
        assert spec.required_columns(), f"{spec.key} has no required column"


@pytest.mark.parametrize("spec", registered_importers(), ids=lambda s: s.key)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_file_with_only_the_required_columns_reads(spec: ImporterSpec, format: str):
    data = required_only_csv(spec) if format == "csv" else required_only_xlsx(spec)
    table = read_table(data, columns=spec.column_list(), filename=f"t.{format}")
    assert [str(e) for e in table.errors] == []
    (row,) = table.rows
    for column in spec.column_list():
        if column.required:
            assert column.field in row
        else:
            assert column.field not in row  # the import may leave it untouched ...
            assert row[column.field] == column.empty  # ... and reading it is no KeyError
            assert row.values[column.field] == column.empty


# -------------------------------------------------- the real imports, dry run


@pytest.fixture
def organization(db):
    org = OrganizationFactory()
    UnitFactory(organization=org, code="001", name="総務課", valid_from_fy=2020)
    return org


def run_command(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_units_import_without_function_column_dry_runs(organization, tmp_path: Path):
    # The file of the bug report: no 機能 column.
    path = tmp_path / "units.csv"
    path.write_text(
        "所属コード,所属名,上位所属コード,区分\n001,総務課,,課\n002,情報政策係,001,係\n",
        encoding="utf-8-sig",
    )
    output = run_command(
        "import_units",
        str(path),
        "--organization",
        organization.code,
        "--fiscal-year",
        "2026",
        "--dry-run",
    )
    assert "新規 1件" in output
    assert "変更なし 1件" in output


def test_units_import_with_only_required_columns_dry_runs(organization, tmp_path: Path):
    spec = importer_by_key("orgs-units")
    assert [c.header for c in spec.required_columns()] == ["所属コード", "所属名"]
    path = tmp_path / "units.csv"
    path.write_text("所属コード,所属名\n001,総務課\n002,企画課\n", encoding="utf-8-sig")
    output = run_command(
        "import_units",
        str(path),
        "--organization",
        organization.code,
        "--fiscal-year",
        "2026",
        "--dry-run",
    )
    assert "新規 1件" in output


def test_staff_import_with_only_required_columns_dry_runs(organization, tmp_path: Path):
    spec = importer_by_key("people-staff")
    assert [c.header for c in spec.required_columns()] == ["職員番号", "氏名", "所属コード", "職位"]
    path = tmp_path / "staff.csv"
    path.write_text(
        "職員番号,氏名,所属コード,職位\n000123,山田 太郎,001,主事\n", encoding="utf-8-sig"
    )
    output = run_command(
        "import_staff",
        str(path),
        "--organization",
        organization.code,
        "--effective-date",
        "2026-04-01",
        "--dry-run",
    )
    assert "新規 1件" in output
