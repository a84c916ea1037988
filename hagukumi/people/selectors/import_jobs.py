"""People import jobs (職員台帳・資格の取込) of the actor's 団体, for its 人事担当.

Another 団体's job, or a job of another kind, is AccessDenied (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from hagukumi.core.access import require_role
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import ImportJob, Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.import_jobs import QUALIFICATIONS_KIND, STAFF_KIND

__all__ = [
    "PEOPLE_JOB_KINDS",
    "JobWait",
    "access_roster_job_by_id",
    "roster_job_wait",
    "roster_jobs_recent",
]

PEOPLE_JOB_KINDS = (STAFF_KIND, QUALIFICATIONS_KIND)


def access_roster_job_by_id(*, actor: Actor, job_id: int | str) -> ImportJob:
    """A people import job of the actor's 団体, for its 人事担当; AccessDenied (404) otherwise."""
    require_role(actor, Role.HR)
    try:
        return ImportJob.objects.select_related("organization").get(
            pk=job_id, organization_id=actor.organization_id or 0, kind__in=PEOPLE_JOB_KINDS
        )
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


def roster_jobs_recent(*, actor: Actor, limit: int = 10) -> list[ImportJob]:
    require_role(actor, Role.HR)
    return list(
        ImportJob.objects.filter(
            organization_id=actor.organization_id or 0, kind__in=PEOPLE_JOB_KINDS
        ).order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class JobWait:
    """Why a queued job waits: the running job of the same 団体 and lane, jobs ahead."""

    running_id: int | None
    ahead: int


def roster_job_wait(*, job: ImportJob) -> JobWait | None:
    """For a 待機 job: the job it waits for (same 団体 and lane) and how many are ahead."""
    if job.status != ImportJob.Status.QUEUED:
        return None
    same_lane = ImportJob.objects.filter(organization_id=job.organization_id, lane=job.lane)
    running = same_lane.filter(status=ImportJob.Status.RUNNING).values_list("pk", flat=True).first()
    ahead = (
        same_lane.filter(status=ImportJob.Status.QUEUED)
        .filter(Q(created_at__lt=job.created_at) | Q(created_at=job.created_at, pk__lt=job.pk))
        .count()
    )
    return JobWait(running_id=running, ahead=ahead)
