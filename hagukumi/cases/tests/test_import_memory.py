"""A large case text is read in bounded memory (issue 16, defect 11: 15 MB took 600 MB).

The readers no longer split the whole text into a list of lines (front matter,
the record export, record detection), nor copy it to strip or count it; the
passage splitter walks the body without copying it or listing every block.
Measured with tracemalloc on a generated 15 MB text of short lines (the worst
case for per-line copies): reading it and cutting it into passages must stay
under READ_BUDGET. Memory, not time: the time is printed only.
"""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest

from hagukumi.cases.documents import read_case_documents
from hagukumi.cases.passages import split_passages

TARGET_BYTES = 15 * 1024 * 1024
# The text itself is ~18 MB as a str (and 15 MB as bytes, held by the caller).
READ_BUDGET = 90 * 1024 * 1024


def _large_text(target: int) -> bytes:
    rnd = random.Random(16)
    parts = ["---\ntitle: 大きな事例\norg_name: 札幌市\n---\n"]
    size = len(parts[0].encode())
    number = 0
    while size < target:
        block = f"研修{number}\n受講者 {rnd.randint(1, 999)}名\n時間 {rnd.randint(1, 99)}時間\n\n"
        parts.append(block)
        size += len(block.encode())
        number += 1
    return "".join(parts).encode()


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_15_mb_text_is_read_and_split_in_bounded_memory(line_end: str) -> None:
    data = _large_text(TARGET_BYTES)
    if line_end != "\n":
        data = data.replace(b"\n", line_end.encode())
    tracemalloc.start()
    started = time.perf_counter()
    try:
        (document,) = read_case_documents(data, filename="大きな事例.md")
        spans = split_passages(document.body, pages=document.pages, headings=document.headings)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n{len(data) / 1e6:.1f} MB ({line_end!r}): peak {peak / 1e6:.1f} MB, "
        f"{len(spans)} passages, {elapsed:.1f} s (under tracemalloc)"
    )
    assert document.fields["title"] == "大きな事例"
    assert document.body.startswith("研修0\n")
    assert spans
    assert spans[-1].end == len(document.body.rstrip("\n"))
    assert peak < READ_BUDGET, f"peak {peak / 1e6:.0f} MB"
