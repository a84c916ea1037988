"""Roster upload through ImportJob: always a dry run first, then 「取り込む」 on the job page.

The job pages (progress, confirm) are generic ImportJob glue that will move to
core's one upload → dry run → confirm → progress flow (issue [基盤] §2).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_busy_error, job_confirm, job_status, job_submit
from hagukumi.core.tabular_export import XLSX_CONTENT_TYPE, content_disposition
from hagukumi.core.web import actor_of, is_htmx
from hagukumi.people.forms import RosterUploadForm
from hagukumi.people.import_jobs import STAFF_KIND
from hagukumi.people.roles import ROSTER_ROLES
from hagukumi.people.roster_import import staff_import_template
from hagukumi.people.selectors import (
    access_roster_job_by_id,
    roster_job_wait,
    roster_jobs_recent,
)
from hagukumi.people.views.breadcrumbs import home_crumb

JOB_STATUS_TARGET = "roster-job-status"


@role_required(*ROSTER_ROLES)
def roster_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload the roster: always a dry run first (ImportJob), then 「取り込む」 on its page."""
    actor = actor_of(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            organization=actor.organization,
            kind=STAFF_KIND,
            source=upload,
            filename=upload.name or "roster.xlsx",
            options={
                "effective_date": form.cleaned_data["effective_date"].isoformat(),
                "dry_run": True,
                "retire_missing": bool(form.cleaned_data["retire_missing"]),
            },
            user=actor.user,
        )
        return redirect("people:roster_job", pk=job.pk)
    return render(
        request,
        "people/roster_upload.html",
        {
            "form": form,
            "jobs": roster_jobs_recent(actor=actor),
            "breadcrumbs": [home_crumb(), ("職員名簿の取込", "")],
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ROSTER_ROLES)
@require_GET
def roster_template_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    response = HttpResponse(
        staff_import_template(organization=actor.organization), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition("職員名簿_ひな形.xlsx")
    return response


@role_required(*ROSTER_ROLES)
@require_GET
def roster_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one import (htmx polls the partial every second; a reload link otherwise)."""
    actor = actor_of(request)
    job = access_roster_job_by_id(actor=actor, job_id=pk)
    status = job_status(job=job)
    wait = roster_job_wait(job=job)
    busy = job_busy_error(organization=job.organization, kind=job.kind) if wait else None
    context = {
        "job": job,
        "status": status,
        "wait": wait,
        "busy_message": busy.message if busy is not None and busy.job.pk != job.pk else "",
        "counts": _count_rows(status["counts"]),
        "target": JOB_STATUS_TARGET,
        "breadcrumbs": [
            home_crumb(),
            ("職員名簿の取込", reverse("people:roster_upload")),
            (f"取込 #{job.pk}", ""),
        ],
    }
    if is_htmx(request):
        return render(request, "people/partials/roster_job_status.html", context)
    return render(request, "people/roster_job.html", context)


def _count_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = [("new", "新規"), ("changed", "変更"), ("unchanged", "変更なし"), ("retiring", "退職")]
    return [(label, counts.get(kind, 0)) for kind, label in labels]


@role_required(*ROSTER_ROLES)
def roster_job_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「取り込む」: queue the real import of a successful dry run."""
    actor = actor_of(request)
    job = access_roster_job_by_id(actor=actor, job_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        follow = job_confirm(job=job, user=actor.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("people:roster_job", pk=job.pk)
    messages.info(request, "取込を受け付けました。順番が来ると実行します。")
    return redirect("people:roster_job", pk=follow.pk)
