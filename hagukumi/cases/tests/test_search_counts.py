"""Exact ``total`` and facet counts whatever bounds the candidates (issue 15, item 3).

The candidate bound is lowered so that it binds on the seed corpus; the exact count
query must then give what the unbounded search counts over its ranked cases. The
expected match set is also computed without any engine (a scan of the stored unit
terms), so the same assertions check SQLite here and PostgreSQL under
scripts/test_postgres.sh (``test_count_query_parity_on_postgresql``).
"""

from __future__ import annotations

from collections import Counter

import pytest

from hagukumi.cases.models import Case, Visibility
from hagukumi.cases.search import case_match, case_search
from hagukumi.cases.search import selectors as search_selectors
from hagukumi.cases.search.backends import current_backend
from hagukumi.cases.search.facets import FACET_FIELDS, facet_counts
from hagukumi.cases.search.models import CaseSearchUnit
from hagukumi.cases.search.query import parse_query
from hagukumi.cases.search.selectors import exact_counts
from hagukumi.cases.services import case_import_file
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.models import Organization
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()
QUERIES = ["人材", "資格", "採用", "地域活性化起業人", "ＤＸ推進員", "職員 研修 育成", "令和5年度"]


def _scan(query: str, case_ids: set[int] | None = None) -> set[int]:
    """Cases a unit of which holds any term of the query, without the engine."""
    terms = set(parse_query(query).engine_terms)
    found = set()
    for case_id, stored in CaseSearchUnit.objects.values_list("case_id", "terms"):
        if terms & set(stored.split()) and (case_ids is None or case_id in case_ids):
            found.add(case_id)
    return found


