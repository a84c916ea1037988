"""Case search on the seed corpus: pinned queries, variants, safety, visibility, facets, CLI."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hagukumi.cases.models import Case, Visibility
from hagukumi.cases.search import (
    HIGHLIGHT_START,
    case_search,
    cases_reindex,
    similar_cases,
    snippet_html,
)
from hagukumi.cases.services import case_import_file
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory

# search_cases and the seed import act as the system actor: every case of every 団体.
SYSTEM = Actor.system()

pytestmark = pytest.mark.django_db

PINNED = [
    ("ITパスポート 受験料 補助", ["001"]),
    ("iパス", ["001"]),
    ("38時間", ["002"]),
    ("地域活性化起業人", ["001", "003"]),
    ("ひとり情シス", ["001"]),
    ("2400", ["003", "001"]),
    ("ＤＸ推進員", ["004"]),
    ("見習い 熟練者", ["002"]),
    ("デジタル相談員 月曜", ["000"]),
    ("副業", ["001"]),
]
NASTY = [
    '"',
    '"ITパスポート',
    "*",
    "人材*",
    "-人材",
    "- - -",
    "(人材 OR 育成",
    ")",
    "人材 NEAR 育成",
    "NEAR(人材 育成)",
    "AND OR NOT",
    "title:人材",
    "'; DROP TABLE cases_case; --",
    "^人材",
    "{人材}",
    "\\",
    "%_",
    "人材" * 5000,
    "あ" * 10_000,
    "、。・！？",
    "\x00人材",
    "😀",
]


def seeds(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.source_file[:3] for hit in result.hits]


@pytest.mark.parametrize(("query", "expected"), PINNED)
def test_pinned_queries(seeded: dict[str, Case], query: str, expected: list[str]) -> None:
    top3 = seeds(case_search(actor=SYSTEM, query=query, limit=3))
    assert set(expected) <= set(top3), (query, top3)


@pytest.mark.parametrize("query", ["資格", "採用", "副業"])
def test_two_character_queries(seeded: dict[str, Case], query: str) -> None:
    result = case_search(actor=SYSTEM, query=query)
    assert result.total >= 1
    assert HIGHLIGHT_START + query in result.hits[0].snippet


def test_variants_and_canonical_numbers_and_years(seeded: dict[str, Case]) -> None:
    def hit_set(query: str) -> set[str]:
        return set(seeds(case_search(actor=SYSTEM, query=query, limit=10)))

    assert hit_set("人財") == hit_set("人材")
    assert hit_set("リスクリング") == hit_set("リスキリング")
    assert hit_set("2,400") == hit_set("2400") == hit_set("２４００")
    assert hit_set("令和4年度") == hit_set("R4") == hit_set("2022年度")
    assert hit_set("デジタルトランスフォーメーション") == hit_set("DX") == hit_set("ＤＸ")
    assert hit_set("e-ラーニング") == hit_set("eラーニング")


def test_compound_ranks_above_its_parts(seeded: dict[str, Case]) -> None:
    result = case_search(actor=SYSTEM, query="人材育成")
    assert result.total == 5  # 人材育成 matches every seed, also through its parts


def test_long_natural_language_question(seeded: dict[str, Case]) -> None:
    question = (
        "職員がITパスポートなどの資格を取るときに受験料を自治体が補助している事例はありますか。"
        "その際に人事評価に反映する工夫や、資格取得を奨励する仕組みについても知りたいです。"
    ) * 3
    result = case_search(actor=SYSTEM, query=question, limit=3)
    assert seeds(result)[0] == "001"


def test_empty_query_is_a_clear_error(seeded: dict[str, Case]) -> None:
    for query in ["", "   ", "\u3000\n"]:
        with pytest.raises(ApplicationError, match="検索語を入力してください"):
            case_search(actor=SYSTEM, query=query)


@pytest.mark.parametrize("query", NASTY)
def test_anything_typed_is_safe(seeded: dict[str, Case], query: str) -> None:
    result = case_search(actor=SYSTEM, query=query)
    assert result.total >= 0
    assert Case.objects.count() == 5


def test_snippet_html_escapes_and_marks(db: None) -> None:
    html = str(snippet_html(f"<script>alert(1)</script>{HIGHLIGHT_START}人材⟧"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>人材</mark>" in html


def test_script_in_a_document_never_reaches_a_snippet(db: None) -> None:
    data = "# 危険な事例\n\n人材育成の取組<script>alert('x')</script>を紹介します。\n".encode()
    outcome = case_import_file(actor=SYSTEM, data=data, filename="evil.md")
    assert not outcome.failed, outcome.error
    hit = case_search(actor=SYSTEM, query="人材育成").hits[0]
    assert "<script" not in hit.snippet
    assert "<script" not in str(snippet_html(hit.snippet))


def test_visibility_hits_and_facets(seeded: dict[str, Case], user_with_role) -> None:  # type: ignore[no-untyped-def]
    owner = OrganizationFactory()
    data = "# 庁内限定のひみつ事例\n\n副業人材の活用について庁内だけで共有します。\n".encode()
    outcome = case_import_file(
        actor=Actor.command_line(owner),
        data=data,
        filename="private.md",
        visibility=Visibility.ORGANIZATION,
    )
    assert not outcome.failed, outcome.error
    insider = actor_for(user_with_role(Role.STAFF, org=owner))
    outsider = actor_for(user_with_role(Role.STAFF))
    inside = case_search(actor=insider, query="副業")
    outside = case_search(actor=outsider, query="副業")
    assert inside.total == outside.total + 1
    assert "private.md" not in [hit.source_file for hit in outside.hits]
    assert sum(outside.facets["org_type"].values()) <= outside.total
    private_id = Case.objects.get(source_file="private.md").pk
    with pytest.raises(AccessDenied):
        similar_cases(actor=outsider, case_id=private_id)
    # The system actor (search_cases) finds 団体内 cases of every 団体, as the
    # command line always did; the command line for one 団体 only its own.
    assert "private.md" in [h.source_file for h in case_search(actor=SYSTEM, query="副業").hits]
    assert case_search(actor=Actor.command_line(owner), query="副業").total == inside.total
    assert similar_cases(actor=SYSTEM, case_id=private_id) is not None


def test_no_actor_finds_nothing(seeded: dict[str, Case]) -> None:
    """None is nobody: no hit, no facet, no similar case (never "trusted")."""
    owner = OrganizationFactory()
    case_import_file(
        actor=Actor.command_line(owner),
        data="# 庁内限定の事例\n\n副業人材の活用。\n".encode(),
        filename="private.md",
        visibility=Visibility.ORGANIZATION,
    )
    nobody = None
    result = case_search(actor=nobody, query="副業")  # type: ignore[arg-type]
    assert (result.total, result.hits) == (0, [])
    assert all(not counts for counts in result.facets.values())
    with pytest.raises(ApplicationError):  # the query is still checked
        case_search(actor=nobody, query="  ")  # type: ignore[arg-type]
    private_id = Case.objects.get(source_file="private.md").pk
    for case_id in (private_id, seeded["000"].pk):
        with pytest.raises(AccessDenied):
            similar_cases(actor=nobody, case_id=case_id)  # type: ignore[arg-type]


def test_only_the_system_actor_reindexes(seeded: dict[str, Case], user_with_role) -> None:  # type: ignore[no-untyped-def]
    for actor in (
        None,
        actor_for(user_with_role(Role.SYSTEM_ADMIN)),
        Actor.command_line(OrganizationFactory()),
    ):
        with pytest.raises(AccessDenied):
            cases_reindex(actor=actor)  # type: ignore[arg-type]
    assert cases_reindex(actor=SYSTEM) == 5


def test_filters_facets_sort_and_paging(seeded: dict[str, Case]) -> None:
    everything = case_search(actor=SYSTEM, query="デジタル人材")
    assert set(everything.facets) == {
        "fiscal_year",
        "org_type",
        "org_name",
        "mentioned_org",
        "category_major",
        "case_type",
    }
    assert everything.facets["org_type"]["政令指定都市"] == 2
    cities = case_search(actor=SYSTEM, query="デジタル人材", filters={"org_type": "政令指定都市"})
    assert set(seeds(cities)) == {"002", "003"}
    assert cities.facets["org_type"] == {"政令指定都市": 2}
    year = case_search(actor=SYSTEM, query="デジタル人材", filters={"fiscal_year": "令和4年度"})
    assert seeds(year) == ["000"]
    by_year = case_search(actor=SYSTEM, query="デジタル人材", sort="year")
    years = [hit.fiscal_year or 0 for hit in by_year.hits]
    assert years == sorted(years, reverse=True)
    assert by_year.hits[0].wareki == "令和7年度"
    page = case_search(actor=SYSTEM, query="デジタル人材", limit=2, offset=2)
    assert [h.case_id for h in page.hits] == [h.case_id for h in everything.hits[2:4]]
    with pytest.raises(ApplicationError, match="絞り込み項目"):
        case_search(actor=SYSTEM, query="人材", filters={"password": "x"})


def test_similar_cases(seeded: dict[str, Case]) -> None:
    similar = similar_cases(actor=SYSTEM, case_id=seeded["002"].pk, limit=3)
    assert 1 <= len(similar) <= 3
    assert seeded["002"].pk not in [hit.case_id for hit in similar]


def test_reindex_gives_the_same_results(seeded: dict[str, Case]) -> None:
    before = case_search(actor=SYSTEM, query="ITパスポート 受験料 補助").as_json()
    assert cases_reindex(actor=SYSTEM) == 5
    assert case_search(actor=SYSTEM, query="ITパスポート 受験料 補助").as_json() == before


def test_cli_json_and_batch(seeded: dict[str, Case], tmp_path: Path) -> None:
    out = StringIO()
    call_command("search_cases", "副業", "--json", "--limit", "2", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"query", "total", "hits", "facets"}
    assert set(data["hits"][0]) == {
        "case_id",
        "case_no",
        "title",
        "org_name",
        "org_type",
        "fiscal_year",
        "wareki",
        "score",
        "snippet",
        "source_file",
    }
    batch = tmp_path / "queries.txt"
    batch.write_text("iパス\n38時間\n\n副業\n", encoding="utf-8")
    out = StringIO()
    call_command("search_cases", "--batch", str(batch), "--json", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["query"] for line in lines] == ["iパス", "38時間", "", "副業"]
    assert "error" in lines[2]
    with pytest.raises(CommandError, match="検索語"):
        call_command("search_cases", "  ", "--json")
    out = StringIO()
    call_command("search_cases", "副業", "--filter", "org_type=国", "--json", stdout=out)
    assert json.loads(out.getvalue())["total"] == 1
