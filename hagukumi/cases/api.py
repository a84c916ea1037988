"""The case library's API: ``GET /api/v1/cases/search`` (same JSON as ``search_cases --json``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from hagukumi.cases.search import FILTER_FIELDS, case_search, parse_filter_args
from hagukumi.cases.search.selectors import MAX_LIMIT
from hagukumi.core.web import actor_of

router = Router(tags=["先進事例"])


class CaseHitOut(Schema):
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


class CaseSearchOut(Schema):
    query: str
    total: int
    hits: list[CaseHitOut]
    facets: dict[str, dict[str, int]]


# The furthest a page may start: beyond any library (a bound, not a 500, for a fuzzer).
MAX_OFFSET = 100_000


class CaseSearchIn(Schema):
    q: str = ""
    limit: int = Field(20, ge=0, le=MAX_LIMIT, description=f"件数（0〜{MAX_LIMIT}）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"開始位置（0〜{MAX_OFFSET:,}）")
    sort: str = "relevance"
    filter: list[str] = []


@router.get("/search", response=CaseSearchOut, url_name="case_search", summary="先進事例の検索")
def search(request: HttpRequest, params: Query[CaseSearchIn]) -> dict[str, object]:
    """全文検索（関連度順または年度順）。filter は 項目=値 を繰り返し指定します
    （項目: fiscal_year, org_type, org_name, mentioned_org, category_major, case_type,
    category_minor, fact_kind）。検索語が空なら 400。"""
    result = case_search(
        actor=actor_of(request),
        query=params.q,
        filters=parse_filter_args(params.filter),
        sort="year" if params.sort == "year" else "relevance",
        limit=params.limit,
        offset=params.offset,
    )
    return result.as_json()


__all__ = ["FILTER_FIELDS", "router"]
