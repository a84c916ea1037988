"""case_search and similar_cases: the reads of the search interface.

Visibility comes from ``cases.selectors.cases_visible`` (公開 for every logged-in
user, 団体内 for the owner 団体 only; ``actor=None`` means the trusted command
line). Filters and visibility are applied inside the engine query, so totals,
hits and facets only ever count cases the actor may see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.db.models import QuerySet

from hagukumi.cases.models import Case, CasePassage
from hagukumi.cases.search.backends import SearchBackend, UnitRow, current_backend
from hagukumi.cases.search.facets import Filters, apply_filters, facet_counts
from hagukumi.cases.search.models import CaseSearchStatistics, CaseSearchUnit, SearchUnitKind
from hagukumi.cases.search.query import QueryPlan, QueryTerm, parse_query
from hagukumi.cases.search.ranking import RankedCase, idf, rank_cases
from hagukumi.cases.search.snippets import make_snippet
from hagukumi.cases.selectors import access_case_by_id, cases_visible
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_fiscal_year

Sort = Literal["relevance", "year"]
MAX_LIMIT = 100
MAX_CANDIDATE_UNITS = 20_000  # bound on what one query reads back (see the ADR)
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

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("passage_id")
        return data


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]

    def as_json(self) -> dict[str, Any]:
        """The shape of the CLI and the API."""
        return {
            "query": self.query,
            "total": self.total,
            "hits": [hit.as_json() for hit in self.hits],
            "facets": self.facets,
        }


def _visible(actor: Actor | None, filters: Filters | None) -> QuerySet[Case]:
    return apply_filters(cases_visible(actor=actor, trusted=actor is None), filters)


def _average_lengths() -> tuple[int, dict[str, float]]:
    stats = {s.kind: s for s in CaseSearchStatistics.objects.all()}
    title = stats.get(SearchUnitKind.TITLE)
    return (title.units if title else 0), {
        kind: (s.total_length / s.units if s.units else 1.0) for kind, s in stats.items()
    }


def _rank(
    plan: QueryPlan, cases: QuerySet[Case], backend: SearchBackend
) -> tuple[list[RankedCase], dict[int, UnitRow]]:
    terms = plan.engine_terms
    if not terms:
        return [], {}
    case_sql, case_params = cases.values("pk").query.sql_with_params()
    rows = backend.candidates(terms, case_sql, case_params, MAX_CANDIDATE_UNITS)
    indexed, lengths = _average_lengths()
    ranked = rank_cases(
        rows,
        plan,
        case_frequencies=backend.case_frequencies(terms),
        indexed_cases=indexed,
        average_lengths=lengths,
    )
    return ranked, {row.id: row for row in rows}


def _hits(ranked: list[RankedCase], plan: QueryPlan) -> list[SearchHit]:
    cases = Case.objects.in_bulk([r.case_id for r in ranked])
    passage_ids = [r.passage_id for r in ranked if r.passage_id is not None]
    passages = CasePassage.objects.in_bulk(passage_ids) if passage_ids else {}
    missing = [r.case_id for r in ranked if r.passage_id not in passages]
    first_passages: dict[int, CasePassage] = {}
    if missing:
        for first in CasePassage.objects.filter(case_id__in=missing).order_by("-order"):
            first_passages[first.case_id] = first  # the last written is order 0
    hits = []
    for r in ranked:
        case = cases[r.case_id]
        found = passages.get(r.passage_id) if r.passage_id else None
        passage: CasePassage | None = found or first_passages.get(r.case_id)
        hits.append(
            SearchHit(
                case_id=case.pk,
                case_no=case.case_no,
                title=case.title,
                org_name=case.org_name,
                org_type=case.org_type,
                fiscal_year=case.fiscal_year,
                wareki=format_fiscal_year(case.fiscal_year, with_western=False)
                if case.fiscal_year
                else "",
                score=round(r.score, 6),
                snippet=make_snippet(passage.text, plan.raw_terms) if passage else "",
                source_file=case.source_file,
                passage_id=passage.pk if passage else None,
            )
        )
    return hits


def case_search(
    *,
    actor: Actor | None,
    query: str,
    filters: Filters | None = None,
    sort: Sort = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Visible cases matching the query, ranked (BM25F, best passage), with facets and snippets.

    Empty query → ApplicationError. ``actor=None`` only for the trusted command line.
    """
    if sort not in ("relevance", "year"):
        raise ApplicationError("並び順は relevance（関連度）または year（年度）です。")
    if limit < 0 or offset < 0:
        raise ApplicationError("件数と開始位置は 0 以上で指定してください。")
    limit = min(limit, MAX_LIMIT)
    plan = parse_query(query)
    ranked, _ = _rank(plan, _visible(actor, filters), current_backend())
    if sort == "year":
        years = (
            dict(
                Case.objects.filter(pk__in=[r.case_id for r in ranked]).values_list(
                    "pk", "fiscal_year"
                )
            )
            if len(ranked) <= 5000
            else {}
        )
        ranked.sort(key=lambda r: (-(years.get(r.case_id) or 0), -r.score, r.case_id))
    page = ranked[offset : offset + limit]
    return SearchResult(
        query=plan.text,
        total=len(ranked),
        hits=_hits(page, plan),
        facets=facet_counts([r.case_id for r in ranked]),
    )


def similar_cases(*, actor: Actor | None, case_id: int | str, limit: int = 5) -> list[SearchHit]:
    """Visible cases nearest to a case: its most distinctive terms (tf·idf) as a query."""
    case = access_case_by_id(actor=actor, case_id=case_id, trusted=actor is None)
    counts: Counter[str] = Counter()
    for unit in CaseSearchUnit.objects.filter(case=case).only("kind", "terms"):
        weight = 3 if unit.kind == SearchUnitKind.TITLE else 1
        for term in unit.terms.split():
            if not term.isdigit() and len(term) > 1:
                counts[term] += weight
    backend = current_backend()
    common = [term for term, _ in counts.most_common(4 * SIMILAR_TERMS)]
    if not common:
        return []
    frequencies = backend.case_frequencies(common)
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
    ranked, _ = _rank(plan, cases, backend)
    return _hits(ranked[: max(0, min(limit, MAX_LIMIT))], plan)
