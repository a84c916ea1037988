"""Fetching assessments' records for an actor, and how an actor stands to a staff member.

Who sees what (issue [研修]): 職員 their own; 所属長 their unit and below;
DX推進担当 the whole 団体; 人事担当 reads; 都道府県支援担当 and any user of another
団体: nothing (404). Row reach is people's (`people.visibility`), so an
assessment, a practice record or a certificate is visible exactly when its
staff member is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hagukumi.assessments.models import (
    Assessment,
    AssessmentSheet,
    AssessmentWindow,
    Certificate,
    CertificationRule,
    PracticeRecord,
)
from hagukumi.assessments.roles import READER_ROLES
from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff
from hagukumi.people.visibility import StaffScope, staff_scope, staff_visible_groups

__all__ = [
    "StaffRelation",
    "access_assessment_by_id",
    "access_certificate_by_id",
    "access_practice_record_by_id",
    "access_rule_by_id",
    "access_sheet_by_id",
    "access_window_by_id",
    "staff_relation",
]


@dataclass(frozen=True)
class StaffRelation:
    """How the actor stands to one staff member."""

    visible: bool  # may see them at all (else: 404)
    is_self: bool  # the staff record is linked to the actor's user
    is_head: bool  # the actor is their 所属長 (unit and below), and not they themselves
    is_office: bool  # DX推進担当 of their 団体 (the command line holds it)


def staff_relation(*, actor: Actor, staff: Staff, scope: StaffScope | None = None) -> StaffRelation:
    if actor is None or actor.organization_id is None:
        return StaffRelation(False, False, False, False)
    if staff.organization_id != actor.organization_id:
        return StaffRelation(False, False, False, False)
    scope = scope or staff_scope(actor)
    visible = bool(staff_visible_groups(actor, staff, scope=scope))
    user_id = getattr(actor.user, "pk", None)
    is_self = user_id is not None and staff.user_id == user_id
    is_head = not is_self and actor.has_role(Role.UNIT_HEAD) and staff.unit_id in scope.unit_ids
    return StaffRelation(visible, is_self, is_head, actor.has_role(Role.DX_OFFICE))


def access_sheet_by_id(*, actor: Actor, sheet_id: int | str) -> AssessmentSheet:
    """A sheet of the actor's 団体 (sheets describe competencies, not people: READER_ROLES)."""
    require_role(actor, *READER_ROLES)
    return access_organization_object(
        actor, AssessmentSheet.objects.select_related("framework"), pk=sheet_id
    )


def access_window_by_id(*, actor: Actor, window_id: int | str) -> AssessmentWindow:
    require_role(actor, *READER_ROLES)
    return access_organization_object(
        actor,
        AssessmentWindow.objects.select_related("sheet", "sheet__framework"),
        organization_field="sheet__organization",
        pk=window_id,
    )


def access_rule_by_id(*, actor: Actor, rule_id: int | str) -> CertificationRule:
    require_role(actor, *READER_ROLES)
    return access_organization_object(
        actor, CertificationRule.objects.select_related("framework"), pk=rule_id
    )


def _visible_or_404(actor: Actor, obj: Any) -> Any:
    if not staff_relation(actor=actor, staff=obj.staff).visible:
        raise AccessDenied()
    return obj


def access_assessment_by_id(*, actor: Actor, assessment_id: int | str) -> Assessment:
    """An assessment whose staff member the actor may see; 404 otherwise."""
    obj = access_organization_object(
        actor,
        Assessment.objects.select_related("staff", "staff__unit", "window", "window__sheet"),
        pk=assessment_id,
    )
    return _visible_or_404(actor, obj)


def access_practice_record_by_id(*, actor: Actor, record_id: int | str) -> PracticeRecord:
    obj = access_organization_object(
        actor, PracticeRecord.objects.select_related("staff", "staff__unit"), pk=record_id
    )
    return _visible_or_404(actor, obj)


def access_certificate_by_id(*, actor: Actor, certificate_id: int | str) -> Certificate:
    obj = access_organization_object(
        actor,
        Certificate.objects.select_related("staff", "staff__unit", "organization", "rule"),
        pk=certificate_id,
    )
    return _visible_or_404(actor, obj)
