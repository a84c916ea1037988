"""Enrolment pages: 手挙げ (own applications), the 所属長's approval queue and 推薦 page,
and the actions on one enrolment (承認, 却下 with a reason, 取消).

The 推薦 page (`training:recommend`) is where the 所属長's home task
「DX推進リーダーを推薦する」 leads: the staff of their unit and below, each with
whether 推薦 is possible and why not (the selector gives the same reasons the
service would); a refused 推薦 shows the service's message (the 推薦枠 is full:
「推薦枠（各所属1名）を超えています: 〇〇課 は推薦済みです」). With htmx the
cohort choice and 推薦 swap the list only; without it the page reloads.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.web import actor_of, is_htmx
from hagukumi.people.selectors import access_staff_by_id
from hagukumi.training.forms import CancelForm, RecommendForm, RejectForm
from hagukumi.training.models import Cohort, EnrollmentStatus
from hagukumi.training.roles import APPLY_ROLES, APPROVE_ROLES, RECOMMEND_ROLES
from hagukumi.training.selectors.enrolment import (
    access_enrollment_by_id,
    enrollment_approvals_pending,
    recommendable_cohorts,
    recommendable_staff,
)
from hagukumi.training.selectors.pages import apply_page, enrollment_cohort_id
from hagukumi.training.selectors.programs import access_cohort_by_id
from hagukumi.training.services.enrolment import (
    enrollment_apply,
    enrollment_approve,
    enrollment_cancel,
    enrollment_recommend,
    enrollment_reject,
)
from hagukumi.training.views import common
from hagukumi.training.views.common import (
    back_url,
    cohort_post_only,
    crumbs,
    enrollment_post_only,
)

# Enrolments that may still be withdrawn (取消).
OPEN_ENROLMENT_STATUSES = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.WAITLISTED,
)
CANCEL_ROLES = (Role.DX_OFFICE, Role.UNIT_HEAD, Role.STAFF)
REJECT_ROLES = (Role.DX_OFFICE, Role.UNIT_HEAD)


# ------------------------------------------------------------------ 手挙げ (職員)


@role_required(*APPLY_ROLES)
def apply_view(request: HttpRequest) -> HttpResponse:
    """A 職員's own page: cohorts open for 手挙げ, and their applications (取消 of their own)."""
    actor = actor_of(request)
    return render(
        request,
        "training/apply.html",
        {
            "page": apply_page(actor=actor),
            "open_statuses": OPEN_ENROLMENT_STATUSES,
            "breadcrumbs": crumbs(("研修の申込", "")),
        },
    )


