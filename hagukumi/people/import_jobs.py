"""The people imports as ImportJob kinds (hagukumi.core.jobs): web uploads and the CLI.

Three kinds share the "people" lane (one roster, qualification or 異動 import
per 団体 at a time): `people.staff` (職員名簿, always a dry run first from the
web), `people.qualifications` and `people.transfers` (人事異動, dry run first).
Their options are typed (`StaffImportOptions`, `QualificationImportOptions`,
`TransferImportOptions`). Who runs a job is core's `job_actor`: an inline
(command-line) job as `Actor.command_line`, a web job as its uploader, whose
roles are checked again when it runs; options never grant rights.

A roster dry run that would retire a mass of staff (core.jobs.mass_change of
the 団体's staff in post) asks for the second step: the job page warns with the
number and 「取り込む」 needs 「N名を退職にすることを確認しました」 ticked, which
gives the real run `mass_retirement_confirmed`; the import refuses the mass
retirement without it (the CLI's `--yes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind
from hagukumi.core.tabular_import import ImportSummary
from hagukumi.people.roles import ASSIGNMENT_ROLES, ROSTER_ROLES
from hagukumi.people.roster_import import (
    mass_retirement_of,
    qualifications_import,
    staff_import,
)
from hagukumi.people.transfer_import import TransferSummary, transfer_import

STAFF_KIND = "people.staff"
QUALIFICATIONS_KIND = "people.qualifications"
TRANSFERS_KIND = "people.transfers"
PEOPLE_JOB_KINDS = (STAFF_KIND, QUALIFICATIONS_KIND)
LANE = "people"
LABEL = "職員データ取込"


@dataclass(frozen=True)
class StaffImportOptions(JobOptions):
    """The roster import: 発令日 (異動歴・退職の日付) and whether absent staff retire."""

    effective_date: dt.date = field(
        default_factory=timezone.localdate, metadata={"label": "発令日"}
    )
    retire_missing: bool = field(
        default=False, metadata={"label": "ファイルにない職員を退職にする"}
    )
    # Given by the ticked second step of a mass retirement (or the CLI's --yes).
    mass_retirement_confirmed: bool = False


@dataclass(frozen=True)
class QualificationImportOptions(JobOptions):
    """The qualification list has nothing to choose beyond the dry run."""


def run_staff_import(run: JobRun) -> ImportSummary:
    options: StaffImportOptions = run.options
    summary = staff_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        effective_date=options.effective_date,
        dry_run=options.dry_run,
        retire_missing=options.retire_missing,
        mass_retirement_confirmed=options.mass_retirement_confirmed,
        progress=run.progress,
    )
    mass = (
        mass_retirement_of(summary.counts, organization=run.organization)
        if options.dry_run
        else None
    )
    if mass is not None:
        run.require_confirmation(
            message=mass.warning,
            acknowledge=mass.acknowledge,
            options={"mass_retirement_confirmed": True},
        )
    return summary


def run_qualifications_import(run: JobRun) -> ImportSummary:
    return qualifications_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        dry_run=run.options.dry_run,
        progress=run.progress,
    )


@dataclass(frozen=True)
class TransferImportOptions(JobOptions):
    """人事異動: each row carries its own 発令日; nothing to choose beyond the dry run."""


def run_transfer_import(run: JobRun) -> TransferSummary:
    return transfer_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        dry_run=run.options.dry_run,
        progress=run.progress,
    )


def register() -> None:
    """Add the people kinds to core's registry (PeopleConfig.ready())."""
    roles = frozenset(ROSTER_ROLES)
    register_job_kind(
        JobKind(
            kind=STAFF_KIND,
            lane=LANE,
            label=LABEL,
            run=run_staff_import,
            roles=roles,
            options=StaffImportOptions,
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
            run=run_qualifications_import,
            roles=roles,
            options=QualificationImportOptions,
        )
    )
    register_job_kind(
        JobKind(
            kind=TRANSFERS_KIND,
            lane=LANE,
            label=LABEL,
            run=run_transfer_import,
            roles=frozenset(ASSIGNMENT_ROLES),
            options=TransferImportOptions,
            dry_run_first=True,
            upload_url="people:transfers_upload",
            upload_label="人事異動の取込",
            count_labels={"new": "発令"},
        )
    )
