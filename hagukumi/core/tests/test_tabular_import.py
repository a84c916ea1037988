"""The one reader for xlsx/CSV imports and the all-or-nothing runner."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError, OutputWrapper

from hagukumi.core import cli
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import (
    Column,
    ImportSummary,
    ParsedRow,
    RowError,
    RowOutcome,
    RowProblem,
    TabularImportError,
    assign_changes,
    read_table,
    report_errors,
    run_import,
    sources,
)
from hagukumi.orgs.models import Organization
from hagukumi.orgs.tests.factories import OrganizationFactory

COLUMNS = (
    Column("code", "職員番号", kind="code", required=True, unique=True),
    Column("name", "氏名", required=True, aliases=("名前",)),
    Column("joined", "採用日", kind="date"),
    Column("fee", "受講料", kind="yen"),
    Column("hours", "時間", kind="int"),
    Column("digital", "デジタル人材", kind="bool"),
    Column("kind", "区分", kind="choice", choices=[("city", "市"), ("town", "町")]),
)
HEADER = ["職員番号", "氏名", "採用日", "受講料", "時間", "デジタル人材", "区分"]


def xlsx_bytes(rows: list[list[object]], *, formats: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def read_csv(text: str, encoding: str = "utf-8-sig", columns=COLUMNS):
    return read_table(csv_bytes(text, encoding), columns=columns, filename="t.csv")


def only_row(table) -> ParsedRow:
    assert table.errors == []
    assert len(table.rows) == 1
    return table.rows[0]


# ------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_csv_encodings_read_with_ibm_nec_extension_kanji(encoding):
    table = read_csv("職員番号,氏名\n000123,髙橋 﨑子\n", encoding)
    assert table.encoding == encoding
    assert only_row(table).values == {"code": "000123", "name": "髙橋 﨑子"}


def test_cp932_bytes_of_taka_and_saki_decode():
    raw = b"\x90\x45\x88\xf5\x94\xd4\x8d\x86,\x8e\x81\x96\xbc\r\n1,\xee\xe0\x8b\xb4\xed\x95\r\n"
    table = read_table(raw, columns=COLUMNS[:2], filename="x.csv")
    assert table.encoding == "cp932"
    assert only_row(table)["name"] == "髙橋﨑"


def test_garbage_bytes_are_a_clear_file_error():
    garbage = bytes(range(256)) * 40
    with pytest.raises(TabularImportError, match="文字コードを判別できない"):
        read_table(garbage, columns=COLUMNS, filename="x.csv")


def test_undecodable_text_without_control_bytes_is_refused():
    with pytest.raises(TabularImportError, match="文字コードを判別できない"):
        read_table("職員番号,氏名\n1,a".encode() + b"\x81\xff", columns=COLUMNS)


def test_utf16_is_refused_with_advice():
    with pytest.raises(TabularImportError, match="UTF-16"):
        read_table("職員番号,氏名\n".encode("utf-16"), columns=COLUMNS)


def test_non_bmp_character_survives_csv_and_xlsx():
    assert only_row(read_csv("職員番号,氏名\n1,𠮷田\n"))["name"] == "𠮷田"
    table = read_table(xlsx_bytes([HEADER[:2], ["1", "𠮷田"]]), columns=COLUMNS)
    assert only_row(table)["name"] == "𠮷田"


# ------------------------------------------------------------------------ codes


def test_code_keeps_leading_zeros_in_csv():
    assert only_row(read_csv("職員番号,氏名\n000123,山田\n"))["code"] == "000123"


def test_code_keeps_leading_zeros_from_xlsx_string_and_formatted_number():
    data = xlsx_bytes(
        [HEADER[:2], ["000123", "山田"], [124, "佐藤"], [125.0, "鈴木"]],
        formats={"A3": "000000"},
    )
    table = read_table(data, columns=COLUMNS)
    assert table.errors == []
    assert [r["code"] for r in table.rows] == ["000123", "000124", "125"]


def test_text_cell_is_kept_as_typed_apart_from_surrounding_spaces():
    row = only_row(read_csv("職員番号,氏名\n 0012 ,山田　太郎\n"))
    assert row.values == {"code": "0012", "name": "山田　太郎"}


# ------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("R2.4.1", dt.date(2020, 4, 1)),
        ("令和2年4月1日", dt.date(2020, 4, 1)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("2020/4/1", dt.date(2020, 4, 1)),
        ("2020-04-01", dt.date(2020, 4, 1)),
        ("43586", dt.date(2019, 5, 1)),
    ],
)
def test_dates_from_csv_text(typed, expected):
    assert only_row(read_csv(f"職員番号,氏名,採用日\n1,a,{typed}\n"))["joined"] == expected


def test_heisei_after_its_end_is_a_row_error_with_wareki_message():
    table = read_csv("職員番号,氏名,採用日\n1,a,平成31年5月1日\n")
    assert table.rows == []
    (error,) = table.errors
    assert (error.row, error.column) == (2, "採用日")
    assert "平成31年5月1日" in error.message
    assert "存在しません" in error.message


def test_xlsx_date_cell_and_serial_number():
    data = xlsx_bytes(
        [HEADER[:3], ["1", "a", dt.datetime(2020, 4, 1)], ["2", "b", 43586], ["3", "c", "R2.4.1"]]
    )
    table = read_table(data, columns=COLUMNS)
    assert table.errors == []
    assert [r["joined"] for r in table.rows] == [
        dt.date(2020, 4, 1),
        dt.date(2019, 5, 1),
        dt.date(2020, 4, 1),
    ]


def test_excel_1900_leap_year_bug():
    data = xlsx_bytes([HEADER[:3], ["1", "a", 59], ["2", "b", 61], ["3", "c", 60], ["4", "d", 1]])
    table = read_table(data, columns=COLUMNS)
    assert [r["joined"] for r in table.rows] == [
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(1900, 1, 1),
    ]
    (error,) = table.errors
    assert error.row == 4
    assert "1900年2月29日" in error.message


# --------------------------------------------------------------- other kinds


def test_yen_accepts_commas_and_refuses_decimals():
    table = read_csv(
        '職員番号,氏名,受講料\n1,a,"7,500"\n2,b,"7,500.5"\n3,c,¥1000\n4,d,abc\n5,e,８００円\n'
    )
    assert [r["fee"] for r in table.rows] == [7500, 1000, 800]
    assert [str(e) for e in table.errors] == [
        "行 3 列 受講料: 小数は入力できません",
        "行 5 列 受講料: 数値で入力してください",
    ]


def test_int_from_xlsx_numbers():
    table = read_table(
        xlsx_bytes(
            [["職員番号", "氏名", "時間"], ["1", "a", 12], ["2", "b", 3.0], ["3", "c", 1.5]]
        ),
        columns=COLUMNS,
    )
    assert [r["hours"] for r in table.rows] == [12, 3]
    assert [e.message for e in table.errors] == ["小数は入力できません"]


def test_int_accepts_thousands_separators_in_groups_of_three_only():
    table = read_csv(
        '職員番号,氏名,時間\n1,a,"1,500"\n2,b,"１，５００"\n3,c,"1,234,567"\n'
        '4,d,"1,5"\n5,e,"15,00"\n6,f,"-1,500"\n7,g,"１，５"\n'
    )
    assert [r["hours"] for r in table.rows] == [1500, 1500, 1234567, -1500]
    assert [str(e) for e in table.errors] == [
        "行 5 列 時間: 「1,5」は数値ではありません（桁区切りの「,」は3桁ごと: 1,500）",
        "行 6 列 時間: 「15,00」は数値ではありません（桁区切りの「,」は3桁ごと: 1,500）",
        "行 8 列 時間: 「１，５」は数値ではありません（桁区切りの「,」は3桁ごと: 1,500）",
    ]


HOURS = (Column("title", "講座名", required=True), Column("hours", "受講時間", kind="decimal"))


def test_decimal_reads_half_and_full_width_and_refuses_a_decimal_comma():
    table = read_csv(
        '講座名,受講時間\na,1.5\nb,１．５\nc,"1,5"\nd,"1,500.25"\ne,2\nf,\ng,abc\nh,−0.5\n',
        columns=HOURS,
    )
    assert [r["hours"] for r in table.rows] == [
        Decimal("1.5"),
        Decimal("1.5"),
        Decimal("1500.25"),
        Decimal(2),
        None,
        Decimal("-0.5"),
    ]
    assert [str(e) for e in table.errors] == [
        "行 4 列 受講時間: 「1,5」は数値ではありません（小数点は「.」: 1.5）",
        "行 8 列 受講時間: 数値で入力してください",
    ]


def test_decimal_from_xlsx_numbers_is_what_excel_shows():
    table = read_table(
        xlsx_bytes([["講座名", "受講時間"], ["a", 1.5], ["b", 3], ["c", 0.1 + 0.2], ["d", True]]),
        columns=HOURS,
    )
    assert [r["hours"] for r in table.rows] == [Decimal("1.5"), Decimal(3), Decimal("0.3")]
    assert [str(e) for e in table.errors] == ["行 5 列 受講時間: 数値で入力してください"]


def test_bool_words():
    words = ["○", "×", "はい", "いいえ", "1", "0", "たぶん", ""]
    text = "職員番号,氏名,デジタル人材\n" + "".join(f"{i},a,{w}\n" for i, w in enumerate(words))
    table = read_csv(text)
    assert [r["digital"] for r in table.rows] == [True, False, True, False, True, False, None]
    assert [e.row for e in table.errors] == [8]


def test_choice_accepts_label_or_value_and_lists_choices():
    table = read_csv("職員番号,氏名,区分\n1,a,市\n2,b,town\n3,c,村\n")
    assert [r["kind"] for r in table.rows] == ["city", "town"]
    assert (
        str(table.errors[0])
        == "行 4 列 区分: 「村」は選べません。次のいずれかを入力してください: 市、町"
    )


def test_max_length():
    columns = (Column("code", "職員番号", kind="code", max_length=3),)
    table = read_table(csv_bytes("職員番号\n1234\n"), columns=columns)
    assert "3 文字以内" in table.errors[0].message


# ------------------------------------------------------------- rows and errors


def test_required_empty_is_a_row_error_and_empty_rows_are_skipped():
    table = read_csv("職員番号,氏名\n1,a\n,\n\n2,\n3,c\n")
    assert [r.number for r in table.rows] == [2, 6]
    assert [str(e) for e in table.errors] == ["行 5 列 氏名: 必須の項目です。値を入力してください"]


def test_errors_of_every_row_are_collected():
    table = read_csv("職員番号,氏名,時間\n,a,x\n2,,1\n3,c,1.5\n2,d,1\n")
    assert [str(e) for e in table.errors] == [
        "行 2 列 職員番号: 必須の項目です。値を入力してください",
        "行 2 列 時間: 数値で入力してください",
        "行 3 列 氏名: 必須の項目です。値を入力してください",
        "行 4 列 時間: 小数は入力できません",
        "行 5 列 職員番号: 「2」は行 3 と重複しています",
    ]
    assert table.rows == []


def test_row_numbers_follow_excel_rows_below_title_lines():
    data = xlsx_bytes([["職員名簿（令和6年度）"], [], HEADER[:2], ["1", "a"], [], ["2", ""]])
    table = read_table(data, columns=COLUMNS)
    assert [r.number for r in table.rows] == [4]
    assert [e.row for e in table.errors] == [6]


def test_formula_cells_are_refused():
    data = xlsx_bytes([HEADER[:2], ["1", '=UPPER("a")'], ["2", "b"]])
    table = read_table(data, columns=COLUMNS)
    assert [str(e) for e in table.errors] == [
        "行 2 列 氏名: 数式は取り込めません。値を入力してください"
    ]
    assert [r["code"] for r in table.rows] == ["2"]


def test_csv_text_starting_with_equals_is_refused_but_escaped_text_is_kept():
    table = read_csv("職員番号,氏名\n1,=1+1\n2,'=1+1\n3,'+81\n")
    assert [e.row for e in table.errors] == [2]
    assert table.errors[0].message == "数式は取り込めません。値を入力してください"
    assert [r["name"] for r in table.rows] == ["=1+1", "+81"]


def test_formula_in_an_ignored_column_does_not_matter():
    data = xlsx_bytes([[*HEADER[:2], "メモ"], ["1", "a", "=1+1"]])
    assert only_row(read_table(data, columns=COLUMNS))["name"] == "a"


# ------------------------------------------------------------------- headers


def test_headers_are_normalised_aliases_accepted_unknown_ignored():
    table = read_csv(" 職員番号 ,備考,名　前\n１,x,a\n".replace("１", "1"))
    assert table.headers == {"code": "職員番号", "name": "名　前"}
    assert only_row(table).values == {"code": "1", "name": "a"}


def test_full_width_header_is_matched():
    columns = (Column("url", "URL"),)
    assert only_row(read_table(csv_bytes("ＵＲＬ\nhttp://x\n"), columns=columns))["url"]


def test_missing_required_headers_are_named():
    with pytest.raises(TabularImportError) as caught:
        read_csv(
            "氏名,採用日\na,2020/4/1\n", columns=(*COLUMNS, Column("x", "所属", required=True))
        )
    assert "「職員番号」「所属」" in caught.value.message


def test_duplicate_headers_are_refused():
    with pytest.raises(TabularImportError, match="列「氏名」が 2 つあります（B列とC列）"):
        read_csv("職員番号,氏名,名前\n1,a,b\n")


def test_absent_optional_column_is_absent_from_values():
    row = only_row(read_csv("職員番号,氏名\n1,a\n"))
    assert "joined" not in row.values


def test_absent_optional_column_reads_as_its_empty_value():
    row = only_row(read_csv("職員番号,氏名\n1,a\n"))
    assert (row["joined"], row.values["hours"], row["kind"]) == (None, None, None)
    assert row.values["name"] == "a"
    assert "hours" not in row
    assert row.values.get("hours") is None
    with pytest.raises(KeyError):
        row["not_a_column"]
    copied = pickle.loads(pickle.dumps(row.values))
    assert (copied, copied["joined"]) == ({"code": "1", "name": "a"}, None)
    text_only = read_csv(
        "団体コード\n1\n", columns=(Column("code", "団体コード"), Column("memo", "備考"))
    )
    assert only_row(text_only)["memo"] == ""


def test_no_header_row_found():
    with pytest.raises(TabularImportError, match="見出しの行が見つかりません"):
        read_csv("a,b\n1,2\n")


def test_column_list_mistakes_fail_loudly():
    with pytest.raises(ValueError, match="duplicate"):
        read_csv("a\n", columns=(Column("a", "A"), Column("b", "Ａ")))


# --------------------------------------------------------------- file-level


def test_empty_file():
    with pytest.raises(TabularImportError, match="ファイルが空です"):
        read_table(b"", columns=COLUMNS, filename="x.csv")
    with pytest.raises(TabularImportError, match="ファイルが空です"):
        read_table(b"\xef\xbb\xbf\r\n,,\r\n", columns=COLUMNS, filename="x.csv")
    with pytest.raises(TabularImportError, match="ファイルが空です"):
        read_table(xlsx_bytes([]), columns=COLUMNS)


def test_header_only():
    with pytest.raises(TabularImportError, match="データの行がありません"):
        read_csv("職員番号,氏名\n,\n")
    with pytest.raises(TabularImportError, match="データの行がありません"):
        read_table(xlsx_bytes([HEADER]), columns=COLUMNS)


def test_large_file_is_refused_by_size_before_reading(tmp_path: Path, monkeypatch):
    path = tmp_path / "big.csv"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk or time

    def no_open(*args, **kwargs):
        raise AssertionError("opened a file that is too big")

    monkeypatch.setattr("builtins.open", no_open)
    with pytest.raises(TabularImportError) as caught:
        read_table(path, columns=COLUMNS)
    assert caught.value.message == "ファイルが大きすぎます（50 MB）。上限は 20 MB です。"


def test_missing_path_and_directory(tmp_path: Path):
    with pytest.raises(TabularImportError, match="を開けません"):
        read_table(tmp_path / "none.csv", columns=COLUMNS)
    with pytest.raises(TabularImportError, match="ファイルではありません"):
        read_table(tmp_path, columns=COLUMNS)


def test_max_bytes_applies_to_bytes_and_file_objects():
    data = csv_bytes("職員番号,氏名\n1,a\n")
    with pytest.raises(TabularImportError, match="上限は 10 バイト"):
        read_table(data, columns=COLUMNS, max_bytes=10)
    with pytest.raises(TabularImportError, match="大きすぎます"):
        read_table(io.BytesIO(data), columns=COLUMNS, max_bytes=10)
    with pytest.raises(TabularImportError, match="大きすぎます"):
        read_table(io.BufferedReader(io.BytesIO(data * 1000)), columns=COLUMNS, max_bytes=100)


class _NonSeekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_sources_path_file_object_non_seekable_and_upload(tmp_path: Path):
    data = xlsx_bytes([HEADER[:2], ["1", "a"]])
    path = tmp_path / "名簿.xlsx"
    path.write_bytes(data)
    assert only_row(read_table(path, columns=COLUMNS))["name"] == "a"
    assert only_row(read_table(str(path), columns=COLUMNS))["name"] == "a"
    assert only_row(read_table(_NonSeekable(data), columns=COLUMNS))["name"] == "a"
    upload = SimpleUploadedFile("名簿.csv", csv_bytes("職員番号,氏名\n1,a\n"))
    table = read_table(upload, columns=COLUMNS)
    assert (table.format, only_row(table)["name"]) == ("csv", "a")
    assert not upload.closed


def test_old_xls_and_broken_xlsx_are_refused():
    with pytest.raises(TabularImportError, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, columns=COLUMNS)
    with pytest.raises(TabularImportError, match=r"\.xls"):
        read_table(b"whatever", columns=COLUMNS, filename="old.xls")
    with pytest.raises(TabularImportError, match="Excel ブック"):
        read_table(b"not a zip", columns=COLUMNS, filename="x.xlsx")
    with pytest.raises(TabularImportError, match="Excel ブック"):
        read_table(b"PK\x03\x04garbage", columns=COLUMNS)
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(TabularImportError, match="Excel ブック"):
        read_table(other_zip.getvalue(), columns=COLUMNS)


def test_zip_bomb_is_refused_before_openpyxl(monkeypatch):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(b"\0" * (1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024

    def no_load(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", no_load)
    with pytest.raises(TabularImportError, match="展開後の大きさ"):
        read_table(bomb.getvalue(), columns=COLUMNS)


def test_total_uncompressed_size_is_capped(monkeypatch):
    monkeypatch.setattr(sources, "XLSX_MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(TabularImportError, match="展開後の大きさ"):
        read_table(xlsx_bytes([HEADER, ["1", "a"]]), columns=COLUMNS)


def test_sheet_choice():
    book = openpyxl.Workbook()
    book.active.title = "説明"
    book.active.append(["このシートは説明です"])
    book.create_sheet("名簿").append(HEADER[:2])
    book["名簿"].append(["1", "a"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), columns=COLUMNS, sheet="名簿")
    assert (table.sheet, only_row(table)["name"]) == ("名簿", "a")
    with pytest.raises(TabularImportError, match="シート「なし」がありません"):
        read_table(buffer.getvalue(), columns=COLUMNS, sheet="なし")


def test_many_rows_stream_with_progress_callback():
    rows = "".join(f"{i:06d},氏名{i}\n" for i in range(5000))
    seen: list[tuple[int, int | None]] = []
    table = read_table(
        csv_bytes("職員番号,氏名\n" + rows),
        columns=COLUMNS,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(table.rows) == 5000
    assert table.rows[-1].values == {"code": "004999", "name": "氏名4999"}
    assert seen[-1][0] == 5001
    assert seen[-1][1] == 5001


def test_rich_progress_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(cli, "PROGRESS_MIN_ROWS", 1)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    table = read_table(
        xlsx_bytes([HEADER[:2], *[[str(i), "a"] for i in range(20)]]), columns=COLUMNS
    )
    assert len(table.rows) == 20
    assert read_csv("職員番号,氏名\n1,a\n").rows  # and quiet when the output is not a TTY
    assert read_table(csv_bytes("職員番号,氏名\n1,a\n"), columns=COLUMNS, progress=False).rows


# ------------------------------------------------------------------ running


def org_apply(row: ParsedRow) -> RowOutcome:
    code = row["code"]
    org = Organization.objects.filter(code=code).first()
    if row["name"] == "拒否":
        raise RowProblem("name", "この名前は使えません")
    if org is None:
        org = Organization(code=code, name=row["name"], kind="city")
        org.full_clean()
        org.save()
        return RowOutcome("new", key=code)
    changes = assign_changes(org, {"name": row["name"]})
    if not changes:
        return RowOutcome("unchanged", key=code)
    org.full_clean()
    org.save(update_fields=[*changes, "updated_at"])
    return RowOutcome("changed", key=code, changes=changes)


ORG_COLUMNS = (
    Column("code", "団体コード", kind="code", required=True, unique=True),
    Column("name", "団体名", required=True),
)


def org_table(text: str):
    return read_table(csv_bytes(text), columns=ORG_COLUMNS)


@pytest.mark.usefixtures("db")
def test_run_import_commits_and_counts():
    OrganizationFactory(code="990001", name="札幌")
    OrganizationFactory(code="990002", name="函館市")
    table = org_table("団体コード,団体名\n990001,札幌市\n990002,函館市\n990003,小樽市\n")
    summary = run_import(table, apply=org_apply, dry_run=False, label="団体")
    assert (summary.new, summary.changed, summary.unchanged) == (1, 1, 1)
    assert Organization.objects.get(code="990001").name == "札幌市"
    assert Organization.objects.filter(code="990003").exists()
    assert summary.lines() == ["団体の取り込みが終わりました: 新規 1件 / 変更 1件 / 変更なし 1件"]


@pytest.mark.usefixtures("db")
def test_dry_run_rolls_back_and_reports_details():
    OrganizationFactory(code="990001", name="札幌")
    table = org_table("団体コード,団体名\n990001,札幌市\n990003,小樽市\n")
    summary = run_import(table, apply=org_apply, dry_run=True, label="団体")
    assert Organization.objects.get(code="990001").name == "札幌"
    assert not Organization.objects.filter(code="990003").exists()
    assert summary.lines(details=True) == [
        "団体の取り込みを試しました（保存していません）: 新規 1件 / 変更 1件 / 変更なし 0件",
        "行 2 990001: 変更 団体名 「札幌」 → 「札幌市」",
        "行 3 990003: 新規",
    ]


@pytest.mark.usefixtures("db")
def test_any_error_rolls_everything_back_and_reports_all_errors():
    OrganizationFactory(code="990001", name="札幌")
    table = org_table(
        "団体コード,団体名\n990001,札幌市\n990003,小樽市\n12,短い\n990004,拒否\n990005,\n"
        f"990006,{'長' * 51}\n"
    )
    with pytest.raises(TabularImportError) as caught:
        run_import(table, apply=org_apply, dry_run=False, label="団体")
    error = caught.value
    assert Organization.objects.get(code="990001").name == "札幌"
    assert not Organization.objects.filter(code="990003").exists()
    assert [(e.row, e.column) for e in error.errors] == [
        (4, None),  # a check constraint: not tied to one field
        (5, "団体名"),  # RowProblem naming the field
        (6, "団体名"),  # the reader's required check
        (7, "団体名"),  # full_clean(): max_length
    ]
    assert str(error.errors[1]) == "行 5 列 団体名: この名前は使えません"
    assert error.message.startswith("団体の取り込みを中止しました。エラーが 4 件あります")
    assert error.extra["errors"][1] == {
        "row": 5,
        "column": "団体名",
        "message": "この名前は使えません",
    }


@pytest.mark.usefixtures("db")
def test_finish_hook_counts_extras_and_its_errors_roll_back():
    table = org_table("団体コード,団体名\n990003,小樽市\n")

    def finish(summary: ImportSummary) -> None:
        summary.add("retiring", key="099999", count=2)

    summary = run_import(
        table,
        apply=org_apply,
        dry_run=False,
        label="団体",
        finish=finish,
        labels={"retiring": "廃止"},
    )
    assert summary.count_line() == "新規 1件 / 変更 0件 / 変更なし 0件 / 廃止 2件"

    def failing(summary: ImportSummary) -> None:
        raise ApplicationError("廃止できない団体があります。")

    with pytest.raises(TabularImportError) as caught:
        run_import(
            org_table("団体コード,団体名\n990004,江別市\n"),
            apply=org_apply,
            dry_run=False,
            label="団体",
            finish=failing,
        )
    assert [str(e) for e in caught.value.errors] == ["廃止できない団体があります。"]
    assert not Organization.objects.filter(code="990004").exists()


def test_report_errors_for_commands():
    error = TabularImportError([RowError(3, "氏名", "必須です"), RowError(4, None, "重複")])
    out = io.StringIO()
    command_error = report_errors(error, OutputWrapper(out))
    assert isinstance(command_error, CommandError)
    assert command_error.returncode == 1
    assert out.getvalue() == "行 3 列 氏名: 必須です\n行 4: 重複\n"
    assert "2 件" in str(command_error)
    plain = io.StringIO()
    report_errors(TabularImportError("ファイルが空です。"), plain)
    assert plain.getvalue() == ""
    assert error.lines(limit=1) == [error.message, "行 3 列 氏名: 必須です", "…ほか 1 件"]


def test_cli_helpers_live_in_core_cli_and_are_re_exported():
    from hagukumi.core import tabular_import
    from hagukumi.core.audit import audit_context

    assert tabular_import.report_errors is cli.report_errors
    assert tabular_import.ProgressOption is cli.ProgressOption
    with cli.command_audit_context("import_units") as context:
        assert audit_context() is context
        assert (context.path, context.ip_address) == ("コマンドライン: hagukumi import_units", None)
    assert audit_context().path == ""
