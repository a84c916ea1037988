"""Editing a draft item by item (the browser).

Each edit reads the draft's content, changes one item (found by its stable code)
and writes the whole content back through `_content_replace`, so every edit is
checked by the same rules as a whole-content update and nothing is half-saved.
A code never changes once given: records of other apps name items by it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.content import Content
from hagukumi.frameworks.models import Framework, FrameworkVersion
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.services.common import (
    _content_replace,
    _draft_version,
    _lock_version,
    _require_editor,
)

ContentEdit = Callable[[Content], None]


@transaction.atomic
def framework_draft_edit(
    *, actor: Actor, framework: Framework, edit: ContentEdit
) -> FrameworkVersion:
    """Apply `edit` to the draft's content and save it (editors of the owning 団体 only)."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _require_editor(actor=actor, framework=framework)
    version = _lock_version(_draft_version(framework))
    content = framework_export(framework_version=version)
    edit(content)
    return _content_replace(actor=actor, version=version, content=content)


def _talent_type(content: Content, code: str) -> dict[str, Any]:
    for t in content["talent_types"]:
        if t["code"] == code:
            return t
    raise ApplicationError(f"人材類型「{code}」が見つかりません。画面を読み込み直してください。")


def _level(talent_type: dict[str, Any], code: str) -> dict[str, Any]:
    for lv in talent_type["individual_levels"]:
        if lv["code"] == code:
            return lv
    raise ApplicationError(
        f"人材類型「{talent_type['name']}」に段階「{code}」が見つかりません。"
        "画面を読み込み直してください。"
    )


def _competency(content: Content, code: str) -> dict[str, Any]:
    for c in content["competencies"]:
        if c["code"] == code:
            return c
    raise ApplicationError(
        f"マインド・スキル「{code}」が見つかりません。画面を読み込み直してください。"
    )


def _renumber(items: list[dict[str, Any]]) -> None:
    for pos, item in enumerate(sorted(items, key=lambda i: i["order"]), start=1):
        item["order"] = pos


TALENT_TYPE_FIELDS = (
    "name",
    "mic_type",
    "description",
    "expected_role",
    "development_direction",
)
LEVEL_FIELDS = (
    "label",
    "name",
    "description",
    "role_image",
    "development_direction",
    "criteria",
)
COMPETENCY_FIELDS = ("kind", "name", "description", "talent_type")


