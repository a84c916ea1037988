"""Confirmed practice months: overlaps count once (pure function, no database)."""

from __future__ import annotations

import datetime as dt

from hagukumi.assessments.selectors import months_covered


def _m(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def test_apr_sep_plus_oct_mar_is_12() -> None:
    assert months_covered([(_m(2026, 4), _m(2026, 9)), (_m(2026, 10), _m(2027, 3))]) == 12


def test_apr_sep_plus_jul_dec_is_9_overlap_once() -> None:
    assert months_covered([(_m(2026, 4), _m(2026, 9)), (_m(2026, 7), _m(2026, 12))]) == 9


def test_order_contained_and_gaps() -> None:
    periods = [(_m(2026, 7), _m(2026, 7)), (_m(2026, 4), _m(2026, 9)), (_m(2027, 1), _m(2027, 2))]
    assert months_covered(periods) == 8
    assert months_covered([]) == 0
    assert months_covered([(_m(2026, 4), _m(2026, 4))]) == 1


def test_months_after_until_do_not_count() -> None:
    periods = [(_m(2026, 4), _m(2027, 3))]
    assert months_covered(periods, until=dt.date(2026, 9, 30)) == 6
    assert months_covered(periods, until=dt.date(2026, 3, 31)) == 0


def test_a_period_ending_before_it_starts_covers_nothing() -> None:
    assert months_covered([(_m(2026, 9), _m(2026, 4))]) == 0
