"""Frameworks API (`/api/v1/frameworks/`): the list, and one version in the export shape.

The detail is `selectors.framework_export`, the same dict `hagukumi export_framework`
prints and the detail page renders, so the three cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from hagukumi.core.web import actor_of
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import (
    access_framework_by_id,
    framework_export,
    framework_version_shown,
    frameworks_visible,
)

router = Router(tags=["人材育成フレームワーク"])


class FrameworkSourceOut(Schema):
    file: str
    section: str


class FrameworkDetailOut(Schema):
    label: str
    text: str
    source: FrameworkSourceOut


class TalentRoleOut(Schema):
    name: str
    unit: str
    summary: str
    duties: list[str]
    source: FrameworkSourceOut


class IndividualLevelOut(Schema):
    code: str
    order: int
    name: str
    criteria: str
    label: str
    description: str
    role_image: str
    development_direction: str
    details: list[FrameworkDetailOut]
    source: FrameworkSourceOut
    note: str


class DevelopmentStepOut(Schema):
    order: int
    name: str
    target_levels: str
    text: str
    source: FrameworkSourceOut
    note: str


class TalentTypeOut(Schema):
    code: str
    name: str
    mic_type: str
    description: str
    roles: list[TalentRoleOut]
    individual_levels: list[IndividualLevelOut]
    order: int
    expected_role: str
    development_direction: str
    details: list[FrameworkDetailOut]
    development_steps: list[DevelopmentStepOut]
    source: FrameworkSourceOut
    note: str


class MaturityLevelOut(Schema):
    level: int
    name: str
    statements: dict[str, str]
    source: FrameworkSourceOut
    note: str


class CompetencyLevelOut(Schema):
    level: int
    behaviours: list[str]
    label: str
    source: FrameworkSourceOut
    note: str


class CompetencyOut(Schema):
    code: str
    kind: str
    name: str
    levels: list[CompetencyLevelOut]
    description: str
    talent_type: str
    source: FrameworkSourceOut
    note: str


class ResponsibilityOut(Schema):
    unit: str
    text: str
    source: FrameworkSourceOut
    note: str


class FrameworkExportOut(Schema):
    code: str
    name: str
    version: int
    source: FrameworkSourceOut
    talent_types: list[TalentTypeOut]
    maturity_levels: list[MaturityLevelOut]
    competencies: list[CompetencyOut]
    responsibilities: list[ResponsibilityOut]
    description: str
    note: str


class FrameworkVersionOut(Schema):
    number: int
    status: str


class FrameworkOut(Schema):
    id: int
    code: str
    name: str
    is_template: bool
    owner: str
    versions: list[FrameworkVersionOut]


def _summary(framework: Framework) -> dict[str, Any]:
    return {
        "id": framework.pk,
        "code": framework.code,
        "name": framework.name,
        "is_template": framework.is_template,
        "owner": framework.owner.name if framework.owner else "",
        "versions": [
            {"number": v.number, "status": v.status}
            for v in sorted(framework.versions.all(), key=lambda v: v.number)
        ],
    }


@router.get("/", response=list[FrameworkOut], url_name="frameworks", summary="フレームワークの一覧")
def framework_list(request: HttpRequest) -> list[dict[str, Any]]:
    """テンプレートと、操作中の団体のフレームワークを返します。"""
    return [_summary(f) for f in frameworks_visible(actor=actor_of(request))]


@router.get(
    "/{framework_id}",
    response=FrameworkExportOut,
    url_name="framework",
    summary="フレームワークの内容",
)
def framework_detail(
    request: HttpRequest, framework_id: int, version: int | None = None
) -> dict[str, Any]:
    """1つの版の内容（`hagukumi export_framework` の JSON と同じ形）。

    `version` を省くと最新の公開版（公開版がなければ最新の版）です。
    """
    framework = access_framework_by_id(actor=actor_of(request), framework_id=framework_id)
    shown = framework_version_shown(framework=framework, number=version)
    return framework_export(framework_version=shown)
