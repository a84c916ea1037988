"""The case document upload as an ImportJob kind (hagukumi.core.jobs).

A web upload of several files no longer runs in the request: the view bundles
the files into one zip (`case_upload_bundle`), queues a `cases.documents` job
and goes to core's job page; `hagukumi run_jobs` imports them one file at a
time (each file all or nothing, as `case_import_file` always did; a bad file
does not stop the others). The job's counts are per case (登録 / 更新 / 変更なし)
plus the failed files; its lines say what happened to each file, and a real run
links every case it created or updated (core's result links). A dry run
(「試しに読み込む」) keeps the bundle, so 「取り込む」 on its page imports it.
Who may: `IMPORT_ROLES` (DX推進担当, システム管理者), checked again when it runs.
`hagukumi import_cases` keeps calling `case_import_paths` directly (its
seed-document mode acts for every 団体, which a job of one 団体 cannot).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from hagukumi.cases.metadata import OrganizationDirectory
from hagukumi.cases.models import Visibility
from hagukumi.cases.services import (
    IMPORT_ROLES,
    STATUS_LABELS,
    CaseImportReport,
    FileOutcome,
    case_import_file,
)
from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind

CASES_KIND = "cases.documents"
LANE = "cases"
LABEL = "先進事例の取込"
# Outcome → the job's count keys (core shows new/changed/unchanged first).
# 登録済み: the same content is a 公開 case of another 団体 (nothing stored).
_COUNT_KEYS = {
    "stored": "new",
    "updated": "changed",
    "unchanged": "unchanged",
    "present": "present",
}


def _visibility_text(value: str) -> str:
    return str(dict(Visibility.choices).get(value, value))


@dataclass(frozen=True)
class CaseImportOptions(JobOptions):
    """Who may read the cases imported (公開 / 団体内)."""

    visibility: str = field(
        default=Visibility.PUBLIC, metadata={"label": "公開範囲", "display": _visibility_text}
    )


def case_upload_bundle(files: Iterable[tuple[str, bytes]]) -> bytes:
    """The uploaded files as one zip (stored, not compressed), in upload order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as bundle:
        for name, data in files:
            bundle.writestr(name or "unnamed", data)
    return buffer.getvalue()


def case_upload_name(names: list[str]) -> str:
    """The job's file name: 「a.md」, or 「a.md ほか2件」 for several."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]} ほか{len(names) - 1}件"


@dataclass
class CaseJobSummary:
    """What the job records: counts per case (and failed files), a total line, one per file."""

    report: CaseImportReport

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "unchanged": 0, "failed": 0}
        for outcome in self.report.files:
            if outcome.failed:
                counts["failed"] += 1
                continue
            for case in outcome.cases:
                key = _COUNT_KEYS[case.status]
                counts[key] = counts.get(key, 0) + 1
        return counts

    @property
    def rows(self) -> int:
        return len(self.report.files)

    def lines(self, *, details: bool = True) -> list[str]:
        lines = self.report.lines()
        return [lines[-1], *lines[:-1]]  # the 合計 line first (the job page's heading)


def run_case_import(run: JobRun) -> CaseJobSummary:
    options: CaseImportOptions = run.options
    outcomes: list[FileOutcome] = []
    directory = OrganizationDirectory.load()
    with zipfile.ZipFile(run.source) as bundle:
        members = [info for info in bundle.infolist() if not info.is_dir()]
        run.progress(0, len(members))
        for done, info in enumerate(members, start=1):
            outcomes.append(
                case_import_file(
                    actor=run.actor,
                    data=bundle.read(info),
                    filename=info.filename,
                    visibility=options.visibility,
                    dry_run=options.dry_run,
                    directory=directory,
                )
            )
            run.progress(done, len(members))
    if not options.dry_run:
        for outcome in outcomes:
            for case in outcome.cases:
                if case.case_id is not None and case.status in ("stored", "updated", "present"):
                    run.add_link(
                        text=case.title or outcome.name,
                        url_name="cases:detail",
                        kwargs={"pk": case.case_id},
                        label=STATUS_LABELS[case.status],
                    )
    return CaseJobSummary(CaseImportReport(files=outcomes, dry_run=options.dry_run))


def register() -> None:
    """Add the case upload to core's registry (CasesConfig.ready())."""
    register_job_kind(
        JobKind(
            kind=CASES_KIND,
            lane=LANE,
            label=LABEL,
            run=run_case_import,
            roles=frozenset(IMPORT_ROLES),
            options=CaseImportOptions,
            upload_url="cases:import",
            upload_label="事例を取り込む",
            count_labels={
                "new": "登録",
                "changed": "更新",
                "present": "登録済み",
                "failed": "失敗したファイル",
            },
            progress_unit="ファイル",
        )
    )
