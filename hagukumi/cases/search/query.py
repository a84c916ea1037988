"""What a typed query means to the index: weighted terms in groups.

- the text is cut to ``MAX_QUERY_CHARS`` and spelling variants are rewritten;
- each content word (``core.japanese_text.query_terms``: nouns, verbs, adjectives,
  numbers, unknown words; years as ``fy2023``…) is one *group* at weight 1;
- its mode A parts join its group at ``PART_WEIGHT`` (so 人材育成 also finds 人材,
  while the exact compound ranks higher);
- its synonyms (``synonyms.py``, expansion-control flag respected) at ``SYNONYM_WEIGHT``;
- words that phrase the request rather than its subject (事例, 方法, どこ, 知りたい …:
  ``FRAME_WORDS``; verbs and adjectives of a 3+ word question) score lightly and do
  not count towards coverage; so do the words of the query's intent (``intent.py``:
  県, 市町村, 東北 …), which the ranking turns into boosts instead.

At most ``MAX_QUERY_TERMS`` (64) terms in all. Nothing typed reaches an engine as
syntax: terms are encoded (``terms.encode_term``). Plans are immutable and cached by
query text (Sudachi runs once per distinct query, not once per search).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from hagukumi.cases.search.intent import QueryIntent, query_intent
from hagukumi.cases.search.snippets import Matcher
from hagukumi.cases.search.synonyms import synonym_terms
from hagukumi.cases.search.terms import encode_term, join_terms
from hagukumi.cases.search.variants import apply_variants
from hagukumi.core.errors import ApplicationError
from hagukumi.core.japanese_text import (
    MAX_QUERY_TERMS,
    index_terms,
    normalize,
    query_terms,
    tokenize,
)

MAX_QUERY_CHARS = 10_000
PART_WEIGHT = 0.35
SYNONYM_WEIGHT = 0.5
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接尾辞"})
EMPTY_QUERY_MESSAGE = "検索語を入力してください。"
PHRASE_WEIGHT = 1.0
LIGHT_WEIGHT = 0.3
_LIGHT_POS = frozenset({"動詞", "形容詞"})
MAX_PHRASE_TERMS = 8
FRAME_WEIGHT = 0.15
INTENT_WEIGHT = 0.3
# Words that phrase a request: 「…の事例を知りたい」, 「…しているところはどこか」,
# 「…の方法を教えてください」 (compared as query terms: ``_frame_terms``).
FRAME_WORDS = frozenset(
    {
        "事例",
        "例",
        "取組",
        "取り組み",
        "方法",
        "やり方",
        "仕方",
        "参考",
        "自治体",
        "団体",
        "所",
        "ドコ",
        "何",
        "先行",
        "先進",
        "紹介",
        "場合",
        "事",
        "物",
        "様",
        "他",
        "教える",
        "知る",
        "探す",
        "考える",
        "下さる",
        "欲しい",
        "工夫",
        "仕組み",
        "状況",
        "具体",
    }
)
_CHUNK_BREAK = re.compile(r"[\s、。，．,.・「」『』（）()【】［］\[\]!?！？:：;；/／]+")


@lru_cache(maxsize=4)
def _frame_terms(words: frozenset[str]) -> frozenset[str]:
    """The query terms of ``FRAME_WORDS`` (仕組み is the term 仕組ミ)."""
    return frozenset(term for word in words for term in query_terms(word)) | words


@dataclass(frozen=True, slots=True)
class QueryPhrase:
    """Words typed together (ＤＸ推進員): their index terms in a row, as a unit stores them.

    Sudachi cuts ＤＸ推進員 into ＤＸ / 推進 / 員 (員 is no content word), so the terms alone
    cannot tell DX推進員 from any text about DX推進; the phrase can. ``key`` is the run of
    terms exactly as ``terms.join_terms`` writes it, so counting it in a unit's stored
    terms counts the places where the words stand together in that order.
    """

    key: str
    parts: tuple[str, ...]  # the encoded terms of the phrase
    groups: tuple[int, ...]  # the query groups it belongs to


@dataclass(frozen=True, slots=True)
class QueryTerm:
    raw: str  # the term as core.japanese_text writes it (人材育成, fy2023)
    term: str  # encoded for the engines
    weight: float
    group: int


@dataclass(frozen=True)
class QueryPlan:
    text: str
    terms: tuple[QueryTerm, ...]
    groups: int
    surfaces: tuple[str, ...] = field(default=(), compare=False)  # words as typed
    phrases: tuple[QueryPhrase, ...] = ()
    intent: QueryIntent = field(default=QueryIntent(), compare=False)

    @cached_property
    def matcher(self) -> Matcher:
        """Finds this query's matches in stored text (snippets)."""
        return Matcher(self.raw_terms, self.surfaces)

    @property
    def engine_terms(self) -> list[str]:
        return list(dict.fromkeys(t.term for t in self.terms))

    @property
    def raw_terms(self) -> frozenset[str]:
        return frozenset(t.raw for t in self.terms)


