"""ImportJob: queueing, claiming one job per (団体, lane), dry run → confirm, who a job
runs as, crash → 失敗, inline CLI runs. Everything runs a fake kind (fake_jobs.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import (
    MASS_CHANGE_MIN,
    JobBusy,
    JobKind,
    JobOptions,
    JobOptionsError,
    ResultLink,
    access_import_job_by_id,
    job_actor,
    job_claim,
    job_confirm,
    job_execute,
    job_kind,
    job_options,
    job_page,
    job_reap_stale,
    job_result,
    job_run_inline,
    job_status,
    job_submit,
    job_wait,
    jobs_recent,
    jobs_run_pending,
    mass_change,
    mass_change_threshold,
    register_job_kind,
)
from hagukumi.core.models import AuditEvent, ImportJob, Membership, Role, User
from hagukumi.core.tabular_import import RowProblem
from hagukumi.core.tenancy import COMMAND_LINE_LABEL, Actor, ActorKind, actor_for
from hagukumi.core.tests import fake_jobs
from hagukumi.core.tests.fake_jobs import KIND, AccountOptions, accounts_csv
from hagukumi.orgs.tests.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def _fake_kind(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    fake_jobs.register()
    fake_jobs.RUNS.clear()
    yield
    fake_jobs.register()  # undo a test's replacement of the kind


@pytest.fixture
def hr(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(Role.HR)


def _hr_of(org: Any) -> Actor:
    from hagukumi.core.tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, organization=org, role=Role.HR)
    return actor_for(user, org.pk)


def _submit(actor: Actor, *names: str, **options: Any) -> ImportJob:
    return job_submit(
        actor=actor,
        kind=KIND,
        source=accounts_csv(*(names or ("a1", "a2"))),
        filename="アカウント.csv",
        options=AccountOptions(**options),
    )


def _names(prefix: str) -> set[str]:
    return set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))


def _run_next() -> ImportJob:
    job = job_claim()
    assert job is not None
    return job_execute(job)


# ------------------------------------------------------------------ queue and claim


@pytest.mark.django_db
def test_second_upload_waits_and_other_organization_runs(organization, hr):  # type: ignore[no-untyped-def]
    actor = actor_for(hr, organization.pk)
    other = _hr_of(OrganizationFactory())
    first = _submit(actor, "a1", "a2")
    second = _submit(actor, "b1", "b2")
    third = _submit(other, "c1")
    for job in (first, second, third):
        job.refresh_from_db()
        assert (job.status, job.options["dry_run"]) == ("queued", True)  # dry_run_first
    assert Path(first.file_path).exists()
    claimed = job_claim()
    assert claimed is not None
    assert claimed.pk == first.pk
    parallel = job_claim()
    assert parallel is not None
    assert parallel.pk == third.pk
    assert job_claim() is None  # the second upload of the first 団体 waits (待機)
    wait = job_wait(job=second)
    assert wait is not None
    assert (wait.running_id, wait.ahead) == (first.pk, 0)
    job_execute(claimed)
    job_execute(parallel)
    assert claimed.status == "succeeded"
    assert Path(claimed.file_path).exists()  # a dry run keeps its file for 「取り込む」
    follow = job_claim()
    assert follow is not None
    assert follow.pk == second.pk
    job_execute(follow)
    assert _names("a") == _names("b") == set()  # dry runs only
    status = job_status(job=follow)
    assert (status["status_label"], status["counts"]["new"], status["can_confirm"]) == (
        "成功",
        2,
        True,
    )


@pytest.mark.django_db
def test_dry_run_then_confirm_runs_the_stored_file(organization, hr, user_with_role):  # type: ignore[no-untyped-def]
    dry = _submit(actor_for(hr, organization.pk), "a1", "a2", "a3", note="4月分")
    _run_next()
    dry.refresh_from_db()
    assert dry.status == "succeeded"
    assert not _names("a")
    assert dry.result_lines[0].startswith(f"{fake_jobs.LABEL}の取り込みを試しました")
    colleague = actor_for(user_with_role(Role.HR), organization.pk)  # any 人事担当 may confirm
    real = job_confirm(actor=colleague, job=dry)
    dry.refresh_from_db()
    assert dry.file_path == ""
    assert (real.status, real.options["dry_run"], real.options["note"]) == (
        "queued",
        False,
        "4月分",
    )
    assert (real.confirmed_from_id, real.created_by_id) == (dry.pk, colleague.user.pk)
    with pytest.raises(ApplicationError):  # at most once: the file moved on
        job_confirm(actor=colleague, job=dry)
    _run_next()
    real.refresh_from_db()
    assert real.status == "succeeded"
    assert real.file_path == ""
    assert _names("a") == {"a1", "a2", "a3"}
    assert fake_jobs.RUNS[-1].actor.user == colleague.user


@pytest.mark.django_db
def test_confirm_refuses_what_is_not_a_successful_dry_run(organization, hr, user_with_role):  # type: ignore[no-untyped-def]
    actor = actor_for(hr, organization.pk)
    job = _submit(actor, "a1")
    with pytest.raises(ApplicationError):  # still 待機
        job_confirm(actor=actor, job=job)
    _run_next()
    job.refresh_from_db()
    staff = actor_for(user_with_role(Role.STAFF), organization.pk)
    with pytest.raises(AccessDenied):
        job_confirm(actor=staff, job=job)
    with pytest.raises(AccessDenied):
        job_confirm(actor=_hr_of(OrganizationFactory()), job=job)
    with pytest.raises(AccessDenied):
        job_confirm(actor=Actor.command_line(organization), job=job)
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db
def test_kind_without_dry_run_first_runs_for_real_at_once(organization, hr):  # type: ignore[no-untyped-def]
    spec = job_kind(KIND)
    register_job_kind(dataclasses.replace(spec, dry_run_first=False))
    job = _submit(actor_for(hr, organization.pk), "a1")
    assert job.options["dry_run"] is False
    _run_next()
    assert _names("a") == {"a1"}


# ------------------------------------------------------------------------- progress


@pytest.mark.django_db
def test_progress_counts_data_rows_not_outcomes(organization, hr):  # type: ignore[no-untyped-def]
    """3 rows with 「ファイルにない人を退職にする」: 3 / 3 行 (not 2003 / 3 行)."""
    job = _submit(actor_for(hr, organization.pk), "a1", "a2", "a3", retire_others=True)
    _run_next()
    job.refresh_from_db()
    assert job.counts == {"new": 3, "retiring": fake_jobs.RETIRED_OTHERS}
    assert (job.rows_done, job.rows_total) == (3, 3)
    status = job_status(job=job)
    assert (status["rows_done"], status["rows_total"], status["percent"]) == (3, 3, 100)


@pytest.mark.django_db
def test_progress_never_exceeds_the_total(organization):  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int | None]] = []

    def run(run):  # type: ignore[no-untyped-def]
        run.progress(4, 4)  # reading: lines of the file, header included
        run.progress(3, 3)  # applying: the data rows
        run.progress(9, None)  # a miscount after it
        seen.append((run.progress.done, run.progress.total))
        return fake_jobs.ImportSummary(label="x", counts={"new": 3, "retiring": 2000})

    register_job_kind(JobKind(kind="core.test_progress", lane="p", label="進捗", run=run))
    path = Path(fake_jobs.__file__)
    job = job_run_inline(organization=organization, kind="core.test_progress", source=path)
    assert seen == [(3, 3)]
    assert (job.rows_done, job.rows_total) == (3, 3)


# ---------------------------------------------------------------------- who runs it


@pytest.mark.django_db
def test_web_job_runs_as_its_uploader_with_roles_read_again(organization, hr):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1")
    actor = job_actor(job)
    assert (actor.kind, actor.user, actor.organization_id) == (ActorKind.WEB, hr, organization.pk)
    Membership.objects.filter(user=hr).update(role=Role.STAFF)  # lost 人事担当 meanwhile
    with pytest.raises(AccessDenied):
        job_actor(job)
    _run_next()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "権限" in job.errors[0]["message"]
    assert not fake_jobs.RUNS  # the kind's run never started
    assert Path(job.file_path).exists()  # kept for 「もう一度実行する」 once the role is back


@pytest.mark.django_db
def test_options_never_grant_rights(organization, user_with_role):  # type: ignore[no-untyped-def]
    """A web job whose options say command_line: true runs with its web user's rights."""
    staff = user_with_role(Role.STAFF)
    staff_actor = actor_for(staff, organization.pk)
    with pytest.raises(AccessDenied):  # 職員 may not submit, whatever the options say
        job_submit(
            actor=staff_actor,
            kind=KIND,
            source=accounts_csv("x1"),
            filename="x.csv",
            options=AccountOptions.from_json({"command_line": True, "dry_run": False}),
        )
    # Written as a web job by hand (as a forged form could only wish): refused when it runs.
    forged = ImportJob.objects.create(
        organization=organization,
        kind=KIND,
        lane=fake_jobs.LANE,
        options={"command_line": True, "inline": True, "dry_run": False},
        created_by=staff,
        status="running",
    )
    with pytest.raises(AccessDenied):
        job_actor(forged)
    job_execute(forged)
    assert forged.status == "failed"
    assert not fake_jobs.RUNS
    assert not _names("x")
    with pytest.raises(AccessDenied):  # nor may the 職員 see it
        access_import_job_by_id(actor=staff_actor, job_id=forged.pk)
    # An anonymous web job (no uploader) has nobody to run as, command_line or not.
    orphan = ImportJob.objects.create(
        organization=organization, kind=KIND, lane="x", options={"command_line": True}
    )
    with pytest.raises(AccessDenied):
        job_actor(orphan)


