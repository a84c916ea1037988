"""What people shows on one unit of the org chart (core.registries.UnitPanel).

orgs renders the chart and cannot import people; `register()` (from
PeopleConfig.ready()) adds the panel, and orgs calls
`core.registries.render_unit_panels`. The panel shows, as of the end of the
chart's 年度 (or today), how many staff the unit has (and with the units
below it), and its DX推進リーダー: holders (認定・実践) of the talent types
listed in the leader directory, in the unit or below. Counts and units follow
people.metrics (異動歴, DesignationEvent history). Like the leader directory it
is open to every user of the 団体; listing names writes an audit 閲覧 record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string

from hagukumi.core.audit import audit_record
from hagukumi.core.metrics import metric_as_of
from hagukumi.core.models import AuditEvent
from hagukumi.core.registries import UnitPanel, register_unit_panel
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.selectors import talent_type_labels
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.people.code_lists import code_values
from hagukumi.people.metrics import HeldUnit, designation_facts, held_units, present_on
from hagukumi.people.models import HOLDING_STATUSES, Assignment, CodeKind, Designation, Staff

PANEL_KEY = "people-unit"


@dataclass(frozen=True)
class UnitLeader:
    staff_id: int
    name: str
    talent_type_name: str
    role: str
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class UnitStaffPanel:
    unit: Unit
    fiscal_year: int
    staff_count: int  # in the unit itself
    staff_count_below: int  # in the unit and every unit below it
    leaders: list[UnitLeader]


def unit_staff_panel(
    *, actor: Actor, unit: Unit, fiscal_year: int, today: dt.date | None = None
) -> UnitStaffPanel | None:
    """The panel's data for `unit` as of the end of `fiscal_year`; None outside the actor's
    団体 or when the 所属 did not exist that year."""
    if actor.organization_id is None or actor.organization_id != unit.organization_id:
        return None
    organization_id = unit.organization_id
    day = metric_as_of(fiscal_year, today=today)
    node = units_as_of(organization=unit.organization, fiscal_year=fiscal_year).node(unit.code)
    if node is None:
        return None
    codes = {n.unit.code for n in node.subtree()}
    # Everyone who was ever in one of these units (or is now): held_units decides.
    candidates = (
        Staff.objects.filter(organization_id=organization_id)
        .filter(present_on(day))
        .filter(
            Q(unit__code__in=codes)
            | Q(
                pk__in=Assignment.objects.filter(
                    staff__organization_id=organization_id, unit__code__in=codes
                ).values("staff_id")
            )
        )
    )
    current = {
        pk: HeldUnit(code or "", name or "")
        for pk, code, name in candidates.values_list("pk", "unit__code", "unit__name")
    }
    held = held_units(staff_ids=candidates.values("pk"), day=day, current=current)
    in_unit = [code for code in (u.code for u in held.values()) if code in codes]

    directory_types = set(code_values(organization=organization_id, kind=CodeKind.DIRECTORY_TYPE))
    facts = [
        f
        for f in designation_facts(
            organization_ids=[organization_id],
            fiscal_year=fiscal_year,
            statuses=HOLDING_STATUSES,
            today=today,
        )
        if f.talent_type_code in directory_types and f.unit.code in codes
    ]
    leaders: list[UnitLeader] = []
    if facts:
        names = dict(
            Staff.objects.filter(pk__in=[f.staff_id for f in facts]).values_list("pk", "name")
        )
        types = talent_type_labels(organization=organization_id)
        leaders = sorted(
            (
                UnitLeader(
                    staff_id=f.staff_id,
                    name=names.get(f.staff_id, ""),
                    talent_type_name=types.get(
                        (f.framework_id, f.talent_type_code), f.talent_type_code
                    ),
                    role=f.keys["role"],
                    unit_code=f.unit.code,
                    unit_name=f.unit.name,
                )
                for f in facts
            ),
            key=lambda leader: (leader.unit_code != unit.code, leader.unit_code, leader.name),
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            target_type=Designation._meta.label,
            target_repr=f"所属のDX推進リーダー: {unit.name}",
            detail={"unit": unit.code, "fiscal_year": fiscal_year, "rows": len(leaders)},
        )
    return UnitStaffPanel(
        unit=unit,
        fiscal_year=fiscal_year,
        staff_count=sum(1 for code in in_unit if code == unit.code),
        staff_count_below=len(in_unit),
        leaders=leaders,
    )


def unit_panel_render(*, actor: Actor, unit: Unit, fiscal_year: int) -> str:
    panel = unit_staff_panel(actor=actor, unit=unit, fiscal_year=fiscal_year)
    if panel is None:
        return ""
    return render_to_string("people/partials/unit_panel.html", {"panel": panel})


def register() -> None:
    """Add people's org-chart panel to core's registry (PeopleConfig.ready())."""
    register_unit_panel(UnitPanel(key=PANEL_KEY, title="職員", render=unit_panel_render, order=10))
