"""全国地方公共団体コード (JIS X 0402): check digit and validation of typed codes."""

from __future__ import annotations

import unicodedata

from hagukumi.core.errors import ApplicationError

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> str:
    """The 6th digit of a 団体コード computed from its first five digits.

    Rule (verified against every code of the master): multiply the five digits
    by 6, 5, 4, 3, 2, sum, and take the remainder mod 11; the check digit is
    the last digit of (11 - remainder). So remainder 0 gives 1 and remainder
    1 gives 0. Examples: 北海道 01000→6 (010006), 札幌市 01100→2 (011002),
    青森県 02000→1 (020001), 北九州市 40100→5 (401005), 千代田区 13101→6
    (131016), 苫小牧市 01213 (remainder 0)→1 (012131), 室蘭市 01205
    (remainder 1)→0 (012050).
    """
    if len(first_five) != 5 or not first_five.isascii() or not first_five.isdigit():
        raise ValueError(f"five ASCII digits expected, got {first_five!r}")
    remainder = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS, strict=True)) % 11
    return str((11 - remainder) % 10)


def with_check_digit(first_five: str) -> str:
    return first_five + check_digit(first_five)


def validate_organization_code(code: str) -> str:
    """Return the canonical 6-digit 団体コード for what a user typed, or raise ApplicationError.

    Full-width digits and surrounding spaces are accepted (NFKC). A 5-digit
    code (the form without check digit used in many statistics tables) is
    accepted and completed with its check digit. A 6-digit code must carry the
    right check digit. Existence in the master is not checked here
    (`selectors.organization_by_code` does that).
    """
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if not (text.isascii() and text.isdigit() and len(text) in (5, 6)):
        raise ApplicationError(
            f"団体コード「{code}」は6桁の数字（検査数字付き）または5桁の数字で入力してください。"
        )
    if len(text) == 5:
        return with_check_digit(text)
    expected = check_digit(text[:5])
    if text[5] != expected:
        raise ApplicationError(
            f"団体コード {text} の検査数字が正しくありません（正しくは {text[:5]}{expected}）。"
        )
    return text
