"""ImportJob: queueing, claiming one job per (団体, lane), crash → 失敗, inline CLI runs."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from hagukumi.core.jobs import (
    JobBusy,
    job_claim,
    job_confirm,
    job_execute,
    job_reap_stale,
    job_run_inline,
    job_status,
    job_submit,
)
from hagukumi.core.models import ImportJob
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Staff
from hagukumi.people.tests.conftest import roster_file, roster_row

DAY = "2026-04-01"


def _org_with_unit():  # type: ignore[no-untyped-def]
    org = OrganizationFactory()
    UnitFactory(organization=org, code="0101")
    return org


def _roster(prefix: str, count: int = 30) -> bytes:
    return roster_file([roster_row(f"{i:06d}", f"{prefix}{i}") for i in range(1, count + 1)])


def _submit(org, data: bytes, *, dry_run: bool = False) -> ImportJob:  # type: ignore[no-untyped-def]
    return job_submit(
        organization=org,
        kind="people.staff",
        source=data,
        filename="roster.xlsx",
        options={"effective_date": DAY, "dry_run": dry_run, "command_line": True},
    )


@pytest.mark.django_db
def test_second_upload_waits_and_other_organization_runs(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org, other = _org_with_unit(), _org_with_unit()
    first = _submit(org, _roster("A"))
    second = _submit(org, _roster("B"))
    third = _submit(other, _roster("C"))
    assert first.status == second.status == "queued"
    assert Path(first.file_path).exists()
    claimed = job_claim()
    assert claimed is not None
    assert claimed.pk == first.pk
    parallel = job_claim()
    assert parallel is not None
    assert parallel.pk == third.pk
    assert job_claim() is None  # the second upload of the first 団体 waits (待機)
    second.refresh_from_db()
    assert second.status == "queued"
    job_execute(claimed)
    job_execute(parallel)
    assert claimed.status == "succeeded"
    assert not Path(first.file_path).exists()
    assert claimed.file_path == ""
    follow = job_claim()
    assert follow is not None
    assert follow.pk == second.pk
    job_execute(follow)
    assert set(Staff.objects.filter(organization=org).values_list("name", flat=True)) == {
        f"B{i}" for i in range(1, 31)
    }
    status = job_status(job=follow)
    assert (status["status_label"], status["counts"]["changed"]) == ("成功", 30)


@pytest.mark.django_db
def test_cli_exits_busy_while_a_job_runs(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    running = _submit(org, _roster("A"))
    assert job_claim() is not None
    path = tmp_path / "b.xlsx"
    path.write_bytes(_roster("B"))
    with pytest.raises(JobBusy) as exc:
        job_run_inline(
            organization=org,
            kind="people.staff",
            source=path,
            options={"effective_date": DAY, "command_line": True},
        )
    assert exc.value.message == (
        f"団体 {org.code} の職員データ取込が実行中です（ImportJob #{running.pk}）"
    )
    assert not Staff.objects.exists()


@pytest.mark.django_db
def test_crash_fails_the_job_and_writes_nothing(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    job = _submit(org, _roster("A"))
    from hagukumi.people import roster_import
    from hagukumi.people.models import Assignment

    real_insert = roster_import._insert

    def boom(model, objects):  # type: ignore[no-untyped-def]
        if model is Assignment:  # the staff rows are in by now
            raise RuntimeError("disk full")
        real_insert(model, objects)

    monkeypatch.setattr(roster_import, "_insert", boom)
    claimed = job_claim()
    assert claimed is not None
    job_execute(claimed)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "予期しないエラー" in job.errors[0]["message"]
    assert not Staff.objects.exists()  # the staff rows of the same transaction rolled back
    assert job.file_path == ""
    assert not any(tmp_path.joinpath("jobs").iterdir())


@pytest.mark.django_db
def test_row_errors_fail_the_job_with_every_error(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    _submit(org, roster_file([roster_row("000001", "甲", unit="9999")]))
    job = job_execute(job_claim())  # type: ignore[arg-type]
    assert job.status == "failed"
    assert job.errors[0]["row"] == 2
    assert job.errors[0]["column"] == "所属コード"


@pytest.mark.django_db
def test_dry_run_keeps_the_file_for_confirmation(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    dry = _submit(org, _roster("A"), dry_run=True)
    job_execute(job_claim())  # type: ignore[arg-type]
    dry.refresh_from_db()
    assert dry.status == "succeeded"
    assert Path(dry.file_path).exists()
    assert job_status(job=dry)["can_confirm"]
    assert not Staff.objects.exists()
    real = job_confirm(job=dry)
    dry.refresh_from_db()
    assert dry.file_path == ""
    assert real.status == "queued"
    job_execute(job_claim())  # type: ignore[arg-type]
    real.refresh_from_db()
    assert real.status == "succeeded"
    assert not os.path.exists(real.file_path or "/nonexistent")
    assert Staff.objects.count() == 30


@pytest.mark.django_db
def test_stale_running_job_is_reaped(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    job = ImportJob.objects.create(
        organization=org,
        kind="people.staff",
        lane="people",
        status="running",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert job_reap_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed"


@pytest.mark.django_db
def test_run_jobs_once(settings, tmp_path, capsys):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    org = _org_with_unit()
    _submit(org, _roster("A"))
    _submit(org, _roster("B"))
    call_command("run_jobs", "--once")
    out = capsys.readouterr().out
    assert out.count("成功") == 2
    assert set(Staff.objects.values_list("name", flat=True)) == {f"B{i}" for i in range(1, 31)}


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
def test_two_cli_imports_for_one_organization_never_mix(tmp_path):  # type: ignore[no-untyped-def]
    org = _org_with_unit()
    paths = {}
    for prefix in ("A", "B"):
        paths[prefix] = tmp_path / f"{prefix}.xlsx"
        paths[prefix].write_bytes(_roster(prefix, 400))
    results: dict[str, object] = {}
    threads = [
        _in_thread(
            lambda p=p: job_run_inline(
                organization=org,
                kind="people.staff",
                source=paths[p],
                options={"effective_date": DAY, "command_line": True},
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
    outcomes = {k: type(v).__name__ for k, v in results.items()}
    assert "JobBusy" in outcomes.values() or all(v == "ImportJob" for v in outcomes.values())
    names = set(Staff.objects.filter(organization=org).values_list("name", flat=True))
    assert names in ({f"A{i}" for i in range(1, 401)}, {f"B{i}" for i in range(1, 401)})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_two_organizations_in_parallel(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    orgs = [_org_with_unit(), _org_with_unit()]
    for org in orgs:
        _submit(org, _roster("A", 300))
        _submit(org, _roster("B", 300))
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
    for org in orgs:
        names = set(Staff.objects.filter(organization=org).values_list("name", flat=True))
        assert names == {f"B{i}" for i in range(1, 301)}
