"""A cohort (期): its plan, sessions, members and 待機 list, groups; start, 指名, completion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.web import actor_of
from hagukumi.training.forms import (
    CancelForm,
    CompletionForm,
    GroupsForm,
    RejectForm,
    StaffNumberForm,
)
from hagukumi.training.models import Cohort, CohortStatus, EnrollmentStatus
from hagukumi.training.roles import (
    APPOINT_ROLES,
    ATTENDANCE_RECORD_ROLES,
    ENROLMENT_WIDE_ROLES,
    PROGRAM_EDIT_ROLES,
    TRAINING_READ_ROLES,
)
from hagukumi.training.selectors.enrolment import OPEN_COHORT_STATUSES
from hagukumi.training.selectors.pages import (
    cohort_phase,
    cohort_roster,
    cohort_sessions,
    staff_for_appointment,
)
from hagukumi.training.selectors.programs import access_cohort_by_id, cohort_groups, cohort_plan
from hagukumi.training.services.cohorts import (
    GROUPED_STATUSES,
    cohort_groups_form,
    cohort_groups_set,
    cohort_start,
    group_sizes,
)
from hagukumi.training.services.completion import completions_update
from hagukumi.training.services.enrolment import enrollment_appoint
from hagukumi.training.views import common
from hagukumi.training.views.common import cohort_crumb, cohort_post_only, confirmed, crumbs

# Enrolments that may still be withdrawn (取消) or refused (却下).
OPEN_ENROLMENT_STATUSES = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.WAITLISTED,
)


def _program_crumb(cohort: Cohort) -> tuple[str, str]:
    return (
        cohort.program.title,
        reverse("training:program_detail", kwargs={"pk": cohort.program_id}),
    )


def _sees_groups(actor: Actor) -> bool:
    return actor.has_role(*ENROLMENT_WIDE_ROLES, Role.UNIT_HEAD)


@role_required(*TRAINING_READ_ROLES)
@require_GET
def cohort_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    return _detail_page(request, actor, cohort)


def _detail_page(
    request: HttpRequest,
    actor: Actor,
    cohort: Cohort,
    *,
    appoint_form: StaffNumberForm | None = None,
    completion_form: CompletionForm | None = None,
) -> HttpResponse:
    day = common.today()
    phases = cohort_sessions(actor=actor, cohort=cohort)
    grouped = [p.phase for p in phases if p.phase.group_size_min is not None]
    groups = (
        [(phase, cohort_groups(actor=actor, cohort=cohort, phase=phase)) for phase in grouped]
        if _sees_groups(actor)
        else []
    )
    is_dx = actor.has_role(*PROGRAM_EDIT_ROLES)
    bound = appoint_form is not None or completion_form is not None
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "plan": cohort_plan(actor=actor, cohort=cohort),
            "phases": phases,
            "roster": cohort_roster(actor=actor, cohort=cohort, today=day),
            "quotas": list(cohort.quotas.all()),
            "groups": groups,
            "grouped_phases": grouped,
            "open_statuses": OPEN_ENROLMENT_STATUSES,
            "can_edit": is_dx,
            "can_start": is_dx and cohort.status in OPEN_COHORT_STATUSES,
            "can_appoint": actor.has_role(*APPOINT_ROLES)
            and cohort.status in (*OPEN_COHORT_STATUSES, CohortStatus.RUNNING),
            "can_record": actor.has_role(*ATTENDANCE_RECORD_ROLES),
            "can_cancel_any": is_dx or actor.has_role(Role.UNIT_HEAD),
            "own_user_id": actor.user.pk if actor.user is not None else None,
            "appoint_form": appoint_form or StaffNumberForm(),
            "completion_form": completion_form or CompletionForm(initial={"as_of": day}),
            "reject_form": RejectForm(),
            "cancel_form": CancelForm(),
            "breadcrumbs": crumbs(_program_crumb(cohort), (str(cohort), "")),
        },
        status=400 if bound else 200,
    )


@role_required(*PROGRAM_EDIT_ROLES)
def cohort_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """期の開始: a confirmation page first (GET, or a POST without confirm), then start."""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    detail = reverse("training:cohort_detail", kwargs={"pk": cohort.pk})
    if confirmed(request):
        try:
            cohort_start(actor=actor, cohort=cohort, today=common.today())
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{cohort.program.title} {cohort}を開始しました。"
                "受講者の指定は「育成中」になりました。",
            )
        return redirect(detail)
    roster = cohort_roster(actor=actor, cohort=cohort, today=common.today())
    approved = sum(1 for r in roster.rows if r.enrollment.status == EnrollmentStatus.APPROVED)
    return render(
        request,
        "training/confirm.html",
        {
            "heading": f"{cohort}の開始の確認",
            "warning": (
                f"{cohort.program.title} {cohort}を「実施中」にします。開始すると元に戻せません。"
            ),
            "details": [
                f"承認済みの受講者 {approved}名の指定（人材類型の候補）が「育成中」になります。",
                "開始後は手挙げ・推薦を受け付けません（DX推進担当の指名はできます）。",
            ],
            "action": reverse("training:cohort_start", kwargs={"pk": cohort.pk}),
            "submit_label": "開始する",
            "danger": False,
            "cancel_url": detail,
            "breadcrumbs": crumbs(_program_crumb(cohort), cohort_crumb(cohort), ("開始", "")),
        },
    )


@role_required(*APPOINT_ROLES)
@cohort_post_only
def cohort_appoint_view(request: HttpRequest, pk: int) -> HttpResponse:
    """指名 by DX推進担当: the staff member named by 職員番号."""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    form = StaffNumberForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["staff_number"].strip()
        staff = staff_for_appointment(actor=actor, number=number)
        if staff is None:
            form.add_error("staff_number", f"職員番号「{number}」の職員は登録されていません。")
        else:
            try:
                enrollment = enrollment_appoint(
                    actor=actor, cohort=cohort, staff=staff, now=common.now()
                )
            except ApplicationError as exc:
                form.add_error("staff_number", exc.message)
            else:
                messages.success(
                    request,
                    f"{staff.number} {staff.name} さんを指名しました"
                    f"（{enrollment.get_status_display()}）。",
                )
                return redirect("training:cohort_detail", pk=cohort.pk)
    return _detail_page(request, actor, cohort, appoint_form=form)


@role_required(*ATTENDANCE_RECORD_ROLES)
@cohort_post_only
def cohort_completions_view(request: HttpRequest, pk: int) -> HttpResponse:
    """修了の判定 as of a day (idempotent): course completions and the programme's 修了/未修了."""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, actor, cohort, completion_form=form)
    try:
        outcome = completions_update(actor=actor, cohort=cohort, as_of=form.cleaned_data["as_of"])
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _detail_page(request, actor, cohort, completion_form=form)
    messages.success(
        request,
        f"修了を判定しました（研修の修了 新規 {outcome.created}件・変更 {outcome.changed}件・"
        f"取消 {outcome.removed}件、プログラム修了 {outcome.programmes_completed}名・"
        f"未修了 {outcome.programmes_not_completed}名）。",
    )
    return redirect("training:cohort_detail", pk=cohort.pk)


