"""Ranking that uses what the library knows (issue #15, docs/adr/0008-search-ranking.md).

A few case texts of the bench's library set (bench/data/library15/cases/) are imported:
on-topic digital-talent cases and pages of other fields that share their words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from hagukumi.cases.models import Case, CasePassage
from hagukumi.cases.search import case_search, cases_reindex, ranking
from hagukumi.cases.search.indexing import PassageText, body_windows
from hagukumi.cases.search.intent import query_intent
from hagukumi.cases.search.models import CaseSearchProfile, CaseSearchUnit
from hagukumi.cases.search.profile import DESIGNATED, PREFECTURE, topic_of
from hagukumi.cases.search.query import FRAME_WEIGHT, INTENT_WEIGHT, parse_query
from hagukumi.cases.search.terms import join_terms, text_terms
from hagukumi.cases.services import case_import_file, case_import_paths
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor

SYSTEM = Actor.system()
LIBRARY = Path(settings.BASE_DIR) / "bench" / "data" / "library15" / "cases"
# 資格: 防災士 (210), 保育士 (220) against ITパスポート (103 秋田県, 113 石川県, 156 西条市);
# DX推進リーダー: 滋賀県 (114), 栃木県 (107), 仙台市 (131); 東北: 岩手県 (101), 遠野市 (141).
CASES = ("101", "103", "107", "113", "114", "131", "141", "156", "210", "220")


@pytest.fixture
def library(db: None) -> dict[str, Case]:
    paths = sorted(p for p in LIBRARY.iterdir() if p.name[:3] in CASES)
    report = case_import_paths(actor=SYSTEM, paths=paths)
    assert not report.failed
    return {case.source_file[:3]: case for case in Case.objects.all()}


def docs(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [hit.source_file[:3] for hit in result.hits]


def test_topic_needs_digital_and_talent_words() -> None:
    talent_only = join_terms(text_terms("保育士資格の取得を支援し、保育人材の確保と育成を図る。"))
    digital_only = join_terms(text_terms("RPAとAI-OCRでデータ入力を自動化し、システムを更新した。"))
    both = join_terms(
        text_terms("DX推進リーダーを育成し、デジタル人材の研修とITパスポート取得を支援")
    )
    assert topic_of([talent_only], "人材育成・確保") == 0.0
    assert topic_of([digital_only]) == 0.0
    assert topic_of([both]) > 0.8


def test_profiles_are_kept_by_the_indexer(library: dict[str, Case]) -> None:
    akita = CaseSearchProfile.objects.get(case=library["103"])
    assert (akita.org_kind, akita.prefecture, akita.region) == (PREFECTURE, "05", "東北")
    assert akita.topic > 0.3
    assert CaseSearchProfile.objects.get(case=library["131"]).org_kind == DESIGNATED
    assert CaseSearchProfile.objects.get(case=library["210"]).topic == 0.0
    before = {p.case_id: p.topic for p in CaseSearchProfile.objects.all()}
    cases_reindex(actor=SYSTEM)
    assert {p.case_id: p.topic for p in CaseSearchProfile.objects.all()} == before


def test_one_generic_word_finds_the_library_topic_first(
    library: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = case_search(actor=SYSTEM, query="資格", limit=10)
    found = docs(result)
    assert found[0] == "113"  # 情報処理技術者試験の資格取得支援
    assert {"210", "220"} <= set(found)  # 防災士, 保育士: still found, after it
    top = result.hits[0]
    assert ("主題（人材育成・確保）", 2.0) in top.explanation
    assert "explanation" not in top.as_json()  # the JSON shape of the CLI and API
    monkeypatch.setattr(ranking, "PRIOR_ONE_WORD", 0.0)
    without = case_search(actor=SYSTEM, query="資格", limit=10)
    assert docs(without)[0] == "210"  # the page that says 資格 most
    assert without.hits[0].explanation == ()


def test_kind_named_in_the_question_boosts_and_is_offered_as_a_filter(
    library: dict[str, Case],
) -> None:
    result = case_search(actor=SYSTEM, query="DX推進リーダーを育成している県はどこか")
    found = docs(result)
    assert found.index("114") < found.index("131")
    assert found.index("107") < found.index("131")
    assert [s.label for s in result.suggestions] == ["都道府県の事例に絞り込む"]
    suggestion = result.suggestions[0]
    assert (suggestion.field, suggestion.values) == ("org_type", ("都道府県",))
    assert suggestion.count == result.facets["org_type"]["都道府県"]
    assert "suggestions" not in result.as_json()
    narrowed = case_search(
        actor=SYSTEM,
        query="DX推進リーダーを育成している県はどこか",
        filters={"org_type": list(suggestion.values)},
    )
    assert narrowed.suggestions == ()
    assert {"114", "107"} <= set(docs(narrowed))
    assert "131" not in docs(narrowed)


def test_region_named_in_the_question_boosts(library: dict[str, Case]) -> None:
    hits = case_search(actor=SYSTEM, query="東北のDX推進員の育成").hits
    # 仙台市 and 岩手県 (東北) before 栃木県 and 滋賀県, whose texts match as well.
    assert [hit.source_file[:3] for hit in hits[:4]] == ["131", "101", "107", "114"]
    assert ("地域", pytest.approx(3.0)) in hits[0].explanation
    assert all(label != "地域" for label, _ in hits[2].explanation)


def test_query_intent_words() -> None:
    intent = query_intent(["dx", "推進", "リーダー", "育成", "県", "ドコ"])
    assert intent.kinds == {PREFECTURE}
    assert intent.words == {"県"}
    assert query_intent(["中国", "地方", "市", "研修"]).prefectures == {
        "31",
        "32",
        "33",
        "34",
        "35",
    }
    assert query_intent(["中国", "語", "研修"]).prefectures == frozenset()
    assert query_intent(["青森県", "事例"]).prefectures == {"02"}
    assert len(query_intent(["九州", "沖縄"]).prefectures) == 8
    # 県と市町村: a relation between kinds, not a filter.
    relation = query_intent(["県", "市町村", "共同", "研修"])
    assert not relation.kinds
    assert not relation.words


def test_question_words_score_lightly() -> None:
    plan = parse_query("九州の市町村でeラーニングを導入した事例")
    weights = {t.raw: t.weight for t in plan.terms if t.group >= plan.groups}
    assert weights["事例"] == FRAME_WEIGHT
    assert weights["九州"] == INTENT_WEIGHT
    assert weights["市町村"] == INTENT_WEIGHT
    assert [t.raw for t in plan.terms if t.group < plan.groups][:1] == ["e-learning"]
    # A query of intent words alone keeps them as its subject.
    only = parse_query("北海道の市町村の事例")
    assert {t.raw for t in only.terms if t.group < only.groups} == {"北海道", "市町村"}


def test_body_windows_join_short_passages() -> None:
    passages = [PassageText(i, "あ" * size) for i, size in enumerate([300, 300, 300, 900, 100])]
    windows = body_windows(passages, 800)
    assert [(w.id, w.passages) for w in windows] == [(0, 2), (2, 1), (3, 1), (4, 1)]
    assert body_windows(passages, 0)[1].passages == 1


def test_hit_passage_is_the_one_of_its_window_that_matches(db: None) -> None:
    body = "\n\n".join(
        [
            "# 取組の背景",
            "職員数が減るなかで、業務の効率化が課題となっていた。" * 10,
            "## 研修",
            "全職員を対象にノーコードツールの研修を行い、申請アプリを作成した。" * 2,
        ]
    )
    data = f"# ある町の業務改善\n\n{body}\n".encode()
    assert not case_import_file(actor=SYSTEM, data=data, filename="window.md").failed
    case = Case.objects.get()
    units = CaseSearchUnit.objects.filter(case=case, kind="body")
    assert units.count() == 1
    assert units.get().passages == case.passages.count() > 1
    hit = case_search(actor=SYSTEM, query="申請アプリ").hits[0]
    passage = CasePassage.objects.get(pk=hit.passage_id)
    assert "申請アプリ" in passage.text
    assert passage.order > 0
    assert "⟦申請⟧" in hit.snippet or "⟦申請アプリ⟧" in hit.snippet


def test_search_page_links_the_suggested_filter(
    library: dict[str, Case], client: Client, user_with_role: Callable[..., Any]
) -> None:
    client.force_login(user_with_role(Role.STAFF))
    query = "DX推進リーダーを育成している県はどこか"
    page = client.get("/cases/", {"q": query, "page": "1"}).content.decode()
    link = "/cases/?" + urlencode({"q": query, "org_type": "都道府県"})
    assert f'<a href="{escape(link)}">都道府県の事例に絞り込む（' in page
    narrowed = client.get("/cases/", {"q": query, "org_type": "都道府県"}).content.decode()
    assert "の事例に絞り込む" not in narrowed
