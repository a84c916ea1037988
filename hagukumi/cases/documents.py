"""Readers for case documents: from a file's bytes to text and metadata as written.

Nothing here touches the database: a reader returns ``CaseDocument`` values
(one per case; an xlsx list gives one per row) whose ``fields`` are the
metadata exactly as the file states them. ``metadata.py`` then resolves 団体
and 公表年度 against the master, and detects them in plain text.

Formats: the 先進事例検索システム record text (``seeds/000_*``), ``.md``/``.txt``
with a ``key: value`` front matter, plain ``.md``/``.txt``, ``.pdf`` (pypdfium2;
text layer only), ``.docx`` (python-docx, table cells included) and ``.xlsx``
lists (``core.tabular_import``). Every refusal is a ``CaseDocumentError`` with a
Japanese message meant for the person who chose the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import Column, TabularImportError, read_table

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".xlsx")

# A docx/xlsx is a zip: refuse archives that would expand far beyond any real
# document before a library inflates them (zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_ENTRIES = 10_000

# Metadata fields a reader may fill (values as written in the file).
FIELD_NAMES = (
    "case_no",
    "fiscal_year",
    "org_type",
    "org_name",
    "category_major",
    "category_minor",
    "case_type",
    "title",
    "source",
    "url",
)


class CaseDocumentError(ApplicationError):
    """The file cannot be read as a case document (message in Japanese)."""


@dataclass
class CaseDocument:
    """One case read from a file: metadata as written, the text, and where it came from.

    ``detect`` says the file carried no metadata of its own, so 団体 and 公表年度
    are to be detected in the text. ``pages`` holds (start, end) offsets of each
    PDF page in ``body``; ``headings`` lines the file marks as headings (docx).
    """

    fields: dict[str, str]
    body: str
    content_hash: str
    format: str
    detect: bool = False
    label: str = ""  # e.g. 「行 3」 for a row of an xlsx list
    pages: list[tuple[int, int]] = field(default_factory=list)
    headings: frozenset[str] = frozenset()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_case_documents(data: bytes, *, filename: str) -> list[CaseDocument]:
    """Read every case a file holds; raise ``CaseDocumentError`` for a file we refuse."""
    suffix = _suffix(filename)
    if suffix not in SUPPORTED_SUFFIXES:
        raise CaseDocumentError(
            f"対応していない形式です（{suffix or '拡張子なし'}）。"
            ".txt / .md / .pdf / .docx / .xlsx を指定してください。"
        )
    if not data or data.isspace():  # not data.strip(): no copy of a 15 MB file
        raise CaseDocumentError("ファイルが空です。")
    max_bytes = settings.HAGUKUMI_UPLOAD_MAX_BYTES
    if len(data) > max_bytes:
        raise CaseDocumentError(
            f"ファイルが大きすぎます（{len(data) // 1024 // 1024}MB）。上限は "
            f"{max_bytes // 1024 // 1024}MB です。"
        )
    if suffix == ".pdf":
        return [read_pdf(data)]
    if suffix == ".docx":
        return [read_docx(data)]
    if suffix == ".xlsx":
        return read_xlsx(data, filename=filename)
    return [read_text_document(decode_text(data), content_hash=sha256_hex(data))]


def _suffix(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


# ---------------------------------------------------------------- plain text

# Characters below U+0020 a text file may hold; more than 1% of others: binary.
_TEXT_CONTROLS = "\n\t\f"
_OTHER_CONTROLS = tuple(chr(c) for c in range(32) if chr(c) not in _TEXT_CONTROLS)
# The record export and front matter are recognised in the first lines only.
_HEAD_LINES = 40
_HEAD_CHARS = 20_000


def _lines(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text`` from ``start``, without splitting it.

    A 15 MB text split into a list of lines costs several times its size (issue
    16, defect 11); the readers look at a few lines and slice the body once.
    """
    length = len(text)
    while start <= length:
        end = text.find("\n", start)
        if end < 0:
            end = length
        yield start, end
        start = end + 1


