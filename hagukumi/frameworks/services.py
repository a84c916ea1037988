"""Writes on frameworks: template loading, adoption, editing a draft, publishing.

Versioning rules:
- A version is a draft (editable) or published (frozen). A framework has at most
  one draft; `framework_version_new_draft` copies the latest published version
  into draft v(n+1).
- Templates (`is_template`) are reference data shipped in `frameworks/data/*.toml`
  and are always published. `framework_templates_load` compares each file's
  content hash with the latest version: unchanged → nothing; changed → a new
  published version v(n+1) (older versions stay, since adopted copies cite
  them through `Framework.adopted_from`).
- Every write validates the whole content first (`content.content_errors`) and
  runs in one transaction, so nothing is half-saved.
- The browser edits a draft one item at a time (`talent_type_save`,
  `individual_level_move`, …): each reads the draft's content, changes one item
  found by its stable code, and writes the whole content back through
  `_content_replace`, which also refuses removing an item that another app still
  uses (`frameworks.usage` checkers).
- `skill_map_import` fills competency levels of a draft from a file
  (core.tabular_import: all rows or none).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_import import (
    ImportSummary,
    ParsedRow,
    ProgressOption,
    RowOutcome,
    RowProblem,
    Table,
    run_import,
)
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.content import Content, content_errors, content_hash, content_normalise
from hagukumi.frameworks.models import (
    Competency,
    CompetencyLevel,
    DevelopmentStep,
    Framework,
    FrameworkVersion,
    IndividualLevel,
    MaturityLevel,
    Responsibility,
    TalentType,
    VersionStatus,
)
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.usage import Removal, usages_of
from hagukumi.orgs.models import Organization, OrganizationKind

TEMPLATE_DIR = Path(__file__).resolve().parent / "data"
EDITOR_ROLES = (Role.DX_OFFICE, Role.SYSTEM_ADMIN)


def _raise_if_invalid(content: Content, *, where: str = "") -> None:
    errors = content_errors(content)
    if errors:
        prefix = f"{where}: " if where else ""
        message = prefix + errors[0]
        if len(errors) > 1:
            message += f"（ほか {len(errors) - 1} 件）"
        raise ApplicationError(message, extra={"errors": errors})


def _require_editor(
    *, actor: Actor, framework: Framework | None = None, organization: Any = None
) -> None:
    """DX推進担当 or システム管理者 of the owning 団体; templates are not editable by anyone."""
    require_role(actor, *EDITOR_ROLES)
    owner_id = framework.owner_id if framework is not None else getattr(organization, "pk", None)
    if framework is not None and framework.is_template:
        raise AccessDenied()
    if owner_id is None or actor.organization_id != owner_id:
        raise AccessDenied()


def _source_fields(item: dict[str, Any]) -> dict[str, str]:
    return {
        "source_file": item["source"]["file"][:200],
        "source_section": item["source"]["section"][:300],
        "note": item.get("note", ""),
    }


def _content_write(version: FrameworkVersion, content: Content) -> None:
    """Replace the version's items with `content` (already validated)."""
    version.competencies.all().delete()
    version.talent_types.all().delete()
    version.maturity_levels.all().delete()
    version.responsibilities.all().delete()
    types_by_code: dict[str, TalentType] = {}
    for t in content["talent_types"]:
        talent_type = TalentType.objects.create(
            version=version,
            code=t["code"],
            order=t["order"],
            name=t["name"],
            mic_type=t["mic_type"],
            description=t["description"],
            expected_role=t["expected_role"],
            roles=t["roles"],
            development_direction=t["development_direction"],
            details=t["details"],
            **_source_fields(t),
        )
        types_by_code[t["code"]] = talent_type
        IndividualLevel.objects.bulk_create(
            IndividualLevel(
                talent_type=talent_type,
                code=lv["code"],
                order=lv["order"],
                label=lv["label"],
                name=lv["name"],
                description=lv["description"],
                role_image=lv["role_image"],
                development_direction=lv["development_direction"],
                criteria=lv["criteria"],
                details=lv["details"],
                **_source_fields(lv),
            )
            for lv in t["individual_levels"]
        )
        DevelopmentStep.objects.bulk_create(
            DevelopmentStep(
                talent_type=talent_type,
                order=s["order"],
                name=s["name"],
                target_levels=s["target_levels"],
                text=s["text"],
                **_source_fields(s),
            )
            for s in t["development_steps"]
        )
    MaturityLevel.objects.bulk_create(
        MaturityLevel(
            version=version,
            level=m["level"],
            name=m["name"],
            statements=m["statements"],
            **_source_fields(m),
        )
        for m in content["maturity_levels"]
    )
    for pos, c in enumerate(content["competencies"], start=1):
        competency = Competency.objects.create(
            version=version,
            code=c["code"],
            order=pos,
            kind=c["kind"],
            name=c["name"],
            description=c["description"],
            talent_type=types_by_code.get(c["talent_type"]) if c["talent_type"] else None,
            **_source_fields(c),
        )
        CompetencyLevel.objects.bulk_create(
            CompetencyLevel(
                competency=competency,
                level=cl["level"],
                label=cl["label"],
                behaviours=cl["behaviours"],
                **_source_fields(cl),
            )
            for cl in c["levels"]
        )
    Responsibility.objects.bulk_create(
        Responsibility(
            version=version, order=pos, unit=r["unit"], text=r["text"], **_source_fields(r)
        )
        for pos, r in enumerate(content["responsibilities"], start=1)
    )


