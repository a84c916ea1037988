"""BM25F over a case's units, computed in Python from what either engine returned.

Scoring happens here, not in the engine, so SQLite and PostgreSQL rank alike:
both return the same candidate units (``backends.py``), the same case frequencies
and the same profiles, and the arithmetic below runs in the same order on the same
numbers.

For each case and each of its matching body units p (windows of passages,
``indexing.body_windows``; or none, when only the title or metadata match), with
unit kinds title (weight 3), metadata (1.5) and body = p (1)::

    tf'(t)   = Σ_kind W_kind · tf_kind(t) / (1 − b_kind + b_kind · len / avglen_kind)
    bm25(p)  = Σ_t w_t · idf(t) · tf'(t) / (k1 + tf'(t))
    score(p) = bm25(p) · (COVERAGE_FLOOR + (1 − COVERAGE_FLOOR) · covered / groups) · near(p)

idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) with N the indexed cases and df the
cases holding t; w_t the query term's weight (``query.py``: words 1, their mode A
parts, synonyms, and the light words of a question less). The case's score is its
best unit's (which also gives the snippet), times what the library knows of the
case (``CaseSearchProfile``, ``profile.py``)::

    case = score(best p) · (1 + PRIOR · topic) · (1 + KIND_BOOST)? · (1 + REGION_BOOST)?

- *near(p)*, for queries of ``PROXIMITY_MIN_GROUPS`` word groups or more: with k the
  groups p holds and gap the terms of the smallest window holding them that are not
  theirs, ``1 + PROXIMITY_WEIGHT · (k − 1)/(groups − 1) · SPAN / (SPAN + gap)``;
- *topical prior*: ``topic`` (0..1: how much the case is about digital 人材育成・確保)
  weighs ``PRIOR_ONE_WORD`` for a one-word query (資格, 採用: ambiguous across
  administrative fields) and ``PRIOR_WEIGHT`` otherwise;
- *intent*: ``KIND_BOOST`` when the 団体 is of a kind the query names (県, 市町村,
  政令市, 国), ``REGION_BOOST`` when it lies in a region or prefecture it names
  (東北, 九州, 北海道, 青森県; ``intent.py``).

Each factor above 1 is listed in ``RankedCase.explanation`` (label, factor), which
the hits carry. docs/adr/0008-search-ranking.md gives the measured effect of each.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hagukumi.cases.search.backends import UnitRow
from hagukumi.cases.search.profile import CaseProfile
from hagukumi.cases.search.query import PHRASE_WEIGHT, QueryPlan

K1 = 1.2
FIELD_WEIGHTS = {"title": 3.0, "meta": 1.5, "body": 1.0}
LENGTH_B = {"title": 0.5, "meta": 0.5, "body": 0.75}
COVERAGE_FLOOR = 0.5
PROXIMITY_WEIGHT = 0.3
PROXIMITY_SPAN = 8.0
PROXIMITY_MIN_GROUPS = 3
PRIOR_ONE_WORD = 1.0
PRIOR_WEIGHT = 1.0
KIND_BOOST = 1.0
REGION_BOOST = 2.0
NO_PROFILE = CaseProfile(case_id=0)


@dataclass
class _CaseUnits:
    title: UnitRow | None = None
    meta: UnitRow | None = None
    body: list[UnitRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RankedCase:
    case_id: int
    score: float
    passage_id: int | None  # the best body unit's first passage
    covered: int
    explanation: tuple[tuple[str, float], ...] = ()


def idf(df: int, n: int) -> float:
    df = min(df, n)
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def rank_cases(
    rows: Iterable[UnitRow],
    plan: QueryPlan,
    *,
    case_frequencies: Mapping[str, int],
    indexed_cases: int,
    average_lengths: Mapping[str, float],
    profiles: Mapping[int, CaseProfile] | None = None,
) -> list[RankedCase]:
    """Cases with any matching unit, best first (ties: lower case id).

    ``profiles``: the candidate cases' (``profile.stored_profiles``); a case without
    one gets no prior and no boost."""
    # One entry per engine term: its best weight and the groups it counts for.
    weights: dict[str, float] = {}
    groups: dict[str, set[int]] = {}
    for qt in plan.terms:
        weights[qt.term] = max(weights.get(qt.term, 0.0), qt.weight)
        groups.setdefault(qt.term, set()).add(qt.group)
    n = max(indexed_cases, 1)
    idfs = {t: idf(case_frequencies.get(t, 0), n) for t in weights}
    rows = list(rows)
    # Phrases score like one more term. Their df is counted in the candidate units:
    # every case holding a phrase holds its terms, so when the candidates are all the
    # matching units (no bound reached) this is exact; otherwise a lower bound.
    phrases: dict[str, str] = {}
    for phrase in plan.phrases:
        key = f"\x00{phrase.key}"
        phrases[key] = phrase.key
        weights[key] = PHRASE_WEIGHT
        groups[key] = set(phrase.groups)
        holding = {row.case_id for row in rows if phrase.key in row.terms}
        idfs[key] = idf(len(holding), n)
    by_case: dict[int, _CaseUnits] = {}
    for row in rows:
        units = by_case.setdefault(row.case_id, _CaseUnits())
        if row.kind == "title":
            units.title = row
        elif row.kind == "meta":
            units.meta = row
        else:
            units.body.append(row)
    group_count = max(plan.groups, 1)
    counter = _TermCounter(weights, phrases, average_lengths)
    near_groups = max(2, PROXIMITY_MIN_GROUPS)
    proximity = _Proximity(plan, group_count) if plan.groups >= near_groups else None
    factors = _CaseFactors(plan, profiles or {})
    ranked = []
    for case_id, units in by_case.items():
        fixed = counter.weighted_tf([units.title, units.meta])
        best: tuple[float, int | None, int, float] | None = None
        bodies: list[UnitRow | None] = list(units.body) or [None]
        for body in bodies:
            tfs = dict(fixed)
            if body is not None:
                for term, value in counter.weighted_tf([body]).items():
                    tfs[term] = tfs.get(term, 0.0) + value
            bm25 = 0.0
            covered: set[int] = set()
            for term, value in tfs.items():
                if value > 0:
                    bm25 += weights[term] * idfs[term] * value / (K1 + value)
                    covered |= groups[term]
            covered = {g for g in covered if g < group_count}
            coverage = min(len(covered), group_count) / group_count
            score = bm25 * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage)
            near = proximity.factor(body) if proximity is not None and body else 1.0
            score *= near
            passage_id = body.passage_id if body is not None else None
            if best is None or score > best[0]:
                best = (score, passage_id, len(covered), near)
        if best is not None and best[0] > 0:
            boost, explanation = factors.of(case_id)
            if best[3] > 1.0:
                explanation = (("近接", round(best[3], 3)), *explanation)
            ranked.append(RankedCase(case_id, best[0] * boost, best[1], best[2], explanation))
    ranked.sort(key=lambda r: (-r.score, r.case_id))
    return ranked


class _CaseFactors:
    """The per-case factors of the module doc (topical prior, 団体の属性, region)."""

    def __init__(self, plan: QueryPlan, profiles: Mapping[int, CaseProfile]) -> None:
        self.profiles = profiles
        self.prior = PRIOR_ONE_WORD if plan.groups <= 1 else PRIOR_WEIGHT
        self.kinds = plan.intent.kinds
        self.prefectures = plan.intent.prefectures

    def of(self, case_id: int) -> tuple[float, tuple[tuple[str, float], ...]]:
        profile = self.profiles.get(case_id, NO_PROFILE)
        factor = 1.0
        explanation: list[tuple[str, float]] = []
        if profile.topic > 0 and self.prior > 0:
            prior = 1.0 + self.prior * profile.topic
            factor *= prior
            explanation.append(("主題（人材育成・確保）", round(prior, 3)))
        if self.kinds and profile.org_kind in self.kinds:
            factor *= 1.0 + KIND_BOOST
            explanation.append(("団体の属性", 1.0 + KIND_BOOST))
        if self.prefectures and profile.prefecture in self.prefectures:
            factor *= 1.0 + REGION_BOOST
            explanation.append(("地域", 1.0 + REGION_BOOST))
        return factor, tuple(explanation)


class _Proximity:
    """``near(p)`` of the module doc: the smallest window of a passage's terms holding
    every query group (counted for coverage) the passage has."""

    def __init__(self, plan: QueryPlan, group_count: int) -> None:
        self.group_count = group_count
        self.group_of: dict[str, int] = {}
        for qt in plan.terms:
            if qt.group < group_count:
                self.group_of.setdefault(qt.term, qt.group)

    def factor(self, body: UnitRow) -> float:
        hits = [
            (i, group)
            for i, term in enumerate(body.terms.split())
            if (group := self.group_of.get(term)) is not None
        ]
        present = {group for _, group in hits}
        k = len(present)
        if k < 2:
            return 1.0
        # Smallest window (in terms) holding all k groups: two pointers over the hits.
        best = math.inf
        held: Counter[int] = Counter()
        left = 0
        for position, group in hits:
            held[group] += 1
            while len(held) == k:
                start, first = hits[left]
                best = min(best, position - start + 1)
                held[first] -= 1
                if not held[first]:
                    del held[first]
                left += 1
        gap = max(0.0, best - k)
        share = (k - 1) / (self.group_count - 1)
        return 1.0 + PROXIMITY_WEIGHT * share * PROXIMITY_SPAN / (PROXIMITY_SPAN + gap)


_COUNTER_FROM = 12  # query terms: above this, one split of the unit beats a count per term


class _TermCounter:
    """Field-weighted, length-normalised term counts of units (``tf'`` of the module doc)."""

    def __init__(
        self, weights: Mapping[str, float], phrases: Mapping[str, str], lengths: Mapping[str, float]
    ) -> None:
        self.terms = [term for term in weights if term not in phrases]
        self.needles = [(term, f" {term} ") for term in self.terms]
        self.phrases = list(phrases.items())
        self.split = len(self.terms) > _COUNTER_FROM
        self.lengths = lengths

    def weighted_tf(self, rows: Iterable[UnitRow | None]) -> dict[str, float]:
        out: dict[str, float] = {}
        for row in rows:
            if row is None:
                continue
            text = row.terms
            if self.split:
                held = Counter(text.split())
                counts = [(term, held[term]) for term in self.terms if term in held]
            else:
                counts = [(term, text.count(needle)) for term, needle in self.needles]
            counts += [(key, text.count(needle)) for key, needle in self.phrases]
            b = LENGTH_B[row.kind]
            norm = 1 - b + b * row.length / max(self.lengths.get(row.kind, 1.0), 1.0)
            factor = FIELD_WEIGHTS[row.kind] / norm
            for term, count in counts:
                if count:
                    out[term] = out.get(term, 0.0) + factor * count
        return out