@pytest.mark.parametrize("query", QUERIES)
def test_bounded_search_counts_exactly(
    seeded: dict[str, Case], monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    full = case_search(actor=SYSTEM, query=query, limit=10)
    assert full.exhaustive
    monkeypatch.setattr(search_selectors, "MAX_CANDIDATE_UNITS", 2)
    bounded = case_search(actor=SYSTEM, query=query, limit=10)
    assert bounded.total == full.total == len(_scan(query))
    assert bounded.facets == full.facets
    if not bounded.exhaustive:
        assert bounded.ranked is not None
        assert bounded.ranked <= bounded.total
        assert bounded.listed == bounded.ranked
    assert full.listed == full.total


def test_unselective_query_counts_exactly(
    seeded: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    full = case_search(actor=SYSTEM, query="人材 育成", limit=10)
    monkeypatch.setattr(search_selectors, "SELECTIVE_CASES", 0)  # every term "very common"
    bounded = case_search(actor=SYSTEM, query="人材 育成", limit=10)
    assert not bounded.exhaustive
    assert (bounded.total, bounded.facets) == (full.total, full.facets)


def _count_query_agrees(query: str, actor: Actor, filters: dict[str, list[str]] | None) -> None:
    cases = search_selectors._visible(actor, filters)
    visible = set(cases.values_list("pk", flat=True))
    expected = _scan(query, visible)
    total, facets = exact_counts(parse_query(query), cases, current_backend())
    assert total == len(expected), query
    want, _ = facet_counts(sorted(expected))
    assert facets == want, query
    if actor.is_system and not filters:  # unrestricted: no visibility subquery joined
        assert exact_counts(parse_query(query), None, current_backend()) == (total, facets)


def _private_case() -> tuple[Case, Organization]:
    owner = OrganizationFactory()
    outcome = case_import_file(
        actor=Actor.command_line(owner),
        data="# 庁内限定の人材育成\n\n副業人材の資格取得を庁内で支援します。\n".encode(),
        filename="private.md",
        visibility=Visibility.ORGANIZATION,
    )
    assert not outcome.failed, outcome.error
    return Case.objects.get(source_file="private.md"), owner


def test_count_query_respects_visibility_and_filters(
    seeded: dict[str, Case],
    user_with_role,  # type: ignore[no-untyped-def]
) -> None:
    private, owner = _private_case()
    insider = actor_for(user_with_role(Role.STAFF, org=owner))
    outsider = actor_for(user_with_role(Role.STAFF))
    for query in QUERIES:
        _count_query_agrees(query, SYSTEM, None)
        _count_query_agrees(query, insider, None)
        _count_query_agrees(query, outsider, None)
        _count_query_agrees(query, SYSTEM, {"org_type": ["都道府県"]})
    plan, backend = parse_query("副業"), current_backend()
    inside, _ = exact_counts(plan, search_selectors._visible(insider, None), backend)
    outside, _ = exact_counts(plan, search_selectors._visible(outsider, None), backend)
    assert inside == outside + 1
    assert private.pk in _scan("副業")


def test_count_query_facets_cover_every_field(seeded: dict[str, Case]) -> None:
    total, facets = exact_counts(parse_query("人材"), None, current_backend())
    assert set(facets) == set(FACET_FIELDS)
    assert total == len(seeded)
    assert sum(facets["fiscal_year"].values()) <= total
    mentioned = Counter(
        name
        for case in Case.objects.all()
        for name in case.mentioned_organizations.values_list("name", flat=True)
    )
    assert facets["mentioned_org"] == dict(
        sorted(mentioned.items(), key=lambda item: (-item[1], item[0]))
    )


@pytest.mark.postgres
def test_count_query_parity_on_postgresql(
    seeded: dict[str, Case],
    monkeypatch: pytest.MonkeyPatch,
    user_with_role,  # type: ignore[no-untyped-def]
) -> None:
    """PostgreSQL (GIN match, CTE over UNION ALL) counts exactly what SQLite counts:
    both against the engine-free scan, on every query, bounded and not."""
    assert current_backend().name == "postgresql"
    _private_case()
    outsider = actor_for(user_with_role(Role.STAFF))
    for query in QUERIES:
        _count_query_agrees(query, SYSTEM, None)
        _count_query_agrees(query, outsider, {"fiscal_year": ["2023", "2024"]})
    monkeypatch.setattr(search_selectors, "MAX_CANDIDATE_UNITS", 2)
    for query in QUERIES:
        assert case_search(actor=SYSTEM, query=query).total == len(_scan(query))


# The detail page's matching passage: one search restricted to the case (item 4).


@pytest.mark.parametrize("query", ["地域活性化起業人", "資格", "2400", "見習い 熟練者"])
def test_case_match_is_the_search_hit(seeded: dict[str, Case], query: str) -> None:
    result = case_search(actor=SYSTEM, query=query, limit=100)
    assert result.hits
    for hit in result.hits:
        match = case_match(actor=SYSTEM, case_id=hit.case_id, query=query)
        assert match is not None
        assert (match.passage_id, match.snippet, match.case_no) == (
            hit.passage_id,
            hit.snippet,
            hit.case_no,
        )
    unmatched = set(Case.objects.values_list("pk", flat=True)) - {h.case_id for h in result.hits}
    for case_id in unmatched:
        assert case_match(actor=SYSTEM, case_id=case_id, query=query) is None


def test_case_match_is_one_bounded_search(
    seeded: dict[str, Case],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
    user_with_role,  # type: ignore[no-untyped-def]
) -> None:
    case = seeded["001"]
    with django_assert_max_num_queries(8):
        assert case_match(actor=SYSTEM, case_id=case.pk, query="ITパスポート 受験料") is not None
    private, _ = _private_case()
    outsider = actor_for(user_with_role(Role.STAFF))
    assert case_match(actor=outsider, case_id=private.pk, query="副業") is None
    assert case_match(actor=SYSTEM, case_id=private.pk, query="副業") is not None
    assert case_match(actor=SYSTEM, case_id=case.pk, query="存在しない語ぴよぴよ") is None
