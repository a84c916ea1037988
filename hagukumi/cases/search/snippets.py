"""Snippets: a window of the best passage with the matched words marked.

The snippet is plain text (Markdown markup and HTML tags of the passage dropped) in
which each match is wrapped in ``HIGHLIGHT_START`` / ``HIGHLIGHT_END`` (⟦ ⟧, removed
from the source text first so they only ever mean a match). ``snippet_html`` escapes
the text and turns the markers into ``<mark>``: templates must use it (or escape
themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hagukumi.cases.body_html import markdown_text
from hagukumi.cases.facts import plain_text
from hagukumi.cases.search.variants import load_variant_rules
from hagukumi.core.japanese_text import canonical_year_spans, index_terms, normalize

HIGHLIGHT_START = "⟦"
HIGHLIGHT_END = "⟧"
SNIPPET_CHARS = 160
_ANALYSED_CHARS = 6000
_YEAR_TERM = re.compile(r"(?:fy|y|d)\d{4}")
_NUMBER_TERM = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=1)
def _variant_terms() -> tuple[tuple[str, frozenset[str]], ...]:
    """Each variant's written form (normalised) and the index terms of its canonical form."""
    return tuple(
        (normalize(written), frozenset(index_terms(canonical)))
        for written, canonical in load_variant_rules()
        if normalize(written)
    )


class Matcher:
    """Finds a query's matches in stored text without Sudachi (cheap enough for every hit).

    The text is folded like ``core.japanese_text.normalize`` (width, case, kana,
    異体字) and scanned once for the query's terms as the engine stores them, the
    words as typed (取組 for the term 取り組み), the written forms of spelling
    variants that rewrite into a query term (1人情シス for ひとり情シス), numbers with
    or without thousands separators, and — only when the query holds a year term —
    the years and dates that ``canonical_year_spans`` maps to it.
    """

    def __init__(self, terms: Iterable[str], surfaces: Iterable[str] = ()) -> None:
        wanted = frozenset(terms)
        self.year_terms = frozenset(t for t in wanted if _YEAR_TERM.fullmatch(t))
        needles = {normalize(t) for t in wanted - self.year_terms}
        needles |= {normalize(s) for s in surfaces}
        needles |= {written for written, canon in _variant_terms() if canon & wanted}
        parts = []
        for needle in sorted((n for n in needles if n), key=lambda n: (-len(n), n)):
            if _NUMBER_TERM.fullmatch(needle):
                digits = ",?".join(re.escape(c) for c in needle)
                parts.append(rf"(?<![\d.,]){digits}(?![\d])")
            else:
                parts.append(re.escape(needle))
        self.pattern = re.compile("|".join(parts)) if parts else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the matches in ``text`` (single-spaced), sorted and merged."""
        found: list[tuple[int, int]] = []
        if self.pattern is not None:
            folded, positions = _folded(text)
            for match in self.pattern.finditer(folded):
                if match.end() > match.start():
                    found.append((positions[match.start()], positions[match.end() - 1] + 1))
        if self.year_terms:
            found.extend(
                (s.start, s.end)
                for s in canonical_year_spans(text)
                if self.year_terms.intersection(s.terms)
            )
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return normalize(char) if not char.isspace() else " "


def _folded(text: str) -> tuple[str, list[int] | range]:
    """``text`` folded for matching, and the source position of each folded character."""
    folded = normalize(text)
    if len(folded) == len(text):
        return folded, range(len(text))  # the usual case: one character for one
    out: list[str] = []
    positions: list[int] = []
    for i, char in enumerate(text):
        piece = _fold_char(char)
        out.append(piece)
        positions.extend([i] * len(piece))
    return "".join(out), positions


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text`` that the query terms match, sorted, merged."""
    return Matcher(terms).spans(text)


def make_snippet(
    passage_text: str, matcher: Matcher | frozenset[str], size: int = SNIPPET_CHARS
) -> str:
    """The ``size`` characters of the passage around most matches, matches marked."""
    if not isinstance(matcher, Matcher):
        matcher = Matcher(matcher)
    # Plain text as shown to people: Markdown markup (** , # , - bullets) and tags dropped.
    shown = plain_text(markdown_text(passage_text[: _ANALYSED_CHARS * 2]))
    text = " ".join(shown.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split())[
        :_ANALYSED_CHARS
    ]
    spans = matcher.spans(text)
    start = 0
    if spans:
        best_count, last = -1, 0
        for first, (span_start, _) in enumerate(spans):
            last = max(last, first)
            while last < len(spans) and spans[last][1] <= span_start + size:
                last += 1
            if last - first > best_count:
                best_count, start = last - first, span_start
        start = max(0, min(start - size // 5, len(text) - size))
    end = min(len(text), start + size)
    out = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out += [
            text[position:span_start],
            HIGHLIGHT_START,
            text[span_start:span_end],
            HIGHLIGHT_END,
        ]
        position = span_end
    out.append(text[position:end])
    if end < len(text):
        out.append("…")
    return "".join(out)


def snippet_html(snippet: str) -> SafeString:
    """The snippet as safe HTML: escaped, matches in ``<mark>``."""
    escaped = str(escape(snippet))
    return mark_safe(  # noqa: S308 - escaped above; only our markers become tags
        escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    )
