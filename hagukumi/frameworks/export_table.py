"""A framework version as one flat table (one row per item) for xlsx/CSV export."""

from __future__ import annotations

from typing import Any

from hagukumi.core.tabular_import import Column

FRAMEWORK_COLUMNS = (
    Column("item", "項目"),
    Column("talent_type", "人材類型コード", kind="code"),
    Column("code", "コード", kind="code"),
    Column("number", "番号", kind="int"),
    Column("label", "表示"),
    Column("name", "名称"),
    Column("description", "説明"),
    Column("role", "期待する役割・目指す役割イメージ"),
    Column("direction", "育成・確保の方向性"),
    Column("criteria", "認定基準・内容・目指す行動"),
    Column("source_file", "出典ファイル"),
    Column("source_section", "出典の箇所"),
    Column("note", "注記"),
)


def _row(item: str, source: dict[str, str], **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {c.field: "" for c in FRAMEWORK_COLUMNS}
    row["number"] = None
    row.update(item=item, source_file=source["file"], source_section=source["section"], **values)
    return row


def framework_table_rows(content: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per talent type, level, step, maturity cell, competency level, responsibility."""
    rows = []
    for t in content["talent_types"]:
        rows.append(
            _row(
                "人材類型",
                t["source"],
                talent_type=t["code"],
                code=t["code"],
                number=t["order"],
                label=t["mic_type"],
                name=t["name"],
                description=t["description"],
                role="\n".join([t["expected_role"], *(r["name"] for r in t["roles"])]).strip(),
                direction=t["development_direction"],
                note=t["note"],
            )
        )
        for lv in t["individual_levels"]:
            rows.append(
                _row(
                    "個人の段階",
                    lv["source"],
                    talent_type=t["code"],
                    code=lv["code"],
                    number=lv["order"],
                    label=lv["label"],
                    name=lv["name"],
                    description=lv["description"],
                    role=lv["role_image"],
                    direction=lv["development_direction"],
                    criteria=lv["criteria"],
                    note=lv["note"],
                )
            )
        for s in t["development_steps"]:
            rows.append(
                _row(
                    "育成ステップ",
                    s["source"],
                    talent_type=t["code"],
                    number=s["order"],
                    label=s["target_levels"],
                    name=s["name"],
                    criteria=s["text"],
                    note=s["note"],
                )
            )
    for m in content["maturity_levels"]:
        for type_code, statement in m["statements"].items():
            rows.append(
                _row(
                    "育成目標レベル",
                    m["source"],
                    talent_type=type_code,
                    number=m["level"],
                    name=m["name"],
                    criteria=statement,
                    note=m["note"],
                )
            )
    for c in content["competencies"]:
        rows.append(
            _row(
                "マインド・スキル",
                c["source"],
                talent_type=c["talent_type"],
                code=c["code"],
                label={"mind": "マインド", "skill": "スキル"}.get(c["kind"], ""),
                name=c["name"],
                description=c["description"],
                note=c["note"],
            )
        )
        for cl in c["levels"]:
            rows.append(
                _row(
                    "行動指標",
                    cl["source"],
                    talent_type=c["talent_type"],
                    code=c["code"],
                    number=cl["level"],
                    label=cl["label"],
                    name=c["name"],
                    criteria="\n".join(cl["behaviours"]),
                    note=cl["note"],
                )
            )
    for pos, r in enumerate(content["responsibilities"], start=1):
        rows.append(
            _row(
                "部局等の役割",
                r["source"],
                number=pos,
                name=r["unit"],
                criteria=r["text"],
                note=r["note"],
            )
        )
    return rows
