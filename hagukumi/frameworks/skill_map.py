"""The skill map: competencies × levels with the behaviours (目指す行動) in each cell.

On screen a matrix (one row per competency, one column per level). As a file one
row per cell, so that it reads back through core.tabular_import and an exported
file re-imports unchanged (`services.skill_map_import`). Behaviours are one per
line inside the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hagukumi.core.tabular_import import Column
from hagukumi.frameworks.models import CompetencyKind

SKILL_MAP_COLUMNS = (
    Column("code", "マインド・スキルのコード", kind="code", required=True),
    Column("kind", "区分"),
    Column("name", "名称"),
    Column("talent_type", "人材類型コード", kind="code"),
    Column("level", "レベル", kind="int", required=True),
    Column("label", "表示"),
    Column("behaviours", "目指す行動", aliases=("行動指標",)),
)

KIND_LABELS = {value: label for value, label in CompetencyKind.choices if value}


def skill_map_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per competency level, in the order of the page."""
    return [
        {
            "code": c["code"],
            "kind": KIND_LABELS.get(c["kind"], ""),
            "name": c["name"],
            "talent_type": c["talent_type"],
            "level": cl["level"],
            "label": cl["label"],
            "behaviours": "\n".join(cl["behaviours"]),
        }
        for c in content["competencies"]
        for cl in c["levels"]
    ]


@dataclass(frozen=True)
class SkillMapRow:
    competency: dict[str, Any]
    kind_label: str
    # One entry per column of SkillMap.levels: the competency level, or None.
    cells: list[dict[str, Any] | None]


@dataclass(frozen=True)
class SkillMap:
    levels: list[int]
    rows: list[SkillMapRow]

    @property
    def is_empty(self) -> bool:
        return not self.rows


def skill_map_matrix(content: dict[str, Any]) -> SkillMap:
    """The matrix of the page: every level any competency has, low to high."""
    levels = sorted({cl["level"] for c in content["competencies"] for cl in c["levels"]})
    rows = []
    for c in content["competencies"]:
        by_level = {cl["level"]: cl for cl in c["levels"]}
        rows.append(
            SkillMapRow(
                competency=c,
                kind_label=KIND_LABELS.get(c["kind"], ""),
                cells=[by_level.get(n) for n in levels],
            )
        )
    return SkillMap(levels=levels, rows=rows)
