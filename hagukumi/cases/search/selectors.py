"""case_search and similar_cases: the reads of the search interface.

Visibility comes from ``cases.visibility`` (公開 for every logged-in user, 団体内
for the owner 団体 only, every case for the system actor of ``search_cases``; no
actor sees nothing). Filters and visibility are applied inside the engine query,
so totals, hits and facets only ever count cases the actor may see.

Cost is bounded whatever the corpus size (``_rank``):

1. the query plan is cached (``query.parse_query``); document frequencies are one
   indexed lookup (``CaseSearchTerm``, kept by the indexer);
2. candidate generation asks the engine for the ``MAX_CANDIDATE_UNITS`` best units by
   its own cheap score over the *selective* terms only — terms held by more than
   ``selective_cases`` cases (per backend: what its engine ranks quickly) are left
   to re-scoring (they add little idf and would make the engine rank most of the
   corpus); if every term is that common, the
   rarest one alone generates candidates from the title and metadata units, topped
   up with the newest matching units (``EngineQuery``);
3. exact BM25F (``ranking.py``) re-scores the candidate cases in Python from those
   units plus the title and metadata units of the candidate cases (all terms);
4. facets count the ranked cases in one pass; snippets scan only the shown page.

``total`` and the facets are exact for any query: when the candidates are every
matching case (fewer than ``MAX_CANDIDATE_UNITS`` units match the selective terms,
every query of the seed corpus) they are counted over the ranked cases; otherwise
one more, unranked engine query counts the whole match set (every case a unit of
which holds any query term, within the same visibility and filters) and its facets
(``backends.matching_cases_sql`` + ``facets.match_counts``). Only the ranked
candidates can be listed then (``SearchResult.exhaustive`` False, ``ranked`` fewer
than ``total``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.db import connection
from django.db.models import QuerySet

from hagukumi.cases.models import Case, CasePassage
from hagukumi.cases.search.backends import SearchBackend, UnitRow, current_backend
from hagukumi.cases.search.facets import Filters, apply_filters, facet_counts, match_counts
from hagukumi.cases.search.intent import FacetSuggestion, facet_suggestions
from hagukumi.cases.search.models import (
    CaseSearchStatistics,
    CaseSearchTerm,
    CaseSearchUnit,
    SearchUnitKind,
)
from hagukumi.cases.search.profile import stored_profiles
from hagukumi.cases.search.query import QueryPlan, QueryTerm, parse_query
from hagukumi.cases.search.ranking import RankedCase, idf, rank_cases
from hagukumi.cases.search.snippets import Matcher, make_snippet
from hagukumi.cases.visibility import access_case_by_id, cases_visible, sees_every_case
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_fiscal_year

Sort = Literal["relevance", "year"]
MAX_LIMIT = 100
MAX_CANDIDATE_UNITS = 200  # units the engine hands to exact re-scoring (see module doc)
SELECTIVE_CASES: int | None = None  # None: the backend's own ``selective_cases``
HEADS_FACTOR = 20  # unselective term held by more than this × selective cases: newest only
SIMILAR_TERMS = 16


@dataclass(frozen=True)
class SearchHit:
    case_id: int
    case_no: str
    title: str
    org_name: str
    org_type: str
    fiscal_year: int | None
    wareki: str
    score: float
    snippet: str
    source_file: str
    passage_id: int | None
    # Why it ranks where it does beyond its words: (label, factor), e.g.
    # (("主題（人材育成・確保）", 1.9), ("団体の属性", 1.5)); not part of the JSON shape.
    explanation: tuple[tuple[str, float], ...] = ()

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("passage_id")
        data.pop("explanation")
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    exhaustive: bool = True  # False: only the best ``ranked`` of ``total`` can be listed
    ranked: int | None = None  # cases ranked (listable); None: ``total``
    # Filters the query's words ask for (「都道府県の事例に絞り込む」); not in the JSON shape.
    suggestions: tuple[FacetSuggestion, ...] = ()

    @property
    def listed(self) -> int:
        """How many hits paging can reach (``total`` unless the candidates were bounded)."""
        return self.total if self.ranked is None else min(self.ranked, self.total)

    def as_json(self) -> dict[str, Any]:
        """The shape of the CLI and the API."""
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.as_json() for hit in self.hits],
            "facets": self.facets,
        }


def _visible(actor: Actor, filters: Filters | None) -> QuerySet[Case]:
    return apply_filters(cases_visible(actor=actor), filters)


def _average_lengths() -> tuple[int, dict[str, float]]:
    table = CaseSearchStatistics._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, units, total_length FROM {table}")  # noqa: S608
        stats = {kind: (int(units), int(total)) for kind, units, total in cursor.fetchall()}
    title_units = stats.get(SearchUnitKind.TITLE.value, (0, 0))[0]
    return title_units, {
        kind: (total / units if units else 1.0) for kind, (units, total) in stats.items()
    }


_CHUNK = 900  # ids per IN list (SQLite allows 32,766 parameters; stay far below)
_UNIT_TABLE = CaseSearchUnit._meta.db_table
_UNIT_FIELDS = "id, case_id, kind, passage_id, terms, length"


def _select_in(sql: str, ids: list[Any], *params: Any) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (one ``{ids}`` placeholder list) for every chunk of ``ids``.

    Plain cursor SQL: the ORM's per-query compilation cost more than the queries
    themselves here (these run on every search).
    """
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            cursor.execute(sql.replace("{ids}", ", ".join(["%s"] * len(chunk))), [*chunk, *params])
            rows.extend(cursor.fetchall())
    return rows


