"""庁内公募 reads: postings of the 団体 and the applications the actor may see.

Any user of the 団体 sees its postings. Applications: 人事担当 all; DX推進担当
all of a DX推進枠 (`visibility.all_applicants_visible`); 所属長 applicants of their
unit and below; 職員本人 their own. 所属長意見 only for 人事担当 and the 所属長, never
the applicant (`job_application_head_opinion_visible`). 採用/不採用 is 人事担当's
(`access_job_application_for_decision` feeds its confirmation page).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import JobApplication, JobChallenge
from hagukumi.people.selectors.access import job_application_head_opinion_visible
from hagukumi.people.visibility import all_applicants_visible, staff_scope

__all__ = [
    "access_job_application_for_decision",
    "access_job_challenge_by_id",
    "job_applications_for",
    "job_challenges_for",
]


def access_job_challenge_by_id(*, actor: Actor, challenge_id: int | str) -> JobChallenge:
    """Any user of the 団体 sees its postings."""
    return access_organization_object(
        actor, JobChallenge.objects.select_related("unit"), pk=challenge_id
    )


def job_challenges_for(*, actor: Actor) -> QuerySet[JobChallenge]:
    if actor is None or actor.organization_id is None:
        return JobChallenge.objects.none()
    return JobChallenge.objects.filter(organization_id=actor.organization_id).select_related("unit")


def job_applications_for(*, actor: Actor, challenge: JobChallenge) -> list[dict[str, Any]]:
    """Applications the actor may see, as dicts; 所属長意見 only where visible."""
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=challenge.pk)
    qs = JobApplication.objects.filter(challenge=challenge).select_related("staff__unit")
    if not all_applicants_visible(actor, challenge):
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


def access_job_application_for_decision(
    *, actor: Actor, application_id: int | str
) -> JobApplication:
    """The application 人事担当 is about to decide (with posting, applicant and unit); audited."""
    require_role(actor, Role.HR)
    organization_id = actor.organization_id
    if organization_id is None:
        raise AccessDenied()
    try:
        application = (
            JobApplication.objects.select_related("challenge", "staff__unit")
            .filter(challenge__organization_id=organization_id)
            .get(pk=application_id)
        )
    except (JobApplication.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    audit_record(actor=actor, action=AuditEvent.Action.VIEW, target=application)
    return application
