"""What changed between two versions of a framework, item by item, matched by stable code."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import normalize_newlines

from hagukumi.frameworks.models import CompetencyKind, MicType

Item = dict[str, Any]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class DiffEntry:
    kind: str  # "added" | "removed" | "changed"
    key: str  # the stable code (or level number) shown to the user
    name: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"added": "追加", "removed": "削除", "changed": "変更"}[self.kind]


@dataclass(frozen=True)
class DiffSection:
    title: str
    entries: list[DiffEntry]


def _comparable(text: str) -> str:
    """Text as compared: LF line breaks, no outer blanks (a browser's CRLF is no change)."""
    return normalize_newlines(text).strip()


def _joined(values: Iterable[Any]) -> str:
    return "\n".join(str(v) for v in values)


_MIC = {value: label for value, label in MicType.choices if value}
_KIND = {value: label for value, label in CompetencyKind.choices if value}

# (label, how to read the value from an item) per section.
Fields = list[tuple[str, Callable[[Item], str]]]
TYPE_FIELDS: Fields = [
    ("名称", lambda t: t["name"]),
    ("ガイドブックの類型", lambda t: _MIC.get(t["mic_type"], "")),
    ("並び順", lambda t: str(t["order"])),
    ("説明", lambda t: t["description"]),
    ("期待する役割", lambda t: t["expected_role"]),
    ("役割", lambda t: _joined(r["name"] for r in t["roles"])),
    ("育成・確保の方向性", lambda t: t["development_direction"]),
]
LEVEL_FIELDS: Fields = [
    ("順序", lambda lv: str(lv["order"])),
    ("表示", lambda lv: lv["label"]),
    ("名称", lambda lv: lv["name"]),
    ("説明", lambda lv: lv["description"]),
    ("目指す役割イメージ", lambda lv: lv["role_image"]),
    ("育成・確保の方向性", lambda lv: lv["development_direction"]),
    ("認定基準", lambda lv: lv["criteria"]),
]
COMPETENCY_FIELDS: Fields = [
    ("区分", lambda c: _KIND.get(c["kind"], "")),
    ("名称", lambda c: c["name"]),
    ("説明", lambda c: c["description"]),
    ("人材類型", lambda c: c["talent_type"]),
]
BEHAVIOUR_FIELDS: Fields = [
    ("表示", lambda cl: cl["label"]),
    ("目指す行動", lambda cl: _joined(cl["behaviours"])),
]
RESPONSIBILITY_FIELDS: Fields = [("役割", lambda r: r["text"])]


def _section(
    title: str,
    old: dict[str, tuple[str, Item]],
    new: dict[str, tuple[str, Item]],
    fields: Fields,
) -> DiffSection:
    """`old`/`new` map a key to (name shown, item)."""
    entries = []
    for key, (name, item) in new.items():
        if key not in old:
            entries.append(DiffEntry("added", key, name))
            continue
        before = old[key][1]
        changes = []
        for label, read in fields:
            was, now = _comparable(read(before)), _comparable(read(item))
            if was != now:
                changes.append(FieldChange(label, was, now))
        if changes:
            entries.append(DiffEntry("changed", key, name, changes))
    entries += [DiffEntry("removed", key, name) for key, (name, _) in old.items() if key not in new]
    return DiffSection(title, entries)


def _types(content: Item) -> dict[str, tuple[str, Item]]:
    return {t["code"]: (t["name"], t) for t in content["talent_types"]}


def _levels(content: Item) -> dict[str, tuple[str, Item]]:
    return {
        f"{t['code']} / {lv['code']}": (f"{t['name']}：{lv['label'] or ''}{lv['name']}", lv)
        for t in content["talent_types"]
        for lv in t["individual_levels"]
    }


def _competencies(content: Item) -> dict[str, tuple[str, Item]]:
    return {c["code"]: (c["name"], c) for c in content["competencies"]}


def _behaviours(content: Item) -> dict[str, tuple[str, Item]]:
    return {
        f"{c['code']} / レベル{cl['level']}": (
            f"{c['name']}：{cl['label'] or 'レベル' + str(cl['level'])}",
            cl,
        )
        for c in content["competencies"]
        for cl in c["levels"]
    }


def _maturity(content: Item) -> dict[str, tuple[str, Item]]:
    return {f"レベル{m['level']}": (m["name"], m) for m in content["maturity_levels"]}


def _responsibilities(content: Item) -> dict[str, tuple[str, Item]]:
    return {r["unit"]: (r["unit"], r) for r in content["responsibilities"]}


def _maturity_fields(old: Item, new: Item) -> Fields:
    codes = list(
        dict.fromkeys(
            [t["code"] for t in old["talent_types"]] + [t["code"] for t in new["talent_types"]]
        )
    )
    names = {t["code"]: t["name"] for t in [*old["talent_types"], *new["talent_types"]]}
    return [("名称", lambda m: m["name"])] + [
        (
            f"「{names[code]}」の状態",
            lambda m, code=code: (m["statements"] or {}).get(code, ""),
        )
        for code in codes
    ]


def framework_content_diff(old: Item, new: Item) -> list[DiffSection]:
    """Added, removed and changed items of `new` against `old` (both `framework_export` dicts)."""
    return [
        _section("人材類型", _types(old), _types(new), TYPE_FIELDS),
        _section("個人の段階", _levels(old), _levels(new), LEVEL_FIELDS),
        _section("育成目標レベル", _maturity(old), _maturity(new), _maturity_fields(old, new)),
        _section("マインド・スキル", _competencies(old), _competencies(new), COMPETENCY_FIELDS),
        _section("行動指標（目指す行動）", _behaviours(old), _behaviours(new), BEHAVIOUR_FIELDS),
        _section(
            "部局等の役割", _responsibilities(old), _responsibilities(new), RESPONSIBILITY_FIELDS
        ),
    ]
