"""職員 pages: roster upload (ImportJob), leader directory, profiles, talent search, 公募.

Thin: parse the form or query string, call one selector/service, render. Who
sees which field is decided by hagukumi.people.visibility through the
selectors; the templates only show what the selector filled in, so a field the
role may not see is absent from the HTML. Out-of-scope staff and another
団体's records raise AccessDenied, which `role_required` turns into 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import job_busy_error, job_confirm, job_status, job_submit
from hagukumi.core.models import Role
from hagukumi.core.registries import render_profile_panels
from hagukumi.core.tabular_export import (
    XLSX_CONTENT_TYPE,
    CsvEncoding,
    ExportFormat,
    content_disposition,
)
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.code_lists import code_values
from hagukumi.people.designations import designation_create, designation_transition
from hagukumi.people.forms import (
    AppraisalForm,
    CareerIntentForm,
    DecisionForm,
    DesignationAddForm,
    DesignationTransitionForm,
    JobChallengeForm,
    MotivationForm,
    OpinionForm,
    QualificationAddForm,
    RosterUploadForm,
    StaffSearchForm,
)
from hagukumi.people.import_jobs import STAFF_KIND
from hagukumi.people.job_challenges import (
    access_job_challenge_by_id,
    job_application_decide,
    job_application_opinion,
    job_application_submit,
    job_application_withdraw,
    job_applications_for,
    job_challenge_create,
    job_challenges_for,
)
from hagukumi.people.models import (
    ApplicationStatus,
    CodeKind,
    Designation,
    JobApplication,
)
from hagukumi.people.roster_import import staff_import_template
from hagukumi.people.selectors import (
    FILTER_LABELS,
    StaffProfile,
    leader_directory,
    staff_export,
    staff_of_user,
    staff_profile,
    staff_search,
)
from hagukumi.people.services import (
    staff_appraisal_update,
    staff_career_intent_update,
    staff_qualification_add,
)
from hagukumi.people.visibility import FieldGroup, searchable_groups
from hagukumi.people.web_selectors import (
    access_roster_job_by_id,
    designation_list,
    roster_job_wait,
    roster_jobs_recent,
    staff_search_choices,
)

EVERY_ROLE = tuple(Role.values)
PROFILE_ROLES = (Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD, Role.STAFF)
SEARCH_ROLES = (Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD)
CHALLENGE_ROLES = PROFILE_ROLES
POSTING_ROLES = (Role.HR, Role.DX_OFFICE)
PAGE_SIZE = 50
JOB_STATUS_TARGET = "roster-job-status"

# Result table columns in display order (shown only when the role may see them).
SEARCH_COLUMNS = [
    ("number", "職員番号"),
    ("name", "氏名"),
    ("unit", "所属"),
    ("position", "職位"),
    ("grade", "級"),
    ("job_type", "職種"),
    ("employment", "任用形態"),
    ("recruitment", "採用区分"),
    ("career_model", "キャリアモデル"),
    ("birth_date", "生年月日"),
    ("qualifications", "資格"),
    ("designations", "指定"),
]
BASIC_ROWS = [
    ("number", "職員番号"),
    ("name", "氏名"),
    ("name_kana", "氏名カナ"),
    ("birth_date", "生年月日"),
    ("unit", "所属"),
    ("position", "職位"),
    ("grade", "級"),
    ("job_type", "職種"),
    ("employment", "任用形態"),
    ("recruitment", "採用区分"),
    ("hired_on", "採用年月日"),
    ("term_ends_on", "任期満了日"),
    ("career_model", "キャリアモデル"),
    ("special_department", "特定部門"),
    ("retired_on", "退職日"),
]


def _actor(request: HttpRequest) -> Actor:
    return cast(Actor, request.actor)  # type: ignore[attr-defined]


def _home_crumb() -> tuple[str, str]:
    return ("ホーム", reverse("core:home"))


# -------------------------------------------------------------- leader directory


@role_required(*EVERY_ROLE)
@require_GET
def leaders_view(request: HttpRequest) -> HttpResponse:
    """DX推進リーダー名簿: per unit, the current holders — unit, type and role, 氏名 only."""
    actor = _actor(request)
    fiscal_year = fiscal_year_of(timezone.localdate())
    rows = leader_directory(actor=actor, fiscal_year=fiscal_year, request=request)
    units = [
        (unit_name, list(items))
        for (_code, unit_name), items in groupby(rows, key=lambda r: (r.unit_code, r.unit_name))
    ]
    return render(
        request,
        "people/leaders.html",
        {
            "units": units,
            "total": len(rows),
            "fiscal_year_label": format_fiscal_year(fiscal_year),
            "breadcrumbs": [_home_crumb(), ("DX推進リーダー名簿", "")],
        },
    )


# ----------------------------------------------------------------------- profile


def _profile_forms(
    request: HttpRequest, actor: Actor, profile: StaffProfile, bound: dict[str, Any]
) -> dict[str, Any]:
    """The edit forms the actor may use on this profile (bound ones keep their errors)."""
    staff = profile.staff
    forms: dict[str, Any] = {}
    if FieldGroup.CAREER_INTENT in profile.editable:
        forms["career_intent"] = bound.get("career_intent") or CareerIntentForm(
            initial={"career_intent": staff.career_intent}
        )
    if FieldGroup.APPRAISAL in profile.editable:
        forms["appraisal"] = bound.get("appraisal") or AppraisalForm(
            initial={
                "aptitude_notes": staff.aptitude_notes,
                "evaluation_notes": staff.evaluation_notes,
            }
        )
    if FieldGroup.QUALIFICATIONS in profile.editable or (
        actor.has_role(Role.HR) and FieldGroup.QUALIFICATIONS in profile.groups
    ):
        choices = staff_search_choices(actor=actor).qualifications
        forms["qualification"] = bound.get("qualification") or QualificationAddForm(choices=choices)
    if FieldGroup.DESIGNATIONS in profile.editable:
        search_choices = staff_search_choices(actor=actor)
        roles = code_values(organization=actor.organization_id, kind=CodeKind.DESIGNATION_ROLE)
        forms["designation"] = bound.get("designation") or DesignationAddForm(
            talent_types=search_choices.talent_types, roles=roles
        )
        forms["transition"] = bound.get("transition")
    return forms


def _profile_post(
    request: HttpRequest, actor: Actor, profile: StaffProfile
) -> tuple[bool, dict[str, Any]]:
    """Run the posted edit; (done, bound forms with errors)."""
    staff = profile.staff
    action = request.POST.get("action", "")
    form: Any
    try:
        if action == "career_intent":
            form = CareerIntentForm(request.POST)
            if form.is_valid():
                staff_career_intent_update(
                    actor=actor, staff_id=staff.pk, text=form.cleaned_data["career_intent"]
                )
                messages.success(request, "キャリア志向を保存しました。")
                return True, {}
        elif action == "appraisal":
            form = AppraisalForm(request.POST)
            if form.is_valid():
                staff_appraisal_update(actor=actor, staff_id=staff.pk, **form.cleaned_data)
                messages.success(request, "評価・適性を保存しました。")
                return True, {}
        elif action == "qualification":
            form = QualificationAddForm(
                request.POST, choices=staff_search_choices(actor=actor).qualifications
            )
            if form.is_valid():
                data = form.cleaned_data
                staff_qualification_add(
                    actor=actor,
                    staff_id=staff.pk,
                    qualification_code=data["qualification"],
                    obtained_on=data["obtained_on"],
                    exam_fee=data["exam_fee"],
                    course_fee=data["course_fee"],
                    textbook_fee=data["textbook_fee"],
                    travel_fee=data["travel_fee"],
                )
                messages.success(request, "資格を登録しました。")
                return True, {}
        elif action == "designation":
            if FieldGroup.DESIGNATIONS not in profile.editable:
                raise AccessDenied()
            choices = staff_search_choices(actor=actor)
            roles = code_values(organization=actor.organization_id, kind=CodeKind.DESIGNATION_ROLE)
            form = DesignationAddForm(request.POST, talent_types=choices.talent_types, roles=roles)
            if form.is_valid():
                data = form.cleaned_data
                designation_create(
                    actor=actor,
                    staff=staff,
                    talent_type_code=data["talent_type_code"],
                    method=data["method"],
                    status=data["status"],
                    from_fy=data["from_fy"],
                    to_fy=data["to_fy"],
                    concurrent_order_date=data["concurrent_order_date"],
                    role=data["role"] or "",
                    cohort=data["cohort"],
                )
                messages.success(request, "指定を登録しました。")
                return True, {}
        elif action == "transition":
            if FieldGroup.DESIGNATIONS not in profile.editable:
                raise AccessDenied()
            form = DesignationTransitionForm(request.POST)
            if form.is_valid():
                designation = Designation.objects.filter(
                    pk=form.cleaned_data["designation"], staff=staff
                ).first()
                if designation is None:
                    raise AccessDenied()
                designation_transition(
                    actor=actor,
                    designation=designation,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "指定の状態を変更しました。")
                return True, {}
        else:
            raise AccessDenied()
    except AccessDenied:
        raise
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    return False, {action: form}


def _profile_response(request: HttpRequest, staff_id: int, *, own: bool) -> HttpResponse:
    actor = _actor(request)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        profile = staff_profile(actor=actor, staff_id=staff_id, request=request)
        done, bound = _profile_post(request, actor, profile)
        if done:
            return redirect(request.path)
    profile = staff_profile(actor=actor, staff_id=staff_id, request=request)
    values = profile.values
    basic = [
        (name, label, values.get(name))
        for name, label in BASIC_ROWS
        if name in profile.fields and name in values
    ]
    panels = render_profile_panels(actor=actor, staff=profile.staff)
    title = "自分のプロフィール" if own else f"{profile.staff.name}さんのプロフィール"
    crumbs = [_home_crumb()]
    if not own and actor.has_role(*SEARCH_ROLES):
        crumbs.append(("人材検索", reverse("people:search")))
    crumbs.append((title, ""))
    return render(
        request,
        "people/profile.html",
        {
            "profile": profile,
            "staff": profile.staff,
            "basic": basic,
            "is_demo": values.get("is_demo", False),
            "show_appraisal": FieldGroup.APPRAISAL in profile.groups,
            "show_career": FieldGroup.CAREER_INTENT in profile.groups,
            "forms": _profile_forms(request, actor, profile, bound),
            "panels": panels,
            "own": own,
            "title": title,
            "breadcrumbs": crumbs,
        },
        status=400 if bound else 200,
    )


@role_required(*PROFILE_ROLES)
def staff_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_response(request, pk, own=False)


@role_required(*PROFILE_ROLES)
def my_profile_view(request: HttpRequest) -> HttpResponse:
    """職員本人's own profile; a user not linked to a staff record is told so."""
    actor = _actor(request)
    staff = staff_of_user(actor=actor)
    if staff is None:
        return render(
            request,
            "people/not_linked.html",
            {"breadcrumbs": [_home_crumb(), ("自分のプロフィール", "")]},
        )
    return _profile_response(request, staff.pk, own=True)


