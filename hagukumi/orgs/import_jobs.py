"""The org-chart import as an ImportJob kind (hagukumi.core.jobs).

`orgs.units`: the web upload is always a dry run first (core's job page shows
the changes, and for each unit it would close who works there), then
「取り込む」. The roles are the editors of the org chart (UNIT_EDITOR_ROLES).
A dry run that closes a mass of units (core.jobs.mass_change) asks for the
second step 「N件の所属を廃止することを確認しました」, which gives the real run
`mass_closure_confirmed`. `hagukumi import_units` calls the service directly
(its output and exit codes are its own), with `--yes` for a mass closure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind
from hagukumi.core.tabular_import import ImportSummary
from hagukumi.core.wareki import format_fiscal_year
from hagukumi.orgs.services import UNIT_EDITOR_ROLES, mass_closure_of, units_import

UNITS_KIND = "orgs.units"
LANE = "orgs"
LABEL = "所属の取込"


def _fiscal_year_text(value: int) -> str:
    return format_fiscal_year(value) if value else "（指定なし）"  # 令和8年度 (2026)


@dataclass(frozen=True)
class UnitImportOptions(JobOptions):
    """Which 年度's organization the file describes."""

    fiscal_year: int = field(default=0, metadata={"label": "年度", "display": _fiscal_year_text})
    # Given by the ticked second step of a mass closure.
    mass_closure_confirmed: bool = False


def run_units_import(run: JobRun) -> ImportSummary:
    options: UnitImportOptions = run.options
    summary = units_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        fiscal_year=options.fiscal_year,
        dry_run=options.dry_run,
        mass_closure_confirmed=options.mass_closure_confirmed,
        progress=run.progress,
    )
    if options.dry_run:
        mass = mass_closure_of(
            summary.counts, organization=run.organization, fiscal_year=options.fiscal_year
        )
        if mass is not None:
            run.require_confirmation(
                message=mass.warning,
                acknowledge=mass.acknowledge,
                options={"mass_closure_confirmed": True},
            )
    else:
        run.add_link(
            text=f"{format_fiscal_year(options.fiscal_year)}の組織（所属）を見る",
            url_name="orgs:unit_tree",
            query={"fy": options.fiscal_year},
        )
    return summary


def register() -> None:
    """Add the org-chart import to core's registry (OrgsConfig.ready())."""
    register_job_kind(
        JobKind(
            kind=UNITS_KIND,
            lane=LANE,
            label=LABEL,
            run=run_units_import,
            roles=frozenset(UNIT_EDITOR_ROLES),
            options=UnitImportOptions,
            dry_run_first=True,
            upload_url="orgs:unit_import",
            upload_label="所属の取込",
            count_labels={"closed": "廃止"},
        )
    )