def _roles_from_names(existing: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """Roles in the order of `names`; a kept name keeps its unit, duties and source."""
    by_name = {r["name"]: r for r in existing}
    return [by_name.get(name, {"name": name}) for name in names if name]


def talent_type_save(
    *,
    actor: Actor,
    framework: Framework,
    code: str | None,
    values: dict[str, Any],
) -> FrameworkVersion:
    """Add a talent type (`code` None; `values["code"]` is its new code) or change one.

    A code never changes once given: records made under earlier versions find
    "the same" type by it.
    """

    def edit(content: Content) -> None:
        if code is None:
            t: dict[str, Any] = {
                "code": values.get("code", ""),
                "order": len(content["talent_types"]) + 1,
                "roles": [],
            }
            content["talent_types"].append(t)
        else:
            t = _talent_type(content, code)
        for field in TALENT_TYPE_FIELDS:
            if field in values:
                t[field] = values[field]
        if "roles" in values:
            t["roles"] = _roles_from_names(t.get("roles") or [], values["roles"])

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def talent_type_remove(*, actor: Actor, framework: Framework, code: str) -> FrameworkVersion:
    """Remove a talent type with its levels and its cells of the maturity table.

    Refused while competencies belong to it, or while another app uses it (usage checkers).
    """

    def edit(content: Content) -> None:
        t = _talent_type(content, code)
        owned = [c["name"] for c in content["competencies"] if c["talent_type"] == code]
        if owned:
            raise ApplicationError(
                f"人材類型「{t['name']}」にはマインド・スキルが {len(owned)} 件あります"
                f"（{'、'.join(owned[:3])}{'…' if len(owned) > 3 else ''}）。"
                "先にそれらを削除するか、別の人材類型に移してください。"
            )
        content["talent_types"].remove(t)
        _renumber(content["talent_types"])
        for m in content["maturity_levels"]:
            if isinstance(m["statements"], dict):
                m["statements"].pop(code, None)

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def individual_level_save(
    *,
    actor: Actor,
    framework: Framework,
    type_code: str,
    code: str | None,
    values: dict[str, Any],
) -> FrameworkVersion:
    """Add a level at the end of a talent type's stages (`code` None) or change one."""

    def edit(content: Content) -> None:
        t = _talent_type(content, type_code)
        if code is None:
            lv: dict[str, Any] = {
                "code": values.get("code", ""),
                "order": len(t["individual_levels"]) + 1,
            }
            t["individual_levels"].append(lv)
        else:
            lv = _level(t, code)
        for field in LEVEL_FIELDS:
            if field in values:
                lv[field] = values[field]

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def individual_level_remove(
    *, actor: Actor, framework: Framework, type_code: str, code: str
) -> FrameworkVersion:
    """Remove a level; the later ones move up so the order stays 1, 2, 3…"""

    def edit(content: Content) -> None:
        t = _talent_type(content, type_code)
        t["individual_levels"].remove(_level(t, code))
        _renumber(t["individual_levels"])

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def individual_level_move(
    *, actor: Actor, framework: Framework, type_code: str, code: str, direction: str
) -> FrameworkVersion:
    """Swap a level with the one above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ApplicationError("移動の向きは up か down を指定してください。")

    def edit(content: Content) -> None:
        t = _talent_type(content, type_code)
        levels = sorted(t["individual_levels"], key=lambda lv: lv["order"])
        index = levels.index(_level(t, code))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(levels):
            where = "最初" if direction == "up" else "最後"
            raise ApplicationError(f"段階「{levels[index]['name']}」は既に{where}です。")
        levels[index]["order"], levels[other]["order"] = (
            levels[other]["order"],
            levels[index]["order"],
        )
        t["individual_levels"] = sorted(levels, key=lambda lv: lv["order"])

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def competency_save(
    *,
    actor: Actor,
    framework: Framework,
    code: str | None,
    values: dict[str, Any],
) -> FrameworkVersion:
    """Add a マインド・スキル (`code` None) or change one; its code never changes."""

    def edit(content: Content) -> None:
        if code is None:
            c: dict[str, Any] = {"code": values.get("code", ""), "levels": []}
            content["competencies"].append(c)
        else:
            c = _competency(content, code)
        for field in COMPETENCY_FIELDS:
            if field in values:
                c[field] = values[field]

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def competency_remove(*, actor: Actor, framework: Framework, code: str) -> FrameworkVersion:
    def edit(content: Content) -> None:
        content["competencies"].remove(_competency(content, code))

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def competency_level_save(
    *,
    actor: Actor,
    framework: Framework,
    competency_code: str,
    level: int | None,
    values: dict[str, Any],
) -> FrameworkVersion:
    """Add (`level` None) or change the behaviours (目指す行動) of one level of a competency."""

    def edit(content: Content) -> None:
        c = _competency(content, competency_code)
        if level is None:
            cl: dict[str, Any] = {"level": values.get("level"), "behaviours": []}
            c["levels"].append(cl)
        else:
            found = [cl for cl in c["levels"] if cl["level"] == level]
            if not found:
                raise ApplicationError(
                    f"「{c['name']}」にレベル {level} がありません。画面を読み込み直してください。"
                )
            cl = found[0]
            if "level" in values:
                cl["level"] = values["level"]
        for field in ("label", "behaviours"):
            if field in values:
                cl[field] = values[field]
        c["levels"].sort(key=lambda x: x["level"] if isinstance(x["level"], int) else 0)

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)


def competency_level_remove(
    *, actor: Actor, framework: Framework, competency_code: str, level: int
) -> FrameworkVersion:
    def edit(content: Content) -> None:
        c = _competency(content, competency_code)
        kept = [cl for cl in c["levels"] if cl["level"] != level]
        if len(kept) == len(c["levels"]):
            raise ApplicationError(f"「{c['name']}」にレベル {level} がありません。")
        c["levels"] = kept

    return framework_draft_edit(actor=actor, framework=framework, edit=edit)
