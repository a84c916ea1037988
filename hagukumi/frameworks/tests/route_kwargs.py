"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any

from hagukumi.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    FrameworkVersion,
    IndividualLevel,
    TalentType,
)


def framework_with_draft(organization: Any, *, code: str = "route") -> Framework:
    """A 団体's framework whose draft v1 has one type (t1) with one level (l1) and one
    competency (c1) with level 1."""
    framework = Framework.objects.create(owner=organization, code=code, name="テスト育成方針")
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    talent_type = TalentType.objects.create(
        version=version, code="t1", order=1, name="DX推進リーダー", mic_type="dx-leader"
    )
    IndividualLevel.objects.create(talent_type=talent_type, code="l1", order=1, name="初級")
    competency = Competency.objects.create(
        version=version, code="c1", order=1, kind="mind", name="当事者意識"
    )
    CompetencyLevel.objects.create(competency=competency, level=1, behaviours=["自ら動く"])
    return framework


def _pk(world: Any) -> dict[str, Any]:
    return {"pk": framework_with_draft(world.organization).pk}


def _type(world: Any) -> dict[str, Any]:
    return {**_pk(world), "type_code": "t1"}


def _level(world: Any) -> dict[str, Any]:
    return {**_type(world), "level_code": "l1"}


def _competency(world: Any) -> dict[str, Any]:
    return {**_pk(world), "code": "c1"}


def _competency_level(world: Any) -> dict[str, Any]:
    return {**_competency(world), "level": 1}


ROUTE_KWARGS = {
    "frameworks:detail": _pk,
    "frameworks:diff": _pk,
    "frameworks:skill_map": _pk,
    "frameworks:skill_map_xlsx": _pk,
    "frameworks:skill_map_upload": _pk,
    "frameworks:draft": _pk,
    "frameworks:draft_new": _pk,
    "frameworks:draft_publish": _pk,
    "frameworks:type_add": _pk,
    "frameworks:type_edit": _type,
    "frameworks:type_delete": _type,
    "frameworks:level_add": _type,
    "frameworks:level_edit": _level,
    "frameworks:level_delete": _level,
    "frameworks:level_move": _level,
    "frameworks:competency_add": _pk,
    "frameworks:competency_edit": _competency,
    "frameworks:competency_delete": _competency,
    "frameworks:competency_level_add": _competency,
    "frameworks:competency_level_edit": _competency_level,
    "frameworks:competency_level_delete": _competency_level,
}
