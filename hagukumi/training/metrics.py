"""Training's numbers in core's metric registry: enrolled, completed, hours (for [計画]).

`register()` (called from TrainingConfig.ready()) adds three metrics, each per
年度 and groupable by programme (its code), course (its 研修コード) or 所属
(the unit each person held at the end of that 年度, people.metrics.held_units):

- `training.enrolled` 受講者: staff admitted to a cohort or a course run of the
  年度 (承認・修了・未修了; a cancellation after that day does not rewrite it).
  By course, a cohort member counts for every counted phase of the programme;
  by programme, a stand-alone course's member counts under "" (プログラムなし).
- `training.completed` 修了者: staff who completed a programme (their cohort
  enrolment 修了) or a stand-alone course run of the 年度 by that day. By
  course, every course completion counts, phases included.
- `training.hours` 受講時間 (時間, Decimal): the hours the attendance records
  of the 年度's sessions count (`counted_hours`), sessions dated after the day
  excluded; self-paced sessions count in their 年度.

These are flows of the 年度, so a person who retired later still counts. The
certified count is people's designation metric (`people.designation_holders`),
not repeated here. Each count costs two or three queries (one more for the
unit grouping) for any number of 団体 and people. The drill-down lists the
people behind a group through people's visibility matrix and audits the read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
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
from hagukumi.people.metrics import NO_UNIT, NO_UNIT_LABEL, HeldUnit, held_units, unit_labels
from hagukumi.people.models import Staff
from hagukumi.people.visibility import FieldGroup, staff_scope, staff_visible_groups
from hagukumi.training.models import (
    Attendance,
    Course,
    CourseCompletion,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramPhase,
)
from hagukumi.training.selectors.attendance import HOURS_FIELD, counted_hours_expression

ENROLLED = "training.enrolled"
COMPLETED = "training.completed"
HOURS = "training.hours"

GROUP_BYS: dict[str, str] = {"program": "育成プログラム", "course": "研修", "unit": "所属"}
NO_PROGRAM_LABEL = "（プログラムなし）"
ADMITTED = (
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NOT_COMPLETED,
)


def _pk(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


@dataclass(frozen=True)
class TrainingFact:
    """One person counted once per group key: their programme and course codes ("" none)."""

    organization_id: int
    staff_id: int
    program: str
    courses: tuple[str, ...]  # the course codes this fact counts for (group_by="course")
    total: bool  # counts in the total, by programme and by unit
    unit: HeldUnit
    hours: Decimal = Decimal("0")

    def keys(self, group_by: str | None) -> tuple[str, ...]:
        if group_by is None:
            return ("",) if self.total else ()
        if group_by == "course":
            return self.courses
        if not self.total:
            return ()
        if group_by == "program":
            return (self.program,)
        return (self.unit.code,)


def _facts(raw: list[dict[str, Any]], *, day: dt.date, with_units: bool) -> list[TrainingFact]:
    """Facts from rows with organization_id, staff_id, program, courses, total, hours, unit."""
    held: dict[int, HeldUnit] = {}
    if with_units and raw:
        current = {r["staff_id"]: HeldUnit(r["unit_code"] or "", r["unit_name"] or "") for r in raw}
        held = held_units(
            staff_ids=Staff.objects.filter(pk__in=list(current)).values("pk"),
            day=day,
            current=current,
        )
    return [
        TrainingFact(
            organization_id=r["organization_id"],
            staff_id=r["staff_id"],
            program=r["program"] or "",
            courses=tuple(r["courses"]),
            total=r["total"],
            unit=held.get(r["staff_id"], NO_UNIT),
            hours=r.get("hours", Decimal("0")),
        )
        for r in raw
    ]


def enrolled_facts(
    *,
    organization_ids: Iterable[int],
    fiscal_year: int,
    with_units: bool = True,
    with_phases: bool = True,
    today: dt.date | None = None,
) -> list[TrainingFact]:
    """Admitted enrolments of the 年度 as of its end (two queries, three with units)."""
    day = metric_as_of(fiscal_year, today=today)
    rows = list(
        Enrollment.objects.filter(
            organization_id__in=list(organization_ids),
            fiscal_year=fiscal_year,
            requested_at__date__lte=day,
        )
        .filter(
            Q(status__in=ADMITTED)
            | Q(
                status=EnrollmentStatus.CANCELLED,
                approved_at__isnull=False,
                approved_at__date__lte=day,
                decided_at__date__gt=day,
            )
        )
        .order_by("organization_id", "staff_id", "pk")
        .values_list(
            "organization_id",
            "staff_id",
            "cohort__program_id",
            "cohort__program__code",
            "course__code",
            "staff__unit__code",
            "staff__unit__name",
        )
    )
    phases: dict[int, list[str]] = defaultdict(list)
    program_ids = {r[2] for r in rows if r[2] is not None}
    if with_phases and program_ids:
        for program_id, code in (
            ProgramPhase.objects.filter(program_id__in=program_ids, counted=True)
            .order_by("program_id", "order")
            .values_list("program_id", "course__code")
        ):
            phases[program_id].append(code)
    raw = [
        {
            "organization_id": org_id,
            "staff_id": staff_id,
            "program": program_code or "",
            "courses": tuple(phases.get(program_id, ())) if program_id else (course_code,),
            "total": True,
            "unit_code": unit_code,
            "unit_name": unit_name,
        }
        for org_id, staff_id, program_id, program_code, course_code, unit_code, unit_name in rows
    ]
    return _facts(raw, day=day, with_units=with_units)


def completed_facts(
    *,
    organization_ids: Iterable[int],
    fiscal_year: int,
    with_units: bool = True,
    today: dt.date | None = None,
) -> list[TrainingFact]:
    """Programme and course completions of the 年度 by its end (two queries, three with units)."""
    day = metric_as_of(fiscal_year, today=today)
    ids = list(organization_ids)
    raw: list[dict[str, Any]] = [
        {
            "organization_id": org_id,
            "staff_id": staff_id,
            "program": program_code,
            "courses": (),
            "total": True,
            "unit_code": unit_code,
            "unit_name": unit_name,
        }
        for org_id, staff_id, program_code, unit_code, unit_name in Enrollment.objects.filter(
            organization_id__in=ids,
            cohort__isnull=False,
            fiscal_year=fiscal_year,
            status=EnrollmentStatus.COMPLETED,
            completed_on__lte=day,
        )
        .order_by("organization_id", "staff_id", "pk")
        .values_list(
            "organization_id",
            "staff_id",
            "cohort__program__code",
            "staff__unit__code",
            "staff__unit__name",
        )
    ]
    raw += [
        {
            "organization_id": org_id,
            "staff_id": staff_id,
            "program": program_code or "",
            "courses": (course_code,),
            # A phase's completion is not a completion of the programme.
            "total": cohort_id is None,
            "unit_code": unit_code,
            "unit_name": unit_name,
        }
        for org_id, staff_id, cohort_id, program_code, course_code, unit_code, unit_name in (
            CourseCompletion.objects.filter(
                organization_id__in=ids, fiscal_year=fiscal_year, completed_on__lte=day
            )
            .order_by("organization_id", "staff_id", "pk")
            .values_list(
                "organization_id",
                "staff_id",
                "cohort_id",
                "cohort__program__code",
                "course__code",
                "staff__unit__code",
                "staff__unit__name",
            )
        )
    ]
    return _facts(raw, day=day, with_units=with_units)


def hours_facts(
    *,
    organization_ids: Iterable[int],
    fiscal_year: int,
    with_units: bool = True,
    today: dt.date | None = None,
) -> list[TrainingFact]:
    """Hours per staff, programme and course of the 年度's sessions (one query, two with units)."""
    day = metric_as_of(fiscal_year, today=today)
    rows = (
        Attendance.objects.filter(
            organization_id__in=list(organization_ids), session__fiscal_year=fiscal_year
        )
        .filter(Q(session__date__isnull=True) | Q(session__date__lte=day))
        .values(
            "organization_id",
            "staff_id",
            "session__cohort__program__code",
            "session__course__code",
            "staff__unit__code",
            "staff__unit__name",
        )
        .annotate(total=Sum(counted_hours_expression(), output_field=HOURS_FIELD))
        .order_by("organization_id", "staff_id", "session__course__code")
    )
    raw = [
        {
            "organization_id": r["organization_id"],
            "staff_id": r["staff_id"],
            "program": r["session__cohort__program__code"] or "",
            "courses": (r["session__course__code"],),
            "total": True,
            "unit_code": r["staff__unit__code"],
            "unit_name": r["staff__unit__name"],
            "hours": Decimal(r["total"] or 0).quantize(Decimal("0.01")),
        }
        for r in rows
    ]
    return _facts(raw, day=day, with_units=with_units)


