"""The 研修 API under /api/v1/training/: programmes, cohorts and enrolment.

Reads: programmes (phases, required hours, 対面 回), cohorts (places, 待機, 枠),
a cohort's enrolments (所属長: unit and below; 職員: own), the 所属長's 推薦 list,
one's own enrolments. Writes: 手挙げ (`apply`), 推薦 (`recommend`), 指名
(`appoint`), 承認 (`approve`), 却下 (`reject`), 取消 (`cancel`). Rules live in
training.services.enrolment; out of scope (another 団体, another unit,
都道府県支援担当) → 404 {"detail": "見つかりません。"}; a broken rule → 400
{"detail": "…"}. The clock is read here, at the edge, and passed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from hagukumi.core.access import require_role
from hagukumi.core.web import actor_of
from hagukumi.people.selectors import access_staff_by_id
from hagukumi.training.models import Cohort, Enrollment
from hagukumi.training.roles import TRAINING_READ_ROLES
from hagukumi.training.selectors.enrolment import (
    access_enrollment_by_id,
    cohort_enrollments,
    cohort_seat_counts,
    my_enrollments,
    recommendable_staff,
)
from hagukumi.training.selectors.programs import (
    access_cohort_by_id,
    access_program_by_id,
    cohorts_for,
    program_plan,
    programs_for,
)
from hagukumi.training.services.enrolment import (
    enrollment_apply,
    enrollment_appoint,
    enrollment_approve,
    enrollment_cancel,
    enrollment_recommend,
    enrollment_reject,
)

router = Router(tags=["研修"])


class PhaseOut(Schema):
    order: int
    name: str
    period: str
    course_code: str
    course_title: str
    format: str
    required: bool
    counted: bool
    planned_hours: Decimal | None
    sessions: int
    in_person_sessions: int
    group_size_min: int | None
    group_size_max: int | None


class ProgramOut(Schema):
    id: int
    code: str
    title: str
    description: str
    framework: str
    talent_type: str
    talent_type_name: str
    level: str
    required_hours: Decimal
    in_person_sessions: int
    source: str
    phases: list[PhaseOut]


class QuotaOut(Schema):
    channel: str
    unit_kind: str
    max_per_unit: int | None
    new_every_year: bool
    exclude_previous_designees: bool
    label: str


class CohortOut(Schema):
    id: int
    program_id: int
    program_code: str
    program_title: str
    number: int
    fiscal_year: int
    capacity: int | None
    starts_on: dt.date
    ends_on: dt.date
    status: str
    seated: int
    waitlisted: int
    quotas: list[QuotaOut]


class EnrollmentOut(Schema):
    id: int
    cohort_id: int | None
    staff_id: int
    staff_number: str
    staff_name: str
    channel: str
    status: str
    requested_at: dt.datetime
    approved_at: dt.datetime | None
    quota_unit: str
    reason: str


class RecommendRowOut(Schema):
    staff_id: int
    staff_number: str
    staff_name: str
    unit: str
    quota_unit: str
    can_recommend: bool
    reason: str


class RecommendListOut(Schema):
    cohort_id: int
    quota_label: str
    rows: list[RecommendRowOut]


class StaffIn(Schema):
    staff_id: int


class ReasonIn(Schema):
    reason: str = ""


def _program_json(actor: Any, program: Any) -> dict[str, Any]:
    plan = program_plan(actor=actor, program=program)
    return {
        "id": program.pk,
        "code": program.code,
        "title": program.title,
        "description": program.description,
        "framework": program.framework.code,
        "talent_type": program.talent_type_code,
        "talent_type_name": plan.talent_type_name,
        "level": program.level_code,
        "required_hours": plan.required_hours,
        "in_person_sessions": plan.in_person_sessions,
        "source": program.source,
        "phases": [
            {
                "order": p.phase.order,
                "name": p.phase.name or p.course.title,
                "period": p.phase.period_label,
                "course_code": p.course.code,
                "course_title": p.course.title,
                "format": p.course.format,
                "required": p.phase.required,
                "counted": p.phase.counted,
                "planned_hours": p.hours,
                "sessions": p.sessions,
                "in_person_sessions": p.in_person_sessions,
                "group_size_min": p.phase.group_size_min,
                "group_size_max": p.phase.group_size_max,
            }
            for p in plan.phases
        ],
    }


def _cohort_json(cohort: Cohort, counts: Any) -> dict[str, Any]:
    return {
        "id": cohort.pk,
        "program_id": cohort.program_id,
        "program_code": cohort.program.code,
        "program_title": cohort.program.title,
        "number": cohort.number,
        "fiscal_year": cohort.fiscal_year,
        "capacity": cohort.capacity,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "status": cohort.status,
        "seated": counts.seated,
        "waitlisted": counts.waitlisted,
        "quotas": [
            {
                "channel": q.channel,
                "unit_kind": q.unit_kind,
                "max_per_unit": q.max_per_unit,
                "new_every_year": q.new_every_year,
                "exclude_previous_designees": q.exclude_previous_designees,
                "label": q.label,
            }
            for q in cohort.quotas.all()
        ],
    }


def _enrollment_json(e: Enrollment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "cohort_id": e.cohort_id,
        "staff_id": e.staff_id,
        "staff_number": e.staff.number,
        "staff_name": e.staff.name,
        "channel": e.channel,
        "status": e.status,
        "requested_at": e.requested_at,
        "approved_at": e.approved_at,
        "quota_unit": e.quota_unit.name if e.quota_unit_id and e.quota_unit else "",
        "reason": e.reason,
    }


@router.get(
    "/programs",
    response=list[ProgramOut],
    url_name="training_programs",
    summary="育成プログラムの一覧",
)
def program_list(request: HttpRequest) -> list[dict[str, Any]]:
    """団体の育成プログラム（フェーズ、必要時間数、対面の回数）。"""
    actor = actor_of(request)
    return [_program_json(actor, p) for p in programs_for(actor=actor)]


@router.get(
    "/programs/{program_id}",
    response=ProgramOut,
    url_name="training_program",
    summary="育成プログラム",
)
def program_detail(request: HttpRequest, program_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    return _program_json(actor, access_program_by_id(actor=actor, program_id=program_id))


@router.get("/cohorts", response=list[CohortOut], url_name="training_cohorts", summary="期の一覧")
def cohort_list(
    request: HttpRequest,
    program_id: int | None = None,
    fiscal_year: int | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """期（定員、受講決定・申請中の数、待機の数、推薦・自薦の枠）。

    `status=recruiting` などで絞り込めます。"""
    actor = actor_of(request)
    program = access_program_by_id(actor=actor, program_id=program_id) if program_id else None
    cohorts = list(
        cohorts_for(
            actor=actor,
            program=program,
            fiscal_year=fiscal_year,
            statuses=(status,) if status else (),
        )
    )
    counts = cohort_seat_counts(cohorts)
    return [_cohort_json(c, counts[c.pk]) for c in cohorts]


@router.get("/cohorts/{cohort_id}", response=CohortOut, url_name="training_cohort", summary="期")
def cohort_detail(request: HttpRequest, cohort_id: int) -> dict[str, Any]:
    cohort = access_cohort_by_id(actor=actor_of(request), cohort_id=cohort_id)
    return _cohort_json(cohort, cohort_seat_counts([cohort])[cohort.pk])


@router.get(
    "/cohorts/{cohort_id}/enrollments",
    response=list[EnrollmentOut],
    url_name="training_cohort_enrollments",
    summary="期の受講申込",
)
def cohort_enrollment_list(request: HttpRequest, cohort_id: int) -> list[dict[str, Any]]:
    """見られる受講申込（DX推進担当・人事担当: すべて、所属長: 所属と配下、職員: 本人）。

    待機は申込順です。"""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=cohort_id)
    today = timezone.localdate()
    return [
        _enrollment_json(e) for e in cohort_enrollments(actor=actor, cohort=cohort, today=today)
    ]


@router.get(
    "/cohorts/{cohort_id}/recommendable",
    response=RecommendListOut,
    url_name="training_recommendable",
    summary="推薦できる職員",
)
def recommendable_list(request: HttpRequest, cohort_id: int) -> dict[str, Any]:
    """所属長の所属と配下の職員と、推薦できない理由（申込済み、枠が埋まっている など）。"""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=cohort_id)
    listed = recommendable_staff(actor=actor, cohort=cohort, today=timezone.localdate())
    return {
        "cohort_id": cohort.pk,
        "quota_label": listed.quota.label if listed.quota is not None else "",
        "rows": [
            {
                "staff_id": r.staff.pk,
                "staff_number": r.staff.number,
                "staff_name": r.staff.name,
                "unit": r.unit_name,
                "quota_unit": r.quota_unit_name,
                "can_recommend": r.can_recommend,
                "reason": r.reason,
            }
            for r in listed.rows
        ],
    }


@router.get(
    "/enrollments/mine",
    response=list[EnrollmentOut],
    url_name="training_my_enrollments",
    summary="自分の受講申込",
)
def my_enrollment_list(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    require_role(actor, *TRAINING_READ_ROLES)
    return [_enrollment_json(e) for e in my_enrollments(actor=actor)]


@router.post(
    "/cohorts/{cohort_id}/apply",
    response=EnrollmentOut,
    url_name="training_apply",
    summary="手挙げで申し込む",
)
def apply(request: HttpRequest, cohort_id: int) -> dict[str, Any]:
    """本人の申込（申請中。定員を超えると待機）。所属長の承認を待ちます。"""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=cohort_id)
    return _enrollment_json(enrollment_apply(actor=actor, cohort=cohort, now=timezone.now()))


@router.post(
    "/cohorts/{cohort_id}/recommend",
    response=EnrollmentOut,
    url_name="training_recommend",
    summary="推薦する",
)
def recommend(request: HttpRequest, cohort_id: int, payload: StaffIn) -> dict[str, Any]:
    """所属長が所属（と配下）の職員を推薦します（推薦枠: 各所属の上限を超えると 400）。"""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=cohort_id)
    staff = access_staff_by_id(actor=actor, staff_id=payload.staff_id)
    return _enrollment_json(
        enrollment_recommend(actor=actor, cohort=cohort, staff=staff, now=timezone.now())
    )


@router.post(
    "/cohorts/{cohort_id}/appoint",
    response=EnrollmentOut,
    url_name="training_appoint",
    summary="指名する",
)
def appoint(request: HttpRequest, cohort_id: int, payload: StaffIn) -> dict[str, Any]:
    """DX推進担当の指名（実施中の期にも）。"""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=cohort_id)
    staff = access_staff_by_id(actor=actor, staff_id=payload.staff_id)
    return _enrollment_json(
        enrollment_appoint(actor=actor, cohort=cohort, staff=staff, now=timezone.now())
    )


def _enrollment(request: HttpRequest, enrollment_id: int) -> tuple[Any, Enrollment]:
    actor = actor_of(request)
    return actor, access_enrollment_by_id(
        actor=actor, enrollment_id=enrollment_id, today=timezone.localdate()
    )


@router.post(
    "/enrollments/{enrollment_id}/approve",
    response=EnrollmentOut,
    url_name="training_approve",
    summary="手挙げを承認する",
)
def approve(request: HttpRequest, enrollment_id: int) -> dict[str, Any]:
    """本人の所属長だけが承認できます（ほかは 404）。"""
    actor, enrollment = _enrollment(request, enrollment_id)
    return _enrollment_json(
        enrollment_approve(actor=actor, enrollment=enrollment, now=timezone.now())
    )


@router.post(
    "/enrollments/{enrollment_id}/reject",
    response=EnrollmentOut,
    url_name="training_reject",
    summary="却下する",
)
def reject(request: HttpRequest, enrollment_id: int, payload: ReasonIn) -> dict[str, Any]:
    """理由が必須です。席と枠が空き、待機の先頭が繰り上がります。"""
    actor, enrollment = _enrollment(request, enrollment_id)
    return _enrollment_json(
        enrollment_reject(
            actor=actor, enrollment=enrollment, reason=payload.reason, now=timezone.now()
        )
    )


@router.post(
    "/enrollments/{enrollment_id}/cancel",
    response=EnrollmentOut,
    url_name="training_cancel",
    summary="取り消す",
)
def cancel(
    request: HttpRequest, enrollment_id: int, payload: ReasonIn | None = None
) -> dict[str, Any]:
    """本人・所属長・DX推進担当が取り消せます。待機の先頭が繰り上がります。"""
    actor, enrollment = _enrollment(request, enrollment_id)
    return _enrollment_json(
        enrollment_cancel(
            actor=actor,
            enrollment=enrollment,
            reason=payload.reason if payload is not None else "",
            now=timezone.now(),
        )
    )