# ------------------------------------------------------------------ talent search


class _Window:
    """One page of rows standing in for the whole result (for Django's Paginator)."""

    def __init__(self, total: int, rows: list[dict[str, Any]]) -> None:
        self.total = total
        self.rows = rows

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return self.rows


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


@role_required(*SEARCH_ROLES)
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """人材検索: filters of the groups the role may see, one page of visible columns."""
    actor = _actor(request)
    groups = searchable_groups(actor)
    form = StaffSearchForm(
        request.GET or None, choices=staff_search_choices(actor=actor), groups=groups
    )
    number = _page_number(request)
    rows: list[dict[str, Any]] = []
    total = 0
    columns: Sequence[str] = ()
    error = ""
    valid = form.is_valid() if request.GET else True
    if valid:
        data = form.cleaned_data if request.GET else {}
        try:
            result = staff_search(
                actor=actor,
                filters=form.filters() if request.GET else {},
                text=data.get("q", ""),
                offset=(number - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
                request=request,
            )
            rows, total, columns = result.rows, result.total, result.columns
        except AccessDenied:
            raise
        except ApplicationError as exc:
            error = exc.message
    page: Page[dict[str, Any]] = Paginator(
        cast(Sequence[dict[str, Any]], _Window(total, rows)), PAGE_SIZE
    ).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "columns": [(name, label) for name, label in SEARCH_COLUMNS if name in columns],
            "page_obj": page,
            "error": error,
            "export_query": query.urlencode(),
            "filter_labels": FILTER_LABELS,
            "breadcrumbs": [_home_crumb(), ("人材検索", "")],
        },
    )