def _body_from(text: str, start: int) -> str:
    """``text[start:].strip("\n")`` as one slice (not a slice and then a stripped copy)."""
    end = len(text)
    while start < end and text[start] == "\n":
        start += 1
    while end > start and text[end - 1] == "\n":
        end -= 1
    return text[start:end]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP932; refuse binary content.

    Bounded memory for a large file: the text once, plus one copy only when
    its line ends need rewriting; counts and checks make no copies.
    """
    if b"\x00" in data[:8192]:
        raise CaseDocumentError("テキストファイルではありません（バイナリデータを含みます）。")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise CaseDocumentError(
            "文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    limit = max(8, len(text) // 100)
    controls = 0
    for control in _OTHER_CONTROLS:
        controls += text.count(control)
        if controls > limit:
            raise CaseDocumentError("テキストファイルではありません（制御文字が多すぎます）。")
    if text.isspace():
        raise CaseDocumentError("ファイルが空です。")
    return text


RECORD_MARKER = "先進事例検索システム"
# Headings of the 先進事例検索システム record, in the order the export prints them.
RECORD_LABELS: tuple[tuple[str, str], ...] = (
    ("case_no", r"事例\s*No\.?"),
    ("fiscal_year", r"公表年度"),
    ("org_type", r"団体の属性"),
    ("org_name", r"団体名"),
    ("category_major", r"事例区分\s*[（(]\s*大\s*[)）]"),
    ("category_minor", r"事例区分\s*[（(]\s*小\s*[)）]"),
    ("case_type", r"事例種類"),
    ("title", r"事例内容・タイトル|タイトル"),
    ("source", r"出典"),
    ("url", r"URL|関連URL"),
)
_RECORD_LINE = re.compile(
    r"^(?P<label>" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in RECORD_LABELS) + r")"
    r"(?:[ \t\u3000:：]+(?P<value>.*))?$"
)
_RULE_LINE = re.compile(r"^[-\s]+$")


def read_text_document(text: str, *, content_hash: str) -> CaseDocument:
    """A .txt/.md: the record export, front matter + body, or plain text to detect."""
    if _looks_like_record(text):
        return _read_record(text, content_hash=content_hash)
    front = parse_front_matter(text)
    if front is not None:
        fields, body = front
        return CaseDocument(
            fields=fields, body=body, content_hash=content_hash, format="front_matter"
        )
    return CaseDocument(fields={}, body=text, content_hash=content_hash, format="text", detect=True)


def _looks_like_record(text: str) -> bool:
    head = [line.strip() for line in text[:_HEAD_CHARS].split("\n")[:_HEAD_LINES] if line.strip()]
    if not head:
        return False
    labels = {m.lastgroup for line in head if (m := _RECORD_LINE.match(line))}
    return (head[0] == RECORD_MARKER and bool(labels)) or {"case_no", "fiscal_year"} <= (
        labels - {None}
    )


def _read_record(text: str, *, content_hash: str) -> CaseDocument:
    """The record export: ``ラベル<TAB>値`` lines, or a label line with its value below.

    The header ends with the 出典 value; everything after it is the body.
    """
    fields: dict[str, str] = {}
    pending: str | None = None
    body_start = len(text)
    for line_start, line_end in _lines(text):
        line = text[line_start:line_end].strip()
        following = line_end + 1
        if not line or line == RECORD_MARKER or _RULE_LINE.match(line):
            continue
        match = _RECORD_LINE.match(line)
        name = _record_field(match) if match else None
        if name and name not in fields and (pending is None or pending == name):
            value = (match.group("value") or "").strip() if match else ""
            if value:
                fields[name] = value
                pending = None
                if name in ("source", "url") and _header_complete(fields):
                    body_start = following
                    break
            else:
                pending = name
            continue
        if pending is not None:
            fields[pending] = line
            if pending in ("source", "url") and _header_complete(fields):
                body_start = following
                pending = None
                break
            pending = None
            continue
        # First line that is neither a label nor a value: the body starts here.
        body_start = line_start
        break
    body = _body_from(text, body_start)
    return CaseDocument(fields=fields, body=body, content_hash=content_hash, format="record")


def _record_field(match: re.Match[str]) -> str | None:
    for name, _pattern in RECORD_LABELS:
        if match.group(name):
            return name
    return None


def _header_complete(fields: dict[str, str]) -> bool:
    return "title" in fields and "source" in fields


# Front matter keys: the English names of the issue and their Japanese headings.
FRONT_MATTER_KEYS: dict[str, str] = {
    **{name: name for name in FIELD_NAMES},
    "no": "case_no",
    "事例no.": "case_no",
    "事例no": "case_no",
    "公表年度": "fiscal_year",
    "year": "fiscal_year",
    "団体の属性": "org_type",
    "団体名": "org_name",
    "organization": "org_name",
    "事例区分(大)": "category_major",
    "事例区分(小)": "category_minor",
    "事例種類": "case_type",
    "タイトル": "title",
    "事例内容・タイトル": "title",
    "出典": "source",
}
_FRONT_LINE = re.compile(r"^(?P<key>[^:：#][^:：]*?)\s*[:：]\s*(?P<value>.*)$")


def parse_front_matter(text: str) -> tuple[dict[str, str], str] | None:
    """A ``---`` delimited block of ``key: value`` lines at the top (a YAML subset).

    Values may be quoted; ``#`` lines are comments; unknown keys are ignored.
    Returns (fields, body) or None when the text has no front matter.
    """
    offset = len(text[:8]) - len(text[:8].lstrip("\ufeff"))
    lines = _lines(text, offset)
    first = None
    for number, (start, end) in enumerate(lines, start=1):
        if text[start:end].strip():
            first = (number, text[start:end].strip())
            break
    if first is None or first[1] != "---":
        return None
    fields: dict[str, str] = {}
    for index, (start, end) in enumerate(lines, start=first[0]):
        line = text[start:end].strip()
        if line in ("---", "..."):
            return fields, _body_from(text, end + 1)
        if not line or line.startswith("#"):
            continue
        match = _FRONT_LINE.match(line)
        if not match:
            raise CaseDocumentError(
                f"前付け（front matter）の {index + 1} 行目を読めません: 「{line[:40]}」"
                "（key: value の形で書いてください）"
            )
        key = match.group("key").strip().lower().replace(" ", "").replace("（", "(")
        key = key.replace("）", ")")
        name = FRONT_MATTER_KEYS.get(key)
        if name:
            fields[name] = _unquote(match.group("value").strip())
    raise CaseDocumentError("前付け（front matter）が「---」で閉じられていません。")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


# ---------------------------------------------------------------- PDF


def read_pdf(data: bytes) -> CaseDocument:
    """Text of every page (pypdfium2); refuse encrypted and image-only PDFs."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if not data.lstrip().startswith(b"%PDF"):
        raise CaseDocumentError(
            "PDF ファイルではありません（ファイルの内容が PDF の形式ではありません）。"
        )
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise CaseDocumentError(
                "パスワードで保護（暗号化）された PDF は取り込めません。"
                "保護を解除した PDF を指定してください。"
            ) from exc
        raise CaseDocumentError(
            "PDF を読み取れません（ファイルが壊れているか、PDF ではありません）。"
        ) from exc
    try:
        pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(_clean_pdf_text(textpage.get_text_bounded()))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise CaseDocumentError("PDF のページを読み取れません（ファイルが壊れています）。") from exc
    finally:
        pdf.close()
    if not any(text.strip() for text in pages):
        raise CaseDocumentError(
            "PDF に文字情報がありません（スキャンした画像だけの PDF です）。"
            "OCR で文字を埋め込んだ PDF か、元の文書ファイルを取り込んでください。"
        )
    body_parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    position = 0
    for text in pages:
        if body_parts:
            body_parts.append("\n\n")
            position += 2
        offsets.append((position, position + len(text)))
        body_parts.append(text)
        position += len(text)
    return CaseDocument(
        fields={},
        body="".join(body_parts),
        content_hash=sha256_hex(data),
        format="pdf",
        detect=True,
        pages=offsets,
    )