def _framework_meta(framework: Framework, content: Content) -> list[str]:
    """Copy name/description/source from the content; the names of the fields that changed."""
    changed = []
    values = {
        "name": content["name"],
        "description": content["description"],
        "source_file": content["source"]["file"][:200],
        "source_section": content["source"]["section"][:300],
        "note": content["note"],
    }
    for field, value in values.items():
        if getattr(framework, field) != value:
            setattr(framework, field, value)
            changed.append(field)
    return changed


# --- templates ---------------------------------------------------------------


def template_content_read(path: Path) -> Content:
    """Parse one template file into canonical content (raises ApplicationError if invalid)."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ApplicationError(f"{path.name}: TOML の書式が正しくありません（{exc}）。") from exc
    content = content_normalise(raw)
    if content["code"] != path.stem:
        raise ApplicationError(
            f"{path.name}: code「{content['code']}」を"
            f"ファイル名と同じ「{path.stem}」にしてください。"
        )
    _raise_if_invalid(content, where=path.name)
    missing = _items_without_section(content)
    if missing:
        raise ApplicationError(
            f"{path.name}: 出典の箇所（section）がない項目があります: {'、'.join(missing[:5])}"
        )
    return content


def _items_without_section(content: Content) -> list[str]:
    missing = []
    for t in content["talent_types"]:
        for item in [t, *t["individual_levels"], *t["development_steps"]]:
            if not item["source"]["file"] or not item["source"]["section"]:
                missing.append(item.get("name") or item.get("code") or "?")
    for item in [
        *content["maturity_levels"],
        *content["competencies"],
        *content["responsibilities"],
    ]:
        if not item["source"]["file"] or not item["source"]["section"]:
            missing.append(str(item.get("name") or item.get("unit") or item.get("level")))
    return missing


def national_organization() -> Organization | None:
    """国 (総務省) from the orgs master: the owner of the templates, when present."""
    return Organization.objects.filter(kind=OrganizationKind.NATIONAL).order_by("id").first()


@dataclass(frozen=True)
class TemplateChange:
    code: str
    action: str  # "created" | "new_version" | "unchanged" | "owner" (owner/meta only)
    version: int

    def __str__(self) -> str:
        labels = {
            "created": "作成",
            "new_version": "新しい版を公開",
            "draft_updated": "下書きを更新して公開",
            "meta": "名称・出典を更新",
            "unchanged": "変更なし",
        }
        return f"{self.code}: {labels.get(self.action, self.action)}（v{self.version}）"


@transaction.atomic
def framework_templates_load(*, directory: Path | None = None) -> list[TemplateChange]:
    """Load every `<code>.toml` template; idempotent (an unchanged file changes nothing).

    All files are read and validated before anything is written; one bad file
    refuses the whole load.
    """
    paths = sorted((directory or TEMPLATE_DIR).glob("*.toml"))
    contents = [template_content_read(p) for p in paths]
    owner = national_organization()
    changes = []
    now = timezone.now()
    for content in contents:
        digest = content_hash(content)
        framework = Framework.objects.filter(is_template=True, code=content["code"]).first()
        if framework is None:
            framework = Framework(is_template=True, code=content["code"], owner=owner)
            _framework_meta(framework, content)
            framework.full_clean()
            framework.save()
            version = FrameworkVersion.objects.create(
                framework=framework,
                number=1,
                status=VersionStatus.PUBLISHED,
                published_at=now,
                content_hash=digest,
            )
            _content_write(version, content)
            changes.append(TemplateChange(content["code"], "created", 1))
            audit_record(
                action=AuditEvent.Action.CREATE,
                target=version,
                detail={"template": content["code"]},
            )
            continue
        meta_changed = _framework_meta(framework, content)
        if owner is not None and framework.owner_id != owner.pk:
            framework.owner = owner
            meta_changed.append("owner")
        if meta_changed:
            framework.save(update_fields=[*meta_changed, "updated_at"])
        latest = framework.versions.order_by("-number").first()
        if latest is not None and latest.content_hash == digest:
            action = "meta" if meta_changed else "unchanged"
            changes.append(TemplateChange(content["code"], action, latest.number))
            continue
        if latest is not None and latest.status == VersionStatus.DRAFT:
            version, action = latest, "draft_updated"
            version.status, version.published_at = VersionStatus.PUBLISHED, now
        else:
            number = (latest.number + 1) if latest is not None else 1
            version = FrameworkVersion(framework=framework, number=number)
            version.status, version.published_at, action = (
                VersionStatus.PUBLISHED,
                now,
                "new_version",
            )
        version.content_hash = digest
        version.save()
        _content_write(version, content)
        changes.append(TemplateChange(content["code"], action, version.number))
        audit_record(
            action=AuditEvent.Action.UPDATE, target=version, detail={"template": content["code"]}
        )
    return changes


# --- a 団体's frameworks -----------------------------------------------------


def _latest_published(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def _code_taken(organization: Any, code: str) -> bool:
    return Framework.objects.filter(is_template=False, owner=organization, code=code).exists()


@transaction.atomic
def framework_adopt(
    *, actor: Actor, template_code: str, organization: Any, code: str = ""
) -> Framework:
    """Copy a template's latest published version into the 団体 as draft v1 (a copy it owns)."""
    _require_editor(actor=actor, organization=organization)
    template = Framework.objects.filter(is_template=True, code=template_code).first()
    source = _latest_published(template) if template is not None else None
    if template is None or source is None:
        raise ApplicationError(
            f"テンプレート「{template_code}」が見つかりません。テンプレートを読み込んでください。"
        )
    code = code or template.code
    if _code_taken(organization, code):
        raise ApplicationError(
            f"この団体には既にコード「{code}」のフレームワークがあります。別のコードを指定してください。"
        )
    content = framework_export(framework_version=source)
    framework = Framework(owner=organization, code=code, adopted_from=source)
    _framework_meta(framework, content)
    framework.full_clean()
    framework.save()
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    _content_write(version, content)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=framework,
        organization=organization,
        detail={"adopted_from": template.code, "template_version": source.number},
    )
    return framework


