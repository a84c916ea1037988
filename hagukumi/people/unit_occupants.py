"""Who works in the units an org-chart import would close (core.registries unit occupants).

orgs cannot import people; its unit import asks core's registry
(`unit_occupants`) and people answers, per unit code: the staff who hold the
unit in that 年度 (as of its end, or today: the Assignment history, as the
org-chart panel counts them) and its DX推進リーダー (holders of the leader
directory's talent types). Names of staff are shown to the roles that reach the
whole 団体 (人事担当, DX推進担当, the command line); anyone else sees the number.
DX推進リーダー are named for everyone, as in the leader directory. Listing
names writes one audit 閲覧 record.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from hagukumi.core.audit import audit_record
from hagukumi.core.metrics import metric_as_of
from hagukumi.core.models import AuditEvent
from hagukumi.core.registries import register_unit_occupants
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.selectors import talent_type_labels
from hagukumi.people.code_lists import code_values
from hagukumi.people.metrics import HeldUnit, designation_facts, held_units, present_on
from hagukumi.people.models import HOLDING_STATUSES, Assignment, CodeKind, Staff
from hagukumi.people.roles import WIDE_ROLES

PROVIDER_KEY = "people"
# Names listed per unit; the rest are counted (「…ほか 12名」).
NAMES_SHOWN = 5


def _names(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    return f"{shown}、ほか {rest}名" if rest > 0 else shown


def staff_in_units(
    *, actor: Actor, organization: Any, fiscal_year: int, codes: list[str]
) -> dict[str, list[str]]:
    """{unit code: [「在籍職員 3名（…）」, 「DX推進リーダー …」]} for the codes someone is in."""
    if actor.organization_id is None or actor.organization_id != organization.pk or not codes:
        return {}
    wanted = set(codes)
    day = metric_as_of(fiscal_year)
    candidates = (
        Staff.objects.filter(organization_id=organization.pk)
        .filter(present_on(day))
        .filter(
            Q(unit__code__in=wanted)
            | Q(
                pk__in=Assignment.objects.filter(
                    staff__organization_id=organization.pk, unit__code__in=wanted
                ).values("staff_id")
            )
        )
    )
    rows = list(candidates.order_by("number").values_list("pk", "name", "unit__code", "unit__name"))
    current = {pk: HeldUnit(code or "", unit_name or "") for pk, _name, code, unit_name in rows}
    held = held_units(staff_ids=candidates.values("pk"), day=day, current=current)
    staff_by_unit: dict[str, list[str]] = defaultdict(list)
    for pk, name, _code, _unit_name in rows:
        unit = held.get(pk)
        if unit is not None and unit.code in wanted:
            staff_by_unit[unit.code].append(name)

    directory_types = set(code_values(organization=organization.pk, kind=CodeKind.DIRECTORY_TYPE))
    facts = [
        f
        for f in designation_facts(
            organization_ids=[organization.pk],
            fiscal_year=fiscal_year,
            statuses=HOLDING_STATUSES,
        )
        if f.talent_type_code in directory_types and f.unit.code in wanted
    ]
    leaders_by_unit: dict[str, list[str]] = defaultdict(list)
    if facts:
        names = dict(
            Staff.objects.filter(pk__in=[f.staff_id for f in facts]).values_list("pk", "name")
        )
        types = talent_type_labels(organization=organization.pk)
        for fact in sorted(facts, key=lambda f: names.get(f.staff_id, "")):
            type_name = types.get((fact.framework_id, fact.talent_type_code), "")
            label = f"{names.get(fact.staff_id, '')}（{type_name}）" if type_name else ""
            leaders_by_unit[fact.unit.code].append(label or names.get(fact.staff_id, ""))

    may_name_staff = actor.has_role(*WIDE_ROLES)
    found: dict[str, list[str]] = {}
    for code in sorted(wanted):
        lines: list[str] = []
        in_unit = staff_by_unit.get(code, [])
        if in_unit:
            text = f"在籍職員 {len(in_unit)}名"
            lines.append(f"{text}（{_names(in_unit)}）" if may_name_staff else text)
        if leaders_by_unit.get(code):
            lines.append(f"DX推進リーダー {_names(leaders_by_unit[code])}")
        if lines:
            found[code] = lines
    named = sum(len(v) for v in staff_by_unit.values()) if may_name_staff else 0
    named += sum(len(v) for v in leaders_by_unit.values())
    if named:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            organization=organization,
            target_type=Staff._meta.label,
            target_repr="廃止する所属の在籍職員",
            detail={"fiscal_year": fiscal_year, "units": len(found), "rows": named},
        )
    return found


def register() -> None:
    """Answer orgs' unit import through core's registry (PeopleConfig.ready())."""
    register_unit_occupants(PROVIDER_KEY, staff_in_units)
