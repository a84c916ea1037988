"""和暦 (Japanese era years) and 年度 (fiscal years starting 1 April).

Rules, in one place:

- A fiscal year is identified by the Western year in which it starts on 1 April:
  FY2025 runs from 2025-04-01 to 2026-03-31.
- An era year is counted by calendar year: the year in which an era begins is
  its 元年 and, for display, belongs to the new era (2019 = 令和元年).
- A fiscal year is shown with the era of its calendar year, so FY2019 is shown
  as 令和元年度 although it began under 平成 (平成31年度 is accepted as input for
  the same year). This is how the national and local governments write it.
- 明治 dates before 明治6年1月1日 (1873-01-01) are in the lunisolar calendar and
  cannot be converted day by day; only their year is supported.

A small module rather than a library (japanera, jeraconv): the era table is
five rows, and what we need on top of it (fiscal years, strict parsing of the
notations used in Japanese offices, messages in Japanese) is the bulk of the
work either way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "ERAS",
    "Era",
    "era_by_name",
    "era_of",
    "era_year_of",
    "fiscal_year_of",
    "fiscal_year_range",
    "format_date",
    "format_fiscal_year",
    "format_wareki_year",
    "parse_date",
    "parse_fiscal_year",
    "to_western_year",
]


@dataclass(frozen=True, slots=True)
class Era:
    """One era: its name, its one-letter abbreviation and its first day."""

    name: str
    letter: str
    start: date

    @property
    def first_year(self) -> int:
        return self.start.year


# Oldest first. Start dates are the Gregorian dates of the change of era.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)
GREGORIAN_ADOPTED = date(1873, 1, 1)  # 明治6年1月1日
_MIN_WESTERN_YEAR = ERAS[0].first_year
_MAX_WESTERN_YEAR = 2999
_MAX_ERA_YEAR = 99

_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.letter] = _era
    _ERA_BY_KEY[_era.letter.lower()] = _era


def _last_day(era: Era) -> date | None:
    """The last day of an era, or None for the current one."""
    index = ERAS.index(era)
    if index + 1 < len(ERAS):
        return ERAS[index + 1].start - timedelta(days=1)
    return None


def era_by_name(name: str) -> Era:
    """The era named 令和/平成/… or abbreviated R/H/S/T/M (either case); ValueError otherwise."""
    key = unicodedata.normalize("NFKC", name).strip()
    try:
        return _ERA_BY_KEY[key]
    except KeyError:
        raise ValueError(f"「{name}」は元号として読み取れません") from None


def era_of(day: date) -> Era:
    """The era in effect on a day (明治 for any day from its start)."""
    if day < ERAS[0].start:
        raise ValueError(f"{day.isoformat()} は明治より前のため和暦で表せません")
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    raise AssertionError("unreachable")  # pragma: no cover


def era_year_of(year: int) -> tuple[Era, int]:
    """Era and era year of a Western calendar year; a year of change belongs to the new era."""
    if year < _MIN_WESTERN_YEAR:
        raise ValueError(f"{year}年は明治より前のため和暦で表せません")
    era = era_of(date(year, 12, 31))
    return era, year - era.first_year + 1


def to_western_year(era: Era | str, era_year: int) -> int:
    """Western year of an era year, by arithmetic only (平成32 → 2020, as old plans write it)."""
    if isinstance(era, str):
        era = era_by_name(era)
    if not 1 <= era_year <= _MAX_ERA_YEAR:
        raise ValueError(f"{era.name}{era_year}年 は存在しません")
    return era.first_year + era_year - 1


def _era_year_label(era_year: int) -> str:
    return "元" if era_year == 1 else str(era_year)


def fiscal_year_of(day: date) -> int:
    """年度 of a day: the year it started on 1 April (2026-03-31 → 2025, 2026-04-01 → 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a 年度: 1 April of the year to 31 March of the next."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def format_wareki_year(year: int) -> str:
    """A calendar year in 和暦: 2026 → 令和8年, 2019 → 令和元年."""
    era, era_year = era_year_of(year)
    return f"{era.name}{_era_year_label(era_year)}年"


def format_fiscal_year(fiscal_year: int, *, with_western: bool = True) -> str:
    """A 年度 in 和暦 with its Western year: 2026 → 令和8年度 (2026), 2019 → 令和元年度 (2019)."""
    era, era_year = era_year_of(fiscal_year)
    label = f"{era.name}{_era_year_label(era_year)}年度"
    return f"{label} ({fiscal_year})" if with_western else label


def format_date(day: date) -> str:
    """A day in 和暦: 2026-04-01 → 令和8年4月1日, 2019-05-01 → 令和元年5月1日."""
    if day < GREGORIAN_ADOPTED:
        raise ValueError(f"{day.isoformat()} は明治6年より前のため和暦の日付で表せません")
    era = era_of(day)
    era_year = day.year - era.first_year + 1
    return f"{era.name}{_era_year_label(era_year)}年{day.month}月{day.day}日"


# --- parsing -------------------------------------------------------------------

_ERA_NAMES = "|".join(era.name for era in ERAS)
_ERA_LETTERS = "".join(era.letter.lower() for era in ERAS)
_ERA = rf"(?P<era>{_ERA_NAMES}|[{_ERA_LETTERS}])"
_ERA_YEAR = r"(?P<year>\d{1,2}|元)"
_MONTH_DAY = (
    r"(?:年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日"
    r"|(?P<sep>[./\-])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))"
)
_ERA_DATE_RE = re.compile(rf"{_ERA}{_ERA_YEAR}{_MONTH_DAY}")
_WESTERN_DATE_RE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日"
    r"|(?P<sep>[./\-])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})"
    r"|(?P<m3>\d{2})(?P<d3>\d{2}))"
)
_ERA_FISCAL_RE = re.compile(rf"{_ERA}{_ERA_YEAR}(?:年度?)?(?:\((?P<western>\d{{4}})\))?")
_WESTERN_FISCAL_RE = re.compile(rf"(?:fy)?(?P<western>\d{{4}})(?:\({_ERA}{_ERA_YEAR}\))?(?:年度?)?")
_DATE_EXAMPLES = "例: 令和2年4月1日、R2.4.1、2020-04-01"
_FISCAL_EXAMPLES = "例: 令和5年度、R5、2023年度"