def case_frequencies(terms: list[str]) -> dict[str, int]:
    """How many indexed cases hold each term (0 when none)."""
    table = CaseSearchTerm._meta.db_table
    found = dict(_select_in(f"SELECT term, cases FROM {table} WHERE term IN ({{ids}})", terms))  # noqa: S608
    return {term: max(0, int(found.get(term, 0))) for term in terms}


def candidate_terms(
    plan: QueryPlan, frequencies: dict[str, int], limit: int
) -> tuple[list[str], bool]:
    """The terms that generate candidates, and whether they are selective.

    Selective: some word of the query itself (not a mode A part, synonym or light
    verb) is held by at most ``limit`` cases; then every term that rare generates
    candidates. Otherwise the rarest word of the query alone (not selective).
    """
    present = [t for t in plan.engine_terms if frequencies.get(t, 0) > 0]
    words = [
        qt.term
        for qt in plan.terms
        if qt.weight >= 1.0 and qt.group < plan.groups and frequencies.get(qt.term, 0) > 0
    ] or present
    selective = [t for t in present if frequencies[t] <= limit]
    if not present or any(frequencies[t] <= limit for t in words):
        return selective, True
    return [min(words, key=lambda t: (frequencies[t], t))], False


@dataclass(frozen=True)
class EngineQuery:
    """The candidate query a search issues (the benchmark times it alone).

    Selective terms: the engine's best ``limit`` units. Otherwise ranking every unit
    holding a very common term would cost time in proportion to the corpus, so the
    engine ranks the title and metadata units only (where a term weighs most) and
    tops up with the newest matching units, unranked (only those when even the
    title and metadata units holding the term are too many to rank).
    """

    terms: list[str]
    selective: bool
    heads: bool  # unselective: rank the title and metadata units first
    case_sql: str | None
    case_params: tuple[Any, ...]
    limit: int

    def run(self, backend: SearchBackend) -> list[UnitRow]:
        if self.selective:
            return backend.top_units(self.terms, self.case_sql, self.case_params, self.limit)
        rows = []
        if self.heads:
            rows = backend.top_units(
                self.terms, self.case_sql, self.case_params, self.limit, tier="heads"
            )
        if len(rows) < self.limit:
            seen = {row.id for row in rows}
            recent = backend.top_units(
                self.terms, self.case_sql, self.case_params, self.limit, tier="recent"
            )
            rows += [row for row in recent if row.id not in seen][: self.limit - len(rows)]
        return rows


