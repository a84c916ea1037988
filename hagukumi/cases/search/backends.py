"""The two engines behind case search: they find candidate units; ranking is ours.

Both backends answer one question with the same semantics, so the Python ranking
above them (``ranking.py``) gives identical scores on both:

- ``top_units``: the units (with their stored terms, for exact re-scoring) holding
  any of the terms, of the cases a given SQL subquery allows (or of all cases), best
  first by the engine's own cheap score (FTS5 ``bm25()``, PostgreSQL ``ts_rank``),
  at most ``limit``;
- ``matching_cases_sql``: a subquery of every case (distinct ids) with a unit
  holding any of the terms, within the same restriction: the exact match set that
  ``total`` and the facets count (``facets.match_counts``) when the candidates are
  bounded. Unranked: one posting-list scan, no score.

When fewer units match than ``limit`` both return all of them, so on such queries
the two engines give exactly the same candidates; beyond it they may differ in the
tail, which the exact re-scoring in Python then orders. Document frequencies are
not asked of the engines: the indexer keeps them (``CaseSearchTerm``).

Terms are encoded (``terms.encode_term``: letters, digits and ``_`` only) and
additionally quoted as phrase strings (FTS5) or lexemes (tsquery), so nothing a
user types reaches the engine's query syntax; all values travel as parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from django.db import connection

UNIT_TABLE = "cases_casesearchunit"
FTS_TABLE = "cases_search_fts"
_FIELDS = "u.id, u.case_id, u.kind, u.passage_id, u.terms, u.length"


@dataclass(frozen=True, slots=True)
class UnitRow:  # what ranking reads of a unit
    id: int
    case_id: int
    kind: str
    passage_id: int | None
    terms: str
    length: int


def _safe(term: str) -> str:
    if not term or not all(c == "_" or c.isalnum() for c in term):
        raise ValueError(f"unencoded search term: {term!r}")
    return term


Tier = Literal["all", "heads", "recent"]
TIERS: tuple[Tier, ...] = ("all", "heads", "recent")


class SearchBackend(Protocol):
    name: str
    selective_cases: int  # a term held by more cases does not generate candidates

    def match_expression(self, terms: Sequence[str], tier: Tier = "all") -> str: ...

    def top_units(
        self,
        terms: Sequence[str],
        case_sql: str | None,
        case_params: Sequence[Any],
        limit: int,
        tier: Tier = "all",
    ) -> list[UnitRow]: ...

    def matching_cases_sql(
        self, terms: Sequence[str], case_sql: str | None, case_params: Sequence[Any]
    ) -> tuple[str, list[Any]]: ...


class _SqlBackend:
    name = ""
    selective_cases = 5_000

    def match_expression(self, terms: Sequence[str], tier: Tier = "all") -> str:
        raise NotImplementedError

    def top_units_sql(self, restricted: bool, tier: Tier) -> str:
        raise NotImplementedError

    def top_units(
        self,
        terms: Sequence[str],
        case_sql: str | None,
        case_params: Sequence[Any],
        limit: int,
        tier: Tier = "all",
    ) -> list[UnitRow]:
        """Matching units, best first by the engine's score; ``tier``: ``heads`` only
        title and metadata units, ``recent`` the newest units unranked (cheap scans)."""
        if not terms or limit <= 0:
            return []
        if tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r}")
        sql = self.top_units_sql(case_sql is not None, tier)
        if case_sql is not None:
            sql = sql.replace("{cases}", case_sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(terms, tier), *case_params, limit])
            return [UnitRow(*row) for row in cursor.fetchall()]

    def matching_sql(self, restricted: bool) -> str:
        raise NotImplementedError

    def matching_cases_sql(
        self, terms: Sequence[str], case_sql: str | None, case_params: Sequence[Any]
    ) -> tuple[str, list[Any]]:
        """``SELECT DISTINCT case_id …`` of every case a unit of which holds any term
        (within ``case_sql`` when given), and its parameters; for embedding."""
        if not terms:
            raise ValueError("no terms to match")
        sql = self.matching_sql(case_sql is not None)
        if case_sql is not None:
            sql = sql.replace("{cases}", case_sql)
        return sql, [self.match_expression(terms), *case_params]


class SqliteFts5Backend(_SqlBackend):
    """FTS5 (unicode61, ``_`` as a token character) over the space-joined encoded terms
    (column ``terms``) and the unit's kind (column ``kind``, migration 0004)."""

    name = "sqlite"

    def match_expression(self, terms: Sequence[str], tier: Tier = "all") -> str:
        phrases = " OR ".join(f'"{_safe(term)}"' for term in terms)
        if tier == "heads":
            return f'kind : ("title" OR "meta") AND terms : ({phrases})'
        return f"terms : ({phrases})"

    def top_units_sql(self, restricted: bool, tier: Tier) -> str:
        # Table names are constants; {cases} is Django's compiled SQL with its own params.
        order = f"{FTS_TABLE}.rowid DESC" if tier == "recent" else f"{FTS_TABLE}.rank, u.id"
        if restricted:
            return (
                f"SELECT {_FIELDS} FROM {FTS_TABLE} JOIN {UNIT_TABLE} u "  # noqa: S608
                f"ON u.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
                f"AND u.case_id IN ({{cases}}) ORDER BY {order} LIMIT %s"
            )
        # Unrestricted: rank in the FTS table alone, join only the few survivors.
        inner, outer = (
            ("rowid DESC", "u.id DESC") if tier == "recent" else ("rank, rowid", "t.r, u.id")
        )
        return (
            f"SELECT {_FIELDS} FROM (SELECT rowid AS id, rank AS r FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY {inner} LIMIT %s) t "
            f"JOIN {UNIT_TABLE} u ON u.id = t.id ORDER BY {outer}"
        )

    def matching_sql(self, restricted: bool) -> str:
        where = " AND u.case_id IN ({cases})" if restricted else ""
        return (
            f"SELECT DISTINCT u.case_id FROM {FTS_TABLE} JOIN {UNIT_TABLE} u "  # noqa: S608
            f"ON u.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{where}"
        )


class PostgresBackend(_SqlBackend):
    """tsvector of the same encoded terms (array_to_tsvector, no stemming), GIN index."""

    name = "postgresql"
    # Each match costs a heap visit and a ts_rank here (several times FTS5's cost).
    selective_cases = 1_000

    def match_expression(self, terms: Sequence[str], tier: Tier = "all") -> str:
        return " | ".join(f"'{_safe(term)}'" for term in terms)

    def top_units_sql(self, restricted: bool, tier: Tier) -> str:
        where = " AND u.case_id IN ({cases})" if restricted else ""
        if tier == "heads":
            where += " AND u.kind IN ('title', 'meta')"
        order = "u.id DESC" if tier == "recent" else "ts_rank(u.search_vector, q) DESC, u.id"
        return (
            f"SELECT {_FIELDS} FROM {UNIT_TABLE} u, CAST(%s AS tsquery) q "  # noqa: S608
            f"WHERE u.search_vector @@ q{where} ORDER BY {order} LIMIT %s"
        )

    def matching_sql(self, restricted: bool) -> str:
        where = " AND u.case_id IN ({cases})" if restricted else ""
        return (
            f"SELECT DISTINCT u.case_id FROM {UNIT_TABLE} u "  # noqa: S608
            f"WHERE u.search_vector @@ CAST(%s AS tsquery){where}"
        )


def current_backend() -> SearchBackend:
    """The backend of the default database connection."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"case search does not support {connection.vendor}")
