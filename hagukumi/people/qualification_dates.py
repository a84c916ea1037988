"""Which 取得年月日 a qualification may have: the one rule every write path applies.

Refused: a day after today (a qualification is recorded once obtained, never in
advance) and a day before the staff member's 生年月日. A day before 採用 is
accepted: staff bring qualifications from school or an earlier employer (経験者採用);
only 受験料補助 is limited to what was obtained as a staff member, and that is
the subsidy's rule (`people.selectors.subsidies.subsidy_evaluate`, 採用前の取得).

Callers: `people.services.staff.staff_qualification_add` (profile form, API) and
`people.roster_import.qualifications_import` (upload job, `import_qualifications`).
"""

from __future__ import annotations

import datetime as dt


def _shown(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def qualification_date_problem(
    *, obtained_on: dt.date, birth_date: dt.date | None, today: dt.date
) -> str | None:
    """Why `obtained_on` cannot be a 取得年月日 (Japanese, no final 。), or None when it can."""
    if obtained_on > today:
        return f"取得年月日（{_shown(obtained_on)}）が今日（{_shown(today)}）より後です"
    if birth_date is not None and obtained_on < birth_date:
        return f"取得年月日（{_shown(obtained_on)}）が生年月日より前です"
    return None


__all__ = ["qualification_date_problem"]