def engine_query(
    plan: QueryPlan,
    cases: QuerySet[Case] | None,
    frequencies: dict[str, int],
    backend: SearchBackend,
) -> EngineQuery:
    """``cases`` None: every indexed case (no restriction joined into the engine query)."""
    case_sql: str | None = None
    case_params: tuple[Any, ...] = ()
    if cases is not None:
        case_sql, case_params = cases.values("pk").query.sql_with_params()
    limit = SELECTIVE_CASES if SELECTIVE_CASES is not None else backend.selective_cases
    terms, selective = candidate_terms(plan, frequencies, limit)
    # Ranking even the title and metadata units of a term most cases hold costs too much.
    heads = not selective and frequencies.get(terms[0], 0) <= HEADS_FACTOR * limit
    return EngineQuery(terms, selective, heads, case_sql, case_params, MAX_CANDIDATE_UNITS)


def _candidate_rows(top: list[UnitRow], exhaustive: bool) -> list[UnitRow]:
    """The engine's units and the title/metadata units of their cases.

    When the engine returned every matching unit, other units match nothing: skip.
    """
    rows = {row.id: row for row in top}
    if exhaustive:
        return [rows[key] for key in sorted(rows)]
    case_ids = sorted({row.case_id for row in top})
    for row in _select_in(
        f"SELECT {_UNIT_FIELDS} FROM {_UNIT_TABLE} "  # noqa: S608
        "WHERE case_id IN ({ids}) AND kind IN (%s, %s)",
        case_ids,
        SearchUnitKind.TITLE.value,
        SearchUnitKind.META.value,
    ):
        if row[0] not in rows:
            rows[row[0]] = UnitRow(*row)
    return [rows[key] for key in sorted(rows)]


def _rank(
    plan: QueryPlan, cases: QuerySet[Case] | None, backend: SearchBackend
) -> tuple[list[RankedCase], bool]:
    """Ranked candidate cases, and whether they are all the matching cases."""
    terms = plan.engine_terms
    if not terms:
        return [], True
    frequencies = case_frequencies(terms)
    query = engine_query(plan, cases, frequencies, backend)
    top = query.run(backend)
    exhaustive = (
        query.selective
        and len(top) < query.limit
        and len(query.terms) == len([t for t in terms if frequencies.get(t, 0) > 0])
    )
    indexed, lengths = _average_lengths()
    candidates = _candidate_rows(top, exhaustive)
    ranked = rank_cases(
        candidates,
        plan,
        case_frequencies=frequencies,
        indexed_cases=indexed,
        average_lengths=lengths,
        profiles=stored_profiles(row.case_id for row in candidates),
    )
    return ranked, exhaustive


_HIT_FIELDS = ("id", "case_no", "title", "org_name", "org_type", "fiscal_year", "source_file")


