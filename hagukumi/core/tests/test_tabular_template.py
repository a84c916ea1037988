"""Import templates (issue #14 defect 9 and the roster-template dead end).

Code columns are Text format so Excel keeps 020201; a 記入例 row is written and
skipped on import; choice columns get a 「選択肢」 sheet and drop-down lists; an
unknown code that is a known one without its leading zeros says so.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from hagukumi.core.tabular_export import CHOICES_SHEET, write_table, write_template
from hagukumi.core.tabular_import import (
    SAMPLE_MARK,
    CodeIndex,
    Column,
    TabularImportError,
    read_table,
)

COLUMNS = (
    Column("code", "職員番号", kind="code", required=True),
    Column("name", "氏名", required=True),
    Column("unit_code", "所属コード", kind="code"),
    Column("joined", "採用日", kind="date"),
    Column("grade", "級", kind="int"),
    Column("kind", "区分", kind="choice", choices=[("city", "市"), ("town", "町")]),
    Column("rank", "職位", kind="choice", choices=["部長", "課長", "主事"]),
)
SAMPLE = {
    "name": "山田 太郎",
    "unit_code": "020201",
    "joined": dt.date(2020, 4, 1),
    "grade": 1,
    "kind": "city",
    "rank": "主事",
}


def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_code_and_text_columns_of_a_template_are_text_format():
    """An empty Excel column in General format turns a typed 020201 into 20201."""
    for data in (write_template(COLUMNS), write_table([], columns=COLUMNS)):
        sheet = book(data).worksheets[0]
        formats = {
            sheet.cell(row=1, column=i).value: sheet.column_dimensions[letter].number_format
            for i, letter in enumerate("ABCDEFG", start=1)
        }
        assert formats["職員番号"] == "@"
        assert formats["氏名"] == "@"
        assert formats["所属コード"] == "@"
        assert formats["採用日"] == "yyyy/mm/dd"


def test_exports_keep_code_columns_text_for_rows_typed_later():
    sheet = book(write_table([{"code": "000123", "name": "髙橋"}], columns=COLUMNS)).active
    assert sheet["A2"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"


def test_template_has_a_marked_sample_row():
    sheet = book(write_template(COLUMNS, sample=SAMPLE)).worksheets[0]
    row = [c.value for c in sheet[2]]
    assert row[0] == SAMPLE_MARK == "記入例"
    assert row[1:3] == ["山田 太郎", "020201"]
    assert sheet["C2"].number_format == "@"
    assert row[3] == dt.datetime(2020, 4, 1)
    assert row[5:] == ["市", "主事"]  # choice columns show the label


def test_a_template_with_only_its_sample_row_reads_as_no_rows():
    table = read_table(write_template(COLUMNS, sample=SAMPLE), columns=COLUMNS)
    assert table.rows == []
    assert table.errors == []
    assert table.sample_rows == 1


def test_sample_rows_are_skipped_wherever_they_are_in_xlsx_and_csv():
    for data, name in (
        (
            "職員番号,氏名\r\n記入例,山田 太郎\r\n000001,佐藤 花子\r\n【記入例】2,x\r\n".encode(),
            "x.csv",
        ),
        (
            _xlsx(
                [["職員番号", "氏名"], ["記入例", "山田"], ["000001", "佐藤 花子"], ["記入例2", ""]]
            ),
            "x.xlsx",
        ),
    ):
        table = read_table(data, columns=COLUMNS[:2], filename=name)
        assert [(r.number, r["code"]) for r in table.rows] == [(3, "000001")]
        assert table.errors == []
        assert table.sample_rows == 2


def test_header_only_file_is_still_refused():
    with pytest.raises(TabularImportError, match="データの行がありません"):
        read_table("職員番号,氏名\r\n".encode(), columns=COLUMNS[:2], filename="x.csv")


def test_choice_columns_get_a_sheet_of_allowed_values_and_drop_down_lists():
    workbook = book(write_template(COLUMNS, sample=SAMPLE))
    assert workbook.sheetnames == ["Sheet1", CHOICES_SHEET]
    assert CHOICES_SHEET == "選択肢"
    assert workbook.active.title == "Sheet1"  # the importer reads the active sheet
    choices = workbook[CHOICES_SHEET]
    listed = [[c.value for c in column if c.value is not None] for column in choices.columns]
    assert listed == [["区分", "市", "町"], ["職位", "部長", "課長", "主事"]]
    sheet = workbook["Sheet1"]
    lists = {
        str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }
    assert lists == {
        "F2:F1048576": "'選択肢'!$A$2:$A$3",
        "G2:G1048576": "'選択肢'!$B$2:$B$4",
    }
    validation = sheet.data_validations.dataValidation[0]
    assert validation.showErrorMessage
    assert validation.allow_blank
    assert "選択肢" in validation.error


def test_a_template_without_choice_columns_has_one_sheet():
    assert book(write_template(COLUMNS[:3])).sheetnames == ["Sheet1"]


def test_leading_zero_hint():
    codes = CodeIndex(["020201", "0101", "01", "3"])
    assert "020201" in codes
    assert "20201" not in codes
    assert codes.leading_zero_hint("20201") == "先頭の0が落ちていませんか（020201）"
    assert codes.leading_zero_hint("１０１") == "先頭の0が落ちていませんか（0101）"
    assert codes.leading_zero_hint("1") == "先頭の0が落ちていませんか（01）"
    assert codes.leading_zero_hint("020201") is None  # known
    assert codes.leading_zero_hint("99") is None  # nothing like it
    assert codes.leading_zero_hint("003") is None  # zeros added, not lost
    assert codes.leading_zero_hint("ABC") is None
    both = CodeIndex(["0123", "00123"])
    assert both.leading_zero_hint("123") == "先頭の0が落ちていませんか（0123、00123）"
    assert codes.unknown("所属コード「20201」はありません", "20201") == (
        "所属コード「20201」はありません。先頭の0が落ちていませんか（020201）"
    )
    assert codes.unknown("所属コード「99」はありません", "99") == "所属コード「99」はありません"


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
