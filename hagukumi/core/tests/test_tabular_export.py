"""The one writer for xlsx/CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import unquote

import openpyxl
import pytest

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_export import (
    Sheet,
    TabularExportError,
    content_disposition,
    table_response,
    workbook_response,
    write_table,
    write_workbook,
)
from hagukumi.core.tabular_import import Column, read_table

COLUMNS = (
    Column("code", "職員番号", kind="code", required=True),
    Column("name", "氏名", required=True),
    Column("joined", "採用日", kind="date"),
    Column("fee", "受講料", kind="yen"),
    Column("digital", "デジタル人材", kind="bool"),
    Column("kind", "区分", kind="choice", choices=[("city", "市"), ("town", "町")]),
)
ROWS = [
    {
        "code": "000123",
        "name": "髙橋 﨑子",
        "joined": dt.date(2020, 4, 1),
        "fee": 7500,
        "digital": True,
        "kind": "city",
    },
    {
        "code": "000124",
        "name": "𠮷田",
        "joined": None,
        "fee": None,
        "digital": False,
        "kind": "town",
    },
]


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_csv_is_utf8_with_bom_and_crlf():
    data = write_table(ROWS, columns=COLUMNS, format="csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert (
        data.decode("utf-8-sig").splitlines()[0] == "職員番号,氏名,採用日,受講料,デジタル人材,区分"
    )
    assert data.decode("utf-8-sig").split("\r\n")[1] == "000123,髙橋 﨑子,2020-04-01,7500,○,市"


def test_cp932_holds_taka_and_saki():
    data = write_table(ROWS[:1], columns=COLUMNS, format="csv", encoding="cp932")
    assert b"\xee\xe0" in data  # 髙
    assert b"\xed\x95" in data  # 﨑
    assert "髙橋 﨑子" in data.decode("cp932")


def test_cp932_refuses_what_it_cannot_hold_naming_row_and_column():
    rows = [*ROWS, {"code": "000125", "name": "𠮷川", "kind": "city"}]
    with pytest.raises(TabularExportError) as caught:
        write_table(rows, columns=COLUMNS, format="csv", encoding="cp932")
    error = caught.value
    assert isinstance(error, ApplicationError)
    assert error.lines() == [
        "行 3 列 氏名: 「𠮷」は CP932 で出力できません。UTF-8 (BOM付き) を選んでください",
        "行 4 列 氏名: 「𠮷」は CP932 で出力できません。UTF-8 (BOM付き) を選んでください",
    ]
    assert error.message.endswith("（ほか 1 件）")


@pytest.mark.parametrize("text", ["=1+1", "+81-3", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_escaped_in_csv_and_xlsx(text):
    rows = [{"code": "1", "name": text}]
    csv_text = write_table(rows, columns=COLUMNS[:2], format="csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(csv_text, newline="")))[1] == ["1", "'" + text]
    cell = load(write_table(rows, columns=COLUMNS[:2]))["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text


def test_xlsx_types_dates_codes_and_numbers():
    sheet = load(write_table(ROWS, columns=COLUMNS, sheet_title="職員[一覧]"))
    assert sheet.title == "職員_一覧_"
    assert [c.value for c in sheet[1]] == [
        "職員番号",
        "氏名",
        "採用日",
        "受講料",
        "デジタル人材",
        "区分",
    ]
    code, _name, joined, fee, digital, kind = sheet[2]
    assert (code.value, code.data_type, code.number_format) == ("000123", "s", "@")
    assert joined.is_date
    assert joined.value == dt.datetime(2020, 4, 1)
    assert (fee.value, fee.number_format) == (7500, "#,##0")
    assert (digital.value, kind.value) == ("○", "市")
    assert sheet["B3"].value == "𠮷田"
    assert sheet.freeze_panes == "A2"


def test_aware_datetimes_and_objects_and_control_characters():
    columns = (Column("when", "日時"), Column("unit.code", "所属コード", kind="code"))
    row = SimpleNamespace(
        when=dt.datetime(2024, 4, 1, 0, 30, tzinfo=dt.UTC), unit=SimpleNamespace(code="0012\x01")
    )
    sheet = load(write_table([row], columns=columns))
    assert sheet["A2"].value == dt.datetime(2024, 4, 1, 9, 30)  # Asia/Tokyo
    assert sheet["B2"].value == "0012"
    csv_text = write_table([row], columns=columns, format="csv").decode("utf-8-sig")
    assert "2024-04-01 09:30:00" in csv_text


@pytest.mark.parametrize(("format", "encoding"), [("xlsx", "utf-8-sig"), ("csv", "utf-8-sig")])
def test_export_reads_back_with_the_same_columns(format, encoding):
    data = write_table(ROWS, columns=COLUMNS, format=format, encoding=encoding)
    table = read_table(data, columns=COLUMNS, filename=f"x.{format}")
    assert table.errors == []
    assert [r.values for r in table.rows] == [
        {**ROWS[0]},
        {**ROWS[1], "joined": None, "fee": None},
    ]


def test_escaped_text_reads_back_as_typed():
    rows = [{"code": "1", "name": "=1+1"}, {"code": "2", "name": "-"}]
    for format in ("csv", "xlsx"):
        data = write_table(rows, columns=COLUMNS[:2], format=format)
        table = read_table(data, columns=COLUMNS[:2], filename=f"x.{format}")
        assert [r["name"] for r in table.rows] == ["=1+1", "-"]


def test_empty_export_is_an_import_template():
    sheet = load(write_table([], columns=COLUMNS))
    assert sheet.max_row == 1


def test_content_disposition_is_djangos_rfc_6266_header():
    header = content_disposition("所属一覧 2024.xlsx")
    assert header.startswith("attachment; filename*=utf-8''")
    assert unquote(header.split("utf-8''")[1]) == "所属一覧 2024.xlsx"
    assert content_disposition("units.csv") == 'attachment; filename="units.csv"'


def test_table_response():
    response = table_response(ROWS[:1], columns=COLUMNS, filename="職員.csv", encoding="cp932")
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "filename*=utf-8''%E8%81%B7%E5%93%A1.csv" in response["Content-Disposition"]
    response = table_response(ROWS, columns=COLUMNS, filename="職員.xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert load(response.content)["A2"].value == "000123"


def test_report_errors_lists_export_errors_for_commands():
    from hagukumi.core.tabular_import import report_errors

    with pytest.raises(TabularExportError) as caught:
        write_table(ROWS, columns=COLUMNS, format="csv", encoding="cp932")
    out = io.StringIO()
    command_error = report_errors(caught.value, out)
    assert out.getvalue().startswith("行 3 列 氏名: 「𠮷」は CP932 で出力できません")
    assert str(command_error) == caught.value.message


# ------------------------------------------------------- machine-readable workbook

HOUR_COLUMNS = (
    Column("code", "職員番号", kind="code", required=True),
    Column("title", "講座名", required=True),
    Column("attended_on", "受講日", kind="date"),
    Column("hours", "受講時間", kind="decimal"),
    Column("fee", "受講料", kind="yen"),
    Column("count", "回数", kind="int"),
)
HOURS = [
    {
        "code": "000123",
        "title": "データ活用入門",
        "attended_on": dt.date(2024, 5, 1),
        "hours": Decimal("1.5"),
        "fee": 7500,
        "count": "1,200",  # numeric text becomes a number
    },
    {"code": "000124", "title": "=SUM(A1)", "attended_on": None, "hours": None, "fee": None},
]


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_one_table_a_sheet_with_one_header_row_and_no_merged_cells():
    data = write_workbook(
        [
            Sheet("職員", COLUMNS, ROWS, wareki=("joined",)),
            Sheet("受講[記録]", HOUR_COLUMNS, HOURS),
            Sheet("空", COLUMNS[:2], []),
        ]
    )
    book = workbook(data)
    assert book.sheetnames == ["職員", "受講_記録_", "空"]
    for sheet in book.worksheets:
        assert sheet.merged_cells.ranges == set()
        assert sheet.freeze_panes == "A2"
        assert all(isinstance(c.value, str) and c.value for c in sheet[1])  # one header row
    staff, hours, empty = book.worksheets
    assert [c.value for c in staff[1]] == [
        "職員番号",
        "氏名",
        "採用日",
        "採用日（和暦）",
        "受講料",
        "デジタル人材",
        "区分",
    ]
    assert staff.max_row == 3  # one record a row, nothing below
    assert (empty.max_row, [c.value for c in empty[1]]) == (1, ["職員番号", "氏名"])
    assert [c.value for c in hours[1]] == [c.header for c in HOUR_COLUMNS]


def test_workbook_dates_are_iso_western_dates_with_wareki_beside():
    staff = workbook(write_workbook([Sheet("職員", COLUMNS, ROWS, wareki=("joined",))]))["職員"]
    joined, wareki = staff["C2"], staff["D2"]
    assert joined.is_date
    assert (joined.value, joined.number_format) == (dt.datetime(2020, 4, 1), "yyyy-mm-dd")
    assert (wareki.value, wareki.data_type) == ("令和2年4月1日", "s")
    assert (staff["C3"].value, staff["D3"].value) == (None, None)


def test_workbook_numbers_are_numbers_and_text_stays_text():
    hours = workbook(write_workbook([Sheet("受講", HOUR_COLUMNS, HOURS)]))["受講"]
    code, _title, _day, time, fee, count = hours[2]
    assert (code.value, code.data_type) == ("000123", "s")
    assert (time.value, time.data_type) == (1.5, "n")
    assert (fee.value, fee.data_type, fee.number_format) == (7500, "n", "#,##0")
    assert (count.value, count.data_type) == (1200, "n")
    assert (hours["B3"].value, hours["B3"].data_type) == ("'=SUM(A1)", "s")  # never a formula


def test_workbook_refuses_a_number_column_holding_text_naming_the_sheet_and_cell():
    rows = [{"code": "1", "title": "a", "hours": "1,5"}, {"code": "2", "title": "b", "fee": "無料"}]
    with pytest.raises(TabularExportError) as caught:
        write_workbook([Sheet("職員", COLUMNS, ROWS), Sheet("受講", HOUR_COLUMNS, rows)])
    assert caught.value.lines() == [
        "行 2 列 受講時間: 「1,5」は数値ではないため出力できません（シート「受講」）",
        "行 3 列 受講料: 「無料」は数値ではないため出力できません（シート「受講」）",
    ]


def test_workbook_programming_mistakes_fail_loudly():
    with pytest.raises(ValueError, match="at least one sheet"):
        write_workbook([])
    with pytest.raises(ValueError, match="duplicate sheet names"):
        write_workbook([Sheet("職員", COLUMNS, []), Sheet("職員", COLUMNS, [])])
    with pytest.raises(ValueError, match="not a date column"):
        write_workbook([Sheet("職員", COLUMNS, [], wareki=("name",))])


def test_workbook_sheets_read_back_with_their_columns():
    data = write_workbook([Sheet("職員", COLUMNS, ROWS), Sheet("受講", HOUR_COLUMNS, HOURS[:1])])
    table = read_table(data, columns=HOUR_COLUMNS, sheet="受講")
    assert table.errors == []
    assert table.rows[0].values == {**HOURS[0], "count": 1200}
    staff = read_table(data, columns=COLUMNS, sheet="職員")
    assert [r["code"] for r in staff.rows] == ["000123", "000124"]


def test_workbook_response():
    response = workbook_response([Sheet("職員", COLUMNS, ROWS)], filename="人材.xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert workbook(response.content)["職員"]["A2"].value == "000123"
