"""Fixtures of the orgs tests: a small unit tree and file builders."""

from __future__ import annotations

import io

import openpyxl
import pytest

from hagukumi.core.tenancy import Actor
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.services import unit_create

FY = 2026


def make_tree(organization: Organization, fiscal_year: int = FY) -> dict[str, Unit]:
    """総務部 (01) > 人事課 (0101) > 研修係 (010101); 企画部 (02) > デジタル推進課 (0201)."""
    units: dict[str, Unit] = {}
    spec = [
        ("01", "総務部", "部", [], None),
        ("0101", "人事課", "課", ["人事"], "01"),
        ("010101", "研修係", "係", ["研修"], "0101"),
        ("02", "企画部", "部", [], None),
        ("0201", "デジタル推進課", "課", ["情報政策"], "02"),
    ]
    for code, name, kind, functions, parent in spec:
        units[code] = unit_create(
            actor=Actor.command_line(organization),
            organization=organization,
            fiscal_year=fiscal_year,
            code=code,
            name=name,
            kind=kind,
            functions=functions,
            parent=units[parent] if parent else None,
        )
    return units


@pytest.fixture
def tree(organization: Organization) -> dict[str, Unit]:
    return make_tree(organization)


HEADER = "所属コード,所属名,上位所属コード,区分,機能"


def csv_bytes(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join([HEADER, *lines]).encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The tree of make_tree() as an import file.
TREE_LINES = (
    "01,総務部,,部,",
    "0101,人事課,01,課,人事",
    "010101,研修係,0101,係,研修",
    "02,企画部,,部,",
    "0201,デジタル推進課,02,課,情報政策",
)
