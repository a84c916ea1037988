"""The import's formula check sees through leading whitespace (issue 16, defect 9).

A spreadsheet evaluates 「\\t=1+1」, 「\\r=1+1」 and 「 =1+1」 as formulas once the
cell is opened again, so a text cell that starts with a formula after blanks is
refused like one that starts with 「=」 (the export's 「'」 guard still reads back).
"""

from __future__ import annotations

import pytest

from hagukumi.core.tabular_import import Column, read_table
from hagukumi.core.tabular_import.cells import MSG_FORMULA

COLUMNS = (
    Column("code", "職員番号", kind="code", required=True),
    Column("name", "氏名", kind="text"),
)


def _read(value: str):
    quoted = '"' + value.replace('"', '""') + '"'
    data = f"職員番号,氏名\r\n1,{quoted}\r\n2,b\r\n".encode()
    return read_table(data, columns=COLUMNS, filename="t.csv")


@pytest.mark.parametrize(
    "value", ["\t=1+1", "\r=1+1", " =1+1", '  \t =HYPERLINK("x")', "\u3000=1+1", "\n=1+1"]
)
def test_formula_after_leading_whitespace_is_refused(value):
    table = _read(value)
    assert [(e.row, e.message) for e in table.errors] == [(2, MSG_FORMULA)]
    assert [r["code"] for r in table.rows] == ["2"]


@pytest.mark.parametrize("value", ["'=1+1", " a=1", "1=1", "\t'=1+1"])
def test_text_that_is_not_a_formula_is_kept(value):
    table = _read(value)
    assert table.errors == []
    assert table.rows[0]["name"] == value.strip().removeprefix("'")