def _count_people(
    facts: Iterable[TrainingFact], *, organizations: Sequence[Any], group_by: str | None
) -> dict[int, dict[str, int]]:
    people: dict[int, dict[str, set[int]]] = {_pk(o): defaultdict(set) for o in organizations}
    for fact in facts:
        for key in fact.keys(group_by):
            people.setdefault(fact.organization_id, defaultdict(set))[key].add(fact.staff_id)
    result: dict[int, dict[str, int]] = {}
    for org_id, groups in people.items():
        counts = {key: len(ids) for key, ids in sorted(groups.items())}
        result[org_id] = counts if counts or group_by is not None else {"": 0}
    return result


def _sum_hours(
    facts: Iterable[TrainingFact], *, organizations: Sequence[Any], group_by: str | None
) -> dict[int, dict[str, Decimal]]:
    sums: dict[int, dict[str, Decimal]] = {
        _pk(o): defaultdict(lambda: Decimal("0")) for o in organizations
    }
    for fact in facts:
        for key in fact.keys(group_by):
            sums.setdefault(fact.organization_id, defaultdict(lambda: Decimal("0")))
            sums[fact.organization_id][key] += fact.hours
    result: dict[int, dict[str, Decimal]] = {}
    for org_id, groups in sums.items():
        totals = {key: value for key, value in sorted(groups.items())}
        result[org_id] = totals if totals or group_by is not None else {"": Decimal("0")}
    return result


