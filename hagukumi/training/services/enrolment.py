"""Enrolment in a cohort: 手挙げ → 所属長 approval, 推薦 by the 所属長, 指名 by DX推進担当.

Rules (issue [研修] 「Enrolment」; seed 004 青森県 DX推進員 for the quotas):

- One live enrolment per staff member and cohort (「既に申し込まれています」).
- 手挙げ (the staff member, for themself) waits for approval (申請中) by their
  所属長 — only a 所属長 whose unit and below holds the person; anyone else
  gets AccessDenied (404). 推薦 (that 所属長) and 指名 (DX推進担当) are 承認 at once.
- Capacity: 申請中 / 承認 / 修了 / 未修了 hold a place; beyond `Cohort.capacity`
  an enrolment is 待機. The 待機 list is first come first served by
  (`requested_at`, id): when a place frees (取消, 却下) the first one moves up
  at once (to 承認, or to 申請中 for a 手挙げ its 所属長 has not approved yet).
- Quotas (`Quota`, per cohort and channel 推薦 / 自薦): each enrolment counts
  for the staff member's unit of `unit_kind` as of the cohort's 年度 (a 係
  member counts for its 課, orgs.selectors.unit_ancestor_of_kind). A capped
  quota hands out numbered seats unique per (quota, 課), so of two concurrent
  推薦 for the last seat exactly one is saved; the other gets
  「推薦枠（各所属1名）を超えています: 〇〇課 は推薦済みです」. 待機 keeps its seat.
  `exclude_previous_designees` refuses anyone who already is (or was) a
  holder of the programme's talent type; `new_every_year` anyone who took an
  earlier cohort of the programme.
- A designation: when an enrolment is 承認 and the person has no designation of
  the programme's talent type, one is created through people's services
  (候補; 育成中 when the cohort is already running), method = the channel.
- Every change is audited. Services take `now` (no wall clock inside).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.frameworks.selectors import talent_type_name
from hagukumi.people.models import Designation, DesignationMethod, DesignationStatus, Staff
from hagukumi.people.selectors import staff_of_user
from hagukumi.people.services import designation_create, designation_transition
from hagukumi.people.visibility import headed_unit_ids
from hagukumi.training.enrolment_scope import EnrolmentScope, enrolment_scope_decide
from hagukumi.training.models import (
    LIVE_ENROLLMENT_STATUSES,
    SEATED_ENROLLMENT_STATUSES,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    Quota,
)
from hagukumi.training.roles import (
    APPLY_ROLES,
    APPOINT_ROLES,
    APPROVE_ROLES,
    PROGRAM_EDIT_ROLES,
    RECOMMEND_ROLES,
)
from hagukumi.training.selectors.enrolment import (
    OPEN_COHORT_STATUSES,
    earlier_cohort_of,
    previous_designee,
    quota_full_message,
    quota_unit_of,
    staff_label,
)
from hagukumi.training.selectors.programs import organization_id_of
from hagukumi.training.services.templates import clean_or_raise

__all__ = [
    "designation_for_enrollment",
    "designation_start_for_enrollment",
    "enrollment_apply",
    "enrollment_appoint",
    "enrollment_approve",
    "enrollment_cancel",
    "enrollment_recommend",
    "enrollment_reject",
]

_DESIGNATION_METHOD = {
    EnrollmentChannel.VOLUNTEER: DesignationMethod.VOLUNTEER,
    EnrollmentChannel.RECOMMENDED: DesignationMethod.RECOMMENDED,
    EnrollmentChannel.APPOINTED: DesignationMethod.APPOINTED,
}
# Statuses an enrolment can be withdrawn (取消) or refused (却下) from.
_OPEN_ENROLMENT_STATUSES = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.WAITLISTED,
)


def _require_head_of(actor: Actor, staff: Staff, now: dt.datetime) -> None:
    """The actor is a 所属長 whose unit and below holds `staff` (else AccessDenied, 404)."""
    require_role(actor, *APPROVE_ROLES)
    if staff.organization_id != actor.organization_id:
        raise AccessDenied()
    if staff.unit_id not in headed_unit_ids(actor, fiscal_year=fiscal_year_of(now.date())):
        raise AccessDenied()


def _is_head_of(actor: Actor, staff: Staff, now: dt.datetime) -> bool:
    try:
        _require_head_of(actor, staff, now)
    except AccessDenied:
        return False
    return True


def _locked_cohort(cohort: Cohort, actor: Actor) -> Cohort:
    """The cohort row, locked for the transaction (enrolments of one cohort queue up)."""
    locked = (
        Cohort.objects.select_for_update(of=("self",))
        .filter(pk=cohort.pk, organization_id=organization_id_of(actor))
        .first()
    )
    if locked is None:
        raise AccessDenied()
    return locked


def _check_scope(staff: Staff, cohort: Cohort) -> None:
    """Own staff always; another 団体's only through training.enrolment_scope (ADR 0007)."""
    if staff.organization_id == cohort.organization_id:
        return
    first = cohort.program.phases.select_related("course").order_by("order").first()
    if first is None:
        raise ApplicationError("研修が見つかりません。")
    decision = enrolment_scope_decide(
        EnrolmentScope(
            staff_organization_id=staff.organization_id, course=first.course, cohort=cohort
        )
    )
    if not decision.allowed:
        raise ApplicationError(decision.reason)


