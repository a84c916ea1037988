"""The people imports as ImportJob kinds (hagukumi.core.jobs): web uploads and the CLI.

Options: `effective_date` (ISO), `dry_run`, `retire_missing`. Who runs a job is
core's `job_actor`: an inline (command-line) job as `Actor.command_line`, a web
job as its uploader (`created_by`), whose roles are checked again when it runs;
options never grant rights.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hagukumi.core.jobs import JobKind, ProgressCallback, job_actor, register_job_kind
from hagukumi.core.models import ImportJob, Role
from hagukumi.core.tabular_import import ImportSummary
from hagukumi.core.tenancy import Actor
from hagukumi.people.roster_import import qualifications_import, staff_import

STAFF_KIND = "people.staff"
QUALIFICATIONS_KIND = "people.qualifications"
LANE = "people"
LABEL = "職員データ取込"


def _actor(job: ImportJob) -> Actor:
    # Who runs it comes from the job record (inline / created_by), never from options.
    return job_actor(job)


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
    # Interim wiring onto core's JobRun (the people migration moves run_* onto it).
    hr = frozenset({Role.HR})
    register_job_kind(
        JobKind(
            kind=STAFF_KIND,
            lane=LANE,
            label=LABEL,
            run=lambda run: run_staff_import(run.job, run.source, run.progress),
            roles=hr,
            dry_run_first=True,
            upload_url="people:roster_upload",
            upload_label="職員名簿の取込",
            count_labels={"retiring": "退職"},
        )
    )
    register_job_kind(
        JobKind(
            kind=QUALIFICATIONS_KIND,
            lane=LANE,
            label=LABEL,
            run=lambda run: run_qualifications_import(run.job, run.source, run.progress),
            roles=hr,
        )
    )
