"""BM25F over a case's units, computed in Python from what either engine returned.

Scoring happens here, not in the engine, so SQLite and PostgreSQL rank alike:
both return the same candidate units (``backends.py``) and the same case
frequencies, and the arithmetic below runs in the same order on the same numbers.

For each case and each of its matching passages p (or none, when only the title or
metadata match), with unit kinds title (weight 3), metadata (1.5) and body = p (1)::

    tf'(t)   = Σ_kind W_kind · tf_kind(t) / (1 − b_kind + b_kind · len / avglen_kind)
    bm25(p)  = Σ_t w_t · idf(t) · tf'(t) / (k1 + tf'(t))
    score(p) = bm25(p) · (COVERAGE_FLOOR + (1 − COVERAGE_FLOOR) · covered groups / groups)

idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)) with N the indexed cases and df the
cases holding t. The case's score is its best passage's, which also gives the snippet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hagukumi.cases.search.backends import UnitRow
from hagukumi.cases.search.query import PHRASE_WEIGHT, QueryPlan

K1 = 1.2
FIELD_WEIGHTS = {"title": 3.0, "meta": 1.5, "body": 1.0}
LENGTH_B = {"title": 0.5, "meta": 0.5, "body": 0.75}
COVERAGE_FLOOR = 0.3


@dataclass
class _CaseUnits:
    title: UnitRow | None = None
    meta: UnitRow | None = None
    body: list[UnitRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RankedCase:
    case_id: int
    score: float
    passage_id: int | None
    covered: int


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
) -> list[RankedCase]:
    """Cases with any matching unit, best first (ties: lower case id)."""
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
    ranked = []
    for case_id, units in by_case.items():
        fixed = counter.weighted_tf([units.title, units.meta])
        best: tuple[float, int | None, int] | None = None
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
            passage_id = body.passage_id if body is not None else None
            if best is None or score > best[0]:
                best = (score, passage_id, len(covered))
        if best is not None and best[0] > 0:
            ranked.append(RankedCase(case_id, best[0], best[1], best[2]))
    ranked.sort(key=lambda r: (-r.score, r.case_id))
    return ranked


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