def _refuse_second(staff: Staff, cohort: Cohort) -> None:
    live = Enrollment.objects.filter(
        staff=staff, cohort=cohort, status__in=LIVE_ENROLLMENT_STATUSES
    ).first()
    if live is not None:
        raise ApplicationError(
            f"{staff_label(staff)} は既に{cohort.program.title} {cohort}に申し込まれています"
            f"（{live.get_channel_display()}・{live.get_status_display()}）。"
        )


def _has_room(cohort: Cohort) -> bool:
    if cohort.capacity is None:
        return True
    seated = Enrollment.objects.filter(cohort=cohort, status__in=SEATED_ENROLLMENT_STATUSES).count()
    return seated < cohort.capacity


def _quota_checks(quota: Quota, staff: Staff, cohort: Cohort) -> None:
    """枠 rules other than the per-unit count: previous designees, 毎年度新規."""
    program = cohort.program
    label = quota.get_channel_display()
    if quota.exclude_previous_designees:
        held = previous_designee(staff=staff, program=program)
        if held is not None:
            name = talent_type_name(framework=program.framework_id, code=program.talent_type_code)
            raise ApplicationError(
                f"{label}枠には既に{name}の職員は選べません: {staff_label(staff)}"
                f"（{format_fiscal_year(held.from_fy)}から）"
            )
    if quota.new_every_year:
        earlier = earlier_cohort_of(staff=staff, cohort=cohort)
        if earlier is not None:
            raise ApplicationError(
                f"{label}枠は毎年度新規です: {staff_label(staff)} は{earlier}で受講しています"
            )


def _save_with_seat(enrollment: Enrollment, quota: Quota | None) -> None:
    """Save a new enrolment, taking the lowest free seat of a capped quota.

    The seat is unique per (quota, unit) in the database: if a concurrent
    enrolment took it first, the next seat is tried; none left → the quota
    message. A concurrent second enrolment of the same person fails on the
    one-live-enrolment constraint and gets the 「既に申し込まれています」 message.
    """
    unit = enrollment.quota_unit
    if quota is None or quota.max_per_unit is None or unit is None:
        try:
            with transaction.atomic():
                enrollment.save()
        except IntegrityError:
            _refuse_second(enrollment.staff, enrollment.cohort)  # type: ignore[arg-type]
            raise
        return
    used = set(
        Enrollment.objects.filter(
            quota=quota, quota_unit=unit, quota_seat__isnull=False
        ).values_list("quota_seat", flat=True)
    )
    for seat in range(1, quota.max_per_unit + 1):
        if seat in used:
            continue
        enrollment.quota_seat = seat
        try:
            with transaction.atomic():
                enrollment.save()
            return
        except IntegrityError:
            enrollment.pk = None
            _refuse_second(enrollment.staff, enrollment.cohort)  # type: ignore[arg-type]
    enrollment.quota_seat = None
    raise ApplicationError(
        quota_full_message(quota=quota, unit=unit), extra={"field": "staff", "unit": unit.name}
    )


