"""Case search speed: query latency, indexing throughput, peak memory (reports, never asserts).

    .venv/bin/python bench/search_speed.py --smoke          # ~200 cases, seconds
    .venv/bin/python bench/search_speed.py                  # 10,000 and 100,000 cases
    .venv/bin/python bench/search_speed.py --sizes 10000

Each corpus is built in a fresh SQLite file (or the PostgreSQL of DATABASE_URL with
--postgres) from the seed documents' sentences, mixed at random, through the
search package's own indexing (``units_for`` + ``store_units``, bulk inserts).
Reported: p50/p95 (after a warm-up) of ``case_search`` against the raw engine query it issues
(goal ≤ 1.5×; p95 ≤ 50 ms at 100,000), indexing throughput against raw Sudachi
tokenisation of the same text (goal ≥ 50 %), peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
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


def _setup(postgres: bool) -> None:
    if not postgres:
        path = Path(tempfile.mkdtemp(prefix="hagukumi-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagukumi.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _sentences() -> list[str]:
    from hagukumi.cases.facts import plain_text, sentences

    found: list[str] = []
    for path in sorted((ROOT / "data" / "seeds").glob("[0-9][0-9][0-9]_*.txt")):
        found += [s for _, s in sentences(plain_text(path.read_text(encoding="utf-8")))]
    return [s for s in found if 10 <= len(s) <= 300]


def _build(size: int, rng: random.Random) -> tuple[float, float, int]:
    """Build ``size`` cases; returns (index seconds, raw Sudachi seconds, characters)."""
    from django.db import transaction

    from hagukumi.cases.models import Case, CasePassage
    from hagukumi.cases.search.indexing import PassageText, store_units, units_for
    from hagukumi.core.japanese_text import tokenize

    pool = _sentences()
    org_types = ["都道府県", "政令指定都市", "市区町村", "国"]
    index_seconds = raw_seconds = 0.0
    chars = 0
    batch = 500
    for start in range(0, size, batch):
        cases, bodies = [], []
        for i in range(start, min(size, start + batch)):
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
        began = time.perf_counter()
        for case in cases:
            tokenize(case.title)
            tokenize(case.body)
            chars += len(case.body) + len(case.title)
        raw_seconds += time.perf_counter() - began
    return index_seconds, raw_seconds, chars


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _measure(repeats: int) -> tuple[list[float], list[float]]:
    from django.db import connection

    from hagukumi.cases.models import Case
    from hagukumi.cases.search import case_search
    from hagukumi.cases.search.backends import current_backend
    from hagukumi.cases.search.query import parse_query
    from hagukumi.cases.search.selectors import MAX_CANDIDATE_UNITS

    backend = current_backend()
    service, raw = [], []
    for query in QUERIES:  # warm up: dictionary, synonyms, caches
        case_search(actor=None, query=query, limit=20)
    case_sql, case_params = Case.objects.values("pk").query.sql_with_params()
    for _ in range(repeats):
        for query in QUERIES:
            began = time.perf_counter()
            case_search(actor=None, query=query, limit=20)
            service.append(time.perf_counter() - began)
            terms = parse_query(query).engine_terms
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    backend.candidate_sql(case_sql),  # type: ignore[attr-defined]
                    [backend.match_expression(terms), *case_params, MAX_CANDIDATE_UNITS],
                )
                cursor.fetchall()
            raw.append(time.perf_counter() - began)
    return service, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="~200 cases, a few seconds")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL as is")
    args = parser.parse_args()
    sizes = [200] if args.smoke else args.sizes
    repeats = 1 if args.smoke else args.repeats
    _setup(args.postgres)
    from hagukumi.cases.models import Case
    from hagukumi.cases.search.models import CaseSearchStatistics, CaseSearchUnit

    rng = random.Random(20261124)
    built = 0
    index_seconds = raw_seconds = 0.0
    chars = 0
    for size in sorted(sizes):
        i, r, c = _build(size - built, rng)
        index_seconds, raw_seconds, chars = index_seconds + i, raw_seconds + r, chars + c
        built = size
        service, raw = _measure(repeats)
        p50, p95 = _percentile(service, 0.5), _percentile(service, 0.95)
        r50, r95 = _percentile(raw, 0.5), _percentile(raw, 0.95)
        print(f"== {Case.objects.count():,} cases, {CaseSearchUnit.objects.count():,} units")
        print(f"case_search   p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms")
        print(f"raw FTS query p50 {r50 * 1000:7.1f} ms  p95 {r95 * 1000:7.1f} ms")
        print(
            f"ratio p50 {p50 / max(r50, 1e-9):.2f}x  p95 {p95 / max(r95, 1e-9):.2f}x (goal ≤ 1.5x)"
        )
        print(
            f"indexing {chars / max(index_seconds, 1e-9) / 1000:.0f} k chars/s vs raw Sudachi "
            f"{chars / max(raw_seconds, 1e-9) / 1000:.0f} k chars/s: "
            f"{raw_seconds / max(index_seconds, 1e-9) * 100:.0f}% (goal ≥ 50%)"
        )
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stats = CaseSearchStatistics.objects.count()
    print(f"peak memory (max RSS) {peak_kib / 1024:.0f} MiB; statistics rows {stats}")


if __name__ == "__main__":
    main()
