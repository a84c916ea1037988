"""The attendance import as an ImportJob kind (hagukumi.core.jobs): web upload and CLI.

Kind ``training.attendance`` (lane "training"), for DX推進担当: the web always
runs a dry run first and 「取り込む」 runs it for real from the same file. The
options are typed (`AttendanceImportOptions`): the dry run, the 団体's LMS
column mapping to read the file with (`LmsColumnMapping.provider_name`; empty:
the standard columns) and the day completions are computed as of (empty: they
are not computed by the import). Who runs a job is core's `job_actor`;
options never grant rights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind
from hagukumi.core.tabular_import import ImporterSpec, ImportSummary, register_importer
from hagukumi.training.selectors.attendance import ATTENDANCE_RECORD_ROLES
from hagukumi.training.services.attendance import ATTENDANCE_IMPORT_COLUMNS, attendance_import

ATTENDANCE_KIND = "training.attendance"
LANE = "training"
LABEL = "出欠の取込"
IMPORTER_KEY = "training-attendance"


@dataclass(frozen=True)
class AttendanceImportOptions(JobOptions):
    """Which saved LMS column mapping to read the file with, and the completion day."""

    mapping_name: str = field(default="", metadata={"label": "LMSの列名の対応"})
    as_of: dt.date | None = field(default=None, metadata={"label": "修了判定の基準日"})


def run_attendance_import(run: JobRun) -> ImportSummary:
    options: AttendanceImportOptions = run.options
    return attendance_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        dry_run=options.dry_run,
        mapping_name=options.mapping_name,
        as_of=options.as_of,
        import_job_id=run.job.pk,
        progress=run.progress,
    )


def register() -> None:
    """Add the attendance kind and its columns to core's registries (TrainingConfig.ready())."""
    register_job_kind(
        JobKind(
            kind=ATTENDANCE_KIND,
            lane=LANE,
            label=LABEL,
            run=run_attendance_import,
            roles=frozenset(ATTENDANCE_RECORD_ROLES),
            options=AttendanceImportOptions,
            dry_run_first=True,
            upload_url="training:attendance_upload",
            upload_label=LABEL,
            count_labels={"completed": "修了"},
        )
    )
    register_importer(
        ImporterSpec(IMPORTER_KEY, "出欠", ATTENDANCE_IMPORT_COLUMNS, "import_attendance")
    )