def _hits(ranked: list[RankedCase], plan: QueryPlan) -> list[SearchHit]:
    """The shown page: one query for its cases, one for its passages, snippets by scan."""
    if not ranked:
        return []
    case_table, passage_table = Case._meta.db_table, CasePassage._meta.db_table
    cases = {
        row[0]: row
        for row in _select_in(
            f"SELECT {', '.join(_HIT_FIELDS)} FROM {case_table} WHERE id IN ({{ids}})",  # noqa: S608
            [r.case_id for r in ranked],
        )
    }
    passage_ids = [r.passage_id for r in ranked if r.passage_id is not None]
    missing = [r.case_id for r in ranked if r.passage_id is None]
    matcher = plan.matcher
    found = _best_passages(passage_ids, matcher)
    if missing:  # only the title or metadata matched: the case's first passage
        found += [
            (pk, case_id, text, None)
            for pk, case_id, text in _select_in(
                f"SELECT id, case_id, text FROM {passage_table} "  # noqa: S608
                'WHERE case_id IN ({ids}) AND "order" = 0',
                missing,
            )
        ]
    by_id = {pk: (case_id, text) for pk, case_id, text, _ in found}
    best_of = {first: pk for pk, _, _, first in found}  # window (first passage) → best
    passages: dict[int, tuple[int, str]] = {}  # case id → (passage id, text)
    for r in ranked:
        best = best_of.get(r.passage_id) if r.passage_id is not None else None
        if best is not None:
            passages[r.case_id] = (best, by_id[best][1])
    for pk, (case_id, text) in by_id.items():
        passages.setdefault(case_id, (pk, text))
    hits = []
    for r in ranked:
        pk, case_no, title, org_name, org_type, fiscal_year, source_file = cases[r.case_id]
        passage = passages.get(r.case_id)
        hits.append(
            SearchHit(
                case_id=pk,
                case_no=case_no,
                title=title,
                org_name=org_name,
                org_type=org_type,
                fiscal_year=fiscal_year,
                wareki=format_fiscal_year(fiscal_year, with_western=False) if fiscal_year else "",
                score=round(r.score, 6),
                snippet=make_snippet(passage[1], matcher) if passage else "",
                source_file=source_file,
                passage_id=passage[0] if passage else None,
                explanation=r.explanation,
            )
        )
    return hits


def _best_passages(
    first_ids: list[int], matcher: Matcher
) -> list[tuple[int, int, str, int | None]]:
    """(passage id, case id, text, window) of the passage with the most matches in each
    body window named by its first passage (``indexing.body_windows``; ties: the first)."""
    passage_table = CasePassage._meta.db_table
    rows = _select_in(
        f"SELECT f.id, p.id, p.case_id, p.text FROM {passage_table} f "  # noqa: S608
        f"JOIN {_UNIT_TABLE} u ON u.passage_id = f.id AND u.kind = '{SearchUnitKind.BODY.value}' "
        f"JOIN {passage_table} p ON p.case_id = f.case_id "
        'AND p."order" >= f."order" AND p."order" < f."order" + u.passages '
        'WHERE f.id IN ({ids}) ORDER BY f.id, p."order"',
        first_ids,
    )
    windows: dict[int, list[tuple[int, int, str]]] = {}
    for first, pk, case_id, text in rows:
        windows.setdefault(first, []).append((pk, case_id, text))
    found: list[tuple[int, int, str, int | None]] = []
    for first, members in windows.items():
        best = members[0]
        if len(members) > 1:
            best = max(members, key=lambda m: (len(matcher.spans(m[2])), -members.index(m)))
        found.append((*best, first))
    return found


def _unrestricted(actor: Actor, filters: Filters | None) -> bool:
    """Whether the search may skip joining the visible cases into the engine query."""
    return sees_every_case(actor) and not any(_has_values(v) for v in (filters or {}).values())


def _has_values(value: object) -> bool:
    if isinstance(value, str | int):
        return str(value) != ""
    return any(str(v) != "" for v in value)  # type: ignore[attr-defined]


