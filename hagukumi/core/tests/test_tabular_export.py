"""The one writer for xlsx/CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace
from urllib.parse import unquote

import openpyxl
import pytest

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_export import (
    TabularExportError,
    content_disposition,
    table_response,
    write_table,
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


def test_content_disposition_has_ascii_fallback_and_utf8_name():
    header = content_disposition("所属一覧 2024.xlsx")
    assert header.startswith("attachment; filename=\"2024.xlsx\"; filename*=UTF-8''")
    assert unquote(header.split("UTF-8''")[1]) == "所属一覧 2024.xlsx"
    assert 'filename="download.csv"' in content_disposition("職員.csv")


def test_table_response():
    response = table_response(ROWS[:1], columns=COLUMNS, filename="職員.csv", encoding="cp932")
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert "filename*=UTF-8''%E8%81%B7%E5%93%A1.csv" in response["Content-Disposition"]
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