@pytest.mark.django_db
def test_options_command_line_from_the_web_keeps_the_web_user(organization, hr):  # type: ignore[no-untyped-def]
    job = job_submit(
        actor=actor_for(hr, organization.pk),
        kind=KIND,
        source=accounts_csv("a1"),
        filename="a.csv",
        options=AccountOptions.from_json({"command_line": True}),
    )
    assert job.inline is False
    assert "command_line" not in job.options  # an unknown key is not even stored
    _run_next()
    run = fake_jobs.RUNS[-1]
    assert (run.actor.kind, run.actor.user) == (ActorKind.WEB, hr)
    assert not run.actor.is_command_line


@pytest.mark.django_db
def test_inline_job_runs_as_the_command_line(organization, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "a.csv"
    path.write_bytes(accounts_csv("a1", "a2"))
    job = job_run_inline(organization=organization, kind=KIND, source=path)
    assert (job.status, job.inline, job.created_by_id) == ("succeeded", True, None)
    assert job.options["dry_run"] is False  # dry_run_first is the web's rule, not the CLI's
    assert fake_jobs.RUNS[-1].actor.is_command_line
    assert _names("a") == {"a1", "a2"}
    assert path.exists()  # the caller's file
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor_username, event.path) == (COMMAND_LINE_LABEL, f"取込ジョブ #{job.pk}")


