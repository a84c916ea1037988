"""Throughput of japanese_text.index_terms against raw Sudachi (mode C) on the seed texts.

    .venv/bin/python bench/japanese_text.py [--smoke] [--repeat N]

Both sides get the same passages (the seeds cut at blank lines, as an index would
store them) in the same run; the baseline only tokenises and reads each surface.
Prints chars/s for both, the ratio ours/raw (time) and peak memory. Never asserts
timings: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hagukumi.core import japanese_text  # noqa: E402

SEEDS = ROOT / "data" / "seeds"


def load_passages(smoke: bool) -> list[str]:
    """Seed texts cut at blank lines; --smoke keeps a few short passages."""
    passages: list[str] = []
    for path in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt")):
        text = path.read_text(encoding="utf-8")
        passages.extend(p for p in text.split("\n\n") if p.strip())
    if smoke:
        return passages[:40]
    return passages


def best_time(run: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times), times


def peak_python_memory(run: Callable[[], object]) -> int:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, a few seconds")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per side")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.smoke else 5)

    passages = load_passages(args.smoke)
    chars = sum(len(p) for p in passages)
    # The same dictionary the module loads, so RSS is not counted twice.
    tokenizer = japanese_text._tokenizer()
    documents = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt"))]
    if args.smoke:
        documents = documents[:1]
    doc_chars = sum(len(d) for d in documents)

    def raw() -> int:
        count = 0
        for passage in passages:
            for _, chunk in japanese_text._chunks(passage):
                for morpheme in tokenizer.tokenize(chunk):
                    count += len(morpheme.surface())
        return count

    def ours() -> int:
        return sum(len(japanese_text.index_terms(p)) for p in passages)

    def raw_documents() -> int:
        count = 0
        for document in documents:
            for _, chunk in japanese_text._chunks(document):
                count += len(tokenizer.tokenize(chunk))
        return count

    def ours_documents() -> int:
        return sum(len(japanese_text.index_terms(d)) for d in documents)

    def ours_cold() -> int:
        japanese_text._term.cache_clear()
        japanese_text.canonical_number.cache_clear()
        return ours()

    # Warm-up: loads the dictionary and fills the term cache as a running server would.
    raw()
    terms = ours()

    raw_best, raw_times = best_time(raw, repeat)
    ours_best, ours_times = best_time(ours, repeat)
    cold_best, _ = best_time(ours_cold, max(1, repeat // 2))
    raw_doc_best, _ = best_time(raw_documents, repeat)
    ours_doc_best, _ = best_time(ours_documents, repeat)
    raw_peak = peak_python_memory(raw)
    ours_peak = peak_python_memory(ours_cold)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"passages: {len(passages)}, chars: {chars:,}, terms: {terms:,}, runs: {repeat}")
    for label, best in [
        ("raw Sudachi (mode C)", raw_best),
        ("index_terms (warm)", ours_best),
        ("index_terms (cold)", cold_best),
    ]:
        print(f"{label:<22}: {chars / best:>12,.0f} chars/s  best {best * 1000:8.1f} ms")
    warm, cold = ours_best / raw_best, cold_best / raw_best
    print(f"ratio ours/raw (time) : warm {warm:.2f}x, cold {cold:.2f}x")
    print(
        f"whole documents       : {len(documents)} docs, {doc_chars:,} chars (chunked when over "
        f"{japanese_text.SUDACHI_MAX_BYTES:,} bytes): raw {doc_chars / raw_doc_best:,.0f}, "
        f"ours {doc_chars / ours_doc_best:,.0f} chars/s, ratio {ours_doc_best / raw_doc_best:.2f}x"
    )
    print(
        f"median ms             : raw {statistics.median(raw_times) * 1000:.1f}, "
        f"ours {statistics.median(ours_times) * 1000:.1f}"
    )
    print(
        f"peak Python memory    : raw {raw_peak / 1024:,.0f} KiB, ours {ours_peak / 1024:,.0f} KiB "
        f"(tracemalloc; Sudachi's own buffers not counted)"
    )
    print(f"peak RSS              : {rss_mib:,.1f} MiB (process, dictionary mmap included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