@role_required(*SEARCH_ROLES)
@require_GET
def search_export_view(request: HttpRequest) -> HttpResponse:
    """The search result as xlsx (or CSV) with only the columns the role may see; audited."""
    actor = _actor(request)
    form = StaffSearchForm(
        request.GET, choices=staff_search_choices(actor=actor), groups=searchable_groups(actor)
    )
    query = request.GET.copy()
    for name in ("format", "encoding", "page"):
        query.pop(name, None)
    back = f"{reverse('people:search')}?{query.urlencode()}"
    if not form.is_valid():
        messages.error(request, "検索条件を確かめてください。")
        return redirect(back)
    export_format: ExportFormat = "csv" if request.GET.get("format") == "csv" else "xlsx"
    encoding: CsvEncoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8-sig"
    try:
        data = staff_export(
            actor=actor,
            filters=form.filters(),
            text=form.cleaned_data.get("q", ""),
            format=export_format,
            encoding=encoding,
            request=request,
        )
    except AccessDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, f"出力できませんでした。{exc.message}")
        return redirect(back)
    if export_format == "csv":
        charset = "utf-8" if encoding == "utf-8-sig" else "Shift_JIS"
        content_type = f"text/csv; charset={charset}"
    else:
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"職員_{timezone.localdate():%Y%m%d}.{export_format}"
    )
    return response


