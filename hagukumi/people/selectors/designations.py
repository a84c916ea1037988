"""Reads of 指定 (designations): the list within the actor's reach, talent-type labels.

A designation names its talent type by (framework, stable code); its label is
resolved through hagukumi.frameworks.in_force, never by code alone, so two
frameworks that share a code (mic and 札幌市 both have `dx-leader`) never mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.in_force import talent_type_labels, talent_type_name
from hagukumi.frameworks.usage import Removal
from hagukumi.people.models import HOLDING_STATUSES, Designation
from hagukumi.people.visibility import FieldGroup, searchable_groups, staff_scope

__all__ = [
    "HOLDING_STATUSES",
    "DesignationListRow",
    "TalentTypeLabels",
    "designation_list",
    "designations_using",
]


class TalentTypeLabels:
    """Labels of (framework, code) for lists of designations (or postings, rules).

    The types in force cost one query and are labelled as in the 団体's choice
    lists (with the framework's name when it has several in force); a type no
    longer in force is named from its framework's latest version (one query
    each, cached), a record without a framework by its code.
    """

    def __init__(self, *, organization: Any) -> None:
        self._labels: dict[tuple[int, str], str] = talent_type_labels(organization=organization)

    def of(self, *, framework_id: int | None, code: str) -> str:
        if not code:
            return ""
        if framework_id is None:
            return code
        key = (framework_id, code)
        if key not in self._labels:
            self._labels[key] = talent_type_name(framework=framework_id, code=code)
        return self._labels[key]

    def of_designation(self, designation: Designation) -> str:
        return self.of(framework_id=designation.framework_id, code=designation.talent_type_code)


@dataclass(frozen=True)
class DesignationListRow:
    designation: Designation
    talent_type_name: str


def designation_list(*, actor: Actor, include_revoked: bool = False) -> list[DesignationListRow]:
    """Designations of staff within the actor's reach (人事/DX: 団体; 所属長: unit and below)."""
    require_role(actor, Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD)
    if FieldGroup.DESIGNATIONS not in searchable_groups(actor):
        raise AccessDenied()
    scope = staff_scope(actor)
    qs = Designation.objects.filter(organization_id=actor.organization_id or 0).select_related(
        "staff__unit"
    )
    if not scope.whole_organization:
        qs = qs.filter(staff__unit_id__in=scope.unit_ids)
    if not include_revoked:
        qs = qs.not_revoked()
    labels = TalentTypeLabels(organization=actor.organization_id)
    rows = [
        DesignationListRow(d, labels.of_designation(d))
        for d in qs.order_by("talent_type_code", "framework_id", "staff__number", "from_fy", "id")
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target_type=Designation._meta.label,
        target_repr="指定の一覧",
        detail={"rows": len(rows)},
    )
    return rows


def designations_using(removal: Removal) -> list[str]:
    """frameworks usage checker: talent types and levels still named by designations."""
    found: list[str] = []
    framework = removal.framework
    if removal.talent_type_codes:
        for code, count in (
            Designation.objects.filter(
                framework=framework, talent_type_code__in=removal.talent_type_codes
            )
            .values_list("talent_type_code")
            .annotate(n=Count("id"))
            .order_by("talent_type_code")
        ):
            found.append(f"人材類型「{code}」は {count} 人の指定に使われています。")
    for type_code, level_code in sorted(removal.level_codes):
        count = Designation.objects.filter(
            framework=framework, talent_type_code=type_code, level_code=level_code
        ).count()
        if count:
            found.append(
                f"人材類型「{type_code}」の段階「{level_code}」は"
                f" {count} 人の指定に使われています。"
            )
    return found
