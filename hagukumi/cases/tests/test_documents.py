"""Readers: every format, and every file we refuse with a Japanese reason."""

from __future__ import annotations

import pytest

from hagukumi.cases.documents import (
    CaseDocumentError,
    parse_front_matter,
    read_case_documents,
)
from hagukumi.cases.metadata import OrganizationDirectory, detect_title, resolve_metadata
from hagukumi.cases.tests.documents_factory import (
    docx_bytes,
    image_only_pdf,
    text_pdf,
    xlsx_bytes,
    zip_bomb,
)

pytestmark = pytest.mark.django_db

FRONT_MATTER = """---
case_no: A-12
title: "掛川市のスキルマップ"
org_name: 掛川市
org_type: 市
fiscal_year: {year}
category_major: 行政改革
category_minor: 人材育成
case_type: 人材育成・確保
source: 掛川市資料
url: https://www.city.kakegawa.shizuoka.jp/
---
# 掛川市のスキルマップ

全職員を対象に研修を実施した。
"""


@pytest.mark.parametrize("year", ["R5", "令和5年度", "2023", "2023年度", "Ｒ５"])
def test_front_matter_fields_and_fiscal_year_forms(year: str) -> None:
    (document,) = read_case_documents(FRONT_MATTER.format(year=year).encode(), filename="a.md")
    assert document.format == "front_matter"
    assert document.body.startswith("# 掛川市のスキルマップ")
    metadata = resolve_metadata(document, OrganizationDirectory.load())
    assert metadata.fiscal_year == 2023
    assert metadata.case_no == "A-12"
    assert metadata.title == "掛川市のスキルマップ"
    assert metadata.organization is not None
    assert metadata.organization.code == "222135"
    assert metadata.org_type == "市"
    assert (metadata.category_major, metadata.category_minor, metadata.case_type) == (
        "行政改革",
        "人材育成",
        "人材育成・確保",
    )
    assert metadata.source == "掛川市資料"
    assert metadata.url == "https://www.city.kakegawa.shizuoka.jp/"


def test_front_matter_unclosed_or_malformed_is_refused() -> None:
    with pytest.raises(CaseDocumentError, match="閉じられていません"):
        parse_front_matter("---\ntitle: x\n")
    with pytest.raises(CaseDocumentError, match="key: value"):
        parse_front_matter("---\nこれは値ではない\n---\n")
    assert parse_front_matter("# 見出し\n本文") is None


def test_front_matter_with_a_bad_year_is_refused() -> None:
    (document,) = read_case_documents(FRONT_MATTER.format(year="来年").encode(), filename="a.md")
    with pytest.raises(CaseDocumentError, match="公表年度「来年」"):
        resolve_metadata(document, OrganizationDirectory.load())


def test_plain_text_detection() -> None:
    text = "# 滋賀県のDX推進員育成\n\n令和6年2月\n\n滋賀県では200名を育成する。"
    (document,) = read_case_documents(text.encode("cp932"), filename="shiga.txt")
    assert document.detect
    metadata = resolve_metadata(document, OrganizationDirectory.load())
    assert metadata.title == "滋賀県のDX推進員育成"
    assert metadata.organization is not None
    assert metadata.organization.code == "250007"
    assert metadata.org_type == "都道府県"
    assert metadata.fiscal_year == 2023


def test_ambiguous_short_name_is_not_guessed() -> None:
    directory = OrganizationDirectory.load()
    assert directory.lookup("府中市") is None  # 東京都 and 広島県 both have one
    assert directory.lookup("東京都府中市").code == "132063"  # type: ignore[union-attr]
    found = directory.scan("府中市と広島県府中市、京都市")
    assert [(name, org.code) for _at, name, org in found] == [
        ("広島県府中市", "342084"),
        ("京都市", "261009"),
    ]
    # A ward right after its city is not Tokyo's special ward of the same name.
    assert [org.name for *_x, org in directory.scan("札幌市中央区")] == ["札幌市"]
    # 本市 and words glued to a name are not names.
    assert directory.scan("新札幌市") == []


def test_title_detection_drops_item_numbers_and_series_labels() -> None:
    assert (
        detect_title(["13 DX推進計画に基づき【福岡県北九州市】"])
        == "DX推進計画に基づき【福岡県北九州市】"
    )
    assert detect_title(["（自治体DX全体手順書・別冊） デジタル人材の育成ガイドブック"]) == (
        "デジタル人材の育成ガイドブック"
    )
    assert detect_title(["- 3 -", "本文の見出し"]) == "本文の見出し"


