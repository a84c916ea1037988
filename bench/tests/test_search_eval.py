"""Metrics on hand-computed examples, the baseline's determinism, the judgment file's validity."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import search_eval as se

LOG2_3 = math.log2(3)


def _query(*judgments: tuple[str, int, str], subset: str = "general") -> se.Query:
    return se.Query(
        id="q",
        text="x",
        subset=subset,
        judgments=tuple(se.Judgment(doc, grade, anchor) for doc, grade, anchor in judgments),
    )


# ---------------------------------------------------------------- nDCG / MRR by hand


def test_ndcg_perfect_order_is_one() -> None:
    assert se.ndcg_at_k(["a", "b"], {"a": 3, "b": 1}) == pytest.approx(1.0)


def test_ndcg_swapped_order_by_hand() -> None:
    # DCG = (2^1-1)/log2(2) + (2^3-1)/log2(3) = 1 + 7/1.58496 = 5.41651
    # IDCG = 7/1 + 1/log2(3) = 7.63093
    expected = (1 + 7 / LOG2_3) / (7 + 1 / LOG2_3)
    assert se.ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(expected)
    assert expected == pytest.approx(0.70981, abs=1e-5)


def test_ndcg_unjudged_and_missing_documents_earn_nothing() -> None:
    # only "a" (grade 2) is found, at rank 2 after an unjudged doc; "b" (grade 1) is missing
    expected = (3 / LOG2_3) / (3 + 1 / LOG2_3)
    assert se.ndcg_at_k(["z", "a"], {"a": 2, "b": 1}) == pytest.approx(expected)
    assert se.ndcg_at_k([], {"a": 2}) == 0.0


def test_ndcg_removes_duplicates_before_cutting_at_k() -> None:
    grades = {"a": 3, "b": 3}
    assert se.ndcg_at_k(["a", "a", "b"], grades, k=2) == pytest.approx(1.0)
    # without de-duplication "b" would fall outside k=2
    assert se.ndcg_at_k(["a", "b"], grades, k=1) == pytest.approx(1.0)
    assert se.ndcg_at_k(["z", "a"], grades, k=1) == 0.0


def test_reciprocal_rank_needs_grade_two() -> None:
    grades = {"a": 1, "b": 2, "c": 3}
    assert se.reciprocal_rank(["a", "b", "c"], grades) == pytest.approx(0.5)
    assert se.reciprocal_rank(["c"], grades) == 1.0
    assert se.reciprocal_rank(["a", "z"], grades) == 0.0
    assert se.reciprocal_rank(["a", "a", "b"], grades) == pytest.approx(0.5)
    assert se.reciprocal_rank(["z", "z", "b"], grades, k=1) == 0.0


def test_doc_grade_is_the_best_judgment() -> None:
    query = _query(("000", 1, "p"), ("000", 3, "q"), ("001", 2, "r"))
    assert query.doc_grades == {"000": 3, "001": 2}


def test_best_passage_ndcg_needs_the_anchor_in_the_returned_passage() -> None:
    query = _query(("000", 3, "デジタル相談員"), ("001", 1, "1人情シス"))
    ideal = 7 + 1 / LOG2_3
    # right passage for 000 (markup and spacing ignored), wrong passage for 001
    hits = [("000", "「**デジタル 相談員**」を設置"), ("001", "目次")]
    assert se.best_passage_ndcg(query, hits) == pytest.approx(7 / ideal)
    # the first passage of a document counts, later ones of the same document do not
    hits = [("001", "目次"), ("001", "いわゆる「1人情シス」"), ("000", "<p>デジタル相談員</p>")]
    assert se.best_passage_ndcg(query, hits) == pytest.approx((7 / LOG2_3) / ideal)


def test_evaluate_means_per_subset_and_survives_a_failing_search() -> None:
    queries = [
        se.Query("a", "ok", "variant", (se.Judgment("000", 3, "x"),)),
        se.Query("b", "boom", "variant", (se.Judgment("000", 3, "x"),)),
    ]

    def search(text: str, limit: int) -> list[str]:
        if text == "boom":
            raise RuntimeError("engine error")
        return ["000"]

    evaluation = se.evaluate(search, queries)
    variant = next(s for s in evaluation.by_subset() if s.subset == "variant")
    assert (variant.n, variant.ndcg, variant.mrr) == (2, 0.5, 0.5)
    assert variant.passage_ndcg is None  # ids only: no passage metric
    assert [r.query.id for r in evaluation.errors] == ["b"]


def test_goal_is_baseline_plus_a_tenth() -> None:
    base = se.SubsetScore("variant", 1, 0.6, 0.5)
    assert se.goal_met(base, se.SubsetScore("variant", 1, 0.7, 0.5))
    assert not se.goal_met(base, se.SubsetScore("variant", 1, 0.69, 0.5))


# ---------------------------------------------------------------- passages and baseline


def test_passages_cover_blocks_and_stay_short() -> None:
    text = "見出し\n\n" + "あ" * 500 + "\n\n" + "い" * 500 + "。" + "う" * 900 + "\n"
    spans = se.split_passages(text, max_chars=800)
    assert all(end - start <= 800 for start, end in spans)
    assert text[spans[0][0] : spans[0][1]].startswith("見出し\n\n" + "あ")
    joined = "".join(text[start:end] for start, end in spans)
    assert joined.replace("\n", "") == text.replace("\n", "")


def test_bigrams_are_nfkc_and_whitespace_aware() -> None:
    assert se.bigrams("ＤＸ推進員") == ["dx", "x推", "推進", "進員"]
    assert se.bigrams("D X推進") == ["d", "x推", "推進"]
    assert se.bigrams("２４００") == se.bigrams("2400")


def test_baseline_is_deterministic_and_ranks_by_best_passage() -> None:
    judgments = se.load_judgments()
    seeds = se.load_seeds(judgments)
    runs = [se.baseline(seeds) for _ in range(2)]
    for query in judgments.queries:
        first, second = (engine.search_with_passages(query.text, 10) for engine in runs)
        assert first == second
    engine = runs[0]
    assert engine.search("38時間", 3)[0] == "002"
    assert engine.search("副業", 10) == ["001"]
    assert engine.search("", 10) == []
    scores = [se.evaluate(e.search_with_passages, judgments.queries).by_subset() for e in runs]
    assert scores[0] == scores[1]


# ---------------------------------------------------------------- the judged set


def test_judgment_file_is_valid() -> None:
    judgments = se.load_judgments()
    seeds = se.load_seeds(judgments)
    assert se.validate(judgments, seeds) == []
    assert len(judgments.queries) >= se.MIN_QUERIES
    assert judgments.meta["written"] == "2026-11-24"


def test_validation_reports_a_missing_anchor_and_thin_subsets() -> None:
    judgments = se.load_judgments()
    seeds = se.load_seeds(judgments)
    broken = se.JudgmentSet(
        queries=(
            se.Query("x1", "資格", "two_char", (se.Judgment("001", 3, "存在しない語句"),)),
            se.Query("x1", "資格です", "two_char", (se.Judgment("001", 1, "資格"),)),
        ),
        documents=judgments.documents,
    )
    errors = "\n".join(se.validate(broken, seeds))
    assert "not found verbatim in 001" in errors
    assert "duplicate id" in errors
    assert "two_char query of 4 characters" in errors
    assert "no document of grade >= 2" in errors
    assert "subset variant: 0 queries" in errors


def test_issue_pinned_queries_are_in_the_set() -> None:
    pinned = {q.text: q.pinned_top3 for q in se.load_judgments().queries if q.pinned_top3}
    assert pinned == {
        "ITパスポート 受験料 補助": ("001",),
        "iパス": ("001",),
        "38時間": ("002",),
        "地域活性化起業人": ("001", "003"),
        "ひとり情シス": ("001",),
        "2400": ("003", "001"),
        "ＤＸ推進員": ("004",),
        "見習い 熟練者": ("002",),
        "デジタル相談員 月曜": ("000",),
        "副業": ("001",),
    }


# ---------------------------------------------------------------- library set (issue #15)


def test_library_set_is_valid_and_large_enough() -> None:
    library = se.load_library()
    assert se.validate_library(library) == []
    assert library.meta["own_cases"] >= se.MIN_LIBRARY_CASES
    assert len(library.queries) >= se.MIN_LIBRARY_QUERIES
    assert library.meta["written_before_tuning"] is True
    assert {"000", "001", "002", "003", "004"} <= set(library.documents)
    counts = {c: sum(q.subset == c for q in library.queries) for c in se.LIBRARY_CATEGORIES}
    assert min(counts.values()) >= se.MIN_PER_SUBSET


def test_library_validation_reports_twins_judged_differently() -> None:
    library = se.load_library()
    a = se.Query("a", "人財", "variant", (se.Judgment("101", 3, ""),), twin="b")
    b = se.Query("b", "人材", "variant", (se.Judgment("102", 3, ""),), twin="a")
    c = se.Query("c", "x", "nonsense", (se.Judgment("999", 1, ""),))
    broken = se.JudgmentSet(queries=(a, b, c), documents=library.documents, meta={})
    errors = "\n".join(se.validate_library(broken))
    assert "twin b is judged differently" in errors
    assert "unknown doc '999'" in errors
    assert "unknown category 'nonsense'" in errors
    assert "0 case texts" in errors


def test_twin_gaps_pair_each_twin_once() -> None:
    a = se.Query("a", "人財", "variant", (se.Judgment("x", 3, ""),), twin="b")
    b = se.Query("b", "人材", "variant", (se.Judgment("x", 3, ""),), twin="a")
    results = (
        se.QueryResult(a, ("x",), 1.0, 1.0),
        se.QueryResult(b, ("y", "x"), 0.6, 0.5),
    )
    gaps = se.twin_gaps(se.Evaluation(results, se.LIBRARY_CATEGORIES))
    assert [(q.id, x, y) for q, x, y in gaps] == [("a", 1.0, 0.6)]
