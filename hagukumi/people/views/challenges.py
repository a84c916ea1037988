"""庁内公募 / ジョブチャレンジ / DX推進枠: postings, applying, 所属長意見, 採用・不採用."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.core.web import actor_of
from hagukumi.frameworks.in_force import talent_type_name
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.forms import DecisionForm, JobChallengeForm, MotivationForm, OpinionForm
from hagukumi.people.models import ApplicationStatus, JobApplication, JobChallenge
from hagukumi.people.roles import PEOPLE_ROLES, POSTING_ROLES
from hagukumi.people.selectors import (
    access_job_application_for_decision,
    access_job_challenge_by_id,
    job_applications_for,
    job_challenges_for,
    staff_of_user,
    staff_search_choices,
)
from hagukumi.people.selectors.web import job_application_challenge_id
from hagukumi.people.services import (
    job_application_decide,
    job_application_opinion,
    job_application_submit,
    job_application_withdraw,
    job_challenge_create,
)
from hagukumi.people.views.breadcrumbs import home_crumb
from hagukumi.people.visibility import all_applicants_visible


def _challenges_crumb() -> tuple[str, str]:
    return ("庁内公募", reverse("people:challenges"))


@role_required(*PEOPLE_ROLES)
@require_GET
def challenges_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "people/challenges.html",
        {
            "challenges": list(job_challenges_for(actor=actor).order_by("-opens_on", "id")),
            "today": timezone.localdate(),
            "can_post": actor.has_role(*POSTING_ROLES),
            "breadcrumbs": [home_crumb(), ("庁内公募", "")],
        },
    )


@role_required(*POSTING_ROLES)
def challenge_new_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    units = {
        str(unit.pk): unit
        for unit in units_valid_in(
            organization=actor.organization_id or 0,
            fiscal_year=fiscal_year_of(timezone.localdate()),
        ).order_by("code")
    }
    form = JobChallengeForm(
        request.POST or None,
        units=[(pk, f"{unit.code} {unit.name}") for pk, unit in units.items()],
        talent_types=staff_search_choices(actor=actor).talent_types,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = job_challenge_create(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                unit=units[str(data["unit"])],
                description=data["description"],
                talent_type_code=data["talent_type_code"] or "",
                framework=data["framework"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                capacity=data["capacity"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "公募を登録しました。")
            return redirect("people:challenge_detail", pk=challenge.pk)
    return render(
        request,
        "people/challenge_new.html",
        {
            "form": form,
            "breadcrumbs": [home_crumb(), _challenges_crumb(), ("公募を登録", "")],
        },
        status=400 if request.method == "POST" else 200,
    )


def _challenge_page(
    request: HttpRequest, pk: int, *, motivation_form: MotivationForm | None = None
) -> HttpResponse:
    actor = actor_of(request)
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=pk)
    applications = job_applications_for(actor=actor, challenge=challenge)
    me = staff_of_user(actor=actor)
    today = timezone.localdate()
    mine = next((a for a in applications if me is not None and a["staff_id"] == me.pk), None)
    others = [a for a in applications if a is not mine]
    is_open = challenge.opens_on <= today <= challenge.closes_on
    head_ids = set()
    if actor.has_role(Role.UNIT_HEAD):
        head_ids = {a["id"] for a in others if a["status"] == ApplicationStatus.APPLIED}
    return render(
        request,
        "people/challenge_detail.html",
        {
            "challenge": challenge,
            "mine": mine,
            "others": others,
            "is_open": is_open,
            "can_apply": me is not None and mine is None and is_open,
            "motivation_form": motivation_form or MotivationForm(),
            "opinion_ids": head_ids,
            "can_decide": actor.has_role(Role.HR),
            "applicants_note": _applicants_note(actor, challenge, seen=bool(others)),
            "opinion_form": OpinionForm(),
            "decision_form": DecisionForm(),
            "breadcrumbs": [home_crumb(), _challenges_crumb(), (challenge.title, "")],
        },
        status=400 if motivation_form is not None else 200,
    )


HR_DECIDES = "応募者の選考（採用・不採用）は人事担当が行います。"


def _applicants_note(actor: Actor, challenge: JobChallenge, *, seen: bool) -> str:
    """Who sees the applicants and who decides, for the roles that do not (see visibility)."""
    if actor.has_role(Role.HR):
        return ""
    if actor.has_role(*POSTING_ROLES) and not all_applicants_visible(actor, challenge):
        return f"応募者は人事担当と応募者の所属長が確認します。{HR_DECIDES}"
    return HR_DECIDES if seen or actor.has_role(*POSTING_ROLES) else ""


@role_required(*PEOPLE_ROLES)
@require_GET
def challenge_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _challenge_page(request, pk)


@role_required(*PEOPLE_ROLES)
def challenge_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MotivationForm(request.POST)
    if form.is_valid():
        try:
            job_application_submit(
                actor=actor, challenge=challenge, motivation=form.cleaned_data["motivation"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "応募しました。")
            return redirect("people:challenge_detail", pk=challenge.pk)
    return _challenge_page(request, pk, motivation_form=form)


@role_required(*PEOPLE_ROLES)
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    challenge_id = job_application_challenge_id(actor=actor, application_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job_application_withdraw(actor=actor, application_id=pk)
        messages.success(request, "応募を取り下げました。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("people:challenge_detail", pk=challenge_id)


@role_required(Role.UNIT_HEAD)
def application_opinion_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    challenge_id = job_application_challenge_id(actor=actor, application_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "所属長意見を入力してください。")
        return redirect("people:challenge_detail", pk=challenge_id)
    try:
        job_application_opinion(
            actor=actor, application_id=pk, opinion=form.cleaned_data["opinion"]
        )
        messages.success(request, "所属長意見を保存しました。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("people:challenge_detail", pk=challenge_id)


def _confirmed(request: HttpRequest) -> bool:
    """A POST from the confirmation page (its form sends confirm=yes)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@role_required(Role.HR)