@transaction.atomic
def framework_create(*, actor: Actor, organization: Any, code: str, name: str) -> Framework:
    """Start a framework from scratch: an empty draft v1."""
    _require_editor(actor=actor, organization=organization)
    content = content_normalise({"code": code, "name": name})
    _raise_if_invalid(content)
    if not code:
        raise ApplicationError("フレームワークのコードを入力してください。")
    if _code_taken(organization, code):
        raise ApplicationError(
            f"この団体には既にコード「{code}」のフレームワークがあります。別のコードにしてください。"
        )
    framework = Framework(owner=organization, code=code, name=content["name"])
    framework.full_clean()
    framework.save()
    FrameworkVersion.objects.create(framework=framework, number=1)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=framework, organization=organization
    )
    return framework


def _lock_version(framework_version: FrameworkVersion) -> FrameworkVersion:
    return (
        FrameworkVersion.objects.select_for_update()
        .select_related("framework")
        .get(pk=framework_version.pk)
    )


def _removal(framework: Framework, old: Content, new: Content) -> Removal:
    """Codes present in `old` and gone from `new`."""

    def level_keys(content: Content) -> set[tuple[str, str]]:
        return {
            (t["code"], lv["code"])
            for t in content["talent_types"]
            for lv in t["individual_levels"]
        }

    old_types = {t["code"] for t in old["talent_types"]}
    new_types = {t["code"] for t in new["talent_types"]}
    removed_types = old_types - new_types
    return Removal(
        framework=framework,
        talent_type_codes=frozenset(removed_types),
        # Levels of a removed type go with it; the checker sees the type.
        level_codes=frozenset(
            key for key in level_keys(old) - level_keys(new) if key[0] not in removed_types
        ),
        competency_codes=frozenset(
            {c["code"] for c in old["competencies"]} - {c["code"] for c in new["competencies"]}
        ),
    )


