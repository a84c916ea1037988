"""URL kwargs of core's object URLs for the role × route matrix (test_route_matrix.py).

The job page serves the holders of the job kind's roles; the matrix job is of a
fake kind every role may see, so the page's own gate (`role_required()`) is
what the matrix checks, and another 団体's user still gets 404.
"""

from __future__ import annotations

from typing import Any

from hagukumi.core.models import ImportJob
from hagukumi.core.tests import fake_jobs


def _job(world: Any) -> dict[str, Any]:
    fake_jobs.register()
    job = ImportJob.objects.create(
        organization=world.organization,
        kind=fake_jobs.ALL_ROLES_KIND,
        lane=fake_jobs.LANE,
        options={"dry_run": True},
        filename="テスト.csv",
    )
    return {"pk": job.pk}


ROUTE_KWARGS = {
    "core:job": _job,
    "core:job_confirm": _job,
    "core:job_rerun": _job,
}
