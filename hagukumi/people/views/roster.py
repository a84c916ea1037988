"""Roster upload through core's job flow: always a dry run first, then 「取り込む」
on core's job page (`core:job`), which also shows progress and the result."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.tabular_export import XLSX_CONTENT_TYPE, content_disposition
from hagukumi.core.web import actor_of
from hagukumi.people.forms import RosterUploadForm
from hagukumi.people.import_jobs import PEOPLE_JOB_KINDS, STAFF_KIND, StaffImportOptions
from hagukumi.people.roles import ROSTER_ROLES
from hagukumi.people.roster_import import staff_import_template
from hagukumi.people.views.breadcrumbs import home_crumb


@role_required(*ROSTER_ROLES)
def roster_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload the roster: queued as a dry run (ImportJob), then core's job page."""
    actor = actor_of(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=actor,
            kind=STAFF_KIND,
            source=upload,
            filename=upload.name or "roster.xlsx",
            options=StaffImportOptions(
                dry_run=True,
                effective_date=form.cleaned_data["effective_date"],
                retire_missing=bool(form.cleaned_data["retire_missing"]),
            ),
        )
        return redirect(job_page_url(job))
    return render(
        request,
        "people/roster_upload.html",
        {
            "form": form,
            "jobs": jobs_recent(actor=actor, kinds=PEOPLE_JOB_KINDS),
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
