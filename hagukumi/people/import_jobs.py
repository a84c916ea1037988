"""The people imports as ImportJob kinds (hagukumi.core.jobs): web uploads and the CLI.

Options: `effective_date` (ISO), `dry_run`, `retire_missing`, and `command_line`
(True: run as the server administrator, no role check). A web job runs as its
uploader (`created_by`), whose roles are checked again when it runs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hagukumi.core.jobs import JobKind, ProgressCallback, register_job_kind
from hagukumi.core.models import ImportJob
from hagukumi.core.tabular_import import ImportSummary
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.people.roster_import import qualifications_import, staff_import

STAFF_KIND = "people.staff"
QUALIFICATIONS_KIND = "people.qualifications"
LANE = "people"
LABEL = "職員データ取込"


def _actor(job: ImportJob) -> Actor | None:
    if job.options.get("command_line"):
        return None
    if job.created_by is None:
        from hagukumi.core.errors import AccessDenied

        raise AccessDenied()
    return actor_for(job.created_by, job.organization_id)


def run_staff_import(job: ImportJob, source: Path, progress: ProgressCallback) -> ImportSummary:
    options: dict[str, Any] = job.options
    return staff_import(
        actor=_actor(job),
        organization=job.organization,
        source=source,
        filename=job.filename or source.name,
        effective_date=dt.date.fromisoformat(options["effective_date"]),
        dry_run=bool(options.get("dry_run")),
        retire_missing=bool(options.get("retire_missing")),
        progress=progress,
    )


def run_qualifications_import(
    job: ImportJob, source: Path, progress: ProgressCallback
) -> ImportSummary:
    return qualifications_import(
        actor=_actor(job),
        organization=job.organization,
        source=source,
        filename=job.filename or source.name,
        dry_run=bool(job.options.get("dry_run")),
        progress=progress,
    )


def register() -> None:
    register_job_kind(JobKind(kind=STAFF_KIND, lane=LANE, label=LABEL, run=run_staff_import))
    register_job_kind(
        JobKind(kind=QUALIFICATIONS_KIND, lane=LANE, label=LABEL, run=run_qualifications_import)
    )