def _content_replace(
    *, actor: Actor | None, version: FrameworkVersion, content: dict[str, Any]
) -> FrameworkVersion:
    """Check and write a draft's whole content (the caller holds the lock and checked access).

    Refused when the version is published, the content is invalid, or an item it
    removes is still used by another app (frameworks.usage).
    """
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError(
            f"公開済みの版（v{version.number}）は編集できません。新しい下書きを作成してから編集してください。"
        )
    normalised = content_normalise(content)
    _raise_if_invalid(normalised)
    framework = version.framework
    normalised["code"] = framework.code
    in_use = usages_of(_removal(framework, framework_export(framework_version=version), normalised))
    if in_use:
        message = "使われている項目は削除できません: " + in_use[0]
        if len(in_use) > 1:
            message += f"（ほか {len(in_use) - 1} 件）"
        raise ApplicationError(message, extra={"errors": in_use})
    changed = _framework_meta(framework, normalised)
    if changed:
        framework.save(update_fields=[*changed, "updated_at"])
    _content_write(version, normalised)
    version.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=version,
        organization=framework.owner,
        detail={"framework": framework.code, "version": version.number},
    )
    return version


@transaction.atomic
def framework_version_update(
    *, actor: Actor, framework_version: FrameworkVersion, content: dict[str, Any]
) -> FrameworkVersion:
    """Replace a draft's whole content (`framework_export` shape); published versions are frozen."""
    version = _lock_version(framework_version)
    _require_editor(actor=actor, framework=version.framework)
    return _content_replace(actor=actor, version=version, content=content)


@transaction.atomic
def framework_version_publish(
    *, actor: Actor, framework_version: FrameworkVersion
) -> FrameworkVersion:
    """Publish a draft after checking its whole content; it is frozen from then on."""
    version = _lock_version(framework_version)
    _require_editor(actor=actor, framework=version.framework)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError(f"v{version.number} は既に公開済みです。")
    content = framework_export(framework_version=version)
    errors = content_errors(content)
    if not content["talent_types"] and not content["competencies"]:
        errors.append("人材類型かマインド・スキルを1つ以上登録してから公開してください。")
    if errors:
        message = "公開できません: " + errors[0]
        if len(errors) > 1:
            message += f"（ほか {len(errors) - 1} 件）"
        raise ApplicationError(message, extra={"errors": errors})
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=version,
        organization=version.framework.owner,
        detail={"framework": version.framework.code, "version": version.number, "published": True},
    )
    return version


