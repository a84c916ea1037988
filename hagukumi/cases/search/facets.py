"""Facet filters and facet counts of a search (over the filtered, visible hit set).

Two ways to count: ``facet_counts`` over given case ids (the ranked candidates, when
they are every matching case), and ``match_counts`` over an engine subquery of the
whole match set (``backends.matching_cases_sql``), when the candidates were bounded:
one statement, the match set computed once (a CTE referenced several times is
materialised by SQLite and PostgreSQL alike), every facet a GROUP BY over it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from hagukumi.cases.models import Case, CaseFact, FactKind
from hagukumi.core.errors import ApplicationError
from hagukumi.core.wareki import parse_fiscal_year
from hagukumi.orgs.models import Organization

FACET_FIELDS = (
    "fiscal_year",
    "org_type",
    "org_name",
    "mentioned_org",
    "category_major",
    "case_type",
)
FILTER_FIELDS = (*FACET_FIELDS, "category_minor", "fact_kind")
_CHUNK = 900
Filters = Mapping[str, str | int | Sequence[str | int]]


def parse_filter_args(items: Iterable[str]) -> dict[str, list[str]]:
    """``field=value`` strings (CLI ``--filter``) → {field: [values]}."""
    filters: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ApplicationError(f"絞り込み「{item}」は 項目=値 の形で指定してください。")
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters


def _values(value: str | int | Sequence[str | int]) -> list[str]:
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def _fiscal_year(value: str) -> int:
    """A 年度 filter value (2023, R5, 令和5年度) within the years wareki can hold.

    Range-checked here, not by the database: 「4294967296」 was a 500 (issue 16).
    """
    try:
        return parse_fiscal_year(value)
    except ValueError as exc:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise ApplicationError(
            f"年度「{shown}」を読み取れません（例: 2023、令和5年度、R5）。"
        ) from exc


def apply_filters(cases: QuerySet[Case], filters: Filters | None) -> QuerySet[Case]:
    """Cases matching every filter (values of one field are alternatives)."""
    for name, raw in (filters or {}).items():
        values = [v for v in _values(raw) if v != ""]
        if name not in FILTER_FIELDS:
            allowed = "・".join(FILTER_FIELDS)
            raise ApplicationError(f"絞り込み項目「{name}」は使えません（{allowed}）。")
        if not values:
            continue
        if name == "fiscal_year":
            cases = cases.filter(fiscal_year__in=[_fiscal_year(v) for v in values])
        elif name == "mentioned_org":
            through = Case.mentioned_organizations.through.objects
            cases = cases.filter(
                pk__in=through.filter(organization__name__in=values).values("case_id")
            )
        elif name == "fact_kind":
            labels = {label: value for value, label in FactKind.choices}
            kinds = [labels.get(v, v) for v in values]
            cases = cases.filter(pk__in=CaseFact.objects.filter(kind__in=kinds).values("case_id"))
        else:
            cases = cases.filter(**{f"{name}__in": values})
    return cases


_FIELDS = ("fiscal_year", "org_type", "org_name", "category_major", "case_type")


def facet_counts(
    case_ids: Sequence[int],
) -> tuple[dict[str, dict[str, int]], dict[int, int | None]]:
    """Each facet's value → number of the given cases (most frequent first), and each
    case's fiscal year (for sorting by year): one pass, two queries per chunk."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    years: dict[int, int | None] = {}
    through = Case.mentioned_organizations.through._meta.db_table
    organizations = Organization._meta.db_table
    case_sql = f"SELECT id, {', '.join(_FIELDS)} FROM {Case._meta.db_table} WHERE id IN "  # noqa: S608
    named_sql = (
        f"SELECT o.name FROM {through} m JOIN {organizations} o "  # noqa: S608
        "ON o.id = m.organization_id WHERE m.case_id IN "
    )
    with connection.cursor() as cursor:  # plain SQL: runs on every search
        for i in range(0, len(case_ids), _CHUNK):
            chunk = list(case_ids[i : i + _CHUNK])
            marks = "(" + ", ".join(["%s"] * len(chunk)) + ")"
            cursor.execute(case_sql + marks, chunk)
            rows = cursor.fetchall()
            if not rows:
                continue
            columns = list(zip(*rows, strict=True))
            years.update(zip(columns[0], columns[1], strict=True))
            for name, values in zip(_FIELDS, columns[1:], strict=True):
                counters[name].update(values)
            cursor.execute(named_sql + marks, chunk)
            counters["mentioned_org"].update(name for (name,) in cursor.fetchall())
    facets = {
        name: dict(
            sorted(
                ((str(value), n) for value, n in counter.items() if value not in (None, "")),
                key=lambda item: (-item[1], item[0]),
            )
        )
        for name, counter in counters.items()
    }
    return facets, years


_TOTAL = "_total"  # not a facet name


def match_counts(match_sql: str, params: Sequence[Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """(number of matching cases, facets) over ``match_sql`` (``SELECT DISTINCT case_id``).

    Exact for any size of match set; the same numbers as ``facet_counts`` over the same
    cases. One query: a UNION ALL of one GROUP BY per facet, plus the total.
    """
    case_table = Case._meta.db_table
    through = Case.mentioned_organizations.through._meta.db_table
    organizations = Organization._meta.db_table
    within = "WHERE c.id IN (SELECT case_id FROM m)"
    # Facet names are constants of this module: written into the SQL as literals.
    branches = [f"SELECT '{_TOTAL}', '', COUNT(*) FROM m"]  # noqa: S608
    for name in _FIELDS:
        branches.append(
            f"SELECT '{name}', CAST(c.{name} AS TEXT), COUNT(*) FROM {case_table} c "  # noqa: S608
            f"{within} AND c.{name} IS NOT NULL GROUP BY c.{name}"
        )
    branches.append(
        f"SELECT 'mentioned_org', o.name, COUNT(DISTINCT x.case_id) FROM {through} x "  # noqa: S608
        f"JOIN {organizations} o ON o.id = x.organization_id "
        "WHERE x.case_id IN (SELECT case_id FROM m) GROUP BY o.name"
    )
    sql = f"WITH m(case_id) AS ({match_sql}) " + " UNION ALL ".join(branches)
    counters: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        for name, value, n in cursor.fetchall():
            if name == _TOTAL:
                total = int(n)
            elif value not in (None, ""):
                counters[name][str(value)] = int(n)
    facets = {
        name: dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))
        for name, counter in counters.items()
    }
    return total, facets