def designation_for_enrollment(
    *, actor: Actor, enrollment: Enrollment, on: dt.date
) -> Designation | None:
    """Create the 候補 designation of a seated cohort enrolment when the person has none.

    The programme's talent type (and level), method = the channel, 期 = the
    cohort's number; 育成中 straight away when the cohort is already running.
    A designation the person already has (any status but 解除) is left as it is.
    """
    cohort = enrollment.cohort
    if cohort is None:
        return None
    program = cohort.program
    existing = (
        Designation.objects.filter(
            staff_id=enrollment.staff_id,
            framework_id=program.framework_id,
            talent_type_code=program.talent_type_code,
        )
        .not_revoked()
        .first()
    )
    if existing is not None:
        return None
    running = cohort.status == CohortStatus.RUNNING
    return designation_create(
        actor=actor,
        staff=enrollment.staff,
        talent_type_code=program.talent_type_code,
        framework=program.framework_id,
        method=_DESIGNATION_METHOD[EnrollmentChannel(enrollment.channel)],
        from_fy=cohort.fiscal_year,
        level_code=program.level_code,
        cohort=cohort.number,
        status=DesignationStatus.TRAINING if running else DesignationStatus.CANDIDATE,
        effective_on=on,
        note=f"{program.title} {cohort}（{enrollment.get_channel_display()}）",
        check_role=False,
    )


def _audit(actor: Actor, enrollment: Enrollment, action: str, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=enrollment,
        detail={
            "cohort": enrollment.cohort_id,
            "channel": enrollment.channel,
            "status": enrollment.status,
            **detail,
        },
    )


@transaction.atomic
def _enrol(
    *,
    actor: Actor,
    cohort: Cohort,
    staff: Staff,
    channel: EnrollmentChannel,
    now: dt.datetime,
    statuses: tuple[CohortStatus, ...] = OPEN_COHORT_STATUSES,
) -> Enrollment:
    cohort = _locked_cohort(cohort, actor)
    if cohort.status not in statuses:
        raise ApplicationError(
            f"{cohort.program.title} {cohort}は{cohort.get_status_display()}のため申し込めません。"
        )
    _check_scope(staff, cohort)
    _refuse_second(staff, cohort)
    quota = cohort.quotas.filter(channel=channel).first()
    unit = None
    if quota is not None:
        unit = quota_unit_of(quota=quota, staff=staff, fiscal_year=cohort.fiscal_year)
        if unit is None:
            raise ApplicationError(
                f"{staff_label(staff)} の所属に当たる{quota.unit_kind}が"
                f"{format_fiscal_year(cohort.fiscal_year)}の組織にありません（枠を数えられません）。"
            )
        _quota_checks(quota, staff, cohort)
    accepted = (
        EnrollmentStatus.APPLIED
        if channel == EnrollmentChannel.VOLUNTEER
        else EnrollmentStatus.APPROVED
    )
    status = accepted if _has_room(cohort) else EnrollmentStatus.WAITLISTED
    enrollment = Enrollment(
        organization_id=cohort.organization_id,
        staff=staff,
        cohort=cohort,
        fiscal_year=cohort.fiscal_year,
        channel=channel,
        status=status,
        requested_at=now,
        requested_by=actor.user,
        recommended_by=actor.user if channel == EnrollmentChannel.RECOMMENDED else None,
        quota=quota,
        quota_unit=unit,
    )
    if channel != EnrollmentChannel.VOLUNTEER:
        # 推薦 and 指名 need no further approval: the one who chose decided.
        enrollment.approved_by = actor.user
        enrollment.approved_at = now
        enrollment.decided_by_name = actor.audit_username
        enrollment.decided_at = now
    clean_or_raise(enrollment)
    _save_with_seat(enrollment, quota)
    if enrollment.status == EnrollmentStatus.APPROVED:
        designation_for_enrollment(actor=actor, enrollment=enrollment, on=now.date())
    _audit(actor, enrollment, AuditEvent.Action.CREATE, staff=staff.number)
    return enrollment


