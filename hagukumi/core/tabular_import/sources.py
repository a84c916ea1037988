"""Opening what the user gave: paths, bytes or file objects; size caps, the zip-bomb
guard for xlsx, the file format and the CSV text encoding.

Every check here runs before a parser sees a byte of the content, so a huge file
or a zip bomb is refused without being read or inflated.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, Literal

from hagukumi.core.tabular_import.table import TabularImportError

Source = str | os.PathLike[str] | bytes | IO[bytes]

# Zip-bomb guard, checked on the zip directory before openpyxl opens the file.
# Real workbooks compress 5-30x; a 50,000-row roster is about 30 MB of XML.
XLSX_MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_MEMBERS = 10_000
CHUNK = 1024 * 1024
MB = 1024 * 1024

XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
ZIP_MAGIC = b"PK"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MSG_EMPTY = "ファイルが空です。"
MSG_NOT_TEXT = (
    "文字コードを判別できないか、CSV（テキスト）ではありません。"
    "UTF-8 (BOM付き) または Shift_JIS (CP932) の CSV を選んでください。"
)
MSG_UTF16 = "UTF-16 の CSV には対応していません。UTF-8 (BOM付き) の CSV で保存し直してください。"
MSG_OLD_XLS = (
    "古い Excel 形式 (.xls) またはパスワード付きのファイルは読めません。"
    "Excel で「名前を付けて保存」から「Excel ブック (*.xlsx)」を選び、パスワードを外してください。"
)
MSG_BAD_XLSX = "Excel ブック (.xlsx) として読めません。ファイルが壊れていないか確かめてください。"
MSG_ZIP_BOMB = "ファイルの展開後の大きさが上限を超えるため、読み込みません。"

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def default_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "HAGUKUMI_UPLOAD_MAX_BYTES", 20 * MB))


def too_big(size: int, limit: int) -> TabularImportError:
    return TabularImportError(
        f"ファイルが大きすぎます（{size_text(size)}）。上限は {size_text(limit)} です。"
    )


def size_text(size: int) -> str:
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} バイト"


@contextlib.contextmanager
def open_source(source: Source, limit: int) -> Iterator[tuple[IO[bytes], int, str | None]]:
    """A seekable binary file for ``source``, its size and name, refusing by size first."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > limit:
            raise too_big(len(data), limit)
        yield io.BytesIO(data), len(data), None
        return
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.stat(path).st_size  # refuse a huge file before reading any of it
        except OSError as exc:
            raise TabularImportError(f"ファイル「{path}」を開けません（{exc.strerror}）。") from exc
        if not os.path.isfile(path):
            raise TabularImportError(f"「{path}」はファイルではありません。")
        if size > limit:
            raise too_big(size, limit)
        with open(path, "rb") as fh:
            yield fh, size, os.path.basename(path)
        return
    name = getattr(source, "name", None)
    name = name if isinstance(name, str) else None
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        start = source.tell()
        size = source.seek(0, os.SEEK_END) - start
        source.seek(start)
        if size > limit:
            raise too_big(size, limit)
        if start == 0:
            yield source, size, name
            return
    # Not seekable (or not at its start): copy at most limit + 1 bytes aside.
    with tempfile.SpooledTemporaryFile(max_size=8 * MB) as spool:
        copied = 0
        while chunk := source.read(CHUNK):
            copied += len(chunk)
            if copied > limit:
                raise too_big(copied, limit)
            spool.write(chunk)
        spool.seek(0)
        yield spool, copied, name


def file_format(fh: IO[bytes], *, size: int, filename: str | None) -> Literal["xlsx", "csv"]:
    """xlsx when the content is a zip, else CSV; refuses .xls and broken .xlsx by name."""
    if size == 0:
        raise TabularImportError(MSG_EMPTY)
    ext = os.path.splitext(filename or "")[1].lower()
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC) or ext == ".xls":
        raise TabularImportError(MSG_OLD_XLS)
    if ext in XLSX_EXTENSIONS:
        raise TabularImportError(MSG_BAD_XLSX)
    return "csv"


def check_zip(fh: IO[bytes]) -> None:
    """Refuse zip bombs by the sizes in the zip directory, before anything is inflated.

    Python's zipfile never inflates a member beyond its declared size, so the
    declared sizes are a real upper bound.
    """
    try:
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularImportError(MSG_BAD_XLSX) from exc
    finally:
        fh.seek(0)
    if len(members) > XLSX_MAX_MEMBERS:
        raise TabularImportError(MSG_ZIP_BOMB)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MB and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise TabularImportError(MSG_ZIP_BOMB)
    if total > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise TabularImportError(MSG_ZIP_BOMB)
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise TabularImportError(MSG_BAD_XLSX)


def detect_encoding(fh: IO[bytes]) -> tuple[str, int]:
    """UTF-8 with BOM, else UTF-8, else CP932; also counts lines for progress."""
    head = fh.read(4)
    fh.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TabularImportError(MSG_UTF16)
    candidates = ["utf-8-sig"] if head.startswith(codecs.BOM_UTF8) else ["utf-8", "cp932"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            while chunk := fh.read(CHUNK):
                if _CONTROL_BYTES.search(chunk):
                    raise TabularImportError(MSG_NOT_TEXT)
                lines += chunk.count(b"\n")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            fh.seek(0)
            continue
        fh.seek(0)
        return encoding, lines
    raise TabularImportError(MSG_NOT_TEXT)
