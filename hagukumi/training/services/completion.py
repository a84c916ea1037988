"""Completion: course runs from attendance, programmes from their phases, skill evidence.

A course run is (course, cohort) for a programme phase, or (course, 年度)
for a stand-alone course. A member of the run (`session_members`) completes
it as of a day when:

- 全回受講: every session of the run they belong to was taken by then
  (出席・遅刻・早退, and 免除, which counts as attended); a session dated after
  the day is not taken yet;
- 受講時間が規定以上: the hours their records count (`counted_hours`) reach
  `Course.completion_hours`.

The completion (CourseCompletion, one per staff, course and 年度) is dated by
the last dated session taken (a run of self-paced sessions only: the day of
the first computation, kept afterwards), and carries the hours. Completing a
course writes one CompetencyEvidence per CourseCompetency of the course
(competency, level, date); it never touches an Assessment.

A programme is completed (the cohort Enrollment 修了, dated by the last phase
completion) when every counted phase's course run is completed; optional
phases (自己啓発, `counted` False) never count. Otherwise the enrolment is
未修了 once the cohort has ended (終了, or the day is after `ends_on`), and
承認 before.

`completions_update` computes all this again for a cohort or a course, as of
a given day: running it twice changes nothing the second time. A completion
that no longer holds (attendance corrected) is removed with its evidence,
except an LMS completion recorded without any attendance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.training.models import (
    Attendance,
    Cohort,
    CohortStatus,
    CompetencyEvidence,
    CompletionRule,
    Course,
    CourseCompetency,
    CourseCompletion,
    Enrollment,
    EnrollmentStatus,
    ProgramPhase,
    RecordSource,
    Session,
)
from hagukumi.training.selectors.attendance import (
    ATTENDING_ENROLLMENT_STATUSES,
    TAKEN_STATUSES,
    SessionKey,
    _require_recorder,
    counted_hours,
    session_members,
)
from hagukumi.training.services.attendance import _insert_many, _update_many

# (course id, cohort id or None, 年度)
Run = tuple[int, int | None, int]
HOURS = Decimal("0.01")


@dataclass
class CompletionOutcome:
    """What one computation changed (counts of course completions and programme enrolments)."""

    created: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    programmes_completed: int = 0
    programmes_not_completed: int = 0
    programmes_reopened: int = 0
    completed_staff_ids: list[int] = field(default_factory=list)

    def as_detail(self) -> dict[str, int]:
        return {
            "created": self.created,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "programmes_completed": self.programmes_completed,
            "programmes_not_completed": self.programmes_not_completed,
            "programmes_reopened": self.programmes_reopened,
        }


@dataclass(frozen=True)
class _Fact:
    """One staff member's state in one run as of the day."""

    met: bool
    hours: Decimal
    last_date: dt.date | None
    source: str
    has_attendance: bool


def _source_of(sources: set[str]) -> str:
    if RecordSource.LMS in sources:
        return RecordSource.LMS
    if RecordSource.IMPORT in sources:
        return RecordSource.IMPORT
    return RecordSource.MANUAL


def completions_update(
    *,
    actor: Actor,
    cohort: Cohort | None = None,
    course: Course | None = None,
    as_of: dt.date,
) -> CompletionOutcome:
    """(Re)compute the completions of a cohort's phases (or of every run of a course) as of a day.

    Idempotent. Writes one audit 更新 record naming what changed. An actor of
    another 団体, or without the role, gets AccessDenied.
    """
    if (cohort is None) == (course is None):
        raise ApplicationError("期か研修のどちらか一方を指定してください。")
    target: Any = cohort if cohort is not None else course
    organization_id = target.organization_id
    if actor is None or actor.organization_id != organization_id:
        raise AccessDenied()
    _require_recorder(actor, organization_id)
    runs: set[Run] = set()
    if cohort is not None:
        course_ids = set(
            ProgramPhase.objects.filter(program_id=cohort.program_id).values_list(
                "course_id", flat=True
            )
        )
        course_ids |= set(Session.objects.filter(cohort=cohort).values_list("course_id", flat=True))
        runs = {(course_id, cohort.pk, cohort.fiscal_year) for course_id in course_ids}
    else:
        assert course is not None
        runs = {
            (course.pk, cohort_id, fiscal_year)
            for cohort_id, fiscal_year in Session.objects.filter(course=course)
            .order_by()
            .values_list("cohort_id", "fiscal_year")
            .distinct()
        }
    with transaction.atomic():
        outcome = completion_runs_update(
            actor=actor, organization_id=organization_id, runs=runs, as_of=as_of
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=target,
            target_repr=f"修了の判定: {target}",
            detail={"as_of": as_of.isoformat(), **outcome.as_detail()},
        )
    return outcome


