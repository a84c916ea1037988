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
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
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


@transaction.atomic
def framework_version_update(
    *, actor: Actor, framework_version: FrameworkVersion, content: dict[str, Any]
) -> FrameworkVersion:
    """Replace a draft's whole content (`framework_export` shape); published versions are frozen."""
    version = _lock_version(framework_version)
    _require_editor(actor=actor, framework=version.framework)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError(
            f"公開済みの版（v{version.number}）は編集できません。新しい下書きを作成してから編集してください。"
        )
    normalised = content_normalise(content)
    _raise_if_invalid(normalised)
    framework = version.framework
    normalised["code"] = framework.code
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
