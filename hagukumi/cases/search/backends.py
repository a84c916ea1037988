"""The two engines behind case search: they find candidate units; ranking is ours.

Both backends answer the same two questions with the same semantics, so the
Python ranking above them (``ranking.py``) gives identical scores on both:

- ``candidates``: index units holding any of the terms, of the cases a given
  SQL subquery allows, in id order, at most ``limit`` of them;
- ``case_frequencies``: for each term, how many cases hold it (for idf).

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


@dataclass(frozen=True, slots=True)
class UnitRow:
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

    def candidates(
        self, terms: Sequence[str], case_sql: str, case_params: Sequence[Any], limit: int
    ) -> list[UnitRow]: ...

    def case_frequencies(self, terms: Sequence[str]) -> dict[str, int]: ...


class _SqlBackend:
    name = ""
    _match_sql = ""  # WHERE clause on table alias u matching one parameter

    def match_expression(self, terms: Sequence[str]) -> str:
        raise NotImplementedError

    def _from(self) -> str:
        return f"{UNIT_TABLE} u"

    def candidate_sql(self, case_sql: str) -> str:
        # Table names are constants; case_sql is Django's compiled SQL with its own params.
        return (
            f"SELECT u.id, u.case_id, u.kind, u.passage_id, u.terms, u.length FROM {self._from()} "  # noqa: S608
            f"WHERE {self._match_sql} AND u.case_id IN ({case_sql}) ORDER BY u.id LIMIT %s"
        )

    def candidates(
        self, terms: Sequence[str], case_sql: str, case_params: Sequence[Any], limit: int
    ) -> list[UnitRow]:
        if not terms:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                self.candidate_sql(case_sql),
                [self.match_expression(terms), *case_params, limit],
            )
            return [UnitRow(*row) for row in cursor.fetchall()]

    def case_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        if not terms:
            return {}
        part = f"SELECT %s, COUNT(DISTINCT u.case_id) FROM {self._from()} WHERE {self._match_sql}"  # noqa: S608
        sql = " UNION ALL ".join([part] * len(terms))
        params: list[Any] = []
        for term in terms:
            params += [term, self.match_expression([term])]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {term: int(count) for term, count in cursor.fetchall()}


class SqliteFts5Backend(_SqlBackend):
    """FTS5 (unicode61, ``_`` as a token character) over the space-joined encoded terms."""

    name = "sqlite"
    _match_sql = f"{FTS_TABLE} MATCH %s"

    def _from(self) -> str:
        return f"{FTS_TABLE} JOIN {UNIT_TABLE} u ON u.id = {FTS_TABLE}.rowid"

    def match_expression(self, terms: Sequence[str]) -> str:
        return " OR ".join(f'"{_safe(term)}"' for term in terms)


class PostgresBackend(_SqlBackend):
    """tsvector of the same encoded terms (array_to_tsvector, no stemming), GIN index."""

    name = "postgresql"
    _match_sql = "u.search_vector @@ %s::tsquery"

    def match_expression(self, terms: Sequence[str]) -> str:
        return " | ".join(f"'{_safe(term)}'" for term in terms)


def current_backend() -> SearchBackend:
    """The backend of the default database connection."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteFts5Backend()
    raise NotImplementedError(f"case search does not support {connection.vendor}")