def _clean_pdf_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


# ---------------------------------------------------------------- zip-based (docx, xlsx)


def check_zip_container(data: bytes, *, kind: str) -> None:
    """Refuse a docx/xlsx that is not a zip or would inflate out of proportion."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CaseDocumentError(
            f"{kind} ファイルとして読み取れません（ファイルが壊れているか、形式が違います）。"
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise CaseDocumentError(f"{kind} ファイルの中身の数が多すぎます（{len(infos)} 個）。")
        total = sum(info.file_size for info in infos)
        compressed = sum(info.compress_size for info in infos) or 1
        if total > MAX_UNZIPPED_BYTES or (
            total > 10 * 1024 * 1024 and total / compressed > MAX_COMPRESSION_RATIO
        ):
            raise CaseDocumentError(
                f"{kind} ファイルを展開すると極端に大きくなります（{total // 1024 // 1024}MB）。"
                "不正なファイル（zip 爆弾）の可能性があるため取り込みません。"
            )


def read_docx(data: bytes) -> CaseDocument:
    """Paragraphs and table cells in document order; Heading/Title styles give headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip_container(data, kind="Word（.docx）")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CaseDocumentError(
            "Word（.docx）ファイルとして読み取れません（ファイルが壊れています）。"
        ) from exc
    except Exception as exc:  # lxml and python-docx raise many types on broken parts
        raise CaseDocumentError(
            f"Word（.docx）ファイルを読み取れません（{type(exc).__name__}）。"
        ) from exc
    lines: list[str] = []
    headings: set[str] = set()
    title = ""
    for block in _docx_blocks(document):
        if isinstance(block, str):
            lines.append(block)
            continue
        text, style = block
        if not text.strip():
            lines.append("")
            continue
        if style.startswith(("heading", "title", "見出し", "表題")):
            headings.add(text.strip())
            if not title:
                title = text.strip()
            lines.extend(["", text, ""])
        else:
            lines.append(text)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not body.strip():
        raise CaseDocumentError("Word（.docx）ファイルに本文がありません。")
    fields: dict[str, str] = {}
    core_title = (document.core_properties.title or "").strip()
    if core_title or title:
        fields["title"] = core_title or title
    return CaseDocument(
        fields=fields,
        body=body,
        content_hash=sha256_hex(data),
        format="docx",
        detect=True,
        headings=frozenset(headings),
    )


