"""Search quality on the judged sets: our case search against a character-bigram BM25.

    .venv/bin/python bench/search_quality.py [--smoke] [--per-query] [--strict]
                                             [--set both|seeds|library]

Two judged sets, one run, one throwaway SQLite database (``migrate``, then the real
importer ``import_cases``):

- **seeds** (``bench/data/search_judgments.json``, 94 queries over the five seeds,
  issue 6): validated against the seeds (every anchor verbatim, >= 60 queries, >= 8 per
  subset; exit 2 if invalid); reported per subset with document-level nDCG@10, MRR
  and best-passage nDCG@10, and whether nDCG@10 >= baseline + 0.10 (``--strict``: exit
  1 when not, on every subset). Evaluated right after importing the seeds alone.
- **library** (``bench/data/library15/``, issue #15): 154 case texts written for the
  bench (on-topic digital-talent cases and off-topic pages of other fields) plus the
  seeds, 84 queries graded per document in five categories; reported per category
  (nDCG@10 and MRR, ours against the baseline over the same 159 documents) and the
  gap between variant twins. Evaluated after importing the case texts too.

The system under test is ``case_search(*, actor=Actor.system(), query, limit)``: hits
map to documents by the first three characters of ``source_file`` (the imported file
name), the best passage by ``passage_id``. ``--smoke`` runs a dozen queries of each
set (the pinned ones, one per subset, two per category). Timings are for reading,
never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import os
import shutil
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
SearchFn = Callable[[str, int], list[Any]]


def smoke_queries(queries: Sequence[se.Query]) -> list[se.Query]:
    chosen = [q for q in queries if q.pinned_top3]
    for subset in se.SUBSETS:
        if not any(q.subset == subset for q in chosen):
            chosen.extend([q for q in queries if q.subset == subset][:1])
    return chosen


def library_smoke_queries(queries: Sequence[se.Query]) -> list[se.Query]:
    """Two queries per category (a twin pair for the variants)."""
    chosen: list[se.Query] = []
    for category in se.LIBRARY_CATEGORIES:
        chosen.extend([q for q in queries if q.subset == category][:2])
    return chosen


def _migrated_template() -> Path:
    """Where a migrated, empty database of the current migrations is kept between runs
    (migrating costs most of a smoke run): named by a hash of every migration file."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "hagukumi").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    cache = Path(tempfile.gettempdir()) / "hagukumi-bench-cache"
    return cache / f"migrated-{digest.hexdigest()[:16]}.sqlite3"


def _field(hit: Any, name: str) -> Any:
    if isinstance(hit, dict):
        return hit.get(name)
    return getattr(hit, name, None)


class System:
    """Our search in a throwaway database; ``why`` says why not when it cannot run."""

    def __init__(self, workdir: Path) -> None:
        self.entry: Any = None
        self.why = ""
        if importlib.util.find_spec("hagukumi.cases.search") is None:
            self.why = NOT_IMPLEMENTED
            return
        os.environ["DJANGO_SETTINGS_MODULE"] = "hagukumi.settings"
        os.environ["DEBUG"] = "true"
        database = workdir / "bench.sqlite3"
        template = _migrated_template()
        if template.exists():
            shutil.copyfile(template, database)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        os.environ["HAGUKUMI_SEEDS_DIR"] = str(se.SEEDS_DIR)
        import django
        from django.core.management import call_command

        django.setup()
        from hagukumi.cases import search as module

        self.entry = getattr(module, ENTRY_POINT, None)
        if self.entry is None:
            missing = f"(hagukumi.cases.search に {ENTRY_POINT} がまだありません)"
            self.why = f"{missing}\n{NOT_IMPLEMENTED}"
            return
        if template.exists():  # migrated at exactly these migration files
            return
        call_command("migrate", verbosity=0, interactive=False)
        if not template.exists():  # next runs start from the migrated, empty database
            from django.db import connection

            template.parent.mkdir(parents=True, exist_ok=True)
            partial = template.with_suffix(f".{os.getpid()}.tmp")
            partial.unlink(missing_ok=True)
            with connection.cursor() as cursor:  # one consistent file, WAL included
                cursor.execute("VACUUM INTO %s", [str(partial)])
            partial.replace(template)

    @property
    def ready(self) -> bool:
        return self.entry is not None and not self.why

    def import_files(self, paths: Sequence[str]) -> bool:
        from django.core.management import call_command

        output = io.StringIO()
        try:
            call_command("import_cases", *paths, stdout=output, stderr=output)
        except (Exception, SystemExit) as exc:
            self.why = f"文書の取り込みに失敗しました: {exc}\n{output.getvalue()[-2000:]}"
            return False
        return True

    def search(self, doc_ids: set[str], *, passages: bool = True) -> SearchFn:
        from hagukumi.cases.models import CasePassage
        from hagukumi.core.tenancy import Actor

        entry = self.entry

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
                # Hits map to documents by the number the imported file name starts with.
                doc = Path(str(_field(hit, "source_file") or "")).name[:3]
                if doc in doc_ids:
                    out.append((doc, passage_text(hit) if passages else None))
            if passages and all(isinstance(passage, str) for _, passage in out):
                return list(out)
            return [doc for doc, _ in out]

        return run


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


def print_categories(base: se.Evaluation, ours: se.Evaluation | None) -> None:
    """The library set per category: nDCG@10 and MRR, baseline and ours."""
    print(
        f"{'category':<14}{'n':>4}  {'nDCG@10 base':>12} {'ours':>6} {'delta':>7}"
        f"  {'MRR base':>8} {'ours':>6} {'delta':>7}"
    )
    theirs: list[se.SubsetScore | None] = list(ours.by_subset()) if ours else []
    for i, b in enumerate(base.by_subset()):
        o = theirs[i] if i < len(theirs) else None
        line = f"{b.subset:<14}{b.n:>4}  {_num(b.ndcg):>12}"
        if o is not None:
            line += (
                f" {_num(o.ndcg)} {o.ndcg - b.ndcg:+7.3f}  {_num(b.mrr):>8} {_num(o.mrr)}"
                f" {o.mrr - b.mrr:+7.3f}"
            )
        else:
            line += f"  {_num(b.mrr):>8}"
        print(line)