# ------------------------------------------------------------------- designations


@role_required(*SEARCH_ROLES)
@require_GET
def designations_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = designation_list(actor=actor, request=request)
    return render(
        request,
        "people/designations.html",
        {
            "rows": rows,
            "can_edit": actor.has_role(Role.DX_OFFICE),
            "breadcrumbs": [_home_crumb(), ("人材の指定", "")],
        },
    )


# ------------------------------------------------------------------ roster import


@role_required(Role.HR)
def roster_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload the roster: always a dry run first (ImportJob), then 「取り込む」 on its page."""
    actor = _actor(request)
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
            "breadcrumbs": [_home_crumb(), ("職員名簿の取込", "")],
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.HR)
@require_GET
def roster_template_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    response = HttpResponse(
        staff_import_template(organization=actor.organization), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition("職員名簿_ひな形.xlsx")
    return response


@role_required(Role.HR)
@require_GET
def roster_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of one import (htmx polls the partial every second; a reload link otherwise)."""
    actor = _actor(request)
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
            _home_crumb(),
            ("職員名簿の取込", reverse("people:roster_upload")),
            (f"取込 #{job.pk}", ""),
        ],
    }
    if request.headers.get("HX-Request"):
        return render(request, "people/partials/roster_job_status.html", context)
    return render(request, "people/roster_job.html", context)


def _count_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = [("new", "新規"), ("changed", "変更"), ("unchanged", "変更なし"), ("retiring", "退職")]
    return [(label, counts.get(kind, 0)) for kind, label in labels]


