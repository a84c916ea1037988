"""From one cell (a CSV string or an openpyxl cell) to a column's typed value.

Values per kind: text/code -> str ("" when empty; codes keep leading zeros),
int/yen -> int, decimal -> Decimal, date -> datetime.date, bool -> bool,
choice -> the stored value; None when empty for the other kinds.

Numbers: full-width digits and signs are read (「１．５」), and "," may group
thousands (「1,500」, 「１，５００」) but only in groups of three: 「1,5」 is not
read as 15 (nor, in a decimal column, as 1.5, which many European spreadsheets
would mean by it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import normalize_newlines

from hagukumi.core.tabular_import.columns import Column

MSG_FORMULA = "数式は取り込めません。値を入力してください"
MSG_REQUIRED = "必須の項目です。値を入力してください"
MSG_DECIMAL = "小数は入力できません"
MSG_NUMBER = "数値で入力してください"
MSG_DATE = "日付として読めません（例: 2020/4/1、R2.4.1、令和2年4月1日）"
MSG_BOOL = "○ か × で入力してください（はい/いいえ、1/0 も使えます）"

# Excel keeps 15 significant digits; a float cell is read as the number Excel shows.
EXCEL_DIGITS = 15

_FORMULA_ESCAPED = re.compile(r"'[=+\-@\t\r]")
_FORMULA_TEXT = re.compile(r"\s*=")
_ZERO_PAD_FORMAT = re.compile(r"^0+$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.(\d+))?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_MINUS_SIGNS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-"})
_TRUE = {"○", "〇", "◯", "はい", "1", "true", "yes", "有", "あり", "済"}
_FALSE = {"×", "✕", "✖", "いいえ", "0", "false", "no", "無", "なし", "未"}


class CellError(Exception):
    """A cell the column cannot take; the message is shown as 「行 N 列 X: 理由」."""


def converter(column: Column, *, epoch_1904: bool = False) -> Callable[[Any], Any]:
    """A function from one cell to the column's value, raising CellError."""
    kind = column.kind
    empty = column.empty
    typed: Callable[[Any, Any], Any]
    if kind == "choice":
        typed = _choice_converter(column)
    elif kind == "date":
        typed = functools.partial(to_date, epoch_1904=epoch_1904)
    else:
        typed = _TYPED[kind]
    required = column.required
    max_length = column.max_length

    def convert(cell: Any) -> Any:
        value, is_formula = raw(cell)
        if is_formula:
            raise CellError(MSG_FORMULA)
        if value is None or (isinstance(value, str) and (not value or value.isspace())):
            if required:
                raise CellError(MSG_REQUIRED)
            return empty
        result = typed(value, cell)
        if max_length is not None and isinstance(result, str) and len(result) > max_length:
            raise CellError(f"{max_length} 文字以内で入力してください（{len(result)} 文字）")
        return result

    return convert


def raw(cell: Any) -> tuple[Any, bool]:
    """(value, is_formula) of a CSV string or an openpyxl cell."""
    if isinstance(cell, str) or cell is None:
        # Blanks before 「=」 do not disarm it: a spreadsheet drops them (issue 16).
        if cell and _FORMULA_TEXT.match(cell):
            return cell, True
        return cell, False
    data_type = getattr(cell, "data_type", "n")
    value = cell.value
    if data_type == "f":
        return value, True
    if data_type == "e":
        raise CellError(f"セルがエラー値（{value}）です。正しい値を入力してください")
    return value, False


def as_text(value: Any, cell: Any) -> str:
    """A cell's text as typed: strings as they are (line breaks as LF), numbers without a
    spurious .0."""
    if isinstance(value, str):
        text = normalize_newlines(value).strip()
        if _FORMULA_ESCAPED.match(text):
            text = text[1:]  # undo the export's formula-injection guard
        return text
    if isinstance(value, bool):
        return "○" if value else "×"
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        text = str(int(value))
        number_format = getattr(cell, "number_format", "General") or "General"
        if _ZERO_PAD_FORMAT.match(number_format) and value >= 0:
            text = text.zfill(len(number_format))  # what the user sees, e.g. 000123
        return text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _number_text(value: Any, cell: Any, *, yen: bool = False, decimal: bool = False) -> str:
    """A typed number as plain ASCII digits: NFKC, minus signs, thousands commas dropped.

    Raises CellError for commas that do not group thousands (「1,5」).
    """
    typed = as_text(value, cell)
    text = unicodedata.normalize("NFKC", typed).translate(_MINUS_SIGNS).replace(" ", "")
    if yen:
        text = text.removeprefix("¥").removeprefix("\\").removesuffix("円")
    if "," in text:
        if not _GROUPED.match(text):
            raise CellError(_comma_message(typed, text, decimal=decimal))
        text = text.replace(",", "")
    return text


