"""A fake job kind for core's job tests (no app above core is imported).

`core.test_accounts` imports a CSV of ログインID: one User per row (all or
nothing, through core.tabular_import like every real import). With
`retire_others` its finish hook counts 2,000 「退職」 rows that are not in the
file (like the roster's 「ファイルにない職員を退職にする」), so the row counter is
checked against the data rows. With `ask_confirmation` its dry run asks for
the second step of a mass change and its real run refuses to run without
`confirmed` (like the roster's mass retirement). A real run links each account
it made (to the home page). Each run appends to `RUNS` what it was given.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import JobKind, JobOptions, JobRun, register_job_kind
from hagukumi.core.models import AuditEvent, Role, User
from hagukumi.core.tabular_import import (
    Column,
    ImportSummary,
    ParsedRow,
    RowOutcome,
    read_table,
    run_import,
)

KIND = "core.test_accounts"
ALL_ROLES_KIND = "core.test_everyone"
LANE = "core-test"
LABEL = "テスト用アカウント取込"
COLUMNS = (Column("username", "ログインID", kind="code", required=True),)
RETIRED_OTHERS = 2000
RUNS: list[JobRun] = []


@dataclass(frozen=True)
class AccountOptions(JobOptions):
    retire_others: bool = field(default=False, metadata={"label": "ファイルにない人を退職にする"})
    note: str = field(default="", metadata={"label": "メモ"})
    # Seconds to hold the lane (concurrency tests).
    hold: float = 0.0
    ask_confirmation: bool = False
    confirmed: bool = False


ACKNOWLEDGE = f"{RETIRED_OTHERS}名を退職にすることを確認しました"


def run_accounts(run: JobRun) -> ImportSummary:
    RUNS.append(run)
    if run.actor.organization_id != run.job.organization_id or not run.actor.has_role(Role.HR):
        raise AccessDenied()
    options: AccountOptions = run.options
    table = read_table(run.source, columns=COLUMNS, filename=run.filename, progress=run.progress)

    def apply(row: ParsedRow) -> RowOutcome:
        User.objects.create(username=row.values["username"])
        return RowOutcome("new", key=row.values["username"])

    def finish(summary: ImportSummary) -> None:
        if options.hold:
            time.sleep(options.hold)
        if options.retire_others:
            summary.add("retiring", count=RETIRED_OTHERS)
        if options.ask_confirmation and not options.dry_run and not options.confirmed:
            raise ApplicationError(f"{RETIRED_OTHERS}名を退職にする取込は確認が必要です。")

    summary = run_import(
        table,
        apply=apply,
        finish=finish,
        dry_run=options.dry_run,
        label=LABEL,
        labels={"retiring": "退職"},
        progress=run.progress,
    )
    if options.ask_confirmation and options.dry_run:
        run.require_confirmation(
            message=f"この取込は {RETIRED_OTHERS}名を退職にします。",
            acknowledge=ACKNOWLEDGE,
            options={"confirmed": True},
        )
    if not options.dry_run:
        for change in summary.details:
            run.add_link(text=change.key, url_name="core:home", label="新規")
        audit_record(
            actor=run.actor,
            action=AuditEvent.Action.IMPORT,
            organization=run.organization,
            target_repr="テスト用アカウント",
        )
    return summary


def register() -> None:
    register_job_kind(
        JobKind(
            kind=KIND,
            lane=LANE,
            label=LABEL,
            run=run_accounts,
            roles=frozenset({Role.HR}),
            options=AccountOptions,
            dry_run_first=True,
            upload_url="core:home",
            upload_label="ホーム",
            count_labels={"retiring": "退職"},
        )
    )
    # Every role may see it: the role × route matrix job (core/tests/route_kwargs.py).
    register_job_kind(
        JobKind(
            kind=ALL_ROLES_KIND,
            lane=LANE,
            label="テスト用の取込",
            run=run_accounts,
            roles=frozenset(Role.values),
            options=AccountOptions,
        )
    )


def accounts_csv(*names: str) -> bytes:
    return ("\ufeffログインID\r\n" + "".join(f"{n}\r\n" for n in names)).encode()