def completion_runs_update(
    *, actor: Actor, organization_id: int, runs: Iterable[Run], as_of: dt.date
) -> CompletionOutcome:
    """The work of `completions_update` for some runs of one 団体, in a fixed number of queries.

    Called inside the caller's transaction (the attendance import calls it in
    its own); the caller audits.
    """
    _require_recorder(actor, organization_id)
    asked = set(runs)
    outcome = CompletionOutcome()
    if not asked:
        return outcome
    cohort_years = dict(
        Cohort.objects.filter(
            organization_id=organization_id, pk__in={r[1] for r in asked if r[1] is not None}
        ).values_list("pk", "fiscal_year")
    )
    # A cohort's run is of the cohort's 年度, whatever its sessions say.
    wanted = {
        (course_id, cohort_id, cohort_years[cohort_id] if cohort_id is not None else fiscal_year)
        for course_id, cohort_id, fiscal_year in asked
        if cohort_id is None or cohort_id in cohort_years
    }
    course_ids = {r[0] for r in wanted}
    cohort_ids = {r[1] for r in wanted if r[1] is not None}
    years = {r[2] for r in wanted}
    courses = {
        pk: (rule, hours)
        for pk, rule, hours in Course.objects.filter(
            organization_id=organization_id, pk__in=course_ids
        ).values_list("pk", "completion_rule", "completion_hours")
    }
    run_sessions: dict[Run, list[tuple[SessionKey, dt.date | None, Decimal | None]]] = defaultdict(
        list
    )
    for pk, course_id, cohort_id, fiscal_year, date, hours in (
        Session.objects.filter(organization_id=organization_id, course_id__in=course_ids)
        .filter(Q(cohort_id__in=cohort_ids) | Q(cohort__isnull=True, fiscal_year__in=years))
        .order_by("pk")
        .values_list("pk", "course_id", "cohort_id", "fiscal_year", "date", "hours")
    ):
        session_run: Run = (
            course_id,
            cohort_id,
            cohort_years.get(cohort_id, 0) if cohort_id else fiscal_year,
        )
        if session_run in wanted:
            run_sessions[session_run].append(
                (SessionKey(pk, course_id, cohort_id, fiscal_year), date, hours)
            )
    keys = [key for rows in run_sessions.values() for key, _d, _h in rows]
    members = session_members(keys)
    attendance: dict[tuple[int, int], tuple[str, Decimal | None, str]] = {}
    if keys:
        for staff_id, session_id, status, hours, source in (
            Attendance.objects.filter(session_id__in=[k.id for k in keys])
            .order_by()
            .values_list("staff_id", "session_id", "status", "hours", "source")
        ):
            attendance[(staff_id, session_id)] = (status, hours, source)
    existing: dict[tuple[int, int, int], dict[str, Any]] = {}
    for found_row in (
        CourseCompletion.objects.filter(
            organization_id=organization_id, course_id__in=course_ids, fiscal_year__in=years
        )
        .order_by()
        .values(
            "pk",
            "staff_id",
            "course_id",
            "cohort_id",
            "fiscal_year",
            "completed_on",
            "hours",
            "source",
        )
    ):
        existing[(found_row["staff_id"], found_row["course_id"], found_row["fiscal_year"])] = dict(
            found_row
        )

    # ---- decide, per run and person
    creates: list[CourseCompletion] = []
    updates: list[CourseCompletion] = []
    removes: list[int] = []
    kept: dict[tuple[int, int, int], tuple[int | None, dt.date]] = {}  # key → (pk, date)
    run: Run
    for run in sorted(wanted, key=lambda r: (r[0], r[1] or 0, r[2])):
        course_id, run_cohort_id, fiscal_year = run
        if course_id not in courses:
            continue
        rule, needed = courses[course_id]
        sessions = run_sessions.get(run, [])
        people: set[int] = set()
        for key, _date, _hours in sessions:
            people |= members.get(key.id, set())
        people |= {
            staff_id
            for (staff_id, c_id, fy), row in existing.items()
            if c_id == course_id and fy == fiscal_year and row["cohort_id"] == run_cohort_id
        }
        for staff_id in sorted(people):
            fact = _fact(
                staff_id=staff_id,
                sessions=sessions,
                members=members,
                attendance=attendance,
                rule=rule,
                needed=needed,
                as_of=as_of,
            )
            key3 = (staff_id, course_id, fiscal_year)
            row = existing.get(key3)
            if row is not None and row["cohort_id"] != run_cohort_id:
                continue  # completed in another run of the same 年度: that one stands
            if not fact.met:
                if row is None:
                    continue
                if row["source"] == RecordSource.LMS and not fact.has_attendance:
                    continue  # a direct LMS record: not ours to withdraw
                removes.append(row["pk"])
                continue
            completed_on = fact.last_date or (row["completed_on"] if row else as_of)
            hours = fact.hours.quantize(HOURS)
            if row is None:
                creates.append(
                    CourseCompletion(
                        organization_id=organization_id,
                        staff_id=staff_id,
                        course_id=course_id,
                        cohort_id=run_cohort_id,
                        fiscal_year=fiscal_year,
                        completed_on=completed_on,
                        hours=hours,
                        source=fact.source,
                    )
                )
                outcome.completed_staff_ids.append(staff_id)
                kept[key3] = (None, completed_on)
                continue
            kept[key3] = (row["pk"], completed_on)
            same = (
                row["completed_on"] == completed_on
                and row["hours"] is not None
                and Decimal(row["hours"]) == hours
                and row["source"] == fact.source
            )
            if same:
                outcome.unchanged += 1
                continue
            updates.append(
                CourseCompletion(
                    pk=row["pk"], completed_on=completed_on, hours=hours, source=fact.source
                )
            )
    outcome.created = len(creates)
    outcome.changed = len(updates)
    outcome.removed = len(removes)

    # ---- write completions
    if removes:
        CompetencyEvidence.objects.filter(completion_id__in=removes).delete()
        CourseCompletion.objects.filter(pk__in=removes).delete()
    _insert_many(CourseCompletion, creates)
    _update_many(CourseCompletion, updates, ["completed_on", "hours", "source"])
    if creates:
        ids = {
            (staff_id, course_id, fy): pk
            for pk, staff_id, course_id, fy in CourseCompletion.objects.filter(
                organization_id=organization_id,
                course_id__in=course_ids,
                fiscal_year__in=years,
            )
            .order_by()
            .values_list("pk", "staff_id", "course_id", "fiscal_year")
        }
        kept = {key: (pk if pk is not None else ids[key], day) for key, (pk, day) in kept.items()}
    _evidence_sync(organization_id=organization_id, course_ids=course_ids, kept=kept)
    _programmes_update(
        organization_id=organization_id, cohort_ids=cohort_ids, as_of=as_of, outcome=outcome
    )
    return outcome


