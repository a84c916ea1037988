"""What every write on frameworks shares: who may edit, checking and writing a content.

A version's content is written whole (`content_write`): its items are deleted
and re-created, so their primary keys are not stable and other apps refer to
them by (framework, stable code) (docs/adr/0006). `content_replace` is the one
way a draft's content changes after creation: it validates the whole content
and refuses removing an item another app still uses (`frameworks.usage`).
"""

from __future__ import annotations

from typing import Any

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.content import Content, content_errors, content_normalise
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


FRAMEWORK_META_FIELDS = ("name", "description", "source_file", "source_section", "note")


def framework_meta(content: Content) -> dict[str, str]:
    """The Framework fields a content sets: name, description, source and note."""
    return {
        "name": content["name"],
        "description": content["description"],
        "source_file": content["source"]["file"][:200],
        "source_section": content["source"]["section"][:300],
        "note": content["note"],
    }


def _latest_published(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def _code_taken(organization: Any, code: str) -> bool:
    return Framework.objects.filter(is_template=False, owner=organization, code=code).exists()


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
    *, actor: Actor, version: FrameworkVersion, content: dict[str, Any]
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
    model_update(
        instance=framework,
        fields=FRAMEWORK_META_FIELDS,
        data=framework_meta(normalised),
        clean=False,
    )
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


def _draft_version(framework: Framework) -> FrameworkVersion:
    draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise ApplicationError(
            "編集できる下書きがありません。「新しい下書きを作成」を押してから編集してください。"
        )
    return draft
