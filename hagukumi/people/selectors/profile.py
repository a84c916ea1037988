"""One staff member's profile as the actor may see it (pages and the API); audited.

Only the field groups of the visibility matrix (hagukumi.people.visibility)
are filled; the rest is absent, not blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.people.models import (
    CareerModel,
    Designation,
    DesignationEvent,
    DesignationStatus,
    JobApplication,
    SpecialDepartment,
    Staff,
    StaffQualification,
)
from hagukumi.people.selectors.access import access_staff_by_id
from hagukumi.people.selectors.designations import TalentTypeLabels
from hagukumi.people.selectors.subsidies import (
    SubsidyResult,
    designated_types_of,
    subsidy_evaluate,
    subsidy_rules_for,
)
from hagukumi.people.visibility import (
    FieldGroup,
    fields_of,
    staff_editable_groups,
    staff_scope,
    staff_visible_groups,
)

__all__ = [
    "CAREER_MODEL_LABELS",
    "DEPARTMENT_LABELS",
    "STATUS_LABELS",
    "DesignationRow",
    "QualificationRow",
    "StaffProfile",
    "staff_profile",
    "staff_values",
]

CAREER_MODEL_LABELS = dict(CareerModel.choices)
DEPARTMENT_LABELS = dict(SpecialDepartment.choices)
STATUS_LABELS = dict(DesignationStatus.choices)


@dataclass(frozen=True)
class QualificationRow:
    record: StaffQualification
    subsidies: list[SubsidyResult]


@dataclass(frozen=True)
class DesignationRow:
    designation: Designation
    talent_type_name: str
    events: list[DesignationEvent]


@dataclass
class StaffProfile:
    """What a profile page or API shows: only the fields in `fields` are filled."""

    staff: Staff
    groups: frozenset[FieldGroup]
    fields: frozenset[str]
    editable: frozenset[FieldGroup]
    values: dict[str, Any]
    qualifications: list[QualificationRow] | None = None
    designations: list[DesignationRow] | None = None
    applications: list[JobApplication] | None = None

    def shows(self, name: str) -> bool:
        return name in self.fields or name in self.groups


def staff_values(staff: Staff, names: Iterable[str]) -> dict[str, Any]:
    """Display values of the named Staff fields (labels for choices, unit name)."""
    out: dict[str, Any] = {}
    for name in names:
        if name in ("qualifications", "designations"):
            continue
        if name == "unit":
            out["unit"] = staff.unit.name if staff.unit_id and staff.unit else ""
            out["unit_code"] = staff.unit.code if staff.unit_id and staff.unit else ""
        elif name == "career_model":
            out[name] = CAREER_MODEL_LABELS.get(staff.career_model, "")
        elif name == "special_department":
            out[name] = DEPARTMENT_LABELS.get(staff.special_department, "")
        else:
            out[name] = getattr(staff, name)
    return out


def _qualification_rows(staff: Staff) -> list[QualificationRow]:
    records = list(
        StaffQualification.objects.filter(staff=staff)
        .select_related("qualification", "staff")
        .order_by("obtained_on", "qualification__order")
    )
    rules = subsidy_rules_for(organization=staff.organization_id)
    held: dict[int, set[tuple[int, str]]] = {}  # per FY of 取得年月日: one query each
    rows = []
    for record in records:
        fiscal_year = fiscal_year_of(record.obtained_on)
        if rules and fiscal_year not in held:
            held[fiscal_year] = designated_types_of(staff_id=staff.pk, fiscal_year=fiscal_year)
        rows.append(
            QualificationRow(
                record=record,
                subsidies=[
                    subsidy_evaluate(rule=rule, record=record, designated_types=held[fiscal_year])
                    for rule in rules
                ],
            )
        )
    return rows


def staff_profile(*, actor: Actor, staff_id: int | str) -> StaffProfile:
    """The profile of one staff member as the actor may see it; audited (閲覧)."""
    staff = access_staff_by_id(actor=actor, staff_id=staff_id)
    scope = staff_scope(actor)
    groups = staff_visible_groups(actor, staff, scope=scope)
    visible = fields_of(groups)
    profile = StaffProfile(
        staff=staff,
        groups=groups,
        fields=visible,
        editable=staff_editable_groups(actor, staff, scope=scope),
        values=staff_values(staff, sorted(visible)),
    )
    if FieldGroup.QUALIFICATIONS in groups:
        profile.qualifications = _qualification_rows(staff)
    if FieldGroup.DESIGNATIONS in groups:
        labels = TalentTypeLabels(organization=staff.organization_id)
        profile.designations = [
            DesignationRow(d, labels.of_designation(d), list(d.events.all()))
            for d in Designation.objects.filter(staff=staff)
            .prefetch_related("events")
            .order_by("from_fy", "id")
        ]
    is_self = staff.user_id is not None and staff.user_id == getattr(actor.user, "pk", None)
    if is_self or actor.has_role(Role.HR):
        profile.applications = list(
            JobApplication.objects.filter(staff=staff)
            .select_related("challenge")
            .order_by("-created_at")
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        detail={"fields": sorted(g.value for g in groups)},
    )
    return profile
