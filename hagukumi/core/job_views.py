"""The one job page of every import (core.jobs): progress, result, 「取り込む」.

`core:job` (/jobs/<id>/) shows a job to the holders of its kind's roles in its
団体 (404 for anyone else). While the job is 待機 or 実行中, its status panel
asks for itself again through htmx a second after it loads (the panel answers
only itself, plus the aria-live sentence when the status changed), and stops
once the job has ended; without JavaScript, the 「最新の状態を表示」 link
reloads the page. `core:job_confirm` (POST) queues the real run of a
successful dry run and goes to its page; a dry run that asked for a second
step (a mass change) is confirmed only with its checkbox ticked
(`acknowledge=yes`, checked again by `job_confirm`). `core:job_rerun` (POST,
「もう一度実行する」) queues a failed job again from its kept file (a job whose
worker died is failed within a minute, `core.jobs.STALE_AFTER`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import (
    JobPage,
    access_import_job_by_id,
    job_confirm,
    job_page,
    job_rerun,
)
from hagukumi.core.web import actor_of, htmx_target, is_htmx

# The id of the status panel htmx swaps (core/partials/job_status.html).
JOB_PANEL_ID = "job-panel"
# Seconds between two looks at a job that has not ended.
POLL_SECONDS = 1
# The checkbox of a mass change's second step (core.jobs.ConfirmStep): value "yes".
ACKNOWLEDGE_FIELD = "acknowledge"


def _context(page: JobPage) -> dict[str, object]:
    home = reverse("core:home")
    crumbs: list[tuple[str, str]] = [("ホーム", home)]
    if page.upload_url and page.kind.upload_label and page.upload_url != home:
        crumbs.append((page.kind.upload_label, page.upload_url))
    crumbs.append((f"取込 #{page.job.pk}", ""))
    return {
        "page": page,
        "job": page.job,
        "status": page.status,
        "panel_id": JOB_PANEL_ID,
        "poll_seconds": POLL_SECONDS,
        "breadcrumbs": crumbs,
        "acknowledge_field": ACKNOWLEDGE_FIELD,
    }


@role_required()
@require_GET
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's page; for htmx's own poll, only the status panel (and the live sentence)."""
    page = job_page(actor=actor_of(request), job_id=pk)
    context = _context(page)
    if is_htmx(request) and htmx_target(request) == JOB_PANEL_ID:
        context["live_changed"] = request.GET.get("shown", "") != page.status["status"]
        return render(request, "core/partials/job_status.html", context)
    return render(request, "core/job.html", context)


@role_required()
def job_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「取り込む」: queue the real run of a successful dry run (POST only)."""
    actor = actor_of(request)
    job = access_import_job_by_id(actor=actor, job_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        follow = job_confirm(
            actor=actor, job=job, acknowledged=request.POST.get(ACKNOWLEDGE_FIELD) == "yes"
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("core:job", pk=job.pk)
    messages.info(request, "取込を受け付けました。順番が来ると実行します。")
    return redirect("core:job", pk=follow.pk)


@role_required()
def job_rerun_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「もう一度実行する」: queue a failed job again from its kept file (POST only)."""
    actor = actor_of(request)
    job = access_import_job_by_id(actor=actor, job_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        again = job_rerun(actor=actor, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("core:job", pk=job.pk)
    messages.info(request, "もう一度実行するよう受け付けました。順番が来ると実行します。")
    return redirect("core:job", pk=again.pk)
