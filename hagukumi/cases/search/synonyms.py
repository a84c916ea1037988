"""Query expansion from the Sudachi synonym dictionary (``cases/data/synonyms.tsv``).

Only a word whose 展開制御フラグ is 0 triggers expansion; words flagged 1 (``*word``
in the file) are only ever added as expansions; flag 2 was dropped at conversion.
Expansions are turned into index terms the same way as the text, so 取組 expands
to what the index stores. See ``cases/data/README.md``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hagukumi.core.japanese_text import normalize, tokenize

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "synonyms.tsv"
MAX_EXPANSIONS = 4  # per query term


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[str, list[int]], list[list[str]]]:
    """Trigger key → group numbers, and each group's words (flag-1 words included)."""
    triggers: dict[str, list[int]] = {}
    groups: list[list[str]] = []
    for line in SYNONYMS_PATH.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        words = line.split("\t")[1:]
        index = len(groups)
        groups.append([word.lstrip("*") for word in words])
        for word in words:
            if not word.startswith("*"):
                triggers.setdefault(normalize(word), []).append(index)
    return triggers, groups


@lru_cache(maxsize=8192)
def _word_term(word: str) -> str | None:
    """The index term of a one-unit word; None when Sudachi makes it several units."""
    tokens = [token for token in tokenize(word) if token.is_content_word]
    return tokens[0].term if len(tokens) == 1 else None


def synonym_terms(*keys: str) -> list[str]:
    """Index terms of the synonyms of a word (given as its surface and/or its term)."""
    triggers, groups = _groups()
    seen: set[str] = set()
    found: list[str] = []
    own = {normalize(key) for key in keys}
    for key in own:
        for index in triggers.get(key, ()):
            for word in groups[index]:
                term = _word_term(word)
                if term and term not in own and term not in seen:
                    seen.add(term)
                    found.append(term)
    return found[:MAX_EXPANSIONS]
