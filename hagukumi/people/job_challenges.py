"""庁内公募 / ジョブチャレンジ / DX推進枠 (seed 002 活躍の場): postings and applications.

Rules: one application per staff member per posting, only inside 募集期間
(none after 締切); the applicant may withdraw (取下げ) until 人事担当 decides
採用 / 不採用; the applicant's 所属長 adds an opinion the applicant never sees;
採用 on a posting with a talent type can create a Designation (手挙げ, 候補).
Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import Unit
from hagukumi.people.designations import designation_create
from hagukumi.people.models import (
    ApplicationStatus,
    DesignationMethod,
    DesignationStatus,
    JobApplication,
    JobChallenge,
    JobChallengeKind,
)
from hagukumi.people.selectors import job_application_head_opinion_visible, staff_of_user
from hagukumi.people.visibility import staff_scope


def access_job_challenge_by_id(*, actor: Actor, challenge_id: int | str) -> JobChallenge:
    """Any user of the 団体 sees its postings."""
    return access_organization_object(
        actor, JobChallenge.objects.select_related("unit"), pk=challenge_id
    )


def job_challenges_for(*, actor: Actor) -> QuerySet[JobChallenge]:
    if actor is None or actor.organization_id is None:
        return JobChallenge.objects.none()
    return JobChallenge.objects.filter(organization_id=actor.organization_id).select_related("unit")


@transaction.atomic
def job_challenge_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    unit: Unit,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    talent_type_code: str = "",
    capacity: int = 1,
    fiscal_year: int | None = None,
) -> JobChallenge:
    """Post a 公募 (人事担当 or DX推進担当 of the 団体)."""
    require_role(actor, Role.HR, Role.DX_OFFICE)
    if unit.organization_id != actor.organization_id:
        raise AccessDenied()
    if kind not in JobChallengeKind.values:
        raise ApplicationError(f"公募の種類「{kind}」は選べません。")
    if talent_type_code:
        from hagukumi.people.designations import talent_type_in_force

        talent_type_in_force(organization=actor.organization, code=talent_type_code)
    challenge = JobChallenge(
        organization_id=actor.organization_id,
        kind=kind,
        title=title,
        unit=unit,
        description=description,
        talent_type_code=talent_type_code,
        opens_on=opens_on,
        closes_on=closes_on,
        capacity=capacity,
        fiscal_year=fiscal_year or fiscal_year_of(opens_on),
    )
    if closes_on < opens_on:
        raise ApplicationError("締切日は募集開始日以降にしてください。")
    challenge.full_clean()
    challenge.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=challenge)
    return challenge


@transaction.atomic
def job_application_submit(
    *, actor: Actor, challenge: JobChallenge, motivation: str, today: dt.date | None = None
) -> JobApplication:
    """The actor (職員本人) applies; only inside 募集期間, once per posting."""
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=challenge.pk)
    staff = staff_of_user(actor=actor)
    if staff is None:
        raise ApplicationError("職員台帳に登録された職員だけが応募できます。")
    today = today or timezone.localdate()
    if today > challenge.closes_on:
        raise ApplicationError("締切を過ぎたため応募できません。")
    if today < challenge.opens_on:
        raise ApplicationError("募集期間の前のため応募できません。")
    if not motivation.strip():
        raise ApplicationError("志望動機を入力してください。")
    application = JobApplication(challenge=challenge, staff=staff, motivation=motivation.strip())
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ApplicationError("この公募には応募済みです。") from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=application,
        detail={"challenge": challenge.pk},
    )
    return application


def _application(actor: Actor, application_id: int | str) -> JobApplication:
    found = (
        JobApplication.objects.select_for_update()
        .select_related("challenge", "staff")
        .filter(challenge__organization_id=actor.organization_id, pk=application_id)
        .first()
        if actor is not None and actor.organization_id is not None
        else None
    )
    if found is None:
        raise AccessDenied()
    return found


@transaction.atomic
def job_application_withdraw(*, actor: Actor, application_id: int | str) -> JobApplication:
    """取下げ by the applicant, before 人事担当 decides."""
    application = _application(actor, application_id)
    if application.staff.user_id is None or application.staff.user_id != actor.user.pk:
        raise AccessDenied()
    if application.status != ApplicationStatus.APPLIED:
        raise ApplicationError("決定済みまたは取下げ済みの応募は取り下げできません。")
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, target=application, detail={"取下げ": True}
    )
    return application


@transaction.atomic
def job_application_opinion(
    *, actor: Actor, application_id: int | str, opinion: str
) -> JobApplication:
    """所属長意見 by the applicant's unit head (unit and below), before the decision."""
    application = _application(actor, application_id)
    require_role(actor, Role.UNIT_HEAD)
    if application.staff.unit_id not in staff_scope(actor).unit_ids:
        raise AccessDenied()
    if not job_application_head_opinion_visible(actor=actor, application=application):
        raise AccessDenied()  # the applicant heading their own unit
    if application.status != ApplicationStatus.APPLIED:
        raise ApplicationError("決定済みまたは取下げ済みの応募には意見を書けません。")
    application.head_opinion = opinion.strip()
    application.save(update_fields=["head_opinion", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=application,
        detail={"所属長意見": True},
    )
    return application


@transaction.atomic
def job_application_decide(
    *,
    actor: Actor,
    application_id: int | str,
    accepted: bool,
    create_designation: bool = True,
) -> JobApplication:
    """人事担当 decides 採用 / 不採用; 採用 on a talent-type posting designates (手挙げ, 候補)."""
    require_role(actor, Role.HR)
    application = _application(actor, application_id)
    if application.status != ApplicationStatus.APPLIED:
        raise ApplicationError("この応募は決定済みか取下げ済みです。")
    application.status = ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    challenge = application.challenge
    if accepted and create_designation and challenge.talent_type_code:
        application.designation = designation_create(
            actor=actor,
            staff=application.staff,
            talent_type_code=challenge.talent_type_code,
            method=DesignationMethod.VOLUNTEER,
            from_fy=challenge.fiscal_year,
            status=DesignationStatus.CANDIDATE,
            note=f"庁内公募「{challenge.title}」で採用",
            check_role=False,
        )
    application.save(update_fields=["status", "decided_at", "designation", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=application,
        detail={"decision": application.status},
    )
    return application


def job_applications_for(*, actor: Actor, challenge: JobChallenge) -> list[dict[str, Any]]:
    """Applications the actor may see, as dicts; 所属長意見 only where visible.

    人事担当: all; 所属長: applicants of unit and below; 職員本人: their own.
    """
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=challenge.pk)
    qs = JobApplication.objects.filter(challenge=challenge).select_related("staff__unit")
    if not actor.has_role(Role.HR):
        scope_ids = staff_scope(actor).unit_ids
        me = getattr(actor.user, "pk", None)
        qs = [a for a in qs if a.staff.user_id == me or a.staff.unit_id in scope_ids]  # type: ignore[assignment]
    out = []
    for application in qs:
        row: dict[str, Any] = {
            "id": application.pk,
            "staff_id": application.staff_id,
            "name": application.staff.name,
            "unit": application.staff.unit.name if application.staff.unit else "",
            "motivation": application.motivation,
            "status": application.status,
            "status_label": application.get_status_display(),
            "created_at": application.created_at,
        }
        if job_application_head_opinion_visible(actor=actor, application=application):
            row["head_opinion"] = application.head_opinion
        out.append(row)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=challenge,
        detail={"applications": len(out)},
    )
    return out
