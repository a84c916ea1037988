"""Reads the people pages and API need on top of hagukumi.people.selectors.

- roster import jobs of the actor's 団体 (人事担当 only; another 団体's job is 404)
- the designations list within the actor's reach (audited like the search)
- the choices of the talent search form (code lists, units, catalogue, talent types)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.code_lists import all_code_values
from hagukumi.people.designations import talent_type_names
from hagukumi.people.import_jobs import QUALIFICATIONS_KIND, STAFF_KIND
from hagukumi.people.models import CodeKind, Designation, DesignationStatus, Qualification
from hagukumi.people.visibility import FieldGroup, searchable_groups, staff_scope

PEOPLE_JOB_KINDS = (STAFF_KIND, QUALIFICATIONS_KIND)


# ------------------------------------------------------------------- import jobs


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


# ------------------------------------------------------------------ designations


@dataclass(frozen=True)
class DesignationListRow:
    designation: Designation
    talent_type_name: str


def designation_list(
    *, actor: Actor, include_revoked: bool = False, request: Any = None
) -> list[DesignationListRow]:
    """Designations of staff within the actor's reach (人事/DX: 団体; 所属長: unit and below)."""
    require_role(actor, Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD)
    if FieldGroup.DESIGNATIONS not in searchable_groups(actor):
        raise AccessDenied()
    scope = staff_scope(actor)
    qs: QuerySet[Designation] = Designation.objects.filter(
        organization_id=actor.organization_id or 0
    ).select_related("staff__unit")
    if not scope.whole_organization:
        qs = qs.filter(staff__unit_id__in=scope.unit_ids)
    if not include_revoked:
        qs = qs.exclude(status=DesignationStatus.REVOKED)
    names = talent_type_names(organization=actor.organization_id)
    rows = [
        DesignationListRow(d, names.get(d.talent_type_code, d.talent_type_code))
        for d in qs.order_by("talent_type_code", "staff__number", "from_fy", "id")
    ]
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.VIEW,
        target_type=Designation._meta.label,
        target_repr="指定の一覧",
        detail={"rows": len(rows)},
    )
    return rows


# ---------------------------------------------------------------- search choices


@dataclass(frozen=True)
class SearchChoices:
    units: list[tuple[str, str]]
    codes: dict[str, list[str]]
    qualifications: list[tuple[str, str]]
    talent_types: list[tuple[str, str]]


def staff_search_choices(*, actor: Actor) -> SearchChoices:
    """Options of the talent search form (a fixed number of queries)."""
    fiscal_year = fiscal_year_of(timezone.localdate())
    organization = actor.organization_id or 0
    units = [
        (str(u.pk), f"{u.code} {u.name}")
        for u in units_valid_in(organization=organization, fiscal_year=fiscal_year).order_by("code")
    ]
    codes = all_code_values(organization=organization)
    qualifications = [
        (q.code, q.name)
        for q in Qualification.objects.filter(holdable=True).order_by("order", "code")
    ]
    names = talent_type_names(organization=actor.organization_id)
    return SearchChoices(
        units=units,
        codes={str(k): list(v) for k, v in codes.items()},
        qualifications=qualifications,
        talent_types=sorted(names.items()),
    )


CODE_KINDS = {
    "position": CodeKind.POSITION,
    "job_type": CodeKind.JOB_TYPE,
    "employment": CodeKind.EMPLOYMENT,
    "recruitment": CodeKind.RECRUITMENT,
}
