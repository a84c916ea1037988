"""Case search speed: query latency, indexing throughput, peak memory (reports, never asserts).

    .venv/bin/python bench/search_speed.py --smoke          # ~200 cases, seconds
    .venv/bin/python bench/search_speed.py                  # 10,000 and 100,000 cases
    .venv/bin/python bench/search_speed.py --sizes 10000
    .venv/bin/python bench/search_speed.py --sizes 10000 --database-url postgres://…/bench

Each corpus is built in a fresh SQLite file (removed afterwards unless --keep), or in
the PostgreSQL database of --database-url (a database of its own: the bench empties
its case tables first), from the seed documents' sentences mixed at random, through
the search package's own indexing (``units_for`` + ``store_units``, bulk inserts;
larger sizes grow the same corpus). Reported per size:

- p50/p95 (after a warm-up) of ``case_search`` (limit 20, facets and snippets
  included) against the raw engine query it issues (``selectors.engine_query``:
  same terms, same bound), their ratio (goal ≤ 1.5×; p95 ≤ 50 ms at 100,000);
- p50/p95 of the exact count query alone (``selectors.exact_counts``: every matching
  case counted, facets grouped over them, one statement), and on how many of the
  queries ``case_search`` issued it (bounded candidates; it is part of its cost then);
- p50/p95 of the detail page's matching passage (``case_match``: one search
  restricted to the case);
- a long question (64 terms, the cap): first run (Sudachi included) and warm;
- indexing throughput against raw Sudachi tokenisation (``tokenize``) of the same
  text (goal ≥ 50 %); raw Sudachi is timed on every 10th batch to save time;
- peak memory (max RSS of the process so far).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = [
    "ITパスポート 受験料 補助",
    "iパス",
    "38時間",
    "地域活性化起業人",
    "ひとり情シス",
    "2400",
    "ＤＸ推進員",
    "見習い 熟練者",
    "デジタル相談員 月曜",
    "副業",
    "資格",
    "採用",
    "令和5年度",
    "職員の資格取得を支援し受験料を補助している自治体の取組を知りたい",
]
RAW_SAMPLE_EVERY = 10  # batches


def _setup(database_url: str | None, empty: bool = True) -> Path | None:
    workdir = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        workdir = Path(tempfile.mkdtemp(prefix="hagukumi-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagukumi.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql" and empty:
        from hagukumi.cases.models import Case, CaseFact, CasePassage
        from hagukumi.cases.search.models import (
            CaseSearchStatistics,
            CaseSearchTerm,
            CaseSearchUnit,
        )

        models = [CaseSearchUnit, CaseSearchTerm, CaseSearchStatistics, CaseFact, CasePassage]
        tables = [m._meta.db_table for m in models]
        tables += [Case.mentioned_organizations.through._meta.db_table, Case._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    return workdir


def _sentences() -> list[str]:
    from hagukumi.cases.facts import plain_text, sentences

    found: list[str] = []
    for path in sorted((ROOT / "data" / "seeds").glob("[0-9][0-9][0-9]_*.txt")):
        found += [s for _, s in sentences(plain_text(path.read_text(encoding="utf-8")))]
    return [s for s in found if 10 <= len(s) <= 300]


def _build(size: int, rng: random.Random, first: int = 0) -> tuple[float, int, float, int]:
    """Build ``size`` more cases (numbered from ``first``).

    Returns (index seconds, characters indexed, raw Sudachi seconds, characters of it).
    """
    from django.db import transaction

    from hagukumi.cases.models import Case, CasePassage
    from hagukumi.cases.search.indexing import PassageText, store_units, units_for
    from hagukumi.core.japanese_text import tokenize

    pool = _sentences()
    org_types = ["都道府県", "政令指定都市", "市区町村", "国"]
    index_seconds = raw_seconds = 0.0
    chars = raw_chars = 0
    batch = 500
    for number, start in enumerate(range(first, first + size, batch)):
        cases, bodies = [], []
        for i in range(start, min(first + size, start + batch)):
            body_parts = ["\n".join(rng.sample(pool, 6)) for _ in range(2)]
            bodies.append(body_parts)
            cases.append(
                Case(
                    case_no=f"B{i}",
                    title=rng.choice(pool)[:80],
                    fiscal_year=rng.randint(2018, 2025),
                    org_type=rng.choice(org_types),
                    org_name=f"団体{i % 500}",
                    category_major="人材育成",
                    case_type="取組",
                    body="\n\n".join(body_parts),
                    content_hash=f"{i:064d}",
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            passages = []
            for case, parts in zip(cases, bodies, strict=True):
                offset = 0
                for order, text in enumerate(parts):
                    passages.append(
                        CasePassage(
                            case=case, order=order, text=text, start=offset, end=offset + len(text)
                        )
                    )
                    offset += len(text) + 2
            CasePassage.objects.bulk_create(passages)
            by_case: dict[int, list[PassageText]] = {}
            for p in passages:
                by_case.setdefault(p.case_id, []).append(PassageText(p.pk, p.text))
            began = time.perf_counter()
            units = [u for case in cases for u in units_for(case, by_case[case.pk])]
            store_units(units)
            index_seconds += time.perf_counter() - began
        texts = [case.title for case in cases] + [p.text for p in passages]
        chars += sum(len(text) for text in texts)
        if number % RAW_SAMPLE_EVERY == 0:
            began = time.perf_counter()
            for text in texts:
                tokenize(text)
            raw_seconds += time.perf_counter() - began
            raw_chars += sum(len(text) for text in texts)
    return index_seconds, chars, raw_seconds, raw_chars


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _long_question() -> str:
    """A question of seed sentences long enough to hit the 64-term cap."""
    pool = _sentences()
    return "".join(pool[i] for i in range(0, len(pool), max(1, len(pool) // 12)))[:600]


@dataclass
class Timings:
    service: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    counts: list[float] = field(default_factory=list)
    match: list[float] = field(default_factory=list)
    bounded: int = 0  # queries whose candidates were bounded (count query issued)
    long_cold: float = 0.0
    long_warm: float = 0.0
    long_terms: int = 0


def _measure(repeats: int) -> Timings:
    from django.conf import settings

    from hagukumi.cases.search import case_search
    from hagukumi.cases.search.backends import current_backend
    from hagukumi.cases.search.query import parse_query
    from hagukumi.cases.search.selectors import (
        case_frequencies,
        case_match,
        engine_query,
        exact_counts,
    )
    from hagukumi.core.tenancy import Actor

    settings.DEBUG = False  # as in production: no per-query SQL logging wrapper
    system = Actor.system()  # every case, as the search_cases command searches
    backend = current_backend()
    long_question = _long_question()
    began = time.perf_counter()
    case_search(actor=system, query=long_question, limit=20)  # cold: Sudachi, caches
    long_cold = time.perf_counter() - began
    for query in QUERIES:  # warm up: dictionary, synonyms, caches
        case_search(actor=system, query=query, limit=20)
    t = Timings(long_cold=long_cold, long_terms=len(parse_query(long_question).terms))
    for round_ in range(repeats):
        for query in QUERIES:
            began = time.perf_counter()
            result = case_search(actor=system, query=query, limit=20)
            t.service.append(time.perf_counter() - began)
            t.bounded += round_ == 0 and not result.exhaustive
            plan = parse_query(query)
            issued = engine_query(plan, None, case_frequencies(plan.engine_terms), backend)
            began = time.perf_counter()
            issued.run(backend)
            t.raw.append(time.perf_counter() - began)
            began = time.perf_counter()
            exact_counts(plan, None, backend)
            t.counts.append(time.perf_counter() - began)
            if result.hits:
                case_id = result.hits[-1].case_id
                began = time.perf_counter()
                case_match(actor=system, case_id=case_id, query=query)
                t.match.append(time.perf_counter() - began)
    began = time.perf_counter()
    case_search(actor=system, query=long_question, limit=20)
    t.long_warm = time.perf_counter() - began
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="~200 cases, a few seconds")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--database-url", help="PostgreSQL database of its own (its case tables are emptied)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="with --database-url: measure the corpus already there (no emptying, no build)",
    )
    args = parser.parse_args()
    sizes = [200] if args.smoke else args.sizes
    repeats = 1 if args.smoke else args.repeats
    if args.measure_only and not args.database_url:
        parser.error("--measure-only needs --database-url")
    workdir = _setup(args.database_url, empty=not args.measure_only)
    try:
        _run(sorted(sizes), repeats, build=not args.measure_only)
    finally:
        if workdir is not None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif workdir is not None:
            print(f"kept {workdir}")


def _run(sizes: list[int], repeats: int, build: bool = True) -> None:
    from django.db import connection

    from hagukumi.cases.models import Case
    from hagukumi.cases.search.models import CaseSearchUnit

    rng = random.Random(20261124)
    built = 0
    index_seconds = raw_seconds = 0.0
    chars = raw_chars = 0
    print(f"engine: {connection.vendor}")
    if not build:
        sizes = [Case.objects.count()]
    for size in sizes:
        began = time.perf_counter()
        i, c, r, rc = _build(size - built, rng, first=built) if build else (0.0, 0, 0.0, 0)
        build_seconds = time.perf_counter() - began
        index_seconds, chars = index_seconds + i, chars + c
        raw_seconds, raw_chars = raw_seconds + r, raw_chars + rc
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        t = _measure(repeats)
        p50, p95 = _percentile(t.service, 0.5), _percentile(t.service, 0.95)
        r50, r95 = _percentile(t.raw, 0.5), _percentile(t.raw, 0.95)
        c50, c95 = _percentile(t.counts, 0.5), _percentile(t.counts, 0.95)
        m50, m95 = _percentile(t.match or [0.0], 0.5), _percentile(t.match or [0.0], 0.95)
        index_rate = chars / max(index_seconds, 1e-9)
        raw_rate = raw_chars / max(raw_seconds, 1e-9)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"== {Case.objects.count():,} cases, {CaseSearchUnit.objects.count():,} units "
            f"(built in {build_seconds:.0f} s)"
        )
        print(f"case_search   p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms")
        print(f"raw FTS query p50 {r50 * 1000:7.1f} ms  p95 {r95 * 1000:7.1f} ms")
        print(
            f"ratio p50 {p50 / max(r50, 1e-9):.2f}x  p95 {p95 / max(r95, 1e-9):.2f}x (goal ≤ 1.5x)"
        )
        print(
            f"count query   p50 {c50 * 1000:7.1f} ms  p95 {c95 * 1000:7.1f} ms "
            f"(exact total + facets; issued by {t.bounded} of {len(QUERIES)} queries)"
        )
        print(f"detail match  p50 {m50 * 1000:7.1f} ms  p95 {m95 * 1000:7.1f} ms (case_match)")
        print(
            f"long question ({t.long_terms} terms): first {t.long_cold * 1000:.0f} ms, "
            f"warm {t.long_warm * 1000:.0f} ms (goal ≤ 1 s)"
        )
        print(
            f"indexing {index_rate / 1000:.0f} k chars/s vs raw Sudachi "
            f"{raw_rate / 1000:.0f} k chars/s: {index_rate / max(raw_rate, 1e-9) * 100:.0f}%"
            " (goal ≥ 50%)"
        )
        print(f"peak memory (max RSS) {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