def print_twins(name: str, evaluation: se.Evaluation, worst: int = 3) -> None:
    gaps = se.twin_gaps(evaluation)
    if not gaps:
        return
    mean = sum(abs(a - b) for _, a, b in gaps) / len(gaps)
    print(f"表記ゆれの対 ({name}): {len(gaps)} 対, nDCG@10 の差 平均 {mean:.3f}")
    for query, a, b in gaps[:worst]:
        if abs(a - b) > 1e-9:
            print(f"  {query.id}/{query.twin} {query.text!r}: {a:.3f} / {b:.3f}")


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
        print(f"{line} {b.query.text[:40]}")


def _workdir() -> tempfile.TemporaryDirectory[str]:
    """In memory when the system has /dev/shm: the import writes one transaction per file."""
    shm = Path("/dev/shm")
    parent = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="hagukumi-bench-", dir=parent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a dozen queries of each set")
    parser.add_argument("--per-query", action="store_true", help="one line per query")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the seeds goal is not met")
    parser.add_argument("--set", choices=("both", "seeds", "library"), default="both")
    parser.add_argument("--judgments", type=Path, default=se.JUDGMENTS_PATH)
    parser.add_argument("--library", type=Path, default=se.LIBRARY_PATH)
    args = parser.parse_args(argv)
    run_seeds = args.set in ("both", "seeds")
    run_library = args.set in ("both", "library")

    judgments = se.load_judgments(args.judgments)
    seeds = se.load_seeds(judgments)
    errors = se.validate(judgments, seeds)
    library = se.load_library(args.library)
    errors += [f"library: {e}" for e in se.validate_library(library)] if run_library else []
    if errors:
        print("判定ファイルが不正です:", *errors, sep="\n  ", file=sys.stderr)
        return 2
    queries = smoke_queries(judgments.queries) if args.smoke else list(judgments.queries)
    library_queries = (
        library_smoke_queries(library.queries) if args.smoke else list(library.queries)
    )
    texts = se.load_documents(library)

    started = time.perf_counter()
    base = se.evaluate(se.baseline(seeds).search_with_passages, queries)
    library_base = se.evaluate(
        se.baseline(texts).search,
        library_queries,
        subsets=se.LIBRARY_CATEGORIES,
        passages=False,
    )
    base_seconds = time.perf_counter() - started

    all_met = True
    with _workdir() as tmp:
        system = System(Path(tmp))
        ours = library_ours = None
        ours_seconds = library_seconds = 0.0
        if system.ready and system.import_files(
            [str(se.SEEDS_DIR / name) for _, name in sorted(judgments.documents.items())]
        ):
            started = time.perf_counter()
            if run_seeds:
                ours = se.evaluate(system.search(set(judgments.documents)), queries)
            ours_seconds = time.perf_counter() - started
            own = [path for doc, path in sorted(library.documents.items()) if doc not in seeds]
            if run_library and system.import_files(own):
                started = time.perf_counter()
                library_ours = se.evaluate(
                    system.search(set(library.documents), passages=False),
                    library_queries,
                    subsets=se.LIBRARY_CATEGORIES,
                    passages=False,
                )
                library_seconds = time.perf_counter() - started

    print(f"baseline: character-bigram BM25, 800-character passages ({base_seconds:.2f} s)")
    if system.ready:
        total = len(queries) * run_seeds + len(library_queries) * run_library
        print(
            f"ours: hagukumi.cases.search.{ENTRY_POINT} "
            f"({1000 * (ours_seconds + library_seconds) / max(total, 1):.1f} ms/query)"
        )
    if run_seeds:
        print(
            f"\n== 種文書の判定セット: クエリ {len(judgments.queries)} 件 "
            f"(実行 {len(queries)} 件), 文書 {len(seeds)} 件, "
            f"記載日 {judgments.meta.get('written', '?')}"
        )
        if ours is None:
            print_baseline(base)
        else:
            all_met = print_comparison(base, ours)
        print_pinned("baseline", base)
        if ours is not None:
            print_pinned("ours", ours)
            for r in ours.errors:
                print(f"  エラー {r.query.id} {r.query.text!r}: {r.error}")
        if args.per_query:
            print_per_query(base, ours)
        if ours is not None:
            print("目標 (各 subset で nDCG@10 >= baseline + 0.10):", "達成" if all_met else "未達")
    if run_library:
        print(
            f"\n== 事例ライブラリの判定セット (#15): クエリ {len(library.queries)} 件 "
            f"(実行 {len(library_queries)} 件), 文書 {len(library.documents)} 件 "
            f"(うち作成 {library.meta.get('own_cases')} 件), "
            f"記載日 {library.meta.get('written', '?')}"
        )
        print_categories(library_base, library_ours)
        print_twins("baseline", library_base)
        if library_ours is not None:
            print_twins("ours", library_ours)
            for r in library_ours.errors:
                print(f"  エラー {r.query.id} {r.query.text!r}: {r.error}")
        if args.per_query:
            print_per_query(library_base, library_ours)
    if not system.ready:
        print(system.why)
        return 0 if system.why.endswith(NOT_IMPLEMENTED) else 1
    return 1 if args.strict and run_seeds and not all_met else 0


if __name__ == "__main__":
    raise SystemExit(main())