def enrollment_apply(*, actor: Actor, cohort: Cohort, now: dt.datetime) -> Enrollment:
    """手挙げ: the actor applies for themself (申請中, or 待機 when the cohort is full)."""
    require_role(actor, *APPLY_ROLES)
    staff = staff_of_user(actor=actor)
    if staff is None:
        raise ApplicationError("職員として登録されていないため、申し込めません。")
    return _enrol(
        actor=actor, cohort=cohort, staff=staff, channel=EnrollmentChannel.VOLUNTEER, now=now
    )


def enrollment_recommend(
    *, actor: Actor, cohort: Cohort, staff: Staff, now: dt.datetime
) -> Enrollment:
    """推薦 by the staff member's 所属長 (承認, or 待機 when full), within the 推薦枠."""
    require_role(actor, *RECOMMEND_ROLES)
    _require_head_of(actor, staff, now)
    return _enrol(
        actor=actor, cohort=cohort, staff=staff, channel=EnrollmentChannel.RECOMMENDED, now=now
    )


def enrollment_appoint(
    *, actor: Actor, cohort: Cohort, staff: Staff, now: dt.datetime
) -> Enrollment:
    """指名 by DX推進担当 (承認, or 待機 when full); also while the cohort runs."""
    require_role(actor, *APPOINT_ROLES)
    if staff.organization_id != actor.organization_id:
        raise AccessDenied()
    return _enrol(
        actor=actor,
        cohort=cohort,
        staff=staff,
        channel=EnrollmentChannel.APPOINTED,
        now=now,
        statuses=(*OPEN_COHORT_STATUSES, CohortStatus.RUNNING),
    )


def _locked_enrollment(enrollment: Enrollment, actor: Actor) -> Enrollment:
    """The enrolment row locked, its cohort locked first (the order every writer uses)."""
    cohort_id = (
        Enrollment.objects.filter(
            pk=enrollment.pk, organization_id=organization_id_of(actor), cohort__isnull=False
        )
        .values_list("cohort_id", flat=True)
        .first()
    )
    if cohort_id is None:
        raise AccessDenied()
    Cohort.objects.select_for_update(of=("self",)).filter(pk=cohort_id).first()
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(pk=enrollment.pk, organization_id=organization_id_of(actor), cohort__isnull=False)
        .select_related("staff__unit", "cohort__program")
        .first()
    )
    if locked is None:
        raise AccessDenied()
    return locked


def _promote_waitlist(*, actor: Actor, cohort: Cohort, now: dt.datetime) -> list[Enrollment]:
    """Move the first 待機 (by requested_at, id) up while there is room."""
    moved = []
    while _has_room(cohort):
        first = (
            Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.WAITLISTED)
            .select_related("staff", "cohort__program")
            .order_by("requested_at", "id")
            .first()
        )
        if first is None:
            break
        approved = first.channel != EnrollmentChannel.VOLUNTEER or first.approved_at is not None
        first.status = EnrollmentStatus.APPROVED if approved else EnrollmentStatus.APPLIED
        first.save(update_fields=["status", "updated_at"])
        if first.status == EnrollmentStatus.APPROVED:
            designation_for_enrollment(actor=actor, enrollment=first, on=now.date())
        _audit(
            actor,
            first,
            AuditEvent.Action.UPDATE,
            status_from=EnrollmentStatus.WAITLISTED,
            reason="待機から繰り上げ",
        )
        moved.append(first)
    return moved


def _close(
    *,
    actor: Actor,
    enrollment: Enrollment,
    status: EnrollmentStatus,
    reason: str,
    now: dt.datetime,
) -> Enrollment:
    before = enrollment.status
    if before not in _OPEN_ENROLMENT_STATUSES:
        raise ApplicationError(
            f"「{enrollment.get_status_display()}」の申込は{status.label}できません。"
        )
    enrollment.status = status
    enrollment.reason = reason.strip()
    enrollment.decided_by_name = actor.audit_username
    enrollment.decided_at = now
    enrollment.quota_seat = None  # frees the 枠 of the 課
    enrollment.save(
        update_fields=[
            "status",
            "reason",
            "decided_by_name",
            "decided_at",
            "quota_seat",
            "updated_at",
        ]
    )
    _audit(actor, enrollment, AuditEvent.Action.UPDATE, status_from=before, reason=reason)
    if before in SEATED_ENROLLMENT_STATUSES:
        _promote_waitlist(actor=actor, cohort=enrollment.cohort, now=now)  # type: ignore[arg-type]
    return enrollment


