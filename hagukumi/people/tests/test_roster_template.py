"""The roster template (issue #14): Text-format code columns, a 記入例 row ignored on
import, a 「選択肢」 sheet with drop-down lists, and the leading-zero hint."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.core.tabular_import import SAMPLE_MARK, TabularImportError
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.code_lists import code_lists_ensure
from hagukumi.people.models import CodeKind, CodeListItem, Staff
from hagukumi.people.roster_import import (
    qualifications_import,
    staff_import,
    staff_import_template,
)
from hagukumi.people.tests.conftest import roster_file, roster_row

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 4, 1)
VALIDATED = ("職位", "職種", "任用形態", "採用区分", "キャリアモデル")


def _download(user) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.get(reverse("people:roster_template"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _letters(sheet) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.value: c.column_letter for c in sheet[1]}


def test_template_code_columns_are_text_format(user_with_role, tree):  # type: ignore[no-untyped-def]
    sheet = _download(user_with_role(Role.HR)).worksheets[0]
    letters = _letters(sheet)
    for header in ("職員番号", "所属コード", "氏名"):
        assert sheet.column_dimensions[letters[header]].number_format == "@", header
    assert sheet.column_dimensions[letters["生年月日"]].number_format == "yyyy/mm/dd"


def test_template_has_a_sample_row_and_lists_of_the_organizations_values(  # type: ignore[no-untyped-def]
    user_with_role, organization, tree
):
    code_lists_ensure(organization=organization)
    CodeListItem.objects.create(
        organization=organization, kind=CodeKind.POSITION, value="参事", order=99
    )
    workbook = _download(user_with_role(Role.HR))
    sheet = workbook.worksheets[0]
    letters = _letters(sheet)
    sample = {header: sheet[f"{letter}2"].value for header, letter in letters.items()}
    assert sample["職員番号"] == SAMPLE_MARK
    assert sample["所属コード"] in {"01", "0101", "010101", "0102", "02", "0201"}
    assert sample["職位"]
    assert sample["氏名"]
    assert sheet.max_row == 2
    choices = workbook["選択肢"]
    lists = {c.value: c.column_letter for c in choices[1]}
    assert set(VALIDATED) <= set(lists)

    def listed(header: str) -> list[str]:
        return [c.value for c in choices[lists[header]] if c.value is not None][1:]

    positions = listed("職位")
    assert positions[-1] == "参事"
    assert "部長" in positions
    assert listed("キャリアモデル") == ["ゼネラリスト", "エキスパート", "特定部門エキスパート"]
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
    }
    for header in VALIDATED:
        letter = lists[header]
        last = len(listed(header)) + 1
        assert validations[f"{letters[header]}2"] == f"'選択肢'!${letter}$2:${letter}${last}"


def test_downloaded_template_imports_no_rows_without_error(organization, tree):  # type: ignore[no-untyped-def]
    data = staff_import_template(organization=organization)
    summary = staff_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=data,
        filename="ひな形.xlsx",
        effective_date=DAY,
    )
    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, 0)
    assert not Staff.objects.exists()


def test_template_filled_in_below_the_sample_imports_those_rows(organization, tree):  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(io.BytesIO(staff_import_template(organization=organization)))
    sheet = book.worksheets[0]
    letters = _letters(sheet)
    for header, value in {
        "職員番号": "000001",
        "氏名": "山田 太郎",
        "所属コード": "0101",
        "職位": "主事",
    }.items():
        sheet[f"{letters[header]}3"] = value
    buffer = io.BytesIO()
    book.save(buffer)
    summary = staff_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=buffer.getvalue(),
        effective_date=DAY,
    )
    assert summary.new == 1
    assert list(Staff.objects.values_list("number", flat=True)) == ["000001"]


@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_unit_code_without_its_leading_zero_says_so(organization, tree, format):  # type: ignore[no-untyped-def]
    UnitFactory(organization=organization, code="020201", name="DX推進係", parent=tree["02"])
    data = roster_file([roster_row("000001", "山田 太郎", unit=20201)], format=format)
    with pytest.raises(TabularImportError) as exc:
        staff_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=data,
            filename=f"a.{format}",
            effective_date=DAY,
        )
    assert [str(e) for e in exc.value.errors] == [
        "行 2 列 所属コード: 所属コード「20201」は令和8年度 (2026)の組織にありません。"
        "先頭の0が落ちていませんか（020201）"
    ]


def test_staff_number_without_its_leading_zeros_says_so(organization, tree):  # type: ignore[no-untyped-def]
    staff_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=roster_file([roster_row("000123", "山田 太郎")]),
        effective_date=DAY,
    )
    data = "職員番号,資格,取得年月日\r\n123,ITパスポート,2020/4/1\r\n".encode()
    with pytest.raises(TabularImportError) as exc:
        qualifications_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=data,
            filename="q.csv",
        )
    assert [str(e) for e in exc.value.errors] == [
        "行 2 列 職員番号: 職員番号「123」の職員は登録されていません。"
        "先頭の0が落ちていませんか（000123）"
    ]
