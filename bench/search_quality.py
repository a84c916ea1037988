"""Search quality on the judged query set: our case search against a character-bigram BM25.

    .venv/bin/python bench/search_quality.py [--smoke] [--per-query] [--strict]

1. Loads ``bench/data/search_judgments.json`` and validates it against the seeds (every
   anchor verbatim in its seed, >= 60 queries, >= 8 per subset); exit 2 if invalid.
2. Computes the baseline (``search_eval.BigramBM25``) in the same run.
3. If ``hagukumi.cases.search`` exists, evaluates its entry point

       case_search(*, actor=Actor.system(), query: str, limit: int) -> result

   where ``result.hits`` (or ``result["hits"]``) lists hits best first, each with
   ``source_file`` (the imported file's name; its first three characters are the seed
   id) and, optionally, ``passage`` (text of the matched passage) or ``passage_id`` (a
   ``CasePassage`` whose text is read), for the best-passage metric. ``Actor.system()``
   means: every case (as ``search_cases``). The five seeds are imported into a
   throwaway SQLite database first (``migrate``, then ``import_cases`` on
   ``data/seeds/*.txt``).
4. Prints per subset: n, nDCG@10 baseline vs ours and delta, MRR of both, best-passage
   nDCG@10 of both, and whether the goal (nDCG@10 >= baseline + 0.10) holds.

Without the search it prints the baseline and exits 0. ``--smoke`` runs a dozen
queries (the pinned ones and one per subset). ``--strict`` exits 1 when the goal is not
met on every subset. Timings are printed for reading, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import search_eval as se  # noqa: E402

NOT_IMPLEMENTED = "検索 (hagukumi.cases.search) は未実装のため、ベースラインのみ表示します"
ENTRY_POINT = "case_search"


def smoke_queries(queries: Sequence[se.Query]) -> list[se.Query]:
    chosen = [q for q in queries if q.pinned_top3]
    for subset in se.SUBSETS:
        if not any(q.subset == subset for q in chosen):
            chosen.extend([q for q in queries if q.subset == subset][:1])
    return chosen


def _field(hit: Any, name: str) -> Any:
    if isinstance(hit, dict):
        return hit.get(name)
    return getattr(hit, name, None)


def system_search(
    seeds_dir: Path, documents: dict[str, str], workdir: Path
) -> tuple[Callable[[str, int], list[Any]] | None, str]:
    """Our search over the seeds in a throwaway database, or (None, why not)."""
    if importlib.util.find_spec("hagukumi.cases.search") is None:
        return None, NOT_IMPLEMENTED
    os.environ["DJANGO_SETTINGS_MODULE"] = "hagukumi.settings"
    os.environ["DEBUG"] = "true"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["HAGUKUMI_SEEDS_DIR"] = str(seeds_dir)
    import django
    from django.core.management import call_command

    django.setup()
    from hagukumi.cases import search as module
    from hagukumi.core.tenancy import Actor

    entry = getattr(module, ENTRY_POINT, None)
    if entry is None:
        return None, f"(hagukumi.cases.search に {ENTRY_POINT} がまだありません)\n{NOT_IMPLEMENTED}"
    call_command("migrate", verbosity=0, interactive=False)
    paths = [str(seeds_dir / name) for _, name in sorted(documents.items())]
    output = io.StringIO()
    try:
        call_command("import_cases", *paths, stdout=output, stderr=output)
    except (Exception, SystemExit) as exc:
        return None, f"種文書の取り込みに失敗しました: {exc}\n{output.getvalue()}"
    from hagukumi.cases.models import CasePassage

    doc_ids = set(documents)

    def passage_text(hit: Any) -> Any:
        passage = _field(hit, "passage")
        if passage is None and _field(hit, "passage_id") is not None:
            found = CasePassage.objects.filter(pk=_field(hit, "passage_id")).first()
            passage = found.text if found else ""
        return passage

    def run(query: str, limit: int) -> list[Any]:
        result = entry(actor=Actor.system(), query=query, limit=limit)
        hits = _field(result, "hits") or []
        out: list[tuple[str, Any]] = []
        for hit in hits:
            # Hits map to seeds by the seed number the imported file name starts with.
            doc = Path(str(_field(hit, "source_file") or "")).name[:3]
            if doc in doc_ids:
                out.append((doc, passage_text(hit)))
        if all(isinstance(passage, str) for _, passage in out):
            return [(doc, passage) for doc, passage in out]
        return [doc for doc, _ in out]

    return run, ""


def _num(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def print_baseline(base: se.Evaluation) -> None:
    print(f"{'subset':<14}{'n':>4}  {'nDCG@10':>7}  {'MRR':>6}  {'passage':>7}")
    for score in base.by_subset():
        print(
            f"{score.subset:<14}{score.n:>4}  {_num(score.ndcg):>7}  {_num(score.mrr)}"
            f"  {_num(score.passage_ndcg):>7}"
        )


def print_comparison(base: se.Evaluation, ours: se.Evaluation) -> bool:
    header = (
        f"{'subset':<14}{'n':>4}  {'nDCG@10 base':>12} {'ours':>6} {'delta':>7}"
        f"  {'MRR base':>8} {'ours':>6}  {'passage base':>12} {'ours':>6}  goal"
    )
    print(header)
    all_met = True
    for b, o in zip(base.by_subset(), ours.by_subset(), strict=True):
        met = se.goal_met(b, o)
        if b.subset != "overall":
            all_met &= met
        verdict = "met" if met else "NOT met"
        if b.ndcg + se.GOAL_MARGIN > 1.0 + 1e-9:
            verdict += " (unreachable: baseline + 0.10 > 1)"
        if b.passage_ndcg is not None and o.passage_ndcg is not None:
            passage_met = round(o.passage_ndcg - b.passage_ndcg, 9) >= se.GOAL_MARGIN
            verdict += "; passage " + ("met" if passage_met else "NOT met")
        print(
            f"{b.subset:<14}{b.n:>4}  {_num(b.ndcg):>12} {_num(o.ndcg)} {o.ndcg - b.ndcg:+7.3f}"
            f"  {_num(b.mrr):>8} {_num(o.mrr)}  {_num(b.passage_ndcg):>12}"
            f" {_num(o.passage_ndcg)}  {verdict}"
        )
    return all_met


def print_pinned(name: str, evaluation: se.Evaluation) -> None:
    pinned = [r for r in evaluation.results if r.query.pinned_top3]
    if not pinned:
        return
    failed = [r for r in pinned if not r.pinned_ok]
    print(f"issue の固定クエリ (top-3) {name}: {len(pinned) - len(failed)}/{len(pinned)}")
    for r in failed:
        print(
            f"  {r.query.id} {r.query.text!r}: 期待 {list(r.query.pinned_top3)},"
            f" 結果 {list(r.ranked[:3])}"
        )


def print_per_query(base: se.Evaluation, ours: se.Evaluation | None) -> None:
    rows = zip(base.results, ours.results if ours else [None] * len(base.results), strict=True)
    for b, o in rows:
        line = (
            f"{b.query.id:<4} {b.query.subset:<13} base {b.ndcg:.3f} {','.join(b.ranked[:5]):<19}"
        )
        if o is not None:
            line += f" ours {o.ndcg:.3f} {','.join(o.ranked[:5]):<19}"
            if o.error:
                line += f" ERROR {o.error}"
        print(f"{line} {b.query.text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a dozen queries, a few seconds")
    parser.add_argument("--per-query", action="store_true", help="one line per query")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the goal is not met")
    parser.add_argument("--judgments", type=Path, default=se.JUDGMENTS_PATH)
    args = parser.parse_args(argv)

    judgments = se.load_judgments(args.judgments)
    seeds = se.load_seeds(judgments)
    errors = se.validate(judgments, seeds)
    if errors:
        print("判定ファイルが不正です:", *errors, sep="\n  ", file=sys.stderr)
        return 2
    queries = smoke_queries(judgments.queries) if args.smoke else list(judgments.queries)
    print(
        f"判定済みクエリ {len(judgments.queries)} 件 (実行 {len(queries)} 件), "
        f"種文書 {len(seeds)} 件, 記載日 {judgments.meta.get('written', '?')}"
    )

    started = time.perf_counter()
    engine = se.baseline(seeds)
    base = se.evaluate(engine.search_with_passages, queries)
    base_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="hagukumi-bench-") as tmp:
        search, why = system_search(se.SEEDS_DIR, dict(judgments.documents), Path(tmp))
        if search is None:
            print(
                f"baseline: character-bigram BM25 over {len(engine.passages)} passages"
                f" ({base_seconds:.2f} s)"
            )
            print_baseline(base)
            print_pinned("baseline", base)
            if args.per_query:
                print_per_query(base, None)
            print(why)
            return 0 if why.endswith(NOT_IMPLEMENTED) else 1
        started = time.perf_counter()
        ours = se.evaluate(search, queries)
        ours_seconds = time.perf_counter() - started

    print(
        f"baseline: character-bigram BM25 ({base_seconds:.2f} s); "
        f"ours: hagukumi.cases.search.{ENTRY_POINT} ({ours_seconds:.2f} s, "
        f"{1000 * ours_seconds / max(len(queries), 1):.1f} ms/query)"
    )
    all_met = print_comparison(base, ours)
    print_pinned("baseline", base)
    print_pinned("ours", ours)
    for r in ours.errors:
        print(f"  エラー {r.query.id} {r.query.text!r}: {r.error}")
    if args.per_query:
        print_per_query(base, ours)
    print("目標 (各 subset で nDCG@10 >= baseline + 0.10):", "達成" if all_met else "未達")
    return 1 if args.strict and not all_met else 0


if __name__ == "__main__":
    raise SystemExit(main())
