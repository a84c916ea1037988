"""Index terms as both engines store them.

A term (``core.japanese_text``: ``人材育成``, ``2400``, ``fy2023``, ``e-learning``) is
encoded so that every engine sees exactly one token: letters and digits stay,
anything else becomes ``_<hex>_`` (``e-learning`` → ``e_2d_learning``). SQLite's
``unicode61`` tokenizer (``tokenchars '_'``) and PostgreSQL's ``array_to_tsvector``
then hold the same tokens, which is what makes the two backends agree.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from hagukumi.cases.facts import plain_text
from hagukumi.cases.search.variants import apply_variants
from hagukumi.core.japanese_text import index_terms

MAX_TERM_CHARS = 60  # a tsvector lexeme must stay under 2 KB


@lru_cache(maxsize=131_072)
def encode_term(term: str) -> str:
    """The engine token of a term: only letters, digits and ``_``."""
    out = []
    for char in term[:MAX_TERM_CHARS]:
        if char != "_" and unicodedata.category(char)[0] in "LN":
            out.append(char)
        else:
            out.append(f"_{ord(char):x}_")
    return "".join(out)


def text_terms(text: str, *, html: bool = False) -> list[str]:
    """Encoded index terms of a text (HTML tags dropped first when ``html``), with repeats."""
    source = plain_text(text) if html else text
    return [encode_term(term) for term in index_terms(apply_variants(source))]


def join_terms(terms: list[str]) -> str:
    """The stored form: every term between its own spaces, so ``" t "`` counts it exactly."""
    return "".join(f" {term} " for term in terms)
