"""Template filters for 年度 and 和暦: ``{% load wareki %}``.

``{{ fy|fiscal_year }}`` → 令和8年度 (2026), ``{{ fy|fiscal_year_short }}`` → 令和8年度,
``{{ day|wareki_date }}`` → 令和8年4月1日. A page never fails on a bad value: it
is shown as it is, and None or "" as an empty string.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from hagukumi.core import wareki

register = template.Library()


def _as_fiscal_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return wareki.parse_fiscal_year(value)
        except ValueError:
            return None
    return None


@register.filter
def fiscal_year(value: object) -> str:
    """2026 → 令和8年度 (2026)."""
    if value is None or value == "":
        return ""
    year = _as_fiscal_year(value)
    try:
        return wareki.format_fiscal_year(year) if year is not None else str(value)
    except ValueError:
        return str(value)


@register.filter
def fiscal_year_short(value: object) -> str:
    """2026 → 令和8年度."""
    if value is None or value == "":
        return ""
    year = _as_fiscal_year(value)
    try:
        return (
            wareki.format_fiscal_year(year, with_western=False) if year is not None else str(value)
        )
    except ValueError:
        return str(value)


@register.filter
def wareki_date(value: object) -> str:
    """A date (or a datetime, in local time) → 令和8年4月1日."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, date):
        day = value
    else:
        return str(value)
    try:
        return wareki.format_date(day)
    except ValueError:
        return day.isoformat()
