"""庁内公募 / ジョブチャレンジ / DX推進枠 (seed 002 活躍の場): postings and applications (writes).

Rules: one application per staff member per posting, only inside 募集期間
(none after 締切); the applicant may withdraw (取下げ) until 人事担当 decides
採用 / 不採用; the applicant's 所属長 adds an opinion the applicant never sees;
採用 on a posting with a talent type can create a Designation (手挙げ, 候補).
A posting's talent type is (framework, code). Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks.in_force import talent_type_in_force
from hagukumi.orgs.models import Unit
from hagukumi.people.models import (
    ApplicationStatus,
    DesignationMethod,
    DesignationStatus,
    JobApplication,
    JobChallenge,
    JobChallengeKind,
)
from hagukumi.people.selectors.access import job_application_head_opinion_visible, staff_of_user
from hagukumi.people.selectors.job_challenges import access_job_challenge_by_id
from hagukumi.people.services.designations import designation_create
from hagukumi.people.visibility import staff_scope

__all__ = [
    "job_application_decide",
    "job_application_opinion",
    "job_application_submit",
    "job_application_withdraw",
    "job_challenge_create",
]


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
    framework: Any = None,
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
        framework = talent_type_in_force(
            organization=actor.organization, code=talent_type_code, framework=framework
        ).framework
    else:
        framework = None
    challenge = JobChallenge(
        organization_id=actor.organization_id,
        kind=kind,
        title=title,
        unit=unit,
        description=description,
        framework=framework,
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
    if application.staff.user_id is None or application.staff.user_id != getattr(
        actor.user, "pk", None
    ):
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
            framework=challenge.framework_id,
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
