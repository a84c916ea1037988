"""Snippets: a window of the best passage with the matched words marked.

The snippet is plain text (HTML tags of the passage dropped) in which each match is
wrapped in ``HIGHLIGHT_START`` / ``HIGHLIGHT_END`` (⟦ ⟧, removed from the source
text first so they only ever mean a match). ``snippet_html`` escapes the text and
turns the markers into ``<mark>``: templates must use it (or escape themselves).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hagukumi.cases.facts import plain_text
from hagukumi.cases.search.variants import _compiled
from hagukumi.core.japanese_text import canonical_year_spans, index_terms, normalize, tokenize

HIGHLIGHT_START = "⟦"
HIGHLIGHT_END = "⟧"
SNIPPET_CHARS = 160
_ANALYSED_CHARS = 6000


def _variant_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    pattern, targets, _ = _compiled()
    spans = []
    for match in pattern.finditer(text):
        canonical = targets.get(normalize(match.group()), "")
        if canonical and terms.intersection(index_terms(canonical)):
            spans.append((match.start(), match.end()))
    return spans


def match_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of the words of ``text`` that the query terms match, sorted, merged."""
    spans: list[tuple[int, int]] = []
    for token in tokenize(text):
        if token.term in terms:
            spans.append((token.start, token.end))
            continue
        spans.extend((s.start, s.end) for s in token.sub_tokens if normalize(s.normalized) in terms)
    spans.extend(
        (s.start, s.end) for s in canonical_year_spans(text) if terms.intersection(s.terms)
    )
    spans.extend(_variant_spans(text, terms))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(passage_text: str, terms: frozenset[str], size: int = SNIPPET_CHARS) -> str:
    """The ``size`` characters of the passage around most matches, matches marked."""
    text = " ".join(
        plain_text(passage_text).replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split()
    )[:_ANALYSED_CHARS]
    spans = match_spans(text, terms) if terms else []
    start = 0
    if spans:
        best_count = -1
        for first, (span_start, _) in enumerate(spans):
            count = sum(1 for s, e in spans[first:] if e <= span_start + size)
            if count > best_count:
                best_count, start = count, span_start
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
