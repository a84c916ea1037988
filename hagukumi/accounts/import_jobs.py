"""The users import as a core.jobs kind: upload → dry run → 「取り込む」 (ADR 0004).

Nothing secret is in the job: new users get their one-time passwords only from
the download page afterwards (ADR 0009), which the job page links to.
"""

from __future__ import annotations

from dataclasses import dataclass

from hagukumi.accounts.roles import ADMIN_ROLES
from hagukumi.accounts.users_import import UsersImportResult, users_import
from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind

USERS_KIND = "accounts.users"
LANE = "accounts"
LABEL = "利用者と役割の取込"


@dataclass(frozen=True)
class UsersImportOptions(JobOptions):
    """Nothing to choose beyond the dry run."""


def run_users_import(run: JobRun) -> UsersImportResult:
    result = users_import(
        actor=run.actor,
        organization=run.organization,
        source=run.source,
        filename=run.filename,
        dry_run=run.options.dry_run,
        progress=run.progress,
    )
    if result.created and not run.dry_run:
        run.add_link(
            text=f"新しい利用者 {result.created}名の初期パスワードを発行する",
            url_name="accounts:initial_passwords",
        )
    return result


def register() -> None:
    """Add the kind to core's registry (AccountsConfig.ready())."""
    register_job_kind(
        JobKind(
            kind=USERS_KIND,
            lane=LANE,
            label=LABEL,
            run=run_users_import,
            roles=frozenset(ADMIN_ROLES),
            options=UsersImportOptions,
            dry_run_first=True,
            upload_url="accounts:users_import",
            upload_label=LABEL,
        )
    )
