"""Kill test: SIGKILL the import worker inside its write transaction (issue 16, defect 5).

A real worker process (`jobs_run_pending`, what `hagukumi run_jobs` runs) on a
file-backed SQLite database imports a 1,200-row file; a test-only hook
(core.jobs.STALL_AFTER_ROWS_ENV) stops it inside the transaction after 500
rows, and the test kills it there. Then: not one row of the import is in the
database, the job is seen as stale within a minute (not before), is failed
with the Japanese reason, and 「もう一度実行する」 imports the stored file.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from hagukumi.core.jobs import (
    MESSAGE_WORKER_GONE,
    STALE_AFTER,
    STALL_AFTER_ROWS_ENV,
    STALL_MARKER_ENV,
    job_can_rerun,
    job_reap_stale,
    job_rerun,
    job_submit,
    jobs_run_pending,
)
from hagukumi.core.models import ImportJob, Role, User
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests import fake_jobs
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.core.tests.fake_jobs import KIND, AccountOptions, accounts_csv
from hagukumi.orgs.tests.factories import OrganizationFactory

ROWS = 1200
STALL_AFTER = 500
WORKER = """
import django
django.setup()
from hagukumi.core.tests import fake_jobs
fake_jobs.register()
from hagukumi.core.jobs import jobs_run_pending
for job in jobs_run_pending(once=True):
    print("finished", job.pk, job.status, flush=True)
"""


@pytest.fixture(autouse=True)
def _fake_kind(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    fake_jobs.register()
    yield
    fake_jobs.register()


def _start_worker(database: Path, data_dir: Path, marker: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hagukumi.test_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "HAGUKUMI_DATA_DIR": str(data_dir),
        STALL_AFTER_ROWS_ENV: str(STALL_AFTER),
        STALL_MARKER_ENV: str(marker),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER],
        env=env,
        cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the worker gets a SQLite file")
def test_killed_worker_changes_nothing_and_its_job_runs_again(concurrent_database, tmp_path):  # type: ignore[no-untyped-def]
    organization = OrganizationFactory()
    hr = UserFactory()
    MembershipFactory(user=hr, organization=organization, role=Role.HR)
    actor = actor_for(hr, organization.pk)
    names = [f"kill{i:04d}" for i in range(ROWS)]
    job = job_submit(
        actor=actor,
        kind=KIND,
        source=accounts_csv(*names),
        filename="アカウント.csv",
        options=AccountOptions(),
    )
    ImportJob.objects.filter(pk=job.pk).update(options={"dry_run": False})
    users_before = User.objects.count()
    database = Path(connection.settings_dict["NAME"])
    marker = tmp_path / "stalled"

    worker = _start_worker(database, tmp_path, marker)
    try:
        deadline = time.monotonic() + 25
        while not marker.exists():
            assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
            assert time.monotonic() < deadline, "the worker never reached row 500"
            time.sleep(0.05)
        assert int(marker.read_text()) == worker.pid  # it stopped inside the transaction
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    # Nothing of the 500 rows it had written survived.
    assert User.objects.count() == users_before
    assert not User.objects.filter(username__startswith="kill").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING  # as the dead worker left it

    # Alive a moment ago: not reaped yet; a minute of silence: failed, file kept.
    assert job_reap_stale() == 0
    assert job_reap_stale(now=timezone.now() + STALE_AFTER + dt.timedelta(seconds=5)) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [{"message": MESSAGE_WORKER_GONE}]
    assert job_can_rerun(job)

    # 「もう一度実行する」: the same file, every row, once.
    again = job_rerun(job=job, actor=actor)
    finished = list(jobs_run_pending(once=True))
    assert [j.pk for j in finished] == [again.pk]
    assert finished[0].status == ImportJob.Status.SUCCEEDED, finished[0].errors
    assert User.objects.filter(username__startswith="kill").count() == ROWS
