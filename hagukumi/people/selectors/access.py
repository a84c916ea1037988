"""Fetching one staff record for an actor: the access check every other read builds on.

`access_staff_by_id` is the only way a page, the API or a service gets a Staff
by id: out of the actor's 団体 or of the visibility matrix → AccessDenied (404).
No actor (None) reaches nobody.
"""

from __future__ import annotations

from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import JobApplication, Staff
from hagukumi.people.visibility import staff_scope, staff_visible_groups

__all__ = ["access_staff_by_id", "job_application_head_opinion_visible", "staff_of_user"]


def access_staff_by_id(*, actor: Actor, staff_id: int | str) -> Staff:
    """The staff member if the actor may see any of their fields; AccessDenied (404) otherwise."""
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    try:
        staff = (
            Staff.objects.select_related("unit", "organization")
            .filter(organization_id=actor.organization_id)
            .get(pk=staff_id)
        )
    except (Staff.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    if not staff_visible_groups(actor, staff):
        raise AccessDenied()
    return staff


def staff_of_user(*, actor: Actor) -> Staff | None:
    """The staff record linked to the actor's user in the active 団体 (職員本人)."""
    if actor is None or actor.organization_id is None or actor.user is None:
        return None
    return (
        Staff.objects.select_related("unit")
        .filter(organization_id=actor.organization_id, user_id=actor.user.pk)
        .first()
    )


def job_application_head_opinion_visible(*, actor: Actor, application: JobApplication) -> bool:
    """所属長意見: 人事担当 and 所属長 see it; the applicant never (even holding another role)."""
    if actor is None:
        return False
    staff = application.staff
    if staff.user_id is not None and staff.user_id == getattr(actor.user, "pk", None):
        return False
    return actor.has_role(Role.HR) or (
        actor.has_role(Role.UNIT_HEAD) and staff.unit_id in staff_scope(actor).unit_ids
    )
