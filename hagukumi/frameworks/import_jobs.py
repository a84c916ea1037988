"""The skill-map import as a core job kind (hagukumi.core.jobs): upload → dry run → 「取り込む」.

The browser uploads on the framework's skill-map page (`frameworks:skill_map_upload`);
core's job page shows the dry run and queues the real run. The job runs as its
uploader (core's `job_actor`, roles read again), and the framework is looked up
through `access_framework_by_id` for that actor: the framework id in the options
says *what* to import into, never who may.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind
from hagukumi.core.tabular_import import ImportSummary, read_table
from hagukumi.frameworks.selectors import access_framework_by_id
from hagukumi.frameworks.services import EDITOR_ROLES, skill_map_import
from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS

SKILL_MAP_KIND = "frameworks.skill_map"
LANE = "frameworks"
LABEL = "スキルマップの取込"


@dataclass(frozen=True)
class SkillMapOptions(JobOptions):
    framework_id: int = 0
    # Shown on the job page; the id above is what the run uses.
    framework_name: str = field(default="", metadata={"label": "フレームワーク"})


def run_skill_map_import(run: JobRun) -> ImportSummary:
    options: SkillMapOptions = run.options
    framework = access_framework_by_id(actor=run.actor, framework_id=options.framework_id)
    table = read_table(
        run.source, columns=SKILL_MAP_COLUMNS, filename=run.filename, progress=run.progress
    )
    return skill_map_import(
        actor=run.actor,
        framework=framework,
        table=table,
        dry_run=options.dry_run,
        progress=run.progress,
    )


def register() -> None:
    register_job_kind(
        JobKind(
            kind=SKILL_MAP_KIND,
            lane=LANE,
            label=LABEL,
            run=run_skill_map_import,
            roles=frozenset(EDITOR_ROLES),
            options=SkillMapOptions,
            dry_run_first=True,
            # The upload page takes the framework's id; the crumb goes to the list.
            upload_url="frameworks:index",
            upload_label="人材育成フレームワーク",
        )
    )
