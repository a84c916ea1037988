"""Small reads the people pages need that no other selector answers.

- `job_application_challenge_id`: the posting an application belongs to, so a
  page about the application can go back to its posting (404 outside the 団体)
"""

from __future__ import annotations

from hagukumi.core.errors import AccessDenied
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import JobApplication


def job_application_challenge_id(*, actor: Actor, application_id: int | str) -> int:
    """The id of the posting of an application of the actor's 団体; AccessDenied otherwise.

    Who may act on the application is the service's business; this only says
    which posting page to return to.
    """
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    try:
        challenge_id = (
            JobApplication.objects.filter(
                pk=application_id, challenge__organization_id=actor.organization_id
            )
            .values_list("challenge_id", flat=True)
            .first()
        )
    except (ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    if challenge_id is None:
        raise AccessDenied()
    return int(challenge_id)