def _fact(
    *,
    staff_id: int,
    sessions: list[tuple[SessionKey, dt.date | None, Decimal | None]],
    members: dict[int, set[int]],
    attendance: dict[tuple[int, int], tuple[str, Decimal | None, str]],
    rule: str,
    needed: Decimal | None,
    as_of: dt.date,
) -> _Fact:
    required = [(k, d, h) for k, d, h in sessions if staff_id in members.get(k.id, set())]
    hours = Decimal("0")
    taken = 0
    last: dt.date | None = None
    sources: set[str] = set()
    has_attendance = False
    for key, date, session_hours in required:
        record = attendance.get((staff_id, key.id))
        if record is None:
            continue
        has_attendance = True
        if date is not None and date > as_of:
            continue
        status, recorded, source = record
        hours += counted_hours(status=status, hours=recorded, session_hours=session_hours)
        if status in TAKEN_STATUSES:
            taken += 1
            sources.add(source)
            if date is not None and (last is None or date > last):
                last = date
    if not required:
        met = False
    elif rule == CompletionRule.HOURS:
        met = needed is not None and hours >= needed
    else:
        met = taken == len(required)
    return _Fact(
        met=met,
        hours=hours,
        last_date=last,
        source=_source_of(sources),
        has_attendance=has_attendance,
    )


