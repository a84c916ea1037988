"""People's numbers in core's metric registry: designations and qualification holders.

`register()` (called from PeopleConfig.ready()) adds three metrics:

- `people.designations` 指定中の人材: designations in force, not 解除
  (候補・育成中・認定・実践);
- `people.designation_holders` 認定・実践の人材: those holding the talent type;
- `people.qualification_holders` 資格の保有者.

Every count is as of the end of the 年度, or today if earlier
(`core.metrics.metric_as_of`), so a later change never rewrites a past year:

- a designation counts in FY N when its FY range covers N and its status on
  that day is the one its DesignationEvent history gives (the last event in
  effect by then; before its first event, the status that event started
  from). A 解除 in FY N+1 leaves FY N's count as it was;
- a person's unit is the one they held that day (異動歴): the last Assignment
  started by then; when the history starts later, its first unit; with no
  history at all, Staff.unit;
- staff not yet hired, or retired before that day, do not count.

Each person counts once per group, and a total counts people, not designations
(a person holding two talent types is one in the total). Counts for any number
of 団体 cost three queries (two without grouping by unit). `*_members` lists the
people behind a group for an actor through people's visibility matrix
(people.visibility: 所属長 unit and below, 職員 self only, other 団体 404) and
writes an audit 閲覧 record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.metrics import (
    Metric,
    MetricMember,
    MetricMembers,
    metric_as_of,
    register_metric,
)
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_date
from hagukumi.frameworks.selectors import talent_type_key, talent_type_labels, talent_types_in_force
from hagukumi.orgs.models import Unit
from hagukumi.people.models import (
    HOLDING_STATUSES,
    Assignment,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Qualification,
    Staff,
    StaffQualification,
)
from hagukumi.people.visibility import FieldGroup, staff_scope, staff_visible_groups

DESIGNATIONS = "people.designations"
DESIGNATION_HOLDERS = "people.designation_holders"
QUALIFICATION_HOLDERS = "people.qualification_holders"

DESIGNATION_GROUP_BYS: dict[str, str] = {
    "talent_type": "人材類型",
    "level": "個人の段階",
    "status": "状態",
    "method": "指定方法",
    "role": "役割",
    "unit": "所属",
}
QUALIFICATION_GROUP_BYS: dict[str, str] = {
    "qualification": "資格",
    "itss_level": "ITSSレベル",
    "unit": "所属",
}
NO_UNIT_LABEL = "（所属なし）"
LIVE_STATUSES = frozenset(DesignationStatus.values) - {DesignationStatus.REVOKED}
STATUS_LABELS = dict(DesignationStatus.choices)
METHOD_LABELS = dict(DesignationMethod.choices)


def _pk(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def present_on(day: dt.date, prefix: str = "") -> Q:
    """Staff (through `prefix`, e.g. "staff__") hired by `day` and not retired before it."""
    return (Q(**{f"{prefix}hired_on__isnull": True}) | Q(**{f"{prefix}hired_on__lte": day})) & (
        Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gte": day})
    )


@dataclass(frozen=True)
class HeldUnit:
    code: str  # "" for none
    name: str


NO_UNIT = HeldUnit("", "")


def held_units(
    *, staff_ids: QuerySet[Any], day: dt.date, current: Mapping[int, HeldUnit]
) -> dict[int, HeldUnit]:
    """The unit each staff member of `current` (id → Staff.unit) held on `day`, one query.

    `staff_ids` is a `values("staff_id")`-style queryset (a subquery, so no list
    of ids is sent). See the module docstring for the rule.
    """
    held: dict[int, HeldUnit] = {}
    first: dict[int, HeldUnit] = {}
    for staff_id, starts_on, code, name in (
        Assignment.objects.filter(staff_id__in=staff_ids)
        .order_by("staff_id", "starts_on")
        .values_list("staff_id", "starts_on", "unit__code", "unit__name")
    ):
        unit = HeldUnit(code, name)
        first.setdefault(staff_id, unit)
        if starts_on <= day:
            held[staff_id] = unit
    return {sid: held.get(sid) or first.get(sid) or unit for sid, unit in current.items()}


def statuses_on(*, designations: QuerySet[Designation], day: dt.date) -> dict[int, str]:
    """designation id → its status on `day` from its DesignationEvent history, one query.

    Designations without any event (written outside the services) keep no
    entry: the caller uses their current status.
    """
    known: dict[int, str] = {}
    initial: dict[int, str] = {}
    for designation_id, effective_on, status_from, status_to in (
        DesignationEvent.objects.filter(designation_id__in=designations.values("pk"))
        .order_by("designation_id", "effective_on", "occurred_at", "id")
        .values_list("designation_id", "effective_on", "status_from", "status_to")
    ):
        initial.setdefault(designation_id, status_from or status_to)
        if effective_on <= day:
            known[designation_id] = status_to
    return {did: known.get(did, status) for did, status in initial.items()}


@dataclass(frozen=True)
class DesignationFact:
    """One designation in force on the day a count describes, with its group keys."""

    designation_id: int
    organization_id: int
    staff_id: int
    framework_id: int
    talent_type_code: str
    status: str
    unit: HeldUnit
    keys: Mapping[str, str]


def designation_facts(
    *,
    organization_ids: Iterable[int],
    fiscal_year: int,
    statuses: Iterable[str] = LIVE_STATUSES,
    with_units: bool = True,
    today: dt.date | None = None,
) -> list[DesignationFact]:
    """Designations in force in `fiscal_year` whose status as of its end is in `statuses`.

    Two queries, three `with_units` (the unit each person held then).
    """
    day = metric_as_of(fiscal_year, today=today)
    wanted = frozenset(statuses)
    qs = (
        Designation.objects.in_force(fiscal_year)
        .filter(organization_id__in=list(organization_ids))
        .filter(present_on(day, "staff__"))
    )
    rows = list(
        qs.values_list(
            "pk",
            "organization_id",
            "staff_id",
            "framework_id",
            "talent_type_code",
            "level_code",
            "method",
            "role",
            "status",
            "staff__unit__code",
            "staff__unit__name",
        ).order_by("organization_id", "staff_id", "pk")
    )
    if not rows:
        return []
    history = statuses_on(designations=qs, day=day)
    units: dict[int, HeldUnit] = {}
    if with_units:
        current = {r[2]: HeldUnit(r[9] or "", r[10] or "") for r in rows}
        units = held_units(staff_ids=qs.values("staff_id"), day=day, current=current)
    facts: list[DesignationFact] = []
    for pk, org_id, staff_id, fw_id, type_code, level, method, role, status, *_unit in rows:
        status = history.get(pk, status)
        if status not in wanted:
            continue
        type_key = talent_type_key(framework=fw_id, code=type_code)
        unit = units.get(staff_id, NO_UNIT)
        keys = {
            "talent_type": type_key,
            "level": f"{type_key}:{level}",
            "status": status,
            "method": method,
            "role": role,
        }
        if with_units:
            keys["unit"] = unit.code
        facts.append(DesignationFact(pk, org_id, staff_id, fw_id, type_code, status, unit, keys))
    return facts


@dataclass(frozen=True)
class QualificationFact:
    organization_id: int
    staff_id: int
    qualification_name: str
    obtained_on: dt.date
    unit: HeldUnit
    keys: Mapping[str, str]


def qualification_facts(
    *,
    organization_ids: Iterable[int],
    fiscal_year: int,
    with_units: bool = True,
    today: dt.date | None = None,
) -> list[QualificationFact]:
    """Qualifications obtained by the end of `fiscal_year` by staff present then (1–2 queries)."""
    day = metric_as_of(fiscal_year, today=today)
    qs = StaffQualification.objects.filter(
        staff__organization_id__in=list(organization_ids), obtained_on__lte=day
    ).filter(present_on(day, "staff__"))
    rows = list(
        qs.values_list(
            "staff__organization_id",
            "staff_id",
            "qualification__code",
            "qualification__itss_level",
            "qualification__name",
            "obtained_on",
            "staff__unit__code",
            "staff__unit__name",
        ).order_by("staff__organization_id", "staff_id", "obtained_on")
    )
    units: dict[int, HeldUnit] = {}
    if with_units and rows:
        current = {r[1]: HeldUnit(r[6] or "", r[7] or "") for r in rows}
        units = held_units(staff_ids=qs.values("staff_id"), day=day, current=current)
    facts: list[QualificationFact] = []
    for org_id, staff_id, code, itss, name, obtained_on, *_unit in rows:
        unit = units.get(staff_id, NO_UNIT)
        keys = {"qualification": code, "itss_level": "" if itss is None else str(itss)}
        if with_units:
            keys["unit"] = unit.code
        facts.append(QualificationFact(org_id, staff_id, name, obtained_on, unit, keys))
    return facts


def _count_people(
    facts: Iterable[DesignationFact | QualificationFact],
    *,
    organizations: Sequence[Any],
    group_by: str | None,
) -> dict[int, dict[str, int]]:
    """{organization id: {group: number of distinct staff}} (every organization present)."""
    people: dict[int, dict[str, set[int]]] = {_pk(o): defaultdict(set) for o in organizations}
    for fact in facts:
        key = "" if group_by is None else fact.keys[group_by]
        people[fact.organization_id][key].add(fact.staff_id)
    result: dict[int, dict[str, int]] = {}
    for org_id, groups in people.items():
        counts = {key: len(ids) for key, ids in sorted(groups.items())}
        result[org_id] = counts if counts or group_by is not None else {"": 0}
    return result


# ----------------------------------------------------------------------------- compute


def designations_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """指定中の人材 (候補〜実践, not 解除) per 団体 and group, as of the end of the 年度."""
    facts = designation_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        with_units=group_by == "unit",
        today=today,
    )
    return _count_people(facts, organizations=organizations, group_by=group_by)


def designation_holders_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """認定・実践の人材 per 団体 and group, as of the end of the 年度."""
    facts = designation_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        statuses=HOLDING_STATUSES,
        with_units=group_by == "unit",
        today=today,
    )
    return _count_people(facts, organizations=organizations, group_by=group_by)


def qualification_holders_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """Staff holding a qualification per 団体 and group, as of the end of the 年度."""
    facts = qualification_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        with_units=group_by == "unit",
        today=today,
    )
    return _count_people(facts, organizations=organizations, group_by=group_by)


# ------------------------------------------------------------------------------ labels


def unit_labels(*, organization: Any, fiscal_year: int) -> dict[str, str]:
    """所属コード → name in `fiscal_year` (a code not valid then: its latest name). One query."""
    names: dict[str, str] = {"": NO_UNIT_LABEL}
    valid: set[str] = set()
    for code, name, start, end in (
        Unit.objects.filter(organization_id=_pk(organization))
        .order_by("valid_from_fy")
        .values_list("code", "name", "valid_from_fy", "valid_to_fy")
    ):
        is_valid = start <= fiscal_year and (end is None or fiscal_year <= end)
        if is_valid or code not in valid:
            names[code] = name
        if is_valid:
            valid.add(code)
    return names


def designation_labels(*, organization: Any, fiscal_year: int, group_by: str) -> dict[str, str]:
    if group_by == "talent_type":
        return {
            talent_type_key(framework=fw, code=code): label
            for (fw, code), label in talent_type_labels(organization=_pk(organization)).items()
        }
    if group_by == "level":
        types = talent_types_in_force(organization=_pk(organization))
        several = len({t.framework_id for t in types}) > 1
        labels: dict[str, str] = {}
        for t in types:
            name = t.label(with_framework=several)
            labels[f"{t.key}:"] = f"{name}（段階なし）"
            labels.update({f"{t.key}:{lv.code}": f"{name} {lv.display}" for lv in t.levels})
        return labels
    if group_by == "status":
        return dict(STATUS_LABELS)
    if group_by == "method":
        return dict(METHOD_LABELS)
    if group_by == "role":
        return {"": "（役割なし）"}
    if group_by == "unit":
        return unit_labels(organization=organization, fiscal_year=fiscal_year)
    raise ValueError(f"unknown grouping {group_by!r}")


def qualification_labels(*, organization: Any, fiscal_year: int, group_by: str) -> dict[str, str]:
    if group_by == "qualification":
        return dict(Qualification.objects.values_list("code", "name"))
    if group_by == "itss_level":
        return {"": "（レベルなし）", **{str(n): f"ITSSレベル{n}" for n in range(1, 8)}}
    if group_by == "unit":
        return unit_labels(organization=organization, fiscal_year=fiscal_year)
    raise ValueError(f"unknown grouping {group_by!r}")


# ----------------------------------------------------------------------------- members


def _member_rows(
    *,
    actor: Actor,
    organization: Any,
    facts: Sequence[DesignationFact | QualificationFact],
    group_field: FieldGroup,
    detail_of: Mapping[int, list[str]],
) -> MetricMembers:
    """The visible staff of `facts` as rows; the others are only counted."""
    units = {f.staff_id: f.unit for f in facts}
    staff = (
        Staff.objects.filter(organization_id=_pk(organization))
        .select_related("unit")
        .in_bulk(list(units))
    )
    scope = staff_scope(actor)
    rows: list[MetricMember] = []
    for staff_id, person in staff.items():
        if group_field not in staff_visible_groups(actor, person, scope=scope):
            continue
        rows.append(
            MetricMember(
                person_id=staff_id,
                number=person.number,
                name=person.name,
                unit_name=units[staff_id].name or NO_UNIT_LABEL,
                detail="、".join(detail_of.get(staff_id, [])),
                url=reverse("people:staff_detail", args=[staff_id]),
            )
        )
    rows.sort(key=lambda r: (units[r.person_id].code, r.number))
    return MetricMembers(rows=rows, hidden=len(units) - len(rows))


def _audit_members(
    *,
    actor: Actor,
    key: str,
    label: str,
    fiscal_year: int,
    group_by: str | None,
    group: str | None,
    found: MetricMembers,
) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target_type=Staff._meta.label,
        target_repr=f"指標の内訳: {label}",
        detail={
            "metric": key,
            "fiscal_year": fiscal_year,
            "group_by": group_by,
            "group": group,
            "rows": len(found.rows),
            "staff": [r.number for r in found.rows],
        },
    )


def _designation_members(
    *,
    key: str,
    label: str,
    statuses: Iterable[str],
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None,
    group: str | None,
    today: dt.date | None,
) -> MetricMembers:
    if actor.organization_id is None or actor.organization_id != _pk(organization):
        raise AccessDenied()
    facts = [
        f
        for f in designation_facts(
            organization_ids=[_pk(organization)],
            fiscal_year=fiscal_year,
            statuses=statuses,
            today=today,
        )
        if group_by is None or f.keys[group_by] == (group or "")
    ]
    names = talent_type_labels(organization=_pk(organization))
    detail_of: dict[int, list[str]] = defaultdict(list)
    for f in facts:
        name = names.get((f.framework_id, f.talent_type_code), f.talent_type_code)
        detail_of[f.staff_id].append(f"{name}（{STATUS_LABELS.get(f.status, f.status)}）")
    found = _member_rows(
        actor=actor,
        organization=organization,
        facts=facts,
        group_field=FieldGroup.DESIGNATIONS,
        detail_of=detail_of,
    )
    _audit_members(
        actor=actor,
        key=key,
        label=label,
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
        found=found,
    )
    return found


def designations_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    """The people counted by `designations_compute` in one group, as the actor may see them."""
    return _designation_members(
        key=DESIGNATIONS,
        label="指定中の人材",
        statuses=LIVE_STATUSES,
        actor=actor,
        organization=organization,
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
        today=today,
    )


def designation_holders_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    """The people counted by `designation_holders_compute` in one group."""
    return _designation_members(
        key=DESIGNATION_HOLDERS,
        label="認定・実践の人材",
        statuses=HOLDING_STATUSES,
        actor=actor,
        organization=organization,
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
        today=today,
    )


def qualification_holders_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    """The people counted by `qualification_holders_compute` in one group."""
    if actor.organization_id is None or actor.organization_id != _pk(organization):
        raise AccessDenied()
    facts = [
        f
        for f in qualification_facts(
            organization_ids=[_pk(organization)], fiscal_year=fiscal_year, today=today
        )
        if group_by is None or f.keys[group_by] == (group or "")
    ]
    detail_of: dict[int, list[str]] = defaultdict(list)
    for f in facts:
        detail_of[f.staff_id].append(f"{f.qualification_name}（{format_date(f.obtained_on)}）")
    found = _member_rows(
        actor=actor,
        organization=organization,
        facts=facts,
        group_field=FieldGroup.QUALIFICATIONS,
        detail_of=detail_of,
    )
    _audit_members(
        actor=actor,
        key=QUALIFICATION_HOLDERS,
        label="資格の保有者",
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
        found=found,
    )
    return found


def register() -> None:
    """Add people's metrics to core's registry (PeopleConfig.ready())."""
    register_metric(
        Metric(
            key=DESIGNATIONS,
            label="指定中の人材",
            unit="人",
            compute=designations_compute,
            members=designations_members,
            group_bys=tuple(DESIGNATION_GROUP_BYS),
            group_by_labels=DESIGNATION_GROUP_BYS,
            labels=designation_labels,
            description="年度末時点で指定が有効な職員（候補・育成中・認定・実践。解除を除く）",
            order=10,
        )
    )
    register_metric(
        Metric(
            key=DESIGNATION_HOLDERS,
            label="認定・実践の人材",
            unit="人",
            compute=designation_holders_compute,
            members=designation_holders_members,
            group_bys=tuple(DESIGNATION_GROUP_BYS),
            group_by_labels=DESIGNATION_GROUP_BYS,
            labels=designation_labels,
            description="年度末時点で認定・実践の状態にある指定を持つ職員",
            order=11,
        )
    )
    register_metric(
        Metric(
            key=QUALIFICATION_HOLDERS,
            label="資格の保有者",
            unit="人",
            compute=qualification_holders_compute,
            members=qualification_holders_members,
            group_bys=tuple(QUALIFICATION_GROUP_BYS),
            group_by_labels=QUALIFICATION_GROUP_BYS,
            labels=qualification_labels,
            description="年度末までに資格を取得し、その時点で在職している職員",
            order=20,
        )
    )