@transaction.atomic
def enrollment_approve(*, actor: Actor, enrollment: Enrollment, now: dt.datetime) -> Enrollment:
    """The 所属長 approves a 手挙げ: 申請中 → 承認; a 待機 one is marked approved and moves
    up to 承認 when a place frees. Only the staff member's 所属長 (others: 404)."""
    locked = _locked_enrollment(enrollment, actor)
    _require_head_of(actor, locked.staff, now)
    if locked.channel != EnrollmentChannel.VOLUNTEER:
        raise ApplicationError("承認が必要なのは手挙げの申込だけです（推薦・指名は承認済みです）。")
    if locked.status == EnrollmentStatus.APPLIED:
        locked.status = EnrollmentStatus.APPROVED
    elif locked.status != EnrollmentStatus.WAITLISTED or locked.approved_at is not None:
        raise ApplicationError(f"「{locked.get_status_display()}」の申込は承認できません。")
    locked.approved_by = actor.user
    locked.approved_at = now
    locked.decided_by_name = actor.audit_username
    locked.decided_at = now
    locked.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "decided_by_name",
            "decided_at",
            "updated_at",
        ]
    )
    if locked.status == EnrollmentStatus.APPROVED:
        designation_for_enrollment(actor=actor, enrollment=locked, on=now.date())
    _audit(actor, locked, AuditEvent.Action.UPDATE, approved=True)
    return locked


@transaction.atomic
def enrollment_reject(
    *, actor: Actor, enrollment: Enrollment, reason: str, now: dt.datetime
) -> Enrollment:
    """却下 (with a reason): the 所属長 refuses a 手挙げ of their staff; DX推進担当 any
    open enrolment. Frees the place and the 枠; the 待機 list moves up."""
    locked = _locked_enrollment(enrollment, actor)
    if not actor.has_role(*PROGRAM_EDIT_ROLES):
        _require_head_of(actor, locked.staff, now)
        if locked.channel != EnrollmentChannel.VOLUNTEER:
            raise ApplicationError("所属長が却下できるのは手挙げの申込だけです。取消してください。")
    if not reason.strip():
        raise ApplicationError("却下の理由を入力してください。", extra={"field": "reason"})
    return _close(
        actor=actor, enrollment=locked, status=EnrollmentStatus.REJECTED, reason=reason, now=now
    )


@transaction.atomic
def enrollment_cancel(
    *, actor: Actor, enrollment: Enrollment, reason: str = "", now: dt.datetime
) -> Enrollment:
    """取消 by the staff member themself, their 所属長 or DX推進担当. Frees the place and
    the 枠 of the 課; the first 待機 moves up at once (first come first served)."""
    locked = _locked_enrollment(enrollment, actor)
    own = (
        actor.user is not None
        and locked.staff.user_id is not None
        and locked.staff.user_id == actor.user.pk
    )
    if not (own or actor.has_role(*PROGRAM_EDIT_ROLES) or _is_head_of(actor, locked.staff, now)):
        raise AccessDenied()
    return _close(
        actor=actor, enrollment=locked, status=EnrollmentStatus.CANCELLED, reason=reason, now=now
    )


def designation_start_for_enrollment(*, actor: Actor, enrollment: Enrollment, on: dt.date) -> None:
    """At cohort start: the enrolment's 候補 designation → 育成中 (created if missing)."""
    cohort = enrollment.cohort
    assert cohort is not None
    program = cohort.program
    designation = (
        Designation.objects.filter(
            staff_id=enrollment.staff_id,
            framework_id=program.framework_id,
            talent_type_code=program.talent_type_code,
        )
        .not_revoked()
        .first()
    )
    if designation is None:
        designation_for_enrollment(actor=actor, enrollment=enrollment, on=on)
    elif designation.status == DesignationStatus.CANDIDATE:
        designation_transition(
            actor=actor,
            designation=designation,
            status=DesignationStatus.TRAINING,
            effective_on=on,
            note=f"{program.title} {cohort} 開始",
        )
