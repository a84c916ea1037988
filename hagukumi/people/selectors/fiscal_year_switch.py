"""The 4月1日 switch to a new 年度, previewed: what changes as of that day (ADR 0009).

`fiscal_year_switch_plan(actor=, organization=, fiscal_year=N)` compares the org
chart of N-1 and N (units valid from N were loaded ahead by the org-chart
import) and the 異動歴 (the 4/1 異動 loaded ahead by the 異動 import), and lists:

- units that appear (新設; 統合 when a new unit names several predecessors),
  close (廃止, or 統合・移管 into a successor) and are revised (same code, a new
  version: renamed or moved);
- staff who move on 4月1日: by their 発令, or because their unit is revised or
  merged (they follow it; a new 異動歴 period from 4/1);
- designations (指定) whose holder's unit closes;
- 所属長 memberships that must move (to the unit's next version or successor;
  none: the role ends with the unit);
- problems that block the switch: staff whose unit closes with no 発令 and no
  single successor.

The plan's writes (`digest`) are what `services.fiscal_year_switch` applies
on or after 4月1日, all or nothing, refusing a plan that changed since it was
previewed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Membership, Role, membership_in_force
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_range, format_fiscal_year
from hagukumi.frameworks.selectors import talent_type_labels
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.models import Assignment, Designation, Staff
from hagukumi.people.roles import ASSIGNMENT_ROLES

__all__ = [
    "DesignationAtRisk",
    "MembershipMove",
    "StaffMove",
    "SwitchPlan",
    "UnitChange",
    "fiscal_year_switch_plan",
    "switch_day",
]


def switch_day(fiscal_year: int) -> dt.date:
    """4月1日 of `fiscal_year`."""
    return fiscal_year_range(fiscal_year)[0]


@dataclass(frozen=True)
class UnitChange:
    kind: str  # 新設 / 統合 / 廃止 / 統合・移管 / 改編
    code: str
    name: str
    detail: str = ""


@dataclass(frozen=True)
class StaffMove:
    staff: Staff
    from_unit: Unit | None
    to_unit: Unit
    position_from: str
    position_to: str
    grade_from: int | None
    grade_to: int | None
    reason: str
    # A new 異動歴 period from 4月1日 (the unit was revised or merged); else the
    # period (a 発令 loaded ahead) already exists and only the current values move.
    new_period: bool


@dataclass(frozen=True)
class DesignationAtRisk:
    designation: Designation
    staff: Staff
    unit: Unit
    talent_type: str
    moves_to: Unit | None


@dataclass(frozen=True)
class MembershipMove:
    membership: Membership
    from_unit: Unit
    to_unit: Unit | None


@dataclass
class SwitchPlan:
    organization: Organization
    fiscal_year: int
    units: list[UnitChange] = field(default_factory=list)
    staff_moves: list[StaffMove] = field(default_factory=list)
    designations: list[DesignationAtRisk] = field(default_factory=list)
    memberships: list[MembershipMove] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return switch_day(self.fiscal_year)

    @property
    def label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def has_writes(self) -> bool:
        return bool(self.staff_moves or self.memberships)

    def units_of(self, *kinds: str) -> list[UnitChange]:
        return [u for u in self.units if u.kind in kinds]

    @property
    def digest(self) -> str:
        """A fingerprint of exactly the writes the switch would make."""
        writes = {
            "fiscal_year": self.fiscal_year,
            "staff": sorted(
                [m.staff.pk, m.to_unit.pk, m.position_to, m.grade_to, m.new_period]
                for m in self.staff_moves
            ),
            "memberships": sorted(
                [m.membership.pk, m.to_unit.pk if m.to_unit is not None else 0]
                for m in self.memberships
            ),
        }
        return hashlib.sha256(json.dumps(writes, sort_keys=True).encode()).hexdigest()[:32]

    def lines(self) -> list[str]:
        """The plan in plain Japanese lines (the CLI, the audit detail)."""
        out = [
            f"{self.organization.display_name} {self.label}への切替（{self.day.isoformat()}）",
            f"所属: 新設・統合 {len(self.units_of('新設', '統合'))}件 / "
            f"廃止・移管 {len(self.units_of('廃止', '統合・移管'))}件 / "
            f"改編 {len(self.units_of('改編'))}件",
            f"異動する職員: {len(self.staff_moves)}名",
            f"所属が廃止される指定: {len(self.designations)}件",
            f"移す所属長の役割: {len(self.memberships)}件",
        ]
        for u in self.units:
            out.append(f"  所属 {u.kind}: {u.name}（{u.code}）{u.detail}")
        for m in self.staff_moves:
            source = m.from_unit.name if m.from_unit is not None else "（なし）"
            out.append(
                f"  職員 {m.staff.number} {m.staff.name}: {source} → {m.to_unit.name}（{m.reason}）"
            )
        for d in self.designations:
            who = f"{d.staff.number} {d.staff.name}"
            out.append(f"  指定 {who} {d.talent_type}: 所属「{d.unit.name}」が廃止")
        for mm in self.memberships:
            target = mm.to_unit.name if mm.to_unit is not None else "（後継なし: 役割は終了）"
            out.append(
                f"  所属長 {mm.membership.user.get_username()}: {mm.from_unit.name} → {target}"
            )
        out.extend(f"切り替えられません: {p}" for p in self.problems)
        return out


def _successors(
    closing: list[Unit], nxt: dict[str, Unit], fiscal_year: int
) -> dict[int, list[Unit]]:
    """{closing unit id: units of the new year naming it as predecessor}."""
    found: dict[int, list[Unit]] = defaultdict(list)
    if not closing:
        return found
    through = Unit.predecessors.through
    rows = through.objects.filter(to_unit_id__in=[u.pk for u in closing]).values_list(
        "from_unit_id", "to_unit_id"
    )
    new_by_id = {u.pk: u for u in nxt.values()}
    for successor_id, predecessor_id in rows:
        successor = new_by_id.get(successor_id)
        if successor is not None and successor.is_valid_in(fiscal_year):
            found[predecessor_id].append(successor)
    return found


def fiscal_year_switch_plan(
    *, actor: Actor, organization: Organization, fiscal_year: int, audit: bool = True
) -> SwitchPlan:
    """What the switch to `fiscal_year` changes on its 4月1日 (人事担当; read only)."""
    require_role(actor, *ASSIGNMENT_ROLES)
    if actor.organization_id != organization.pk:
        raise AccessDenied()
    day = switch_day(fiscal_year)
    plan = SwitchPlan(organization=organization, fiscal_year=fiscal_year)
    before = units_valid_in(organization=organization, fiscal_year=fiscal_year - 1)
    prev = {u.code: u for u in before}
    nxt = {u.code: u for u in units_valid_in(organization=organization, fiscal_year=fiscal_year)}
    closing = [u for code, u in prev.items() if code not in nxt]
    revised = {u.pk: nxt[code] for code, u in prev.items() if code in nxt and nxt[code].pk != u.pk}
    successors = _successors(closing, nxt, fiscal_year)

    def follow(unit: Unit) -> Unit | None:
        """Where staff and 所属長 of `unit` go on 4月1日 (None: nowhere known)."""
        if unit.is_valid_in(fiscal_year):
            return unit
        same = nxt.get(unit.code)
        if same is not None:
            return same
        found = successors.get(unit.pk, [])
        return found[0] if len(found) == 1 else None

    _unit_changes(plan, prev, nxt, closing, revised, successors)
    _staff_moves(plan, organization, day, fiscal_year, follow)
    _designations(plan, organization, fiscal_year, nxt)
    _memberships(plan, organization, fiscal_year, follow)
    if audit and (plan.staff_moves or plan.designations):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            organization=organization,
            target_type=Staff._meta.label,
            target_repr=f"{plan.label}への切替の確認",
            detail={"moves": len(plan.staff_moves), "designations": len(plan.designations)},
        )
    return plan


def _unit_changes(
    plan: SwitchPlan,
    prev: dict[str, Unit],
    nxt: dict[str, Unit],
    closing: list[Unit],
    revised: dict[int, Unit],
    successors: dict[int, list[Unit]],
) -> None:
    new_units = [u for code, u in nxt.items() if code not in prev]
    predecessors: dict[int, list[Unit]] = defaultdict(list)
    for closed_id, found in successors.items():
        for successor in found:
            predecessors[successor.pk].append(
                next((u for u in prev.values() if u.pk == closed_id), successor)
            )
    for unit in sorted(new_units, key=lambda u: u.code):
        before = predecessors.get(unit.pk, [])
        if len(before) >= 2:
            names = "、".join(u.name for u in before)
            plan.units.append(UnitChange("統合", unit.code, unit.name, f"← {names}"))
        elif before:
            plan.units.append(UnitChange("新設", unit.code, unit.name, f"← {before[0].name}"))
        else:
            plan.units.append(UnitChange("新設", unit.code, unit.name))
    for unit in sorted(closing, key=lambda u: u.code):
        found = successors.get(unit.pk, [])
        if found:
            names = "、".join(u.name for u in found)
            plan.units.append(UnitChange("統合・移管", unit.code, unit.name, f"→ {names}"))
        else:
            plan.units.append(UnitChange("廃止", unit.code, unit.name))
    for old in sorted((u for u in prev.values() if u.pk in revised), key=lambda u: u.code):
        new = revised[old.pk]
        detail = f"名称 {old.name} → {new.name}" if old.name != new.name else "上位所属などの変更"
        plan.units.append(UnitChange("改編", old.code, new.name, detail))


def _staff_moves(
    plan: SwitchPlan, organization: Organization, day: dt.date, fiscal_year: int, follow: Any
) -> None:
    staff = list(
        Staff.objects.filter(organization=organization)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gte=day))
        .select_related("unit")
        .order_by("number")
    )
    periods = {
        a.staff_id: a
        for a in Assignment.objects.filter(staff__organization=organization, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("unit")
    }
    for person in staff:
        period = periods.get(person.pk)
        base = period.unit if period is not None else person.unit
        if base is None:
            continue
        position = period.position if period is not None else person.position
        grade = period.grade if period is not None else person.grade
        target = follow(base)
        if target is None:
            plan.problems.append(
                f"職員 {person.number} {person.name} の所属「{base.name}」は"
                f"{plan.label}の組織にありません（廃止）。{day.isoformat()} 付けの異動を"
                "取り込んでください。"
            )
            continue
        new_period = target.pk != base.pk
        if (target.pk, position, grade) == (person.unit_id, person.position, person.grade):
            continue
        if new_period:
            reason = "所属の改編" if target.code == base.code else "所属の統合・移管"
        elif period is not None and period.starts_on == day:
            reason = f"{day.isoformat()} の発令"
        else:
            reason = f"{period.starts_on.isoformat()} の発令" if period is not None else "異動歴"
        plan.staff_moves.append(
            StaffMove(
                staff=person,
                from_unit=person.unit,
                to_unit=target,
                position_from=person.position,
                position_to=position,
                grade_from=person.grade,
                grade_to=grade,
                reason=reason,
                new_period=new_period,
            )
        )


def _designations(
    plan: SwitchPlan, organization: Organization, fiscal_year: int, nxt: dict[str, Unit]
) -> None:
    moving = {m.staff.pk: m.to_unit for m in plan.staff_moves}
    rows = list(
        Designation.objects.in_force(fiscal_year)
        .not_revoked()
        .filter(organization=organization, staff__unit__isnull=False)
        .exclude(staff__unit__code__in=list(nxt))
        .select_related("staff__unit")
        .order_by("staff__number", "talent_type_code")
    )
    if not rows:
        return
    labels = talent_type_labels(organization=organization.pk)
    for d in rows:
        unit = d.staff.unit
        if unit is None:  # pragma: no cover - filtered above
            continue
        plan.designations.append(
            DesignationAtRisk(
                designation=d,
                staff=d.staff,
                unit=unit,
                talent_type=labels.get((d.framework_id, d.talent_type_code), d.talent_type_code),
                moves_to=moving.get(d.staff.pk),
            )
        )


def _memberships(
    plan: SwitchPlan, organization: Organization, fiscal_year: int, follow: Any
) -> None:
    heads = list(
        Membership.objects.filter(organization=organization, role=Role.UNIT_HEAD)
        .filter(membership_in_force(fiscal_year - 1))
        .select_related("user", "unit")
        .order_by("user__username", "pk")
    )
    held = {
        (m.user_id, m.unit_id)
        for m in Membership.objects.filter(organization=organization, role=Role.UNIT_HEAD).filter(
            membership_in_force(fiscal_year)
        )
    }
    for m in heads:
        unit = m.unit
        if unit is None or unit.is_valid_in(fiscal_year):
            continue
        target = follow(unit)
        still_open = m.fiscal_year_to is None or m.fiscal_year_to >= fiscal_year
        missing = target is not None and (m.user_id, target.pk) not in held
        if still_open or missing:
            plan.memberships.append(MembershipMove(membership=m, from_unit=unit, to_unit=target))