@pytest.mark.django_db
def test_audit_rows_written_by_a_job_name_it(organization, hr):  # type: ignore[no-untyped-def]
    spec = job_kind(KIND)
    register_job_kind(dataclasses.replace(spec, dry_run_first=False))
    job = _submit(actor_for(hr, organization.pk), "a1")
    _run_next()
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.actor_username, event.path) == (hr.username, f"取込ジョブ #{job.pk}")
    assert event.organization_id == organization.pk


# --------------------------------------------------------------------------- access


@pytest.mark.django_db
def test_access_import_job_by_id(organization, hr, user_with_role):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1")
    colleague = actor_for(user_with_role(Role.HR), organization.pk)
    assert access_import_job_by_id(actor=colleague, job_id=job.pk) == job  # not only the uploader
    assert access_import_job_by_id(actor=colleague, job_id=str(job.pk)) == job
    refused = [
        (_hr_of(OrganizationFactory()), job.pk),  # another 団体
        (actor_for(user_with_role(Role.STAFF), organization.pk), job.pk),  # role not in kind.roles
        (actor_for(user_with_role(Role.DX_OFFICE), organization.pk), job.pk),
        (Actor.command_line(organization), job.pk),  # the web page is not the CLI's
        (Actor.system(), job.pk),
        (colleague, "abc"),
        (colleague, job.pk + 999),
    ]
    for actor, job_id in refused:
        with pytest.raises(AccessDenied):
            access_import_job_by_id(actor=actor, job_id=job_id)
    unknown = ImportJob.objects.create(organization=organization, kind="nobody.knows", lane="x")
    with pytest.raises(AccessDenied):
        access_import_job_by_id(actor=colleague, job_id=unknown.pk)
    assert jobs_recent(actor=colleague, kinds=[KIND, "nobody.knows"]) == [job]
    assert (
        jobs_recent(actor=actor_for(user_with_role(Role.STAFF), organization.pk), kinds=[KIND])
        == []
    )