def test_pdf_text_is_read_page_by_page() -> None:
    data = text_pdf(["北九州市のDX人材育成", "令和5年からの3年間で2400名を育成する。"])
    (document,) = read_case_documents(data, filename="kitakyushu.pdf")
    assert document.format == "pdf"
    assert "2400名" in document.body
    assert document.pages == [(0, len(document.body))]
    metadata = resolve_metadata(document, OrganizationDirectory.load())
    assert metadata.title == "北九州市のDX人材育成"
    assert metadata.organization is not None
    assert metadata.organization.code == "401005"


def test_image_only_pdf_is_refused() -> None:
    with pytest.raises(CaseDocumentError, match="文字情報がありません"):
        read_case_documents(image_only_pdf(), filename="scan.pdf")


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(CaseDocumentError, match="パスワードで保護"):
        read_case_documents(text_pdf(["秘密"], encrypted=True), filename="secret.pdf")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "空です"),
        (b"   \n\n", "blank.md", "空です"),
        (b"\x00\x01\x02garbage\xff\xfe" * 50, "garbage.txt", "テキストファイルではありません"),
        (b"\x81\x7f" * 40, "mojibake.txt", "文字コード"),
        (b"not a pdf at all", "fake.pdf", "PDF ファイルではありません"),
        (b"%PDF-1.4\n garbage without objects", "broken.pdf", "PDF を読み取れません"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "読み取れません"),
        (b"just text", "list.xlsx", "読み取れません"),
        (b"text", "image.png", "対応していない形式"),
    ],
)
def test_broken_files_are_refused_in_japanese(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(CaseDocumentError, match=message):
        read_case_documents(data, filename=filename)


@pytest.mark.parametrize(
    ("filename", "member"), [("bomb.docx", "word/document.xml"), ("bomb.xlsx", "xl/workbook.xml")]
)
def test_zip_bombs_are_refused(filename: str, member: str) -> None:
    with pytest.raises(CaseDocumentError, match="zip 爆弾"):
        read_case_documents(zip_bomb(name=member), filename=filename)


def test_docx_paragraphs_headings_and_table_cells() -> None:
    data = docx_bytes(
        title="青森県DX推進員の育成",
        paragraphs=["令和6年度から毎年200名を育成する。"],
        table=[["区分", "人数"], ["DX推進員", "1,000名以上"]],
    )
    (document,) = read_case_documents(data, filename="aomori.docx")
    assert document.format == "docx"
    assert "毎年200名" in document.body
    assert "DX推進員\t1,000名以上" in document.body  # table cells, one row a line
    assert "青森県DX推進員の育成" in document.headings
    metadata = resolve_metadata(document, OrganizationDirectory.load())
    assert metadata.title == "青森県DX推進員の育成"
    assert metadata.organization is not None
    assert metadata.organization.code == "020001"


def test_xlsx_list_one_case_a_row() -> None:
    data = xlsx_bytes(
        [
            [
                "事例No.",
                "公表年度",
                "団体の属性",
                "団体名",
                "事例区分（大）",
                "事例種類",
                "タイトル",
                "出典",
                "本文",
            ],
            [
                "2001",
                "R5",
                "市",
                "掛川市",
                "行政改革",
                "人材育成・確保",
                "スキルマップ",
                "掛川市",
                "研修を実施。",
            ],
            [
                2002,
                2024,
                "都道府県",
                "滋賀県",
                "行政改革",
                "人材育成・確保",
                "DX研修",
                "滋賀県",
                "50名が受講。",
            ],
        ]
    )
    first, second = read_case_documents(data, filename="list.xlsx")
    assert first.fields["case_no"] == "2001"
    assert first.fields["title"] == "スキルマップ"
    assert first.label == "行 2"
    assert second.label == "行 3"
    assert second.fields["case_no"] == "2002"
    assert second.body == "50名が受講。"
    assert first.content_hash != second.content_hash
    metadata = resolve_metadata(second, OrganizationDirectory.load())
    assert metadata.fiscal_year == 2024
    assert metadata.organization is not None
    assert metadata.organization.code == "250007"


def test_xlsx_without_a_title_column_is_refused() -> None:
    data = xlsx_bytes([["団体名", "本文"], ["掛川市", "研修"]])
    with pytest.raises(CaseDocumentError):
        read_case_documents(data, filename="list.xlsx")