def _prepare(text: str) -> str:
    """NFKC (full-width digits and letters), no whitespace, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _era_year_number(value: str) -> int:
    return 1 if value == "元" else int(value)


def _era_label(era: Era, era_year: int) -> str:
    return f"{era.name}{_era_year_label(era_year)}年"


def _check_era_day(era: Era, day: date, shown: str) -> None:
    """Reject a day written in an era that was not in effect on it."""
    last = _last_day(era)
    if day < era.start:
        first = f"{_era_year_label(1)}年{era.start.month}月{era.start.day}日"
        raise ValueError(f"{shown} は存在しません（{era.name}は{first}から）")
    if last is not None and day > last:
        last_year = last.year - era.first_year + 1
        until = f"{_era_year_label(last_year)}年{last.month}月{last.day}日"
        raise ValueError(f"{shown} は存在しません（{era.name}は{until}まで）")


def _build_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{shown} は存在しません") from None


def parse_date(text: str) -> date:
    """A date written in 和暦 or Western style: 令和2年4月1日, R2.4.1, r2/4/1, 2020-04-01, 2020/4/1.

    Full-width digits and spaces are accepted. A day outside its era (平成31年5月1日,
    令和元年4月30日) or the calendar (2月30日) raises ValueError in Japanese.
    """
    prepared = _prepare(text)
    if not prepared:
        raise ValueError("日付が入力されていません")
    match = _ERA_DATE_RE.fullmatch(prepared)
    if match:
        era = era_by_name(match["era"])
        era_year = _era_year_number(match["year"])
        month = int(match["m1"] or match["m2"])
        day_of_month = int(match["d1"] or match["d2"])
        shown = f"{_era_label(era, era_year)}{month}月{day_of_month}日"
        if era_year < 1:
            raise ValueError(f"{shown} は存在しません")
        result = _build_date(era.first_year + era_year - 1, month, day_of_month, shown)
        if result < GREGORIAN_ADOPTED:
            raise ValueError(f"{shown} は旧暦の日付のため変換できません（明治6年1月1日から）")
        _check_era_day(era, result, shown)
        return result
    match = _WESTERN_DATE_RE.fullmatch(prepared)
    if match:
        year = int(match["year"])
        month = int(match["m1"] or match["m2"] or match["m3"])
        day_of_month = int(match["d1"] or match["d2"] or match["d3"])
        shown = f"{year}年{month}月{day_of_month}日"
        if year < _MIN_WESTERN_YEAR or year > _MAX_WESTERN_YEAR:
            raise ValueError(f"{shown} は扱える範囲外の日付です")
        return _build_date(year, month, day_of_month, shown)
    raise ValueError(f"「{text}」を日付として読み取れません（{_DATE_EXAMPLES}）")


def _fiscal_year_from_era(era: Era, era_year: int) -> int:
    """A 年度 written in an era must overlap that era (平成31年度 yes, 平成32年度 no)."""
    shown = f"{era.name}{_era_year_label(era_year)}年度"
    if not 1 <= era_year <= _MAX_ERA_YEAR:
        raise ValueError(f"{shown} は存在しません")
    fiscal_year = era.first_year + era_year - 1
    first_day, last_day = fiscal_year_range(fiscal_year)
    era_last = _last_day(era)
    if era_last is not None and first_day > era_last:
        last_year = era_last.year - era.first_year + 1
        until = f"{_era_year_label(last_year)}年{era_last.month}月{era_last.day}日"
        raise ValueError(f"{shown} は存在しません（{era.name}は{until}まで）")
    if last_day < era.start:  # pragma: no cover - an era year 1 always overlaps its FY
        raise ValueError(f"{shown} は存在しません")
    return fiscal_year


def parse_fiscal_year(text: str) -> int:
    """A 年度 as its Western starting year: R5, 令和5年度, 令和元年度, H30, 2023, 2023年度 → int.

    Also reads what format_fiscal_year writes (令和8年度 (2026)) and 2024（令和6）年度,
    provided both halves agree. Full-width input is accepted.
    """
    prepared = _prepare(text)
    if not prepared:
        raise ValueError("年度が入力されていません")
    match = _ERA_FISCAL_RE.fullmatch(prepared) or _WESTERN_FISCAL_RE.fullmatch(prepared)
    if match is None:
        raise ValueError(f"「{text}」を年度として読み取れません（{_FISCAL_EXAMPLES}）")
    western = int(match["western"]) if match["western"] else None
    from_era = None
    if match["era"]:
        from_era = _fiscal_year_from_era(era_by_name(match["era"]), _era_year_number(match["year"]))
    if western is not None and not _MIN_WESTERN_YEAR <= western <= _MAX_WESTERN_YEAR:
        raise ValueError(f"{western}年度 は扱える範囲外の年度です")
    if western is not None and from_era is not None and western != from_era:
        raise ValueError(f"「{text}」の和暦と西暦が一致しません（{format_fiscal_year(from_era)}）")
    result = from_era if from_era is not None else western
    assert result is not None  # one of the two groups always matched
    return result
