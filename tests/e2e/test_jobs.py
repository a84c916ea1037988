"""Core's job page in a real browser: the status updates itself (htmx) from 待機 to
成功 without a reload, the aria-live region stays in place, 「取り込む」 queues the
real run. Uses core's fake job kind (hagukumi/core/tests/fake_jobs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.jobs import job_submit, jobs_run_pending
from hagukumi.core.models import Role
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests import fake_jobs

pytestmark = pytest.mark.e2e


def test_job_page_updates_itself(
    page: Any, page_guard: Any, login_as: Any, organization: Any, settings: Any, tmp_path: Path
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    fake_jobs.register()
    user = login_as(Role.HR, org=organization)
    job = job_submit(
        actor=actor_for(user, organization.pk),
        kind=fake_jobs.KIND,
        source=fake_jobs.accounts_csv("e2e1", "e2e2", "e2e3"),
        filename="アカウント.csv",
        options=fake_jobs.AccountOptions(retire_others=True),
    )
    page.goto(reverse("core:job", kwargs={"pk": job.pk}))
    assert page.locator("#job-status").inner_text() == "待機"
    live = page.locator("#job-live").element_handle()

    list(jobs_run_pending(once=True))  # the worker (`hagukumi run_jobs`)
    page.wait_for_function(
        "() => (document.querySelector('#job-status') || {}).textContent === '成功'",
        timeout=15_000,
    )
    # The live region is the same element, its sentence replaced in place.
    assert page.evaluate("(el) => el === document.querySelector('#job-live')", live)
    assert "取り込む" in page.locator("#job-live").inner_text()
    assert page.locator("#job-rows").inner_text() == "3 / 3 行"
    assert "退職" in page.locator("#job-counts").inner_text()
    assert page.locator("[hx-trigger]").count() == 0  # polling stopped
    page_guard.check_accessibility()

    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    assert page.locator("#job-status").inner_text() == "待機"
    list(jobs_run_pending(once=True))
    page.wait_for_function(
        "() => (document.querySelector('#job-status') || {}).textContent === '成功'",
        timeout=15_000,
    )
    assert page.locator("#job-done").inner_text() == "取込が終わりました。"
