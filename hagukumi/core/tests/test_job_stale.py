"""A job whose worker is gone is failed within a minute and can be run again (issue 16, defect 5).

A killed import used to hold its 団体's lane for 15 minutes, showed its frozen
progress (「500 / 50001」) and could not be resumed. The worker now beats every
few seconds (a thread, so a long write phase beats too); a job silent for
STALE_AFTER (60 s) is failed with a Japanese reason, its file is kept, and the
job page offers 「もう一度実行する」.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core import jobs
from hagukumi.core.errors import AccessDenied
from hagukumi.core.jobs import (
    MESSAGE_WORKER_GONE,
    STALE_AFTER,
    job_claim,
    job_execute,
    job_is_stale,
    job_reap_stale,
    job_rerun,
    job_run_inline,
    job_status,
    job_submit,
)
from hagukumi.core.models import ImportJob, Role, User
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests import fake_jobs
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.core.tests.fake_jobs import KIND, AccountOptions, accounts_csv
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_kind(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    fake_jobs.register()
    yield
    fake_jobs.register()


@pytest.fixture
def hr(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(Role.HR)


def _killed_job(actor: Any, *names: str) -> ImportJob:
    """A real run claimed by a worker that then died (no heartbeat since `started`)."""
    job = job_submit(
        actor=actor,
        kind=KIND,
        source=accounts_csv(*(names or ("k1", "k2"))),
        filename="アカウント.csv",
        options=AccountOptions(dry_run=False),
    )
    ImportJob.objects.filter(pk=job.pk).update(options={**job.options, "dry_run": False})
    claimed = job_claim()
    assert claimed is not None
    assert claimed.pk == job.pk
    ImportJob.objects.filter(pk=job.pk).update(rows_done=500, rows_total=50001)
    claimed.refresh_from_db()
    return claimed


def test_limits() -> None:
    assert dt.timedelta(seconds=60) >= STALE_AFTER
    assert jobs.HEARTBEAT_SECONDS <= 10


def test_silent_job_is_failed_after_a_minute_with_a_japanese_reason(organization, hr):  # type: ignore[no-untyped-def]
    job = _killed_job(actor_for(hr, organization.pk))
    now = timezone.now()
    assert job_reap_stale(now=now + dt.timedelta(seconds=30)) == 0  # still within the minute
    assert job_reap_stale(now=now + STALE_AFTER + dt.timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [{"message": MESSAGE_WORKER_GONE}]
    assert MESSAGE_WORKER_GONE == (
        "取込処理が中断されました（処理していたプロセスが停止しました）。もう一度実行できます。"
    )
    assert (job.rows_done, job.rows_total) == (0, 0)  # no frozen 「500 / 50001」
    assert Path(job.file_path).exists()
    assert job_status(job=job)["can_rerun"]


def test_a_beating_heartbeat_file_keeps_the_job_alive(organization, hr, tmp_path):  # type: ignore[no-untyped-def]
    """On SQLite the import holds the only write lock: the worker's thread touches a file."""
    job = _killed_job(actor_for(hr, organization.pk))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    job.refresh_from_db()
    beat = tmp_path / "jobs" / f"job-{job.pk}.alive"
    beat.touch()
    assert not job_is_stale(job)
    assert job_reap_stale() == 0
    old = time.time() - 3600
    os.utime(beat, (old, old))
    assert job_reap_stale() == 1


def test_heartbeat_thread_beats_during_a_long_run(organization, hr, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.05)
    seen: list[bool] = []
    beat = tmp_path / "jobs"

    def run(run: Any) -> Any:
        path = beat / f"job-{run.job.pk}.alive"
        first = path.stat().st_mtime_ns
        deadline = time.monotonic() + 5
        while path.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.02)  # a long write phase, never calling progress
        seen.append(path.stat().st_mtime_ns != first)
        return fake_jobs.run_accounts(run)

    spec = jobs.job_kind(KIND)
    jobs.register_job_kind(jobs.JobKind(**{**spec.__dict__, "run": run}))
    job = _killed_job(actor_for(hr, organization.pk), "b1")
    job_execute(job)
    job.refresh_from_db()
    assert seen == [True]
    assert job.status == ImportJob.Status.SUCCEEDED
    assert not (beat / f"job-{job.pk}.alive").exists()  # removed when the job ends


def test_rerun_queues_the_kept_file_once(organization, hr):  # type: ignore[no-untyped-def]
    actor = actor_for(hr, organization.pk)
    job = _killed_job(actor, "r1", "r2")
    job_reap_stale(now=timezone.now() + STALE_AFTER * 2)
    job.refresh_from_db()
    again = job_rerun(job=job, actor=actor)
    assert (again.status, again.options, again.created_by) == ("queued", job.options, hr)
    job.refresh_from_db()
    assert job.file_path == ""
    assert not job_status(job=job)["can_rerun"]
    done = job_execute(job_claim())  # type: ignore[arg-type]
    assert done.pk == again.pk
    assert done.status == ImportJob.Status.SUCCEEDED
    made = User.objects.filter(username__in=["r1", "r2"]).values_list("username", flat=True)
    assert set(made) == {"r1", "r2"}
    other = OrganizationFactory()
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=other, role=Role.HR)
    with pytest.raises(AccessDenied):
        job_rerun(job=done, actor=actor_for(outsider, other.pk))


def test_a_stale_job_no_longer_blocks_the_lane(organization, hr, tmp_path):  # type: ignore[no-untyped-def]
    job = _killed_job(actor_for(hr, organization.pk))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    source = tmp_path / "cli.csv"
    source.write_bytes(accounts_csv("c1"))
    done = job_run_inline(organization=organization, kind=KIND, source=source)
    assert done.status == ImportJob.Status.SUCCEEDED
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_job_page_shows_the_reason_and_reruns_with_one_click(organization, hr):  # type: ignore[no-untyped-def]
    job = _killed_job(actor_for(hr, organization.pk))
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    client = Client()
    client.force_login(hr)
    page = client.get(reverse("core:job", kwargs={"pk": job.pk})).content.decode()
    assert MESSAGE_WORKER_GONE in page  # the page itself fails a job whose worker is gone
    assert "500 / 50001" not in page
    rerun_url = reverse("core:job_rerun", kwargs={"pk": job.pk})
    assert f'action="{rerun_url}"' in page
    assert "もう一度実行する" in page
    assert client.get(rerun_url).status_code == 405
    response = client.post(rerun_url)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", kwargs={"pk": again.pk})
    assert client.post(rerun_url).status_code == 302  # second click: a message, nothing queued
    assert ImportJob.objects.count() == 2


def test_another_organizations_user_gets_404(organization, hr):  # type: ignore[no-untyped-def]
    job = _killed_job(actor_for(hr, organization.pk))
    job_reap_stale(now=timezone.now() + STALE_AFTER * 2)
    other = OrganizationFactory()
    outsider = UserFactory()
    for role in Role.values:
        unit = UnitFactory(organization=other) if role == Role.UNIT_HEAD else None
        MembershipFactory(user=outsider, organization=other, role=role, unit=unit)
    client = Client()
    client.force_login(outsider)
    assert client.post(reverse("core:job_rerun", kwargs={"pk": job.pk})).status_code == 404
    assert ImportJob.objects.count() == 1
