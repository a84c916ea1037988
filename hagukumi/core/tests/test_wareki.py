"""和暦 and 年度: conversion, display, strict parsing with Japanese messages, template filters."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template

from hagukumi.core import wareki


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2026, 1, 1), 2025),
        (date(2026, 12, 31), 2026),
    ],
)
def test_fiscal_year_starts_on_1_april(day: date, fiscal_year: int) -> None:
    assert wareki.fiscal_year_of(day) == fiscal_year


def test_fiscal_year_range() -> None:
    assert wareki.fiscal_year_range(2025) == (date(2025, 4, 1), date(2026, 3, 31))
    assert wareki.fiscal_year_range(2023) == (date(2023, 4, 1), date(2024, 3, 31))


def test_every_day_belongs_to_the_fiscal_year_whose_range_holds_it() -> None:
    day = date(2018, 1, 1)
    while day < date(2021, 1, 1):
        first, last = wareki.fiscal_year_range(wareki.fiscal_year_of(day))
        assert first <= day <= last
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("fiscal_year", "shown"),
    [
        (2026, "令和8年度 (2026)"),
        (2019, "令和元年度 (2019)"),  # straddles 平成31年度; shown in the new era
        (2018, "平成30年度 (2018)"),
        (1989, "平成元年度 (1989)"),
        (1988, "昭和63年度 (1988)"),
    ],
)
def test_format_fiscal_year(fiscal_year: int, shown: str) -> None:
    assert wareki.format_fiscal_year(fiscal_year) == shown


def test_format_fiscal_year_without_western() -> None:
    assert wareki.format_fiscal_year(2026, with_western=False) == "令和8年度"


@pytest.mark.parametrize(
    ("year", "shown"),
    [
        (2026, "令和8年"),
        (2019, "令和元年"),
        (1989, "平成元年"),
        (1926, "昭和元年"),
        (1912, "大正元年"),
    ],
)
def test_format_wareki_year(year: int, shown: str) -> None:
    assert wareki.format_wareki_year(year) == shown


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2026, 4, 1), "令和8年4月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_format_date(day: date, shown: str) -> None:
    assert wareki.format_date(day) == shown


def test_format_date_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="明治6年より前"):
        wareki.format_date(date(1872, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "R2.4.1",
        "r2/4/1",
        "R02.04.01",
        "R2-4-1",
        "令和2年4月1日",
        "令和 2年 4月 1日",
        "令和２年４月１日",
        "Ｒ２．４．１",
        "2020-04-01",
        "2020/4/1",
        "２０２０／４／１",
        "2020年4月1日",
        "20200401",
    ],
)
def test_parse_date_notations(text: str) -> None:
    assert wareki.parse_date(text) == date(2020, 4, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("T15.12.24", date(1926, 12, 24)),
        ("明治45年7月29日", date(1912, 7, 29)),
    ],
)
def test_parse_date_era_edges(text: str, day: date) -> None:
    assert wareki.parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成31年5月1日", "平成31年5月1日 は存在しません（平成は31年4月30日まで）"),
        ("令和元年4月30日", "令和元年4月30日 は存在しません（令和は元年5月1日から）"),
        ("S64.1.8", "昭和64年1月8日 は存在しません（昭和は64年1月7日まで）"),
        ("令和2年2月30日", "令和2年2月30日 は存在しません"),
        ("2021-02-29", "2021年2月29日 は存在しません"),
        ("R0.4.1", "令和0年4月1日 は存在しません"),
        ("明治5年1月1日", "旧暦"),
        ("", "日付が入力されていません"),
        ("あした", "「あした」を日付として読み取れません"),
        ("X2.4.1", "日付として読み取れません"),
    ],
)
def test_parse_date_rejects_with_a_japanese_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        wareki.parse_date(text)


def test_every_day_round_trips_through_wareki() -> None:
    day = wareki.GREGORIAN_ADOPTED
    while day <= date(2100, 12, 31):
        assert wareki.parse_date(wareki.format_date(day)) == day
        day += timedelta(days=1)


def test_every_day_round_trips_through_the_letter_notation() -> None:
    day = date(1926, 1, 1)
    while day <= date(2060, 12, 31):
        era = wareki.era_of(day)
        text = f"{era.letter}{day.year - era.first_year + 1}.{day.month}.{day.day}"
        assert wareki.parse_date(text) == day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "fiscal_year"),
    [
        ("R5", 2023),
        ("r5", 2023),
        ("Ｒ５", 2023),
        ("令和5年度", 2023),
        ("令和５年度", 2023),
        ("令和5", 2023),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("2023", 2023),
        ("2023年度", 2023),
        ("２０２３年度", 2023),
        ("FY2023", 2023),
        ("令和8年度 (2026)", 2026),
        ("2024（令和6）年度", 2024),
        ("昭和63年度", 1988),
        ("平成元年度", 1989),
    ],
)
def test_parse_fiscal_year(text: str, fiscal_year: int) -> None:
    assert wareki.parse_fiscal_year(text) == fiscal_year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年度", "平成32年度 は存在しません（平成は31年4月30日まで）"),
        ("昭和64年度", "昭和64年度 は存在しません（昭和は64年1月7日まで）"),
        ("R0", "令和0年度 は存在しません"),
        ("令和8年度 (2025)", "和暦と西暦が一致しません"),
        ("", "年度が入力されていません"),
        ("来年", "「来年」を年度として読み取れません"),
        ("123", "年度として読み取れません"),
        ("1000", "1000年度 は扱える範囲外の年度です"),
    ],
)
def test_parse_fiscal_year_rejects_with_a_japanese_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        wareki.parse_fiscal_year(text)


def test_fiscal_years_round_trip_through_their_display() -> None:
    for fiscal_year in range(1869, 2100):
        assert wareki.parse_fiscal_year(wareki.format_fiscal_year(fiscal_year)) == fiscal_year
        short = wareki.format_fiscal_year(fiscal_year, with_western=False)
        assert wareki.parse_fiscal_year(short) == fiscal_year


def test_to_western_year_is_arithmetic_only() -> None:
    assert wareki.to_western_year("令和", 5) == 2023
    assert wareki.to_western_year("H", 32) == 2020  # as old plans write 2020
    with pytest.raises(ValueError, match="元号"):
        wareki.to_western_year("天平", 1)


def test_era_start_dates() -> None:
    starts = {era.name: era.start for era in wareki.ERAS}
    assert starts == {
        "明治": date(1868, 10, 23),
        "大正": date(1912, 7, 30),
        "昭和": date(1926, 12, 25),
        "平成": date(1989, 1, 8),
        "令和": date(2019, 5, 1),
    }
    assert wareki.era_of(date(2019, 4, 30)).name == "平成"
    assert wareki.era_of(date(2019, 5, 1)).name == "令和"


def _render(source: str, **context: object) -> str:
    return Template("{% load wareki %}" + source).render(Context(context))


def test_template_filters() -> None:
    assert _render("{{ fy|fiscal_year }}", fy=2026) == "令和8年度 (2026)"
    assert _render("{{ fy|fiscal_year_short }}", fy=2019) == "令和元年度"
    assert _render("{{ d|wareki_date }}", d=date(2026, 4, 1)) == "令和8年4月1日"
    assert _render("{{ d|wareki_date }}", d=datetime(2019, 5, 1, 9, 0)) == "令和元年5月1日"


def test_template_filters_never_fail_a_page() -> None:
    assert _render("{{ fy|fiscal_year }}", fy=None) == ""
    assert _render("{{ fy|fiscal_year }}", fy="R5") == "令和5年度 (2023)"
    assert _render("{{ fy|fiscal_year }}", fy="未定") == "未定"
    assert _render("{{ fy|fiscal_year }}", fy=1000) == "1000"
    assert _render("{{ d|wareki_date }}", d="") == ""
    assert _render("{{ d|wareki_date }}", d=date(1800, 1, 1)) == "1800-01-01"
