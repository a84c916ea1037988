"""The two engines behind case search: they find candidate units; ranking is ours.

Both backends answer one question with the same semantics, so the Python ranking
above them (``ranking.py``) gives identical scores on both:

- ``top_units``: the units (with their stored terms, for exact re-scoring) holding
  any of the terms, of the cases a given SQL subquery allows (or of all cases), best
  first by the engine's own cheap score (FTS5 ``bm25()``, PostgreSQL ``ts_rank``),
  at most ``limit``.

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
from typing import Any, Protocol

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


class SearchBackend(Protocol):
    name: str

    def match_expression(self, terms: Sequence[str]) -> str: ...

    def top_units(
        self,
        terms: Sequence[str],
        case_sql: str | None,
        case_params: Sequence[Any],
        limit: int,
    ) -> list[UnitRow]: ...


class _SqlBackend:
    name = ""

    def match_expression(self, terms: Sequence[str]) -> str:
        raise NotImplementedError

    def top_units_sql(self, restricted: bool) -> str:
        raise NotImplementedError

    def top_units_params(
        self, terms: Sequence[str], case_params: Sequence[Any], limit: int
    ) -> list[Any]:
        raise NotImplementedError

    def top_units(
        self,
        terms: Sequence[str],
        case_sql: str | None,
        case_params: Sequence[Any],
        limit: int,
    ) -> list[UnitRow]:
        if not terms or limit <= 0:
            return []
        sql = self.top_units_sql(case_sql is not None)
        if case_sql is not None:
            sql = sql.replace("{cases}", case_sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, self.top_units_params(terms, case_params, limit))
            return [UnitRow(*row) for row in cursor.fetchall()]


class SqliteFts5Backend(_SqlBackend):
    """FTS5 (unicode61, ``_`` as a token character) over the space-joined encoded terms."""

    name = "sqlite"

    def match_expression(self, terms: Sequence[str]) -> str:
        return " OR ".join(f'"{_safe(term)}"' for term in terms)

    def top_units_sql(self, restricted: bool) -> str:
        # Table names are constants; {cases} is Django's compiled SQL with its own params.
        if restricted:
            return (
                f"SELECT {_FIELDS} FROM {FTS_TABLE} JOIN {UNIT_TABLE} u "  # noqa: S608
                f"ON u.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s "
                f"AND u.case_id IN ({{cases}}) ORDER BY {FTS_TABLE}.rank, u.id LIMIT %s"
            )
        # Unrestricted: rank in the FTS table alone, join only the few survivors.
        return (
            f"SELECT {_FIELDS} FROM (SELECT rowid AS id, rank AS r FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY rank, rowid LIMIT %s) t "
            f"JOIN {UNIT_TABLE} u ON u.id = t.id ORDER BY t.r, u.id"
        )

    def top_units_params(
        self, terms: Sequence[str], case_params: Sequence[Any], limit: int
    ) -> list[Any]:
        return [self.match_expression(terms), *case_params, limit]


class PostgresBackend(_SqlBackend):
    """tsvector of the same encoded terms (array_to_tsvector, no stemming), GIN index."""

    name = "postgresql"

    def match_expression(self, terms: Sequence[str]) -> str:
        return " | ".join(f"'{_safe(term)}'" for term in terms)

    def top_units_sql(self, restricted: bool) -> str:
        where = " AND u.case_id IN ({cases})" if restricted else ""
        return (
            f"SELECT {_FIELDS} FROM {UNIT_TABLE} u, CAST(%s AS tsquery) q "  # noqa: S608
            f"WHERE u.search_vector @@ q{where} "
            "ORDER BY ts_rank(u.search_vector, q) DESC, u.id LIMIT %s"
        )

    def top_units_params(
        self, terms: Sequence[str], case_params: Sequence[Any], limit: int
    ) -> list[Any]:
        return [self.match_expression(terms), *case_params, limit]


def current_backend() -> SearchBackend:
    """The backend of the default database connection."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"case search does not support {connection.vendor}")