@role_required(Role.HR)
def roster_job_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「取り込む」: queue the real import of a successful dry run."""
    actor = _actor(request)
    job = access_roster_job_by_id(actor=actor, job_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        follow = job_confirm(job=job, user=actor.user)
    except AccessDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("people:roster_job", pk=job.pk)
    messages.info(request, "取込を受け付けました。順番が来ると実行します。")
    return redirect("people:roster_job", pk=follow.pk)


# ------------------------------------------------------------------ job challenges


@role_required(*CHALLENGE_ROLES)
@require_GET
def challenges_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = timezone.localdate()
    challenges = list(job_challenges_for(actor=actor).order_by("-opens_on", "id"))
    return render(
        request,
        "people/challenges.html",
        {
            "challenges": challenges,
            "today": today,
            "can_post": actor.has_role(*POSTING_ROLES),
            "breadcrumbs": [_home_crumb(), ("庁内公募", "")],
        },
    )


@role_required(*POSTING_ROLES)
def challenge_new_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    organization = actor.organization_id or 0
    fiscal_year = fiscal_year_of(timezone.localdate())
    units = [
        (str(u.pk), f"{u.code} {u.name}")
        for u in units_valid_in(organization=organization, fiscal_year=fiscal_year).order_by("code")
    ]
    talent_types = staff_search_choices(actor=actor).talent_types
    form = JobChallengeForm(request.POST or None, units=units, talent_types=talent_types)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = units_valid_in(organization=organization, fiscal_year=fiscal_year).get(
            pk=data["unit"]
        )
        try:
            challenge = job_challenge_create(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                unit=unit,
                description=data["description"],
                talent_type_code=data["talent_type_code"] or "",
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                capacity=data["capacity"],
            )
        except AccessDenied:
            raise
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
            "breadcrumbs": [
                _home_crumb(),
                ("庁内公募", reverse("people:challenges")),
                ("公募を登録", ""),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def _challenge_page(
    request: HttpRequest, pk: int, *, motivation_form: MotivationForm | None = None
) -> HttpResponse:
    actor = _actor(request)
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
            "opinion_form": OpinionForm(),
            "decision_form": DecisionForm(),
            "breadcrumbs": [
                _home_crumb(),
                ("庁内公募", reverse("people:challenges")),
                (challenge.title, ""),
            ],
        },
        status=400 if motivation_form is not None else 200,
    )


@role_required(*CHALLENGE_ROLES)
@require_GET
def challenge_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _challenge_page(request, pk)


@role_required(*CHALLENGE_ROLES)
def challenge_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    challenge = access_job_challenge_by_id(actor=actor, challenge_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MotivationForm(request.POST)
    if form.is_valid():
        try:
            job_application_submit(
                actor=actor, challenge=challenge, motivation=form.cleaned_data["motivation"]
            )
        except AccessDenied:
            raise
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "応募しました。")
            return redirect("people:challenge_detail", pk=challenge.pk)
    return _challenge_page(request, pk, motivation_form=form)


def _application_challenge(actor: Actor, application_id: int) -> int:
    challenge_id = (
        JobApplication.objects.filter(
            pk=application_id, challenge__organization_id=actor.organization_id or 0
        )
        .values_list("challenge_id", flat=True)
        .first()
    )
    if challenge_id is None:
        raise AccessDenied()
    return int(challenge_id)


@role_required(*CHALLENGE_ROLES)
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    challenge_id = _application_challenge(actor, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job_application_withdraw(actor=actor, application_id=pk)
        messages.success(request, "応募を取り下げました。")
    except AccessDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("people:challenge_detail", pk=challenge_id)


@role_required(Role.UNIT_HEAD)
def application_opinion_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    challenge_id = _application_challenge(actor, pk)
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
    except AccessDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("people:challenge_detail", pk=challenge_id)


@role_required(Role.HR)
def application_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    challenge_id = _application_challenge(actor, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "採用か不採用を選んでください。")
        return redirect("people:challenge_detail", pk=challenge_id)
    accepted = form.cleaned_data["decision"] == "accept"
    try:
        job_application_decide(actor=actor, application_id=pk, accepted=accepted)
        messages.success(request, "採用にしました。" if accepted else "不採用にしました。")
    except AccessDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("people:challenge_detail", pk=challenge_id)