@transaction.atomic
def framework_version_new_draft(*, actor: Actor, framework: Framework) -> FrameworkVersion:
    """Copy the latest published version into draft v(n+1); refused while a draft exists."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _require_editor(actor=actor, framework=framework)
    draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ApplicationError(
            f"下書き v{draft.number} が既にあります。その下書きを編集してください。"
        )
    source = _latest_published(framework)
    if source is None:
        raise ApplicationError("公開済みの版がありません。先に版を公開してください。")
    last = framework.versions.order_by("-number").first()
    number = (last.number if last is not None else 0) + 1
    version = FrameworkVersion.objects.create(framework=framework, number=number)
    _content_write(version, framework_export(framework_version=source))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=version,
        organization=framework.owner,
        detail={"framework": framework.code, "version": number, "copied_from": source.number},
    )
    return version


# --- editing a draft item by item (the browser) --------------------------------
# Each edit reads the draft's content, changes one item (found by its stable code)
# and writes the whole content back through `_content_replace`, so every edit is
# checked by the same rules as a whole-content update and nothing is half-saved.

ContentEdit = Callable[[Content], None]


def _draft_version(framework: Framework) -> FrameworkVersion:
    draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise ApplicationError(
            "編集できる下書きがありません。「新しい下書きを作成」を押してから編集してください。"
        )
    return draft


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


# --- skill map import ----------------------------------------------------------


def skill_map_import(
    *,
    framework: Framework,
    table: Table,
    dry_run: bool,
    actor: Actor | None = None,
    progress: ProgressOption = None,
) -> ImportSummary:
    """Set the behaviours of the draft's competency levels from a skill-map file.

    All rows or none (core.tabular_import.run_import). A row naming a competency
    the draft does not have is refused: competencies are added on the screen, so a
    typo never creates one. Levels missing from the file are left as they are.
    `actor` None is the operator at the command line.
    """
    if actor is not None:
        _require_editor(actor=actor, framework=framework)
    if framework.is_template:
        raise ApplicationError(
            "テンプレートには取り込めません。テンプレートを採用した団体のフレームワークを指定してください。"
        )
    draft = _draft_version(framework)
    content = framework_export(framework_version=draft)
    competencies = {c["code"]: c for c in content["competencies"]}
    seen: set[tuple[str, int]] = set()

    def apply(row: ParsedRow) -> RowOutcome:
        code, level = row["code"], row["level"]
        c = competencies.get(code)
        if c is None:
            raise RowProblem(
                "code",
                f"マインド・スキル「{code}」はこのフレームワークにありません。"
                "コードを直すか、先に画面でマインド・スキルを追加してください",
            )
        if level < 1:
            raise RowProblem("level", "レベルは 1 以上の整数で入力してください")
        if (code, level) in seen:
            raise RowProblem("level", f"「{code}」のレベル {level} の行が重複しています")
        seen.add((code, level))
        behaviours = [b.strip() for b in row.values.get("behaviours", "").splitlines() if b.strip()]
        key = f"{c['name']} レベル{level}"
        existing = next((cl for cl in c["levels"] if cl["level"] == level), None)
        if existing is None:
            c["levels"].append(
                {"level": level, "behaviours": behaviours, "label": row.values.get("label", "")}
            )
            c["levels"].sort(key=lambda x: x["level"])
            return RowOutcome("new", key=key)
        changes: dict[str, tuple[object, object]] = {}
        if existing["behaviours"] != behaviours:
            changes["behaviours"] = ("／".join(existing["behaviours"]), "／".join(behaviours))
            existing["behaviours"] = behaviours
        if "label" in row.values and existing["label"] != row.values["label"]:
            changes["label"] = (existing["label"], row.values["label"])
            existing["label"] = row.values["label"]
        return RowOutcome("changed" if changes else "unchanged", key=key, changes=changes)

    def finish(summary: ImportSummary) -> None:
        _content_replace(actor=actor, version=_lock_version(draft), content=content)

    return run_import(
        table, apply=apply, dry_run=dry_run, label="スキルマップ", finish=finish, progress=progress
    )
