"""Spelling variants (``cases/data/variants.tsv``): string rewrites for index and query text.

Both sides are rewritten before Sudachi runs, so 人財 and 人材, 企業人 and 起業人,
1人情シス and ひとり情シス meet on one written form. Matching a rule ignores width,
Latin case, hiragana/katakana and dash look-alikes; a rule never fires inside a
longer Latin word or number.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from hagukumi.core.japanese_text import normalize

VARIANTS_PATH = Path(__file__).resolve().parent.parent / "data" / "variants.tsv"
_DASHES = "-‐‑‒–—―−－"


def load_variant_rules(path: Path = VARIANTS_PATH) -> list[tuple[str, str]]:
    """(written, canonical) pairs of the data file, longest written form first."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        written, canonical = line.split("\t")[:2]
        rules.append((written.strip(), canonical.strip()))
    return sorted(rules, key=lambda rule: -len(rule[0]))


def _char_class(char: str) -> str:
    """Every way of writing one character that normalize() folds together."""
    forms = {char, char.lower(), char.upper()}
    for form in list(forms):
        if "!" <= form <= "~":
            forms.add(chr(ord(form) + 0xFEE0))  # full width
        if "\u3041" <= form <= "\u3096":
            forms.add(chr(ord(form) + 0x60))
        if "\u30a1" <= form <= "\u30f6":
            forms.add(chr(ord(form) - 0x60))
    if char in _DASHES:
        forms.update(_DASHES)
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"


def _pattern(written: str) -> str:
    body = "".join(_char_class(c) for c in written)
    if written[:1].isascii() and written[:1].isalnum():
        body = r"(?<![0-9A-Za-zＡ-Ｚａ-ｚ０-９])" + body
    if written[-1:].isascii() and written[-1:].isalnum():
        body += r"(?![0-9A-Za-zＡ-Ｚａ-ｚ０-９])"
    return body


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    rules = load_variant_rules()
    targets = {normalize(written): canonical for written, canonical in rules}
    pattern = re.compile("|".join(_pattern(written) for written, _ in rules))
    first_chars = frozenset(
        unicodedata.normalize("NFKC", c).lower() for written, _ in rules for c in written[:1]
    )
    return pattern, targets, first_chars


def apply_variants(text: str) -> str:
    """The text with every variant rewritten to its canonical form."""
    pattern, targets, _ = _compiled()
    return pattern.sub(lambda m: targets.get(normalize(m.group()), m.group()), text)


def variant_sources(canonical_text: str) -> list[str]:
    """Written forms that rewrite into a part of ``canonical_text`` (for highlighting)."""
    key = normalize(canonical_text)
    return [
        written
        for written, canonical in load_variant_rules()
        if normalize(canonical) and normalize(canonical) in key
    ]
