"""異動・任用の記録 (人事担当): 異動歴 per staff member and its corrections, the 人事異動
upload (core's job flow), and the preview and run of the 4月1日 switch (ADR 0009)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.tabular_export import XLSX_CONTENT_TYPE, content_disposition
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.core.web import actor_of
from hagukumi.orgs.models import Organization
from hagukumi.people.assignment_forms import (
    AssignmentCorrectionForm,
    AssignmentStaffSearchForm,
    FiscalYearChoiceForm,
    FiscalYearSwitchForm,
    TransferUploadForm,
)
from hagukumi.people.import_jobs import TRANSFERS_KIND, TransferImportOptions
from hagukumi.people.roles import ASSIGNMENT_ROLES
from hagukumi.people.selectors.assignments import (
    access_assignment_by_id,
    assignment_history,
    assignment_staff_search,
)
from hagukumi.people.selectors.fiscal_year_switch import fiscal_year_switch_plan, switch_day
from hagukumi.people.services.assignments import assignment_correct
from hagukumi.people.services.fiscal_year_switch import fiscal_year_switch
from hagukumi.people.transfer_import import transfer_import_template
from hagukumi.people.views.breadcrumbs import home_crumb

TITLE = "異動・任用の記録"


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [home_crumb(), (TITLE, reverse("people:assignments")), *trail]


@role_required(*ASSIGNMENT_ROLES)
@require_GET
def assignments_view(request: HttpRequest) -> HttpResponse:
    """The hub: find a staff member's 異動歴, upload 人事異動, preview the new 年度."""
    actor = actor_of(request)
    form = AssignmentStaffSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "staff": assignment_staff_search(actor=actor, text=query),
        "next_fiscal_year": fiscal_year_of(timezone.localdate()) + 1,
        "breadcrumbs": [home_crumb(), (TITLE, "")],
    }
    return render(request, "people/assignments.html", context)


@role_required(*ASSIGNMENT_ROLES)
@require_GET
def staff_assignments_view(request: HttpRequest, pk: int) -> HttpResponse:
    history = assignment_history(actor=actor_of(request), staff_id=pk)
    context = {
        "history": history,
        "breadcrumbs": _crumbs((f"{history.staff.number} {history.staff.name}", "")),
    }
    return render(request, "people/staff_assignments.html", context)


@role_required(*ASSIGNMENT_ROLES)
@require_http_methods(["GET", "POST"])
def assignment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    assignment = access_assignment_by_id(actor=actor, assignment_id=pk)
    initial = {
        "unit_code": assignment.unit.code,
        "position": assignment.position,
        "grade": assignment.grade,
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
    }
    form = AssignmentCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment_correct(
                actor=actor,
                assignment_id=pk,
                unit_code=data["unit_code"],
                position=data["position"],
                grade=data["grade"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "異動歴を訂正しました。")
            return redirect("people:staff_assignments", pk=assignment.staff_id)
    staff = assignment.staff
    return render(
        request,
        "people/assignment_edit.html",
        {
            "form": form,
            "assignment": assignment,
            "breadcrumbs": _crumbs(
                (
                    f"{staff.number} {staff.name}",
                    reverse("people:staff_assignments", kwargs={"pk": staff.pk}),
                ),
                ("訂正", ""),
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ASSIGNMENT_ROLES)
@require_http_methods(["GET", "POST"])
def transfers_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload 人事異動: queued as a dry run (ImportJob), then core's job page."""
    actor = actor_of(request)
    form = TransferUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=actor,
            kind=TRANSFERS_KIND,
            source=upload,
            filename=upload.name or "transfers.xlsx",
            options=TransferImportOptions(dry_run=True),
        )
        return redirect(job_page_url(job))
    return render(
        request,
        "people/transfers_upload.html",
        {
            "form": form,
            "jobs": jobs_recent(actor=actor, kinds=[TRANSFERS_KIND]),
            "breadcrumbs": _crumbs(("人事異動の取込", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ASSIGNMENT_ROLES)
@require_GET
def transfers_template_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    response = HttpResponse(
        transfer_import_template(organization=actor.organization), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition("人事異動_ひな形.xlsx")
    return response


def _year_choices(today_fy: int) -> list[tuple[int, str]]:
    return [(fy, format_fiscal_year(fy)) for fy in (today_fy, today_fy + 1)]


@role_required(*ASSIGNMENT_ROLES)
@require_GET
def fiscal_year_view(request: HttpRequest) -> HttpResponse:
    """The preview of the 4月1日 switch: what changes, as of that day."""
    actor = actor_of(request)
    today = timezone.localdate()
    current = fiscal_year_of(today)
    choice = FiscalYearChoiceForm(request.GET or None, choices=_year_choices(current))
    fiscal_year = choice.cleaned_data["fiscal_year"] if choice.is_valid() else current + 1
    plan = fiscal_year_switch_plan(
        actor=actor, organization=cast(Organization, actor.organization), fiscal_year=fiscal_year
    )
    if not choice.is_bound:
        choice = FiscalYearChoiceForm(
            initial={"fiscal_year": fiscal_year}, choices=_year_choices(current)
        )
    context = {
        "plan": plan,
        "choice": choice,
        "switch_form": FiscalYearSwitchForm(
            initial={"fiscal_year": fiscal_year, "digest": plan.digest}
        ),
        "may_switch": today >= switch_day(fiscal_year),
        "breadcrumbs": _crumbs((f"{plan.label}への切替", "")),
    }
    return render(request, "people/fiscal_year.html", context)


@role_required(*ASSIGNMENT_ROLES)
def fiscal_year_switch_view(request: HttpRequest) -> HttpResponse:
    """Run the switch the page showed (POST; refused before 4月1日 or if the plan changed)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor = actor_of(request)
    form = FiscalYearSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "切り替える年度を選び直してください。")
        return redirect("people:fiscal_year")
    fiscal_year = form.cleaned_data["fiscal_year"]
    try:
        plan = fiscal_year_switch(
            actor=actor,
            organization=cast(Organization, actor.organization),
            fiscal_year=fiscal_year,
            expected_digest=form.cleaned_data["digest"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{plan.label}に切り替えました（職員 {len(plan.staff_moves)}名、"
            f"所属長の役割 {len(plan.memberships)}件）。",
        )
    return redirect(f"{reverse('people:fiscal_year')}?fiscal_year={fiscal_year}")