@role_required(*APPLY_ROLES)
@cohort_post_only
def cohort_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    try:
        enrollment = enrollment_apply(actor=actor, cohort=cohort, now=common.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if enrollment.status == EnrollmentStatus.WAITLISTED:
            messages.success(
                request, f"{cohort.program.title} {cohort}は満員のため、待機で申し込みました。"
            )
        else:
            messages.success(
                request,
                f"{cohort.program.title} {cohort}に申し込みました。所属長の承認をお待ちください。",
            )
    return redirect("training:apply")


# ------------------------------------------------------------------ 所属長


@role_required(*APPROVE_ROLES)
def approvals_view(request: HttpRequest) -> HttpResponse:
    """手挙げ waiting for this 所属長's approval (their unit and below)."""
    actor = actor_of(request)
    return render(
        request,
        "training/approvals.html",
        {
            "rows": enrollment_approvals_pending(actor=actor, today=common.today()),
            "reject_form": RejectForm(),
            "breadcrumbs": crumbs(("申込の承認", "")),
        },
    )


def _chosen_cohort(request: HttpRequest, cohorts: list[Cohort]) -> Cohort | None:
    wanted = request.GET.get("cohort") or ""
    for cohort in cohorts:
        if str(cohort.pk) == wanted:
            return cohort
    return cohorts[0] if cohorts else None


@role_required(*RECOMMEND_ROLES)
def recommend_view(request: HttpRequest) -> HttpResponse:
    """推薦: choose a cohort, then recommend staff of the unit and below (reasons why not).

    A POST names the cohort and the staff member: another 団体's cohort or staff
    outside the 所属長's reach is 404; a cohort not taking 推薦 or a full 推薦枠
    shows the service's refusal.
    """
    actor = actor_of(request)
    cohorts = recommendable_cohorts(actor=actor)
    cohort = _chosen_cohort(request, cohorts)
    refusal = ""
    status = 200
    if request.method == "POST":
        form = RecommendForm(request.POST)
        if not form.is_valid():
            refusal = "推薦する期と職員を選んでください。"
            status = 400
        else:
            cohort = access_cohort_by_id(actor=actor, cohort_id=form.cleaned_data["cohort"])
            staff = access_staff_by_id(actor=actor, staff_id=form.cleaned_data["staff"])
            try:
                enrollment = enrollment_recommend(
                    actor=actor, cohort=cohort, staff=staff, now=common.now()
                )
            except ApplicationError as exc:
                refusal = exc.message
                status = 400
            else:
                text = (
                    f"{staff.number} {staff.name} さんを"
                    f"{cohort.program.title} {cohort}に推薦しました"
                )
                if enrollment.status == EnrollmentStatus.WAITLISTED:
                    text += "（定員に達しているため待機です）"
                messages.success(request, text + "。")
                if not is_htmx(request):
                    return redirect(f"{reverse('training:recommend')}?cohort={cohort.pk}")
    listing = (
        recommendable_staff(actor=actor, cohort=cohort, today=common.today()) if cohort else None
    )
    context = {
        "cohorts": cohorts,
        "cohort": cohort,
        "listing": listing,
        "refusal": refusal,
        "page_errors": bool(refusal),
        "breadcrumbs": crumbs(("DX推進リーダー等の推薦", "")),
    }
    template = (
        "training/partials/recommend_list.html" if is_htmx(request) else "training/recommend.html"
    )
    return render(request, template, context, status=status)


# ------------------------------------------------------------------ one enrolment


@role_required(*APPROVE_ROLES)
@enrollment_post_only
def enrollment_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    cohort_id = enrollment_cohort_id(actor=actor, enrollment_id=pk)
    enrollment = access_enrollment_by_id(actor=actor, enrollment_id=pk, today=common.today())
    try:
        approved = enrollment_approve(actor=actor, enrollment=enrollment, now=common.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{approved.staff.number} {approved.staff.name} さんの申込を承認しました"
            f"（{approved.get_status_display()}）。",
        )
    return redirect(back_url(request, cohort_id))


@role_required(*REJECT_ROLES)
@enrollment_post_only
def enrollment_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    cohort_id = enrollment_cohort_id(actor=actor, enrollment_id=pk)
    enrollment = access_enrollment_by_id(actor=actor, enrollment_id=pk, today=common.today())
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "却下の理由を入力してください。")
        return redirect(back_url(request, cohort_id))
    try:
        rejected = enrollment_reject(
            actor=actor, enrollment=enrollment, reason=form.cleaned_data["reason"], now=common.now()
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{rejected.staff.number} {rejected.staff.name} さんの申込を却下しました。"
        )
    return redirect(back_url(request, cohort_id))


@role_required(*CANCEL_ROLES)
@enrollment_post_only
def enrollment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    cohort_id = enrollment_cohort_id(actor=actor, enrollment_id=pk)
    enrollment = access_enrollment_by_id(actor=actor, enrollment_id=pk, today=common.today())
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancelled = enrollment_cancel(
            actor=actor, enrollment=enrollment, reason=reason, now=common.now()
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{cancelled.staff.number} {cancelled.staff.name} さんの申込を取り消しました。"
        )
    return redirect(back_url(request, cohort_id))
