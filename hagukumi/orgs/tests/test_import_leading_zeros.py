"""The units import says when a code lost its leading zeros (issue #14 defect 9).

Excel's General format turns 020201 into 20201: a parent code that matches a
code of the file without its zeros, or a new code that matches a unit of the
tree the file would close, is refused with 「先頭の0が落ちていませんか（…）」.
"""

from __future__ import annotations

import pytest

from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.models import Organization
from hagukumi.orgs.services import units_import
from hagukumi.orgs.tests.conftest import FY, TREE_LINES, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def refused(organization: Organization, source: bytes, filename: str = "units.csv") -> list[str]:
    with pytest.raises(TabularImportError) as exc:
        units_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=source,
            filename=filename,
            fiscal_year=FY,
            progress=False,
        )
    return [str(e) for e in exc.value.errors] or [exc.value.message]


def test_a_parent_code_without_its_leading_zero_names_the_code(organization: Organization) -> None:
    data = xlsx_bytes(
        [["020201", "企画部", None, "部", ""], ["02020101", "企画課", 20201, "課", ""]]
    )
    assert refused(organization, data, filename="units.xlsx") == [
        "行 3 列 上位所属コード: 上位所属コード「20201」の所属がファイルにありません。"
        "先頭の0が落ちていませんか（020201）"
    ]


def test_a_new_code_that_is_a_closing_unit_without_zeros_is_refused(
    organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    lines = [line for line in TREE_LINES if not line.startswith("0201,")]
    data = csv_bytes(*lines, "201,デジタル推進課,02,課,情報政策")
    assert refused(organization, data) == [
        "行 6 列 所属コード: 所属コード「201」は既存の所属 0201（デジタル推進課）と"
        "先頭の0だけが違います。先頭の0が落ちていませんか（0201）"
    ]