def _evidence_sync(
    *,
    organization_id: int,
    course_ids: set[int],
    kept: dict[tuple[int, int, int], tuple[int | None, dt.date]],
) -> None:
    """Each kept completion has exactly one evidence row per competency of its course."""
    if not kept:
        return
    competencies: dict[int, dict[tuple[int, str], int | None]] = defaultdict(dict)
    for course_id, framework_id, code, level in CourseCompetency.objects.filter(
        course_id__in=course_ids
    ).values_list("course_id", "framework_id", "competency_code", "level"):
        competencies[course_id][(framework_id, code)] = level
    completion_ids = [pk for pk, _day in kept.values() if pk is not None]
    present: dict[int, dict[tuple[int, str], tuple[int, int | None, dt.date]]] = defaultdict(dict)
    for pk, of_completion, framework_id, code, level, day in (
        CompetencyEvidence.objects.filter(completion_id__in=completion_ids)
        .order_by()
        .values_list(
            "pk", "completion_id", "framework_id", "competency_code", "level", "evidenced_on"
        )
    ):
        present[of_completion][(framework_id, code)] = (pk, level, day)
    inserts: list[CompetencyEvidence] = []
    updates: list[CompetencyEvidence] = []
    deletes: list[int] = []
    for (staff_id, course_id, _fy), (kept_id, day) in kept.items():
        assert kept_id is not None
        completion_id: int = kept_id
        expected = competencies.get(course_id, {})
        found = present.get(completion_id, {})
        for (framework_id, code), level in expected.items():
            have = found.get((framework_id, code))
            if have is None:
                inserts.append(
                    CompetencyEvidence(
                        organization_id=organization_id,
                        staff_id=staff_id,
                        framework_id=framework_id,
                        competency_code=code,
                        level=level,
                        course_id=course_id,
                        completion_id=completion_id,
                        evidenced_on=day,
                    )
                )
            elif have[1] != level or have[2] != day:
                updates.append(CompetencyEvidence(pk=have[0], level=level, evidenced_on=day))
        deletes.extend(pk for key, (pk, _l, _d) in found.items() if key not in expected)
    if deletes:
        CompetencyEvidence.objects.filter(pk__in=deletes).delete()
    _insert_many(CompetencyEvidence, inserts)
    _update_many(CompetencyEvidence, updates, ["level", "evidenced_on"])


def _programmes_update(
    *, organization_id: int, cohort_ids: set[int], as_of: dt.date, outcome: CompletionOutcome
) -> None:
    """Set each admitted cohort enrolment to 修了 / 未修了 / 承認 from its counted phases."""
    if not cohort_ids:
        return
    cohorts = {
        pk: (program_id, ends_on, status)
        for pk, program_id, ends_on, status in Cohort.objects.filter(
            organization_id=organization_id, pk__in=cohort_ids
        ).values_list("pk", "program_id", "ends_on", "status")
    }
    phases: dict[int, set[int]] = defaultdict(set)
    for program_id, course_id in ProgramPhase.objects.filter(
        program_id__in={c[0] for c in cohorts.values()}, counted=True
    ).values_list("program_id", "course_id"):
        phases[program_id].add(course_id)
    done: dict[tuple[int, int], dict[int, dt.date]] = defaultdict(dict)
    for staff_id, cohort_id, course_id, day in (
        CourseCompletion.objects.filter(cohort_id__in=list(cohorts))
        .order_by()
        .values_list("staff_id", "cohort_id", "course_id", "completed_on")
    ):
        done[(staff_id, cohort_id)][course_id] = day
    updates: list[Enrollment] = []
    for pk, staff_id, cohort_id, status, completed_on in (
        Enrollment.objects.filter(
            cohort_id__in=list(cohorts), status__in=ATTENDING_ENROLLMENT_STATUSES
        )
        .order_by()
        .values_list("pk", "staff_id", "cohort_id", "status", "completed_on")
    ):
        program_id, ends_on, cohort_status = cohorts[cohort_id]
        needed = phases.get(program_id, set())
        if not needed:
            continue
        finished = done.get((staff_id, cohort_id), {})
        if needed <= finished.keys():
            new_status, new_date = EnrollmentStatus.COMPLETED, max(finished[c] for c in needed)
        elif cohort_status == CohortStatus.FINISHED or as_of > ends_on:
            new_status, new_date = EnrollmentStatus.NOT_COMPLETED, None
        else:
            new_status, new_date = EnrollmentStatus.APPROVED, None
        if (new_status, new_date) == (status, completed_on):
            continue
        if new_status == EnrollmentStatus.COMPLETED:
            outcome.programmes_completed += 1
        elif new_status == EnrollmentStatus.NOT_COMPLETED:
            outcome.programmes_not_completed += 1
        else:
            outcome.programmes_reopened += 1
        updates.append(Enrollment(pk=pk, status=new_status, completed_on=new_date))
    _update_many(Enrollment, updates, ["status", "completed_on"])


__all__ = ["CompletionOutcome", "completion_runs_update", "completions_update"]