def _comma_message(typed: str, text: str, *, decimal: bool) -> str:
    as_point = text.replace(",", ".")
    if decimal and text.count(",") == 1 and "." not in text and _NUMBER.match(as_point):
        return f"「{typed}」は数値ではありません（小数点は「.」: {as_point}）"
    return f"「{typed}」は数値ではありません（桁区切りの「,」は3桁ごと: 1,500）"


def to_int(value: Any, cell: Any, *, yen: bool = False) -> int:
    if isinstance(value, bool):
        raise CellError(MSG_NUMBER)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(MSG_DECIMAL)
        return int(value)
    text = _number_text(value, cell, yen=yen)
    match = _NUMBER.match(text)
    if not match:
        raise CellError(MSG_NUMBER)
    fraction = match.group(1)
    if fraction is not None:
        if fraction.strip("0"):
            raise CellError(MSG_DECIMAL)
        text = text.split(".")[0]
    return int(text)


def to_yen(value: Any, cell: Any) -> int:
    return to_int(value, cell, yen=True)


def to_decimal(value: Any, cell: Any) -> Decimal:
    """「1.5」, 「１．５」, 「1,500.25」, 1.5 (a number cell) -> Decimal; 「1,5」 is refused."""
    if isinstance(value, bool):
        raise CellError(MSG_NUMBER)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(f"{value:.{EXCEL_DIGITS}g}")
    text = _number_text(value, cell, decimal=True)
    if not _NUMBER.match(text):
        raise CellError(MSG_NUMBER)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise CellError(MSG_NUMBER) from exc


def serial_to_date(serial: float, *, epoch_1904: bool = False) -> dt.date:
    """An Excel serial day number to a date (1900 system unless the book is 1904-based).

    The 1900 system counts Lotus 1-2-3's phantom 1900-02-29 as day 60.
    """
    days = int(serial)
    if epoch_1904:
        base = dt.date(1904, 1, 1)
    elif days == 60:
        raise CellError("1900年2月29日は存在しない日付です")
    elif days < 60:
        base = dt.date(1899, 12, 31)
    else:
        base = dt.date(1899, 12, 30)
    if days < 1 or days > 2_958_465:
        raise CellError(MSG_DATE)
    return base + dt.timedelta(days=days)


def to_date(value: Any, cell: Any, *, epoch_1904: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise CellError(MSG_DATE)
    if isinstance(value, int | float):
        return serial_to_date(value, epoch_1904=epoch_1904)
    text = unicodedata.normalize("NFKC", as_text(value, cell)).strip()
    if text.isascii() and text.isdigit() and len(text) <= 5:
        return serial_to_date(int(text), epoch_1904=epoch_1904)
    from hagukumi.core.wareki import parse_date  # lazy: wareki is a sibling module

    try:
        return parse_date(text)
    except ValueError as exc:
        raise CellError(str(exc) or MSG_DATE) from exc


def to_bool(value: Any, cell: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFKC", as_text(value, cell)).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(MSG_BOOL)


def _choice_converter(column: Column) -> Callable[[Any, Any], str]:
    pairs = column.choice_pairs()
    lookup: dict[str, str] = {}
    for stored, label in pairs:
        lookup.setdefault(unicodedata.normalize("NFKC", label).strip(), stored)
        lookup.setdefault(unicodedata.normalize("NFKC", stored).strip(), stored)
    listed = "、".join(label for _stored, label in pairs)

    def to_choice(value: Any, cell: Any) -> str:
        text = unicodedata.normalize("NFKC", as_text(value, cell)).strip()
        if text in lookup:
            return lookup[text]
        raise CellError(f"「{text}」は選べません。次のいずれかを入力してください: {listed}")

    return to_choice


_TYPED: dict[str, Callable[[Any, Any], Any]] = {
    "text": as_text,
    "code": as_text,
    "int": to_int,
    "yen": to_yen,
    "decimal": to_decimal,
    "bool": to_bool,
}
