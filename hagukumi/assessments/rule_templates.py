"""Certification rule templates shipped as data, each citing its seed.

A template names its clauses by kind; the rows a clause refers to (the
programme or courses, the sheet) are the adopting 団体's own and are given at
adoption (`services.rules.rule_template_adopt`). The pseudo-kind
``required_training`` becomes ``phases_completed`` (every required, counted
phase) when a programme is given, else ``courses_completed`` over the courses
given: 「規定の研修を全て受講した上で」.

- ``kakegawa`` (seeds/001_* ⑤ 静岡県掛川市): every required course, then the
  「DXリーダー向けアセスメント」 test score *above* the 基準値 (``op`` ``">"``:
  「基準値を上回った者」, so 70 against 70 fails as 「アセスメント 70 ≤ 70」). The
  seed gives no value: 70 is ours (例示) and is replaced at adoption.
- ``sapporo-demo``: the demo's rule for 札幌's 【②DX推進リーダー】育成. The seed
  (seeds/002_*) states no criteria, so this one is ours: every required phase
  and a 事務局 mean of 3.0 or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClauseTemplate:
    kind: str  # a ClauseKind value, or "required_training"
    params: dict[str, Any]
    label: str = ""


@dataclass(frozen=True)
class RuleTemplate:
    code: str
    name: str
    criteria: str
    source: str
    clauses: tuple[ClauseTemplate, ...]
    # Values the seed does not give (ours, shown as 例示 where the rule is shown).
    illustrative: tuple[str, ...] = ()


KAKEGAWA_QUOTE = (
    "DXに関する規定の研修を全て受講した上で、DXをけん引するために必要な知識の習熟状況を"
    "テスト形式で測定する「DXリーダー向けアセスメント」において基準値を上回った者が認定される"
)

RULE_TEMPLATES: dict[str, RuleTemplate] = {
    "kakegawa": RuleTemplate(
        code="kakegawa",
        name="DXリーダー認定基準（掛川市の例）",
        criteria=(
            "規定の研修をすべて受講し、「DXリーダー向けアセスメント」の点数が基準値を上回ること"
            "（基準値 70 点は例示）。"
        ),
        source=f"seeds/001_27b46d1c729d241d.txt ⑤ 静岡県掛川市 「{KAKEGAWA_QUOTE}」",
        clauses=(
            ClauseTemplate(kind="required_training", params={}),
            ClauseTemplate(
                kind="assessment",
                params={"kind": "office", "statistic": "test_score", "op": ">", "threshold": "70"},
            ),
        ),
        illustrative=("threshold",),
    ),
    "sapporo-demo": RuleTemplate(
        code="sapporo-demo",
        name="DX推進リーダー認定基準（デモ）",
        criteria=(
            "必須のフェーズをすべて修了し、事務局アセスメントの平均が 3.0 以上であること"
            "（札幌市の資料は認定の基準を定めていないため、デモ用に定めた例）。"
        ),
        source="seeds/002_4d04818ec15f2553.txt 【②DX推進リーダー】育成（基準はデモ用の例）",
        clauses=(
            ClauseTemplate(kind="required_training", params={}),
            ClauseTemplate(
                kind="assessment",
                params={"kind": "office", "statistic": "mean", "op": ">=", "threshold": "3.0"},
            ),
        ),
        illustrative=("threshold",),
    ),
}
