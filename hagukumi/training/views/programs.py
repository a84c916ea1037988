"""研修 top page, programme templates (adoption), programme detail, new cohort, audiences."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.core.web import actor_of
from hagukumi.training.forms import AudienceForm, CohortCreateForm, TemplateAdoptForm
from hagukumi.training.models import Cohort
from hagukumi.training.roles import (
    APPLY_ROLES,
    ATTENDANCE_RECORD_ROLES,
    AUDIENCE_ROLES,
    PROGRAM_EDIT_ROLES,
    RECOMMEND_ROLES,
    TRAINING_READ_ROLES,
)
from hagukumi.training.selectors.enrolment import SeatCounts, cohort_seat_counts
from hagukumi.training.selectors.pages import adoption_frameworks, courses_for
from hagukumi.training.selectors.programs import (
    access_course_by_id,
    access_program_by_id,
    cohorts_for,
    course_audience,
    program_plan,
    program_templates,
    programs_for,
)
from hagukumi.training.services.cohorts import cohort_create
from hagukumi.training.services.templates import program_template_adopt
from hagukumi.training.views import common
from hagukumi.training.views.common import crumbs, error_field


def _with_seats(cohorts: list[Cohort]) -> list[tuple[Cohort, SeatCounts]]:
    seats = cohort_seat_counts(cohorts)
    return [(c, seats[c.pk]) for c in cohorts]


@role_required(*TRAINING_READ_ROLES)
@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """Programmes, cohorts and courses of the 団体, and the templates it may adopt."""
    actor = actor_of(request)
    programs = list(programs_for(actor=actor))
    cohorts = list(cohorts_for(actor=actor))
    return render(
        request,
        "training/index.html",
        {
            "plans": [program_plan(actor=actor, program=p) for p in programs],
            "cohorts": _with_seats(cohorts),
            "courses": list(courses_for(actor=actor)),
            "templates": program_templates(actor=actor),
            "can_edit": actor.has_role(*PROGRAM_EDIT_ROLES),
            "can_record": actor.has_role(*ATTENDANCE_RECORD_ROLES),
            "can_apply": actor.has_role(*APPLY_ROLES),
            "can_recommend": actor.has_role(*RECOMMEND_ROLES),
            "can_see_audience": actor.has_role(*AUDIENCE_ROLES),
            "fiscal_year": fiscal_year_of(common.today()),
            "breadcrumbs": [("ホーム", reverse("core:home")), ("研修", "")],
        },
    )


@role_required(*PROGRAM_EDIT_ROLES)
def template_adopt_view(request: HttpRequest) -> HttpResponse:
    """Adopt a programme template onto one of the 団体's frameworks; refused codes by name."""
    actor = actor_of(request)
    templates = program_templates(actor=actor)
    frameworks = adoption_frameworks(actor=actor)
    form = TemplateAdoptForm(
        request.POST or None,
        templates=[(t.code, t.name) for t in templates],
        frameworks=[(f.pk, f"{f.name}（{f.code}）") for f in frameworks],
        initial={"template": request.GET.get("template", "")},
    )
    missing: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            adoption = program_template_adopt(
                actor=actor,
                template_code=form.cleaned_data["template"],
                framework=form.cleaned_data["framework"],
            )
        except ApplicationError as exc:
            missing = [str(m) for m in cast(list[Any], exc.extra.get("missing") or [])]
            # Each refused code is named on the framework field (「人材類型 dx-leader が…」).
            for text in missing:
                form.add_error("framework", text)
            if not missing:
                field = exc.extra.get("field")
                form.add_error("framework" if field == "framework" else None, exc.message)
        else:
            messages.success(
                request,
                f"テンプレート「{adoption.template.name}」を採用しました"
                f"（研修 {len(adoption.courses)}件、育成プログラム {len(adoption.programs)}件）。",
            )
            if adoption.programs:
                return redirect("training:program_detail", pk=adoption.programs[0].pk)
            return redirect("training:index")
    chosen = next((t for t in templates if t.code == (form["template"].value() or "")), None)
    return render(
        request,
        "training/template_adopt.html",
        {
            "form": form,
            "missing": missing,
            "chosen": chosen,
            "templates": templates,
            "has_frameworks": bool(frameworks),
            "breadcrumbs": crumbs(("テンプレートを採用", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*TRAINING_READ_ROLES)
@require_GET
def program_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    program = access_program_by_id(actor=actor, program_id=pk)
    cohorts = list(cohorts_for(actor=actor, program=program))
    return render(
        request,
        "training/program_detail.html",
        {
            "program": program,
            "plan": program_plan(actor=actor, program=program),
            "cohorts": _with_seats(cohorts),
            "can_edit": actor.has_role(*PROGRAM_EDIT_ROLES),
            "breadcrumbs": crumbs((program.title, "")),
        },
    )


@role_required(*PROGRAM_EDIT_ROLES)
def cohort_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new 期 of the programme (the template's planned sessions and 枠 are copied in)."""
    actor = actor_of(request)
    program = access_program_by_id(actor=actor, program_id=pk)
    existing = list(cohorts_for(actor=actor, program=program))
    form = CohortCreateForm(
        request.POST or None,
        initial={
            "number": max((c.number for c in existing), default=0) + 1,
            "fiscal_year": fiscal_year_of(common.today()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = cohort_create(
                actor=actor,
                program=program,
                number=data["number"],
                fiscal_year=data["fiscal_year"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                capacity=data["capacity"],
                status=data["status"],
            )
        except ApplicationError as exc:
            form.add_error(error_field(form, exc), exc.message)
        else:
            messages.success(request, f"{program.title} の{cohort}を作成しました。")
            return redirect("training:cohort_detail", pk=cohort.pk)
    program_url = reverse("training:program_detail", kwargs={"pk": program.pk})
    return render(
        request,
        "training/cohort_create.html",
        {
            "form": form,
            "program": program,
            "cancel_url": program_url,
            "breadcrumbs": crumbs((program.title, program_url), ("期を作成", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*AUDIENCE_ROLES)
@require_GET
def course_audience_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Who the course's 受講対象 rule selects from the roster in a 年度 (visibility applied)."""
    actor = actor_of(request)
    course = access_course_by_id(actor=actor, course_id=pk)
    form = AudienceForm(request.GET if "fy" in request.GET else None)
    fiscal_year = form.cleaned_data["fy"] if form.is_valid() else fiscal_year_of(common.today())
    if not form.is_bound:
        form = AudienceForm(initial={"fy": fiscal_year})
    rows = course_audience(actor=actor, course=course, fiscal_year=fiscal_year)
    return render(
        request,
        "training/course_audience.html",
        {
            "course": course,
            "form": form,
            "fiscal_year": fiscal_year,
            "rows": rows,
            "scoped": not actor.has_role(Role.DX_OFFICE, Role.HR),
            "breadcrumbs": crumbs((f"{course.title} の受講対象者", "")),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