@pytest.mark.django_db
def test_submit_checks_the_actor_s_roles(organization, hr, user_with_role):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1")
    assert (job.created_by, job.options["dry_run"]) == (hr, True)
    with pytest.raises(AccessDenied):
        job_submit(
            actor=actor_for(user_with_role(Role.STAFF), organization.pk),
            kind=KIND,
            source=b"",
            filename="a.csv",
        )
    with pytest.raises(TypeError):  # options are the kind's typed class, never a dict
        job_submit(
            actor=actor_for(hr, organization.pk),
            kind=KIND,
            source=b"",
            filename="a.csv",
            options={"dry_run": True},  # type: ignore[arg-type]
        )
    with pytest.raises(AccessDenied):  # the command line runs inline, it does not queue
        job_submit(actor=Actor.command_line(organization), kind=KIND, source=b"", filename="a")


# ---------------------------------------------------------------------------- lanes


@pytest.mark.django_db
def test_cli_exits_busy_while_a_job_runs(organization, hr, tmp_path):  # type: ignore[no-untyped-def]
    running = _submit(actor_for(hr, organization.pk), "a1")
    assert job_claim() is not None
    path = tmp_path / "b.csv"
    path.write_bytes(accounts_csv("b1"))
    with pytest.raises(JobBusy) as exc:
        job_run_inline(organization=organization, kind=KIND, source=path)
    assert exc.value.message == (
        f"団体 {organization.code} の{fake_jobs.LABEL}が実行中です（ImportJob #{running.pk}）"
    )
    assert exc.value.job.pk == running.pk
    assert not _names("b")
    # Another 団体's lane is free.
    job = job_run_inline(organization=OrganizationFactory(), kind=KIND, source=path)
    assert job.status == "succeeded"


# ------------------------------------------------------------------- failing jobs


@pytest.mark.django_db
def test_crash_fails_the_job_and_writes_nothing(organization, hr, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1", "a2", "boom")
    real_create = User.objects.create

    def create(**fields):  # type: ignore[no-untyped-def]
        if fields.get("username") == "boom":  # a1 and a2 are in by now
            raise RuntimeError("disk full")
        return real_create(**fields)

    monkeypatch.setattr(User.objects, "create", create)
    _run_next()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "予期しないエラー" in job.errors[0]["message"]
    assert not _names("a")  # rolled back with the rest of the transaction
    # Only the upload is left (for 「もう一度実行する」), no heartbeat file.
    assert list(tmp_path.joinpath("jobs").iterdir()) == [Path(job.file_path)]
    assert job_status(job=job)["can_rerun"]


@pytest.mark.django_db
def test_row_errors_fail_the_job_with_every_error(organization, hr, monkeypatch):  # type: ignore[no-untyped-def]
    real_create = User.objects.create

    def create(**fields):  # type: ignore[no-untyped-def]
        if fields["username"].startswith("bad"):
            raise RowProblem("username", "使えないログインIDです")
        return real_create(**fields)

    monkeypatch.setattr(User.objects, "create", create)
    job = _submit(actor_for(hr, organization.pk), "a1", "bad1", "bad2")
    _run_next()
    job.refresh_from_db()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "ログインID"), (4, "ログインID")]
    assert job.result_lines[0].startswith(f"{fake_jobs.LABEL}の取り込みを中止しました")
    assert not job_status(job=job)["can_confirm"]


@pytest.mark.django_db
def test_unreadable_options_fail_the_job(organization, hr):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1")
    ImportJob.objects.filter(pk=job.pk).update(options={"dry_run": "yes"})
    _run_next()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors[0]["message"].startswith("取込の指定が正しくありません")