def parse_query(text: str | None) -> QueryPlan:
    """The plan of a query; ApplicationError for an empty one (no terms is not an error)."""
    if text is None or not text.strip():
        raise ApplicationError(EMPTY_QUERY_MESSAGE)
    return _parse(text[:MAX_QUERY_CHARS])


@lru_cache(maxsize=2048)
def _parse(text: str) -> QueryPlan:
    rewritten = apply_variants(text)
    main = query_terms(rewritten)
    parts: dict[str, list[str]] = {}
    surfaces: dict[str, str] = {}
    pos_of: dict[str, str] = {}
    typed: list[str] = []
    for token in tokenize(rewritten):
        if not token.is_content_word:
            continue
        surfaces.setdefault(token.term, token.surface)
        pos_of.setdefault(token.term, token.pos[0])
        typed.append(token.surface)
        typed.extend(s.surface for s in token.sub_tokens if s.pos[0] in _CONTENT_POS)
        if len(token.sub_tokens) > 1 and not token.is_number:
            parts.setdefault(token.term, []).extend(
                normalize(sub.normalized)
                for sub in token.sub_tokens
                if sub.pos[0] in _CONTENT_POS and sub.pos[1] != "数詞"
            )
    # In a question (3+ content words) verbs and adjectives (教える, ある, 知りたい, 多い)
    # mostly phrase the request: they still score, lightly, but the coverage boost
    # counts the nouns (and numbers, years, unknown words) only.
    intent = query_intent(main)
    weight_of: dict[str, float] = {}
    if len(main) >= 3:
        weight_of.update((raw, LIGHT_WEIGHT) for raw in main if pos_of.get(raw, "") in _LIGHT_POS)
    frame = _frame_terms(FRAME_WORDS)
    weight_of.update((raw, FRAME_WEIGHT) for raw in main if raw in frame)
    weight_of.update((raw, INTENT_WEIGHT) for raw in main if raw in intent.words)
    if len(weight_of) == len(main):  # nothing else: the intent words are the subject
        for raw in intent.words:
            weight_of.pop(raw, None)
    if len(weight_of) == len(main):
        weight_of = {}
    heavy = [raw for raw in main if raw not in weight_of]
    main = heavy + [raw for raw in main if raw in weight_of]
    terms: list[QueryTerm] = [
        QueryTerm(raw, encode_term(raw), weight_of.get(raw, 1.0), i) for i, raw in enumerate(main)
    ]
    seen = set(main)
    extra: list[QueryTerm] = []
    for group, raw in enumerate(main):
        for part in parts.get(raw, []):
            if part and part not in seen:
                seen.add(part)
                extra.append(QueryTerm(part, encode_term(part), PART_WEIGHT, group))
        if raw[:1].isalpha() and not raw.startswith(("fy", "y2", "y1", "d1", "d2")):
            for synonym in synonym_terms(raw, surfaces.get(raw, raw)):
                if synonym not in seen:
                    seen.add(synonym)
                    extra.append(QueryTerm(synonym, encode_term(synonym), SYNONYM_WEIGHT, group))
    terms.extend(extra)
    kept = tuple(terms[:MAX_QUERY_TERMS])
    return QueryPlan(
        text=text,
        terms=kept,
        groups=len(heavy),
        surfaces=tuple(dict.fromkeys(typed)),
        phrases=_phrases(rewritten, main),
        intent=intent,
    )


def _phrases(rewritten: str, main: list[str]) -> tuple[QueryPhrase, ...]:
    """One phrase per chunk of the query (between spaces and punctuation) of 2+ words."""
    phrases: dict[str, QueryPhrase] = {}
    group_of = {raw: i for i, raw in enumerate(main)}
    for chunk in _CHUNK_BREAK.split(rewritten):
        if len(tokenize(chunk)) < 2:
            continue  # one word: its term (and its mode A parts) already say it all
        raws = index_terms(chunk)
        groups = tuple(sorted({group_of[r] for r in raws if r in group_of}))
        if not groups or not 2 <= len(raws) <= MAX_PHRASE_TERMS:
            continue
        parts = tuple(encode_term(raw) for raw in raws)
        key = join_terms(list(parts))
        phrases.setdefault(key, QueryPhrase(key, parts, groups))
    return tuple(phrases.values())