def case_search(
    *,
    actor: Actor,
    query: str,
    filters: Filters | None = None,
    sort: Sort = "relevance",
    limit: int = 20,
    offset: int = 0,
    after_case_id: int | None = None,
) -> SearchResult:
    """Visible cases matching the query, ranked (BM25F, best passage), with facets and snippets.

    ``after_case_id``: only cases imported after that one (ids grow with every import;
    saved searches' 新着事例). Empty query → ApplicationError. An actor who sees no case
    (no actor) finds nothing.
    """
    if sort not in ("relevance", "year"):
        raise ApplicationError("並び順は relevance（関連度）または year（年度）です。")
    if limit < 0 or offset < 0:
        raise ApplicationError("件数と開始位置は 0 以上で指定してください。")
    limit = min(limit, MAX_LIMIT)
    plan = parse_query(query)
    cases = _visible(actor, filters)  # validates the filters even when not joined
    if after_case_id is not None:
        cases = cases.filter(pk__gt=after_case_id)
    restriction: QuerySet[Case] | None = None
    if cases.query.is_empty():  # the actor sees no case (no actor): nothing to rank
        ranked: list[RankedCase] = []
        exhaustive = True
    else:
        unrestricted = _unrestricted(actor, filters) and after_case_id is None
        restriction = None if unrestricted else cases
        ranked, exhaustive = _rank(plan, restriction, current_backend())
    facets, years = facet_counts([r.case_id for r in ranked])
    total = len(ranked)
    if not exhaustive:  # bounded candidates: count the whole match set
        total, facets = exact_counts(plan, restriction, current_backend())
    if sort == "year":
        ranked.sort(key=lambda r: (-(years.get(r.case_id) or 0), -r.score, r.case_id))
    page = ranked[offset : offset + limit]
    return SearchResult(
        query=plan.text,
        total=max(total, len(ranked)),
        hits=_hits(page, plan),
        facets=facets,
        exhaustive=exhaustive,
        ranked=len(ranked),
        suggestions=facet_suggestions(plan.intent, facets, filters),
    )


def exact_counts(
    plan: QueryPlan, cases: QuerySet[Case] | None, backend: SearchBackend
) -> tuple[int, dict[str, dict[str, int]]]:
    """(cases matching any term of the plan, facets over them): one engine query.

    ``cases`` None: every indexed case. The benchmark times it alone."""
    terms = plan.engine_terms
    if not terms:
        return 0, {}
    case_sql: str | None = None
    case_params: tuple[Any, ...] = ()
    if cases is not None:
        case_sql, case_params = cases.values("pk").query.sql_with_params()
    sql, params = backend.matching_cases_sql(terms, case_sql, case_params)
    return match_counts(sql, params)


def case_match(*, actor: Actor, case_id: int, query: str) -> SearchHit | None:
    """This case's hit for ``query`` (its best passage as the snippet), or None when the
    case does not match or the actor may not see it: one search, restricted to the case.

    Scored against the whole library's statistics, so the score and the passage are
    the ones ``case_search`` gives it. Empty query → ApplicationError."""
    plan = parse_query(query)
    cases = _visible(actor, None).filter(pk=case_id)
    if cases.query.is_empty():
        return None
    ranked, _ = _rank(plan, cases, current_backend())
    ranked = [r for r in ranked if r.case_id == case_id][:1]
    hits = _hits(ranked, plan)
    return hits[0] if hits else None


def similar_cases(*, actor: Actor, case_id: int | str, limit: int = 5) -> list[SearchHit]:
    """Visible cases nearest to a case: its most distinctive terms (tf·idf) as a query.

    AccessDenied (404) when the actor may not see the case itself."""
    case = access_case_by_id(actor=actor, case_id=case_id)
    counts: Counter[str] = Counter()
    for unit in CaseSearchUnit.objects.filter(case=case).only("kind", "terms"):
        weight = 3 if unit.kind == SearchUnitKind.TITLE else 1
        for term in unit.terms.split():
            if not term.isdigit() and len(term) > 1:
                counts[term] += weight
    common = [term for term, _ in counts.most_common(4 * SIMILAR_TERMS)]
    if not common:
        return []
    frequencies = case_frequencies(common)
    indexed, _ = _average_lengths()
    scored = sorted(
        common,
        key=lambda t: (-counts[t] * idf(frequencies.get(t, 0), max(indexed, 1)), t),
    )[:SIMILAR_TERMS]
    plan = QueryPlan(
        text="",
        terms=tuple(QueryTerm(t, t, 1.0, i) for i, t in enumerate(scored)),
        groups=len(scored),
    )
    cases = _visible(actor, None).exclude(pk=case.pk)
    ranked, _ = _rank(plan, cases, current_backend())
    return _hits(ranked[: max(0, min(limit, MAX_LIMIT))], plan)