def application_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """採用 / 不採用, which cannot be undone: a confirmation page first (GET, or a POST
    without confirm), then only its POST with confirm=yes decides. Works without JavaScript.
    """
    actor = actor_of(request)
    challenge_id = job_application_challenge_id(actor=actor, application_id=pk)
    back = reverse("people:challenge_detail", kwargs={"pk": challenge_id})
    form = DecisionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, "採用か不採用を選んでください。")
        return redirect(back)
    decision = form.cleaned_data["decision"]
    accepted = decision == "accept"
    if not _confirmed(request):
        application = access_job_application_for_decision(actor=actor, application_id=pk)
        if application.status != ApplicationStatus.APPLIED:
            messages.error(request, "この応募は決定済みか取下げ済みです。")
            return redirect(back)
        return _decision_confirm_page(request, application, decision=decision, back=back)
    try:
        job_application_decide(actor=actor, application_id=pk, accepted=accepted)
        messages.success(request, "採用にしました。" if accepted else "不採用にしました。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(back)


def _decision_confirm_page(
    request: HttpRequest, application: JobApplication, *, decision: str, back: str
) -> HttpResponse:
    challenge = application.challenge
    staff = application.staff
    accepted = decision == "accept"
    verb = "採用" if accepted else "不採用"
    details = [
        f"公募: {challenge.title}（{challenge.get_kind_display()}）",
        f"応募者: {staff.name}（{staff.unit.name if staff.unit else '所属なし'}）",
        f"本人の応募の状態が「{verb}」になります。",
    ]
    if accepted and challenge.talent_type_code and challenge.framework_id is not None:
        name = talent_type_name(framework=challenge.framework_id, code=challenge.talent_type_code)
        details.append(f"人材類型「{name}」の指定（手挙げ・候補）を登録します。")
    return render(
        request,
        "people/decision_confirm.html",
        {
            "heading": f"{verb}の確認",
            "warning": f"{staff.name}さんを{verb}にします。決定は取り消せません。",
            "details": details,
            "decision": decision,
            "submit_label": f"{verb}にする",
            "danger": not accepted,
            "cancel_url": back,
            "breadcrumbs": [
                home_crumb(),
                _challenges_crumb(),
                (challenge.title, back),
                (f"{verb}の確認", ""),
            ],
        },
    )