def _docx_blocks(document: Any) -> Iterator[str | tuple[str, str]]:
    """Paragraphs as (text, lower-cased style name); each table row as a tab-joined line."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "") or ""
            yield item.text, style.lower()
        elif isinstance(item, DocxTable):
            yield ""
            for row in item.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell._tc is previous:  # merged cells repeat the same element
                        continue
                    previous = cell._tc
                    cells.append(" ".join(cell.text.split()))
                yield "\t".join(cells)
            yield ""


# ---------------------------------------------------------------- xlsx list

XLSX_COLUMNS = (
    # Headings match after NFKC, without spaces and case-folded: （大） = (大) = ( 大 ).
    Column("case_no", "事例No.", aliases=("事例No", "事例番号", "No.", "No")),
    Column("fiscal_year", "公表年度", aliases=("年度",)),
    Column("org_type", "団体の属性", aliases=("団体区分",)),
    Column("org_name", "団体名", aliases=("団体",)),
    Column("category_major", "事例区分（大）", aliases=("区分（大）",)),
    Column("category_minor", "事例区分（小）", aliases=("区分（小）",)),
    Column("case_type", "事例種類", aliases=("種類",)),
    Column(
        "title",
        "事例内容・タイトル",
        required=True,
        aliases=("タイトル", "事例名", "件名"),
        max_length=500,
    ),
    Column("source", "出典"),
    Column("url", "URL", aliases=("関連URL", "リンク")),
    Column("body", "本文", aliases=("内容", "事例内容", "概要")),
)


def read_xlsx(data: bytes, *, filename: str) -> list[CaseDocument]:
    """A list of cases, one a row, Japanese headers (``XLSX_COLUMNS``).

    The file is refused as a whole when any row is wrong, as every tabular
    import is; each row's hash covers its values so unchanged rows stay put.
    """
    check_zip_container(data, kind="Excel（.xlsx）")
    try:
        table = read_table(data, columns=XLSX_COLUMNS, filename=filename, progress=False)
    except TabularImportError as exc:
        raise CaseDocumentError(" / ".join(exc.lines(limit=20))) from exc
    if table.errors:
        raise CaseDocumentError(" / ".join(str(error) for error in table.errors[:20]))
    documents: list[CaseDocument] = []
    for row in table.rows:
        values = {name: _cell_text(row.values.get(name)) for name in (*FIELD_NAMES, "body")}
        body = values.pop("body")
        fields = {name: value for name, value in values.items() if value}
        canonical = json.dumps({**fields, "body": body}, ensure_ascii=False, sort_keys=True)
        documents.append(
            CaseDocument(
                fields=fields,
                body=body,
                content_hash=sha256_hex(canonical.encode("utf-8")),
                format="xlsx",
                label=f"行 {row.number}",
            )
        )
    if not documents:
        raise CaseDocumentError("Excel（.xlsx）ファイルに事例の行がありません。")
    return documents


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()
