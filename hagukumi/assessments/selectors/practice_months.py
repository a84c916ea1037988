"""Confirmed practice months: the months a person's 確認済み 実践記録 cover, overlaps once.

Records hold months (the first day of each month: PracticeRecord). Apr–Sep +
Oct–Mar = 12 months; Apr–Sep + Jul–Dec = 9 (July–September counted once).
Months after the day a count describes are not yet practised and do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def months_covered(
    periods: Iterable[tuple[dt.date, dt.date]], *, until: dt.date | None = None
) -> int:
    """How many calendar months the (start, end) periods cover together (inclusive).

    `until`: months after its month are left out. A period whose end lies before
    its start covers nothing (the services refuse such records).
    """
    limit = _month_index(until) if until is not None else None
    spans = []
    for start, end in periods:
        first, last = _month_index(start), _month_index(end)
        if limit is not None:
            last = min(last, limit)
        if last >= first:
            spans.append((first, last))
    total = 0
    current_first: int | None = None
    current_last = 0
    for first, last in sorted(spans):
        if current_first is None or first > current_last + 1:
            if current_first is not None:
                total += current_last - current_first + 1
            current_first, current_last = first, last
        else:
            current_last = max(current_last, last)
    if current_first is not None:
        total += current_last - current_first + 1
    return total
