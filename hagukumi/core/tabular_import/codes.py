"""Known codes, and the hint for a code that lost its leading zeros.

Excel shows a typed 020201 as 20201 in a General-format cell (the import
templates format code columns as Text, but a pasted or old file may not be):

    units = CodeIndex(u.code for u in units)
    if code not in units:
        raise RowProblem("unit_code", units.unknown(f"所属コード「{code}」はありません", code))
    # → 所属コード「20201」はありません。先頭の0が落ちていませんか（020201）
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MSG_LEADING_ZERO = "先頭の0が落ちていませんか（{codes}）"


def _zero_key(code: str) -> str:
    return code.lstrip("0") or "0"


class CodeIndex:
    """A set of known codes that can tell which known codes a bare number stands for."""

    def __init__(self, codes: Iterable[str]) -> None:
        self._codes: set[str] = set()
        self._by_key: dict[str, list[str]] = {}
        for code in codes:
            if code in self._codes:
                continue
            self._codes.add(code)
            if code.isascii() and code.isdigit():
                self._by_key.setdefault(_zero_key(code), []).append(code)

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __len__(self) -> int:
        return len(self._codes)

    def zero_padded(self, code: str) -> list[str]:
        """Known codes that are ``code`` with leading zeros added (longer ones only)."""
        text = unicodedata.normalize("NFKC", code).strip()
        if not (text.isascii() and text.isdigit()):
            return []
        return [k for k in self._by_key.get(_zero_key(text), ()) if len(k) > len(text)]

    def leading_zero_hint(self, code: str) -> str | None:
        """「先頭の0が落ちていませんか（020201）」 for an unknown 20201; None otherwise."""
        if code in self._codes:
            return None
        found = self.zero_padded(code)
        if not found:
            return None
        return MSG_LEADING_ZERO.format(codes="、".join(sorted(found, key=len)))

    def unknown(self, message: str, code: str) -> str:
        """``message`` (about an unknown ``code``) with the leading-zero hint when it applies."""
        hint = self.leading_zero_hint(code)
        if hint is None:
            return message
        return f"{message.rstrip('。')}。{hint}"
