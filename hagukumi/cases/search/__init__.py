"""Search of the case library: one interface over SQLite FTS5 and PostgreSQL.

Public interface (everything else in this package is internal)::

    case_search(*, actor, query, filters=None, sort="relevance", limit=20, offset=0)
        -> SearchResult(query, total, hits: list[SearchHit], facets)
    similar_cases(*, actor, case_id, limit=5) -> list[SearchHit]
    case_match(*, actor, case_id, query) -> SearchHit | None   # the detail page's passage
    case_index(*, case)            # after a case and its passages are stored
    cases_reindex(*, actor)        # rebuild all (system actor; after editing variants.tsv)
    snippet_html(snippet)          # escaped HTML, matches in <mark>
    parse_filter_args(["org_type=都道府県", …]) -> filters

How it works (details in each module): index and query text go through the same
spelling variants (``variants.py``) and ``core.japanese_text`` terms (Sudachi mode
C units plus their mode A parts, normalized forms, canonical numbers and years),
encoded as engine-safe tokens (``terms.py``). A case is indexed as units (title,
metadata, one per window of consecutive passages of about 800 characters) and a
profile (``profile.py``: how much it is about digital 人材育成・確保, the kind of its
団体, its region). The engine (``backends.py``) only finds a bounded set of
candidate units (``selectors.py``: selective terms, engine's own cheap rank);
BM25F ranking with field weights, phrase matches, a coverage boost and proximity,
times the topical prior and the boosts for the 団体の属性 and region a query names
(``intent.py``), is computed in Python (``ranking.py``) from stored statistics
(unit counts and lengths, each term's case frequency, the profiles), so both
engines rank identically. docs/adr/0008-search-ranking.md measures each part. Snippets scan stored
text for the query's forms, without Sudachi (``snippets.Matcher``).
docs/adr/0003-opensearch-backend.md explains how a third engine plugs in.
"""

from hagukumi.cases.search.facets import FACET_FIELDS, FILTER_FIELDS, parse_filter_args
from hagukumi.cases.search.indexing import case_index, case_unindex, cases_reindex
from hagukumi.cases.search.query import EMPTY_QUERY_MESSAGE, MAX_QUERY_CHARS
from hagukumi.cases.search.selectors import (
    SearchHit,
    SearchResult,
    case_match,
    case_search,
    similar_cases,
)
from hagukumi.cases.search.snippets import HIGHLIGHT_END, HIGHLIGHT_START, snippet_html

__all__ = [
    "EMPTY_QUERY_MESSAGE",
    "FACET_FIELDS",
    "FILTER_FIELDS",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "MAX_QUERY_CHARS",
    "SearchHit",
    "SearchResult",
    "case_index",
    "case_match",
    "case_search",
    "case_unindex",
    "cases_reindex",
    "parse_filter_args",
    "similar_cases",
    "snippet_html",
]
