"""Reads on frameworks: templates, a 団体's frameworks, and the export dict.

Other apps refer to framework items by (framework, stable code) through the
`in_force` reads re-exported here (docs/adr/0006).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.in_force import (
    CompetencyInForce,
    CompetencyLevelInForce,
    LevelInForce,
    TalentTypeInForce,
    competencies_in_force,
    individual_levels_of,
    talent_type_choices,
    talent_type_in_force,
    talent_type_key,
    talent_type_key_parse,
    talent_type_labels,
    talent_type_name,
    talent_types_in_force,
    version_in_force,
    versions_in_force,
)
from hagukumi.frameworks.models import (
    Competency,
    Framework,
    FrameworkVersion,
    MicType,
    TalentType,
    VersionStatus,
)


def _source(item: Any) -> dict[str, str]:
    return {"file": item.source_file, "section": item.source_section}


def framework_export(*, framework_version: FrameworkVersion) -> dict[str, Any]:
    """The version as one dict: the keys of issue [フレームワーク] first, then sources and notes.

    The same shape is accepted back by `services.framework_version_update`.
    """
    version = (
        FrameworkVersion.objects.select_related("framework")
        .prefetch_related(
            Prefetch(
                "talent_types",
                queryset=TalentType.objects.prefetch_related(
                    "individual_levels", "development_steps"
                ),
            ),
            "maturity_levels",
            Prefetch(
                "competencies",
                queryset=Competency.objects.select_related("talent_type").prefetch_related(
                    "levels"
                ),
            ),
            "responsibilities",
        )
        .get(pk=framework_version.pk)
    )
    framework = version.framework
    return {
        "code": framework.code,
        "name": framework.name,
        "version": version.number,
        "source": _source(framework),
        "talent_types": [
            {
                "code": t.code,
                "name": t.name,
                "mic_type": t.mic_type,
                "description": t.description,
                "roles": t.roles,
                "individual_levels": [
                    {
                        "code": lv.code,
                        "order": lv.order,
                        "name": lv.name,
                        "criteria": lv.criteria,
                        "label": lv.label,
                        "description": lv.description,
                        "role_image": lv.role_image,
                        "development_direction": lv.development_direction,
                        "details": lv.details,
                        "source": _source(lv),
                        "note": lv.note,
                    }
                    for lv in t.individual_levels.all()
                ],
                "order": t.order,
                "expected_role": t.expected_role,
                "development_direction": t.development_direction,
                "details": t.details,
                "development_steps": [
                    {
                        "order": s.order,
                        "name": s.name,
                        "target_levels": s.target_levels,
                        "text": s.text,
                        "source": _source(s),
                        "note": s.note,
                    }
                    for s in t.development_steps.all()
                ],
                "source": _source(t),
                "note": t.note,
            }
            for t in version.talent_types.all()
        ],
        "maturity_levels": [
            {
                "level": m.level,
                "name": m.name,
                "statements": m.statements,
                "source": _source(m),
                "note": m.note,
            }
            for m in version.maturity_levels.all()
        ],
        "competencies": [
            {
                "code": c.code,
                "kind": c.kind,
                "name": c.name,
                "levels": [
                    {
                        "level": cl.level,
                        "behaviours": cl.behaviours,
                        "label": cl.label,
                        "source": _source(cl),
                        "note": cl.note,
                    }
                    for cl in c.levels.all()
                ],
                "description": c.description,
                "talent_type": c.talent_type.code if c.talent_type else "",
                "source": _source(c),
                "note": c.note,
            }
            for c in version.competencies.all()
        ],
        "responsibilities": [
            {"unit": r.unit, "text": r.text, "source": _source(r), "note": r.note}
            for r in version.responsibilities.all()
        ],
        "description": framework.description,
        "note": framework.note,
    }


def framework_templates(*, actor: Actor) -> QuerySet[Framework]:
    """The shipped templates, in code order (open to every actor; no actor sees nothing)."""
    if actor is None:
        return Framework.objects.none()
    return Framework.objects.filter(is_template=True).order_by("code")


def framework_version_latest_published(*, framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def framework_version_for_export(
    *, actor: Actor, identifier: str, version: int | None = None
) -> FrameworkVersion:
    """A template by code, or a framework the actor may see by numeric id
    (`access_framework_by_id`); its latest published version (or the latest
    version when none is published), or version `version`.

    `hagukumi export_framework` asks as `Actor.system()`, which may export any
    framework by id, as the operator of the server could before.
    """
    framework: Framework | None
    if actor is None:
        framework = None
    elif identifier.isdigit():
        try:
            framework = access_framework_by_id(actor=actor, framework_id=int(identifier))
        except AccessDenied:
            framework = None
    else:
        framework = Framework.objects.filter(is_template=True, code=identifier).first()
    if framework is None:
        raise ApplicationError(f"フレームワーク「{identifier}」が見つかりません。")
    versions = framework.versions.order_by("-number")
    if version is not None:
        found = versions.filter(number=version).first()
    else:
        found = versions.filter(status=VersionStatus.PUBLISHED).first() or versions.first()
    if found is None:
        raise ApplicationError(f"フレームワーク「{identifier}」に該当する版がありません。")
    return found


def access_framework_by_id(*, actor: Actor, framework_id: int) -> Framework:
    """A framework the actor may see: a template, or one owned by the actor's 団体.

    `Actor.system()` (the operator's commands) is served every framework, so that
    a command given a framework id can find its 団体; no actor sees nothing.
    """
    if actor is None:
        raise AccessDenied()
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None or not (
        framework.is_template
        or actor.is_system
        or (actor.organization_id is not None and framework.owner_id == actor.organization_id)
    ):
        raise AccessDenied()
    return framework


def frameworks_for(*, actor: Actor) -> QuerySet[Framework]:
    """The frameworks of the actor's 団体 (templates are listed by `framework_templates`)."""
    if actor is None or actor.organization_id is None:
        return Framework.objects.none()
    return Framework.objects.filter(is_template=False, owner_id=actor.organization_id).order_by(
        "code"
    )


def frameworks_visible(*, actor: Actor) -> QuerySet[Framework]:
    """Templates, then the actor's 団体's frameworks, with their versions (none: nothing)."""
    if actor is None:
        return Framework.objects.none()
    own = Q(is_template=False, owner_id=actor.organization_id) if actor.organization_id else Q()
    query = Q(is_template=True) | own if actor.organization_id else Q(is_template=True)
    return (
        Framework.objects.filter(query)
        .select_related("owner")
        .prefetch_related("versions")
        .order_by("-is_template", "code")
    )


def framework_version_shown(*, framework: Framework, number: int | None = None) -> FrameworkVersion:
    """Version `number`, else the latest published one, else the latest (a first draft)."""
    versions = framework.versions.order_by("-number")
    found = (
        versions.filter(number=number).first()
        if number is not None
        else versions.filter(status=VersionStatus.PUBLISHED).first() or versions.first()
    )
    if found is None:
        raise AccessDenied()
    return found


def framework_draft(*, framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.DRAFT).first()


@dataclass(frozen=True)
class ComparisonRow:
    """One MIC guidebook type (or 対応なし) with the talent types of each side that map to it."""

    mic_type: str
    label: str
    left: list[dict[str, Any]]
    right: list[dict[str, Any]]


def framework_comparison(*, left: dict[str, Any], right: dict[str, Any]) -> list[ComparisonRow]:
    """Two frameworks' talent types side by side, aligned by `mic_type` (seed 001's three types)."""
    rows = []
    for value, label in [*[(v, lbl) for v, lbl in MicType.choices if v], ("", "対応なし")]:
        row = ComparisonRow(
            mic_type=value,
            label=label,
            left=[t for t in left["talent_types"] if t["mic_type"] == value],
            right=[t for t in right["talent_types"] if t["mic_type"] == value],
        )
        if row.left or row.right or value:
            rows.append(row)
    return rows


@dataclass(frozen=True)
class MaturityRow:
    level: dict[str, Any]
    statements: list[str]  # one per talent type, in the types' order


def maturity_table(content: dict[str, Any]) -> list[MaturityRow]:
    """育成目標レベル × 人材類型: the organisation table of seed 001 as rows of cells."""
    codes = [t["code"] for t in content["talent_types"]]
    return [
        MaturityRow(level=m, statements=[(m["statements"] or {}).get(code, "") for code in codes])
        for m in content["maturity_levels"]
    ]


__all__ = [
    "ComparisonRow",
    "CompetencyInForce",
    "CompetencyLevelInForce",
    "LevelInForce",
    "MaturityRow",
    "TalentTypeInForce",
    "access_framework_by_id",
    "competencies_in_force",
    "framework_comparison",
    "framework_draft",
    "framework_export",
    "framework_templates",
    "framework_version_for_export",
    "framework_version_latest_published",
    "framework_version_shown",
    "frameworks_for",
    "frameworks_visible",
    "individual_levels_of",
    "maturity_table",
    "talent_type_choices",
    "talent_type_in_force",
    "talent_type_key",
    "talent_type_key_parse",
    "talent_type_labels",
    "talent_type_name",
    "talent_types_in_force",
    "version_in_force",
    "versions_in_force",
]
