"""利用者と役割の管理 (システム管理者): thin views over core.user_admin and accounts' services.

Every page is for the システム管理者 of the active 団体; a user or membership of
another 団体 is 404. POST-only actions check access before answering 405 to a
GET, so a stranger never learns that the object exists. One-time passwords are
rendered once in the answer to the POST that made them (never stored, never in
a session or a redirect).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from hagukumi.accounts.forms import (
    ExportForm,
    MembershipForm,
    StaffLinkForm,
    UserCreateForm,
    UserEditForm,
    UserSearchForm,
    UsersUploadForm,
)
from hagukumi.accounts.import_jobs import USERS_KIND, UsersImportOptions
from hagukumi.accounts.roles import ADMIN_ROLES
from hagukumi.accounts.selectors import (
    fiscal_year_choices,
    role_choices_for,
    unit_choices_for,
    user_page,
    user_rows,
    users_export,
    users_overview,
)
from hagukumi.accounts.services import user_register, user_staff_link
from hagukumi.accounts.users_import import user_columns, users_import_template
from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.tabular_export import XLSX_CONTENT_TYPE, content_disposition, table_response
from hagukumi.core.tabular_import import Column
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.selectors import (
    access_membership_by_id,
    access_user_by_id,
    pending_initial_password_count,
)
from hagukumi.core.user_admin.services import (
    MembershipSpec,
    initial_passwords_issue,
    membership_add,
    membership_end,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_unlock,
    user_update,
)
from hagukumi.core.web import actor_of
from hagukumi.orgs.selectors import access_unit_by_id

PASSWORD_COLUMNS = (
    Column("username", "ユーザー名"),
    Column("display_name", "氏名"),
    Column("password", "仮パスワード"),
)


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [("ホーム", reverse("core:home")), ("利用者と役割", reverse("accounts:users")), *trail]


def _role_form_choices(actor: Actor) -> dict[str, Any]:
    return {
        "role_choices": role_choices_for(actor=actor),
        "unit_choices": unit_choices_for(actor=actor),
        "fiscal_year_choices": fiscal_year_choices(),
    }


def _spec(actor: Actor, data: dict[str, Any]) -> MembershipSpec:
    unit_id = data.get("unit")
    return MembershipSpec(
        role=data["role"],
        unit=access_unit_by_id(actor=actor, unit_id=unit_id) if unit_id else None,
        fiscal_year_from=data.get("fiscal_year_from"),
        fiscal_year_to=data.get("fiscal_year_to"),
    )


@role_required(*ADMIN_ROLES)
@require_GET
def users_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserSearchForm(request.GET or None)
    query, status = "", ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    context = {
        "form": form,
        "rows": user_rows(actor=actor, query=query, status=status),
        "overview": users_overview(actor=actor),
        "breadcrumbs": [("ホーム", reverse("core:home")), ("利用者と役割", "")],
    }
    return render(request, "accounts/users.html", context)


@role_required(*ADMIN_ROLES)
@sensitive_variables("created")
@require_http_methods(["GET", "POST"])
def user_new_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UserCreateForm(request.POST or None, **_role_form_choices(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_register(
                actor=actor,
                username=data["username"],
                display_name=data["display_name"],
                email=data["email"],
                membership=_spec(actor, data),
                staff_number=data["staff_number"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return render(
                request,
                "accounts/password_issued.html",
                {
                    "user_obj": created.user,
                    "password": created.password,
                    "created": True,
                    "breadcrumbs": _crumbs(("利用者の登録", "")),
                },
            )
    return render(
        request,
        "accounts/user_new.html",
        {"form": form, "breadcrumbs": _crumbs(("利用者の登録", ""))},
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest,
    actor: Actor,
    pk: int,
    *,
    membership_form: MembershipForm | None = None,
    link_form: StaffLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = user_page(actor=actor, user_id=pk)
    context = {
        "page": page,
        "membership_form": membership_form or MembershipForm(**_role_form_choices(actor)),
        "link_form": link_form
        or StaffLinkForm(initial={"staff_number": page.staff.number if page.staff else ""}),
        "breadcrumbs": _crumbs((page.user.username, "")),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@role_required(*ADMIN_ROLES)
@require_GET
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, actor_of(request), pk)


@role_required(*ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    user = access_user_by_id(actor=actor, user_id=pk)
    form = UserEditForm(
        request.POST or None, initial={"display_name": user.display_name, "email": user.email}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_update(
                actor=actor,
                user_id=pk,
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "利用者の情報を更新しました。")
            return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "accounts/user_edit.html",
        {
            "form": form,
            "user_obj": user,
            "breadcrumbs": _crumbs(
                (user.username, reverse("accounts:user_detail", kwargs={"pk": pk})), ("編集", "")
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


def _post_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    """Check access first (404 for a stranger), then 405 for anything but POST."""
    actor = actor_of(request)
    access_user_by_id(actor=actor, user_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action(actor=actor, user_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", pk=pk)


@role_required(*ADMIN_ROLES)
def user_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request, pk, user_deactivate, "利用者を無効にしました。ログイン中の画面も終了しました。"
    )


@role_required(*ADMIN_ROLES)
def user_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, user_reactivate, "利用者を有効に戻しました。")


@role_required(*ADMIN_ROLES)
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, user_unlock, "ロックを解除しました。")


@role_required(*ADMIN_ROLES)
@sensitive_variables("password")
def user_password_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    user = access_user_by_id(actor=actor, user_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        password = user_password_reset(actor=actor, user_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:user_detail", pk=pk)
    return render(
        request,
        "accounts/password_issued.html",
        {
            "user_obj": user,
            "password": password,
            "created": False,
            "breadcrumbs": _crumbs(
                (user.username, reverse("accounts:user_detail", kwargs={"pk": pk})),
                ("パスワードの再設定", ""),
            ),
        },
    )


@role_required(*ADMIN_ROLES)
def membership_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    access_user_by_id(actor=actor, user_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MembershipForm(request.POST, **_role_form_choices(actor))
    if form.is_valid():
        try:
            membership_add(actor=actor, user_id=pk, spec=_spec(actor, form.cleaned_data))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "役割を追加しました。")
            return redirect("accounts:user_detail", pk=pk)
    return _detail(request, actor, pk, membership_form=form, status=400)


@role_required(*ADMIN_ROLES)
def membership_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    membership = access_membership_by_id(actor=actor, membership_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        membership_end(actor=actor, membership_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"役割「{membership.get_role_display()}」を外しました。")
    return redirect("accounts:user_detail", pk=membership.user_id)


@role_required(*ADMIN_ROLES)
def user_staff_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    access_user_by_id(actor=actor, user_id=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StaffLinkForm(request.POST)
    if form.is_valid():
        try:
            staff = user_staff_link(
                actor=actor, user_id=pk, staff_number=form.cleaned_data["staff_number"]
            )
        except ApplicationError as exc:
            form.add_error("staff_number", exc.message)
        else:
            messages.success(
                request,
                f"職員 {staff.number} {staff.name} と紐付けました。"
                if staff is not None
                else "職員との紐付けを外しました。",
            )
            return redirect("accounts:user_detail", pk=pk)
    return _detail(request, actor, pk, link_form=form, status=400)


@role_required(*ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def users_import_view(request: HttpRequest) -> HttpResponse:
    """Upload users and roles: queued as a dry run (ImportJob), then core's job page."""
    actor = actor_of(request)
    form = UsersUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=actor,
            kind=USERS_KIND,
            source=upload,
            filename=upload.name or "users.xlsx",
            options=UsersImportOptions(dry_run=True),
        )
        return redirect(job_page_url(job))
    return render(
        request,
        "accounts/users_import.html",
        {
            "form": form,
            "jobs": jobs_recent(actor=actor, kinds=[USERS_KIND]),
            "breadcrumbs": _crumbs(("利用者と役割の取込", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ADMIN_ROLES)
@require_GET
def users_import_template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(users_import_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition("利用者と役割_ひな形.xlsx")
    return response


@role_required(*ADMIN_ROLES)
@require_GET
def users_export_view(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    format_ = (form.cleaned_data.get("format") if form.is_valid() else "") or "xlsx"
    rows = users_export(actor=actor_of(request))
    columns = [*user_columns(), Column("status", "状態")]
    filename = f"利用者と役割_{timezone.localdate():%Y%m%d}.{format_}"
    return table_response(rows, columns=columns, filename=filename)


@role_required(*ADMIN_ROLES)
@sensitive_variables("issued")
@require_http_methods(["GET", "POST"])
def initial_passwords_view(request: HttpRequest) -> HttpResponse:
    """The one-time passwords of new users, generated when downloaded, once (ADR 0009)."""
    actor = actor_of(request)
    if request.method == "POST":
        issued = initial_passwords_issue(actor=actor)
        if issued:
            rows = [
                {"username": p.username, "display_name": p.display_name, "password": p.password}
                for p in issued
            ]
            filename = f"初期パスワード_{timezone.localdate():%Y%m%d}.xlsx"
            return table_response(rows, columns=PASSWORD_COLUMNS, filename=filename)
        messages.info(request, "初期パスワードを発行する利用者はいません。")
        return redirect("accounts:initial_passwords")
    return render(
        request,
        "accounts/initial_passwords.html",
        {
            "pending": pending_initial_password_count(actor=actor),
            "breadcrumbs": _crumbs(("初期パスワードの発行", "")),
        },
    )
