"""Cutting a case body into passages (by heading, or by PDF page) for search.

A long document (the guidebook is 51 KB) is searched passage by passage so the
best passage gives the snippet. Headings are detected the way these documents
are written: markdown ``#`` lines, lines a Word file styles as headings, and
short stand-alone lines (no 。, no tab) such as 「取組内容 <職員研修・1>」. A
passage is closed at a heading once it holds ``MIN_CHARS``, and at any block
boundary once it passes ``MAX_CHARS``, so passages stay comparable in size.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

MIN_CHARS = 200
MAX_CHARS = 1500
MAX_HEADING = 300
_BULLET = tuple("-・◆□■○●※◎▶➤")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


@dataclass(frozen=True)
class PassageSpan:
    order: int
    heading: str
    start: int
    end: int
    page: int | None = None


def split_passages(
    body: str,
    *,
    pages: list[tuple[int, int]] | None = None,
    headings: frozenset[str] = frozenset(),
) -> list[PassageSpan]:
    """Passages covering the body in order; ``body[start:end]`` is each one's text."""
    if not body.strip():
        return []
    if pages:
        spans: list[PassageSpan] = []
        for number, (start, end) in enumerate(pages, start=1):
            for span in _split_range(body, start, end, headings):
                spans.append(PassageSpan(len(spans), span[0], span[1], span[2], page=number))
        return spans
    return [
        PassageSpan(order, heading, start, end)
        for order, (heading, start, end) in enumerate(_split_range(body, 0, len(body), headings))
    ]


def _split_range(
    body: str, start: int, end: int, headings: frozenset[str]
) -> list[tuple[str, int, int]]:
    blocks = _blocks(body, start, end)
    first = next(blocks, None)
    if first is None:
        return []
    spans: list[tuple[str, int, int]] = []
    heading = ""
    current_start = first[0]
    current_end = first[0]
    for block_start, block_end in itertools.chain([first], blocks):
        text = body[block_start:block_end]
        block_heading = _heading_of(text, headings)
        size = current_end - current_start
        if (block_heading and size >= MIN_CHARS) or size >= MAX_CHARS:
            spans.append((heading, current_start, current_end))
            current_start = block_start  # a passage cut for size keeps its heading
        if block_heading:
            heading = block_heading
        current_end = block_end
    spans.append((heading, current_start, current_end))
    return [(title[:MAX_HEADING], s, e) for title, s, e in spans if body[s:e].strip()]


def _blocks(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of every run of non-blank lines between start and end.

    Lazily, on the body itself: no copy of the range, no list of every block
    (a 15 MB text of short blocks held ~40 MB of them; issue 16, defect 11).
    """
    for match in _BLOCK.finditer(body, start, end):
        yield match.start(), match.end()


def _heading_of(block: str, headings: frozenset[str]) -> str:
    """The heading a block is, or "" when it is ordinary text."""
    first = block.strip().split("\n", 1)[0].strip()
    if _MARKDOWN_HEADING.match(first):
        return _MARKDOWN_HEADING.sub("", first).strip()
    if first in headings:
        return first
    if "\n" in block.strip():
        return ""
    if (
        len(first) <= 40
        and "\t" not in first
        and not first.endswith(("。", "、"))
        and not first.startswith(_BULLET)
        and re.search(r"[^\d\s\W]", first)
    ):
        return first
    return ""