@role_required(*PROGRAM_EDIT_ROLES)
def cohort_groups_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Groups of one phase: the proposal by the size rule, or every member's group by hand."""
    actor = actor_of(request)
    cohort = access_cohort_by_id(actor=actor, cohort_id=pk)
    phases = [
        p.phase for p in cohort_sessions(actor=actor, cohort=cohort) if p.phase.group_size_min
    ]
    wanted = request.POST.get("phase") or request.GET.get("phase")
    phase = (
        cohort_phase(actor=actor, cohort=cohort, phase_id=wanted)
        if wanted
        else (phases[0] if phases else None)
    )
    detail = reverse("training:cohort_detail", kwargs={"pk": cohort.pk})
    members = [
        r.enrollment
        for r in cohort_roster(actor=actor, cohort=cohort, today=common.today()).rows
        if r.enrollment.status in GROUPED_STATUSES
    ]
    members.sort(key=lambda e: e.staff.number)
    current = cohort_groups(actor=actor, cohort=cohort, phase=phase) if phase is not None else []
    number_of = {e.pk: row.group.number for row in current for e in row.members}
    form = GroupsForm(
        request.POST if request.POST.get("action") == "set" else None,
        enrollment_ids=[e.pk for e in members],
        initial={f"group_{pk}": n for pk, n in number_of.items()},
    )
    proposal_error = ""
    status = 200
    if request.method == "POST" and phase is not None:
        try:
            if request.POST.get("action") == "propose":
                cohort_groups_form(actor=actor, cohort=cohort, phase=phase)
                messages.success(request, "グループ人数の決まりに沿ってグループを編成しました。")
                return redirect(_groups_url(cohort, phase))
            if form.is_valid():
                cohort_groups_set(actor=actor, cohort=cohort, phase=phase, groups=form.groups())
                messages.success(request, "グループを保存しました。")
                return redirect(_groups_url(cohort, phase))
        except ApplicationError as exc:
            if request.POST.get("action") == "propose":
                proposal_error = exc.message
            else:
                form.add_error(None, exc.message)
        status = 400
    sizes_text = ""
    if phase is not None and phase.group_size_min and phase.group_size_max and members:
        try:
            sizes = group_sizes(
                len(members), minimum=phase.group_size_min, maximum=phase.group_size_max
            )
            sizes_text = "、".join(f"{n}名" for n in sizes)
        except ApplicationError as exc:
            proposal_error = proposal_error or exc.message
    return render(
        request,
        "training/cohort_groups.html",
        {
            "cohort": cohort,
            "phase": phase,
            "phases": phases,
            "members": [(e, form[f"group_{e.pk}"]) for e in members],
            "form": form,
            "current": current,
            "sizes_text": sizes_text,
            "proposal_error": proposal_error,
            "page_errors": bool(proposal_error) and status == 400,
            "cancel_url": detail,
            "breadcrumbs": crumbs(_program_crumb(cohort), cohort_crumb(cohort), ("グループ", "")),
        },
        status=status,
    )


def _groups_url(cohort: Cohort, phase: Any) -> str:
    url = reverse("training:cohort_groups", kwargs={"pk": cohort.pk})
    return f"{url}?phase={phase.pk}"