def enrolled_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """受講者 per 団体 and group (people, each once per group)."""
    facts = enrolled_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        with_units=group_by == "unit",
        with_phases=group_by == "course",
        today=today,
    )
    return _count_people(facts, organizations=organizations, group_by=group_by)


def completed_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """修了者 per 団体 and group."""
    facts = completed_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        with_units=group_by == "unit",
        today=today,
    )
    return _count_people(facts, organizations=organizations, group_by=group_by)


def hours_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, Decimal]]:
    """受講時間 per 団体 and group (Decimal hours)."""
    facts = hours_facts(
        organization_ids=[_pk(o) for o in organizations],
        fiscal_year=fiscal_year,
        with_units=group_by == "unit",
        today=today,
    )
    return _sum_hours(facts, organizations=organizations, group_by=group_by)


def training_labels(*, organization: Any, fiscal_year: int, group_by: str) -> dict[str, str]:
    """Group key → name: programme code → title, 研修コード → 「code title」, 所属コード → name."""
    if group_by == "program":
        return {
            "": NO_PROGRAM_LABEL,
            **dict(
                Program.objects.filter(organization_id=_pk(organization)).values_list(
                    "code", "title"
                )
            ),
        }
    if group_by == "course":
        return {
            code: f"{code} {title}"
            for code, title in Course.objects.filter(organization_id=_pk(organization)).values_list(
                "code", "title"
            )
        }
    if group_by == "unit":
        return unit_labels(organization=organization, fiscal_year=fiscal_year)
    raise ValueError(f"unknown grouping {group_by!r}")


# ----------------------------------------------------------------------------- members


def _members(
    *,
    key: str,
    label: str,
    facts: Sequence[TrainingFact],
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None,
    group: str | None,
) -> MetricMembers:
    chosen = [f for f in facts if (group or "") in f.keys(group_by)]
    units = {f.staff_id: f.unit for f in chosen}
    detail_of: dict[int, set[str]] = defaultdict(set)
    for f in chosen:
        if f.program:
            detail_of[f.staff_id].add(f.program)
        detail_of[f.staff_id].update(c for c in f.courses if c)
    staff = Staff.objects.filter(organization_id=_pk(organization)).in_bulk(list(units))
    scope = staff_scope(actor)
    rows: list[MetricMember] = []
    for staff_id, person in staff.items():
        if FieldGroup.BASIC not in staff_visible_groups(actor, person, scope=scope):
            continue
        rows.append(
            MetricMember(
                person_id=staff_id,
                number=person.number,
                name=person.name,
                unit_name=units[staff_id].name or NO_UNIT_LABEL,
                detail="、".join(sorted(detail_of.get(staff_id, ()))),
                url=reverse("people:staff_detail", args=[staff_id]),
            )
        )
    rows.sort(key=lambda r: (units[r.person_id].code, r.number))
    found = MetricMembers(rows=rows, hidden=len(units) - len(rows))
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
            "rows": len(rows),
            "staff": [r.number for r in rows],
        },
    )
    return found


def _check_actor(actor: Actor, organization: Any) -> None:
    if actor is None or actor.organization_id is None or actor.organization_id != _pk(organization):
        raise AccessDenied()


def enrolled_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    """The people counted by `enrolled_compute` in one group, as the actor may see them."""
    _check_actor(actor, organization)
    facts = enrolled_facts(
        organization_ids=[_pk(organization)], fiscal_year=fiscal_year, today=today
    )
    return _members(
        key=ENROLLED,
        label="受講者",
        facts=facts,
        actor=actor,
        organization=organization,
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
    )


def completed_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    """The people counted by `completed_compute` in one group, as the actor may see them."""
    _check_actor(actor, organization)
    facts = completed_facts(
        organization_ids=[_pk(organization)], fiscal_year=fiscal_year, today=today
    )
    return _members(
        key=COMPLETED,
        label="修了者",
        facts=facts,
        actor=actor,
        organization=organization,
        fiscal_year=fiscal_year,
        group_by=group_by,
        group=group,
    )


def register() -> None:
    """Add training's metrics to core's registry (TrainingConfig.ready())."""
    common: Mapping[str, Any] = {
        "group_bys": tuple(GROUP_BYS),
        "group_by_labels": GROUP_BYS,
        "labels": training_labels,
    }
    register_metric(
        Metric(
            key=ENROLLED,
            label="研修の受講者",
            unit="人",
            compute=enrolled_compute,
            members=enrolled_members,
            description="年度の期・研修に受講が認められた職員（承認・修了・未修了）",
            order=30,
            **common,
        )
    )
    register_metric(
        Metric(
            key=COMPLETED,
            label="研修の修了者",
            unit="人",
            compute=completed_compute,
            members=completed_members,
            description="年度末までに育成プログラム（必須のフェーズすべて）または研修を修了した職員",
            order=31,
            **common,
        )
    )
    register_metric(
        Metric(
            key=HOURS,
            label="研修の受講時間",
            unit="時間",
            compute=hours_compute,
            description="年度の研修の回で記録された受講時間の合計（免除は回の時間数）",
            order=32,
            **common,
        )
    )
