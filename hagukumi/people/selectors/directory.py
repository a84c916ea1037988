"""The DX推進リーダー名簿: who holds a listed talent type, per unit (unit, type, role, 氏名).

Open to every user of the 団体 so that people know whom to ask; audited (閲覧).
The talent types listed are the 団体's code list 「名簿に掲載する人材類型」.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.people.code_lists import code_values
from hagukumi.people.models import CodeKind, Designation
from hagukumi.people.selectors.designations import TalentTypeLabels

__all__ = ["DirectoryRow", "leader_directory"]


@dataclass(frozen=True)
class DirectoryRow:
    """One line of the leader directory: unit, type and role, 氏名 — nothing more."""

    unit_id: int | None
    unit_code: str
    unit_name: str
    talent_type_code: str
    talent_type_name: str
    role: str
    name: str


def leader_directory(*, actor: Actor, fiscal_year: int | None = None) -> list[DirectoryRow]:
    """Current holders (認定/実践 in the FY) of the talent types listed in the directory."""
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    fiscal_year = fiscal_year or fiscal_year_of(timezone.localdate())
    type_codes = code_values(organization=actor.organization_id, kind=CodeKind.DIRECTORY_TYPE)
    labels = TalentTypeLabels(organization=actor.organization_id)
    today = timezone.localdate()
    rows = [
        DirectoryRow(
            unit_id=d.staff.unit_id,
            unit_code=d.staff.unit.code if d.staff.unit else "",
            unit_name=d.staff.unit.name if d.staff.unit else "",
            talent_type_code=d.talent_type_code,
            talent_type_name=labels.of_designation(d),
            role=d.role,
            name=d.staff.name,
        )
        for d in Designation.objects.filter(
            organization_id=actor.organization_id, talent_type_code__in=type_codes
        )
        .in_force(fiscal_year)
        .holding()
        .filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=today))
        .select_related("staff__unit")
        .order_by(
            "staff__unit__position",
            "staff__unit__code",
            "talent_type_code",
            "framework_id",
            "staff__number",
        )
    ]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target_type=Designation._meta.label,
        target_repr="DX推進リーダー名簿",
        detail={"fiscal_year": fiscal_year, "rows": len(rows)},
    )
    return rows