@pytest.mark.django_db
def test_stale_running_job_is_reaped(organization):  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(
        organization=organization,
        kind=KIND,
        lane=fake_jobs.LANE,
        status="running",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert job_reap_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed"


@pytest.mark.django_db
def test_run_jobs_once(organization, hr, capsys):  # type: ignore[no-untyped-def]
    actor = actor_for(hr, organization.pk)
    _submit(actor, "a1")
    _submit(actor, "b1")
    call_command("run_jobs", "--once")
    out = capsys.readouterr().out
    assert out.count("成功") == 2
    assert not list(jobs_run_pending(once=True))


# -------------------------------------------------------------------------- options


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class RichOptions(JobOptions):
    effective_date: dt.date | None = field(default=None, metadata={"label": "発令日"})
    colour: Colour = Colour.RED
    codes: tuple[str, ...] = ()
    limit: int = field(default=10, metadata={"label": "上限"})
    retire: bool = field(default=False, metadata={"label": "退職にする"})


def test_options_round_trip_through_json() -> None:
    options = RichOptions(
        dry_run=True, effective_date=dt.date(2026, 4, 1), colour=Colour.BLUE, codes=("a", "b")
    )
    data = options.to_json()
    assert data == {
        "dry_run": True,
        "effective_date": "2026-04-01",
        "colour": "blue",
        "codes": ["a", "b"],
        "limit": 10,
        "retire": False,
    }
    assert RichOptions.from_json(data) == options
    assert RichOptions.from_json({"unknown": 1, "command_line": True}) == RichOptions()
    assert RichOptions.from_json(None) == RichOptions()
    assert options.display_items() == [
        ("発令日", "令和8年4月1日（2026-04-01）"),
        ("上限", "10"),
        ("退職にする", "しない"),
    ]
    for bad in (
        {"dry_run": "true"},
        {"limit": "10"},
        {"effective_date": "4月1日"},
        {"colour": "x"},
    ):
        with pytest.raises(JobOptionsError):
            RichOptions.from_json(bad)


@pytest.mark.django_db
def test_job_options_are_typed(organization, hr):  # type: ignore[no-untyped-def]
    job = _submit(actor_for(hr, organization.pk), "a1", retire_others=True, note="メモ")
    options = job_options(job)
    assert isinstance(options, AccountOptions)
    assert (options.dry_run, options.retire_others, options.note) == (True, True, "メモ")
    with pytest.raises(TypeError):  # another kind's options class
        job_submit(
            actor=actor_for(hr, organization.pk),
            kind=KIND,
            source=b"",
            filename="a.csv",
            options=RichOptions(),
        )


def test_kind_declares_real_roles_and_options() -> None:
    with pytest.raises(ValueError, match="unknown roles"):
        JobKind(kind="x", lane="x", label="x", run=lambda run: None, roles=frozenset({"boss"}))
    with pytest.raises(TypeError, match="JobOptions subclass"):
        JobKind(kind="x", lane="x", label="x", run=lambda run: None, options=dict)  # type: ignore[arg-type]


# ------------------------------------------------------------- real concurrency


def _in_thread(target, results, key):  # type: ignore[no-untyped-def]
    def run() -> None:
        try:
            results[key] = target()
        except Exception as exc:
            results[key] = exc
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_cli_imports_for_one_organization_never_overlap(tmp_path):  # type: ignore[no-untyped-def]
    org = OrganizationFactory()
    paths = {}
    for prefix in ("A", "B"):
        paths[prefix] = tmp_path / f"{prefix}.csv"
        paths[prefix].write_bytes(accounts_csv(*(f"{prefix}{i}" for i in range(200))))
    results: dict[str, object] = {}
    threads = [
        _in_thread(
            lambda p=p: job_run_inline(
                organization=org, kind=KIND, source=paths[p], options=AccountOptions(hold=0.5)
            ),
            results,
            p,
        )
        for p in ("A", "B")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes in (["ImportJob", "JobBusy"], ["ImportJob", "ImportJob"]), results
    done = [p for p, v in results.items() if isinstance(v, ImportJob)]
    for prefix in ("A", "B"):
        expected = {f"{prefix}{i}" for i in range(200)} if prefix in done else set()
        assert _names(prefix) == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_two_organizations_in_parallel(settings, tmp_path):  # type: ignore[no-untyped-def]
    orgs = [OrganizationFactory(), OrganizationFactory()]
    spec = job_kind(KIND)
    register_job_kind(dataclasses.replace(spec, dry_run_first=False))
    for n, org in enumerate(orgs):
        actor = _hr_of(org)
        for prefix in ("A", "B"):
            _submit(actor, *(f"{prefix}{n}-{i}" for i in range(100)), hold=0.2)
    results: dict[str, object] = {}

    def worker() -> list[int]:
        done = []
        while (job := job_claim()) is not None:
            running = ImportJob.objects.filter(status="running")
            lanes = list(running.values_list("organization_id", "lane"))
            assert len(lanes) == len(set(lanes))
            job_execute(job)
            done.append(job.pk)
        return done

    threads = [_in_thread(worker, results, str(i)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [v for v in results.values() if isinstance(v, Exception)], results
    assert ImportJob.objects.filter(status="succeeded").count() == 4
    for n in range(len(orgs)):
        for prefix in ("A", "B"):
            assert len(_names(f"{prefix}{n}-")) == 100


# ------------------------------------------------------------ mass changes, links


def test_mass_change_threshold() -> None:
    """More than MASS_CHANGE_MIN and more than MASS_CHANGE_SHARE of the records."""
    assert mass_change_threshold(0) == MASS_CHANGE_MIN == 10
    assert not mass_change(10, total=12)
    assert mass_change(11, total=12)
    assert not mass_change(200, total=2003)  # routine turnover of a large 団体
    assert mass_change(201, total=2003)
    assert mass_change(2000, total=2003)  # a 3-row roster with 「退職にする」


@pytest.mark.django_db
def test_a_mass_change_needs_its_second_step(organization, hr):  # type: ignore[no-untyped-def]
    actor = actor_for(hr, organization.pk)
    dry = _submit(actor, "m1", retire_others=True, ask_confirmation=True)
    _run_next()
    dry.refresh_from_db()
    step = job_result(dry).confirmation
    assert step is not None
    assert step.acknowledge == fake_jobs.ACKNOWLEDGE
    with pytest.raises(ApplicationError) as refused:
        job_confirm(actor=actor, job=dry)
    assert f"「{fake_jobs.ACKNOWLEDGE}」にチェックを入れてください" in refused.value.message
    assert ImportJob.objects.count() == 1
    assert dry.file_path  # still there for the ticked 「取り込む」
    real = job_confirm(actor=actor, job=dry, acknowledged=True)
    assert real.options["confirmed"] is True
    _run_next()
    real.refresh_from_db()
    assert real.status == "succeeded"
    assert _names("m") == {"m1"}
    assert job_result(real).confirmation is None  # only a dry run asks


@pytest.mark.django_db
def test_a_real_run_refuses_a_mass_change_nobody_confirmed(organization, hr):  # type: ignore[no-untyped-def]
    spec = job_kind(KIND)
    register_job_kind(dataclasses.replace(spec, dry_run_first=False))
    job = _submit(actor_for(hr, organization.pk), "m2", retire_others=True, ask_confirmation=True)
    _run_next()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "確認が必要です" in job.errors[0]["message"]
    assert not _names("m")
    page = job_page(actor=actor_for(hr, organization.pk), job_id=job.pk)
    assert page.general_errors == [job.errors[0]["message"]]  # the reason is on the page


@pytest.mark.django_db
def test_a_run_leaves_links_to_what_it_made(organization, hr):  # type: ignore[no-untyped-def]
    spec = job_kind(KIND)
    register_job_kind(dataclasses.replace(spec, dry_run_first=False))
    job = _submit(actor_for(hr, organization.pk), "l1", "l2")
    _run_next()
    job.refresh_from_db()
    links = job_result(job).links
    assert [(link.label, link.text, link.url()) for link in links] == [
        ("新規", "l1", "/"),
        ("新規", "l2", "/"),
    ]
    page = job_page(actor=actor_for(hr, organization.pk), job_id=job.pk)
    assert [link.text for link in page.links] == ["l1", "l2"]
    assert ResultLink(text="x", url_name="nobody:knows").url() == ""
    with_query = ResultLink(text="x", url_name="core:home", query={"fy": 2026})
    assert ResultLink.from_json(with_query.to_json()).url() == "/?fy=2026"
