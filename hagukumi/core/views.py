"""Thin views of core: home, login/logout, choice of 団体, password, audit log.

Each view parses input, calls one service or selector of core.auth / core.audit
and renders. Every view declares its roles (core.access).
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hagukumi.core.access import capped_next, public_view, role_required
from hagukumi.core.audit import (
    AUDIT_EXPORT_HEADERS,
    AuditFilters,
    audit_events_for,
    audit_export,
)
from hagukumi.core.auth import (
    LoginRefused,
    login_attempt,
    organization_select,
    password_change,
    session_logout,
)
from hagukumi.core.errors import AccessDenied
from hagukumi.core.forms import (
    AuditSearchForm,
    LoginForm,
    OrganizationChoiceForm,
    PasswordChangeForm,
)
from hagukumi.core.middleware import IDLE_LOGOUT_SESSION_KEY
from hagukumi.core.models import Role, User
from hagukumi.core.registries import render_home_panels
from hagukumi.core.selectors import home_for
from hagukumi.core.tabular_export import table_response
from hagukumi.core.tabular_import import Column
from hagukumi.core.tenancy import Actor, actor_for, request_actor
from hagukumi.core.web import actor_of

AUDIT_PAGE_SIZE = 50
LOGGED_OUT_SESSION_KEY = "hagukumi_logged_out"


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context = {"home": home_for(actor=actor), "panels": render_home_panels(actor=actor)}
    return render(request, "core/home.html", context)


def _next_url(request: HttpRequest) -> str:
    """The `next` target if it is on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _given_next(request: HttpRequest) -> str:
    """The `next` of the query or form to carry on in a hidden field ("" when too long)."""
    return capped_next(request.POST.get("next") or request.GET.get("next") or "")


@public_view
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    notice = ""
    if request.session.pop(IDLE_LOGOUT_SESSION_KEY, False):
        notice = "一定時間操作がなかったため、ログアウトしました。"
    elif request.session.pop(LOGGED_OUT_SESSION_KEY, False):
        notice = "ログアウトしました。"
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except LoginRefused as exc:
            form.add_error(None, exc.message)
        else:
            next_url = _next_url(request)
            if actor_for(user).has_several_organizations:
                return redirect(
                    f"{resolve_url('core:organization_switch')}?{urlencode({'next': next_url})}"
                )
            return redirect(next_url)
    context = {
        "form": form,
        "notice": notice,
        "next": _given_next(request),
        "lockout_failures": settings.HAGUKUMI_LOCKOUT_FAILURES,
        "lockout_minutes": settings.HAGUKUMI_LOCKOUT_MINUTES,
        "idle_minutes": settings.HAGUKUMI_IDLE_TIMEOUT_SECONDS // 60,
    }
    return render(request, "core/login.html", context)


@public_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    session_logout(request=request)
    request.session[LOGGED_OUT_SESSION_KEY] = True
    return redirect(settings.LOGOUT_REDIRECT_URL)


@role_required(organization_chosen=False)
@require_http_methods(["GET", "POST"])
def select_organization(request: HttpRequest) -> HttpResponse:
    actor = cast(Actor, request_actor(request))
    # A user of one 団体 has nothing to choose: the page says so (and links onwards).
    single = actor.organizations[0] if len(actor.organizations) == 1 else None
    form = OrganizationChoiceForm(
        request.POST if request.method == "POST" else None, organizations=actor.organizations
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization_select(
                request=request,
                actor=actor,
                organization_id=form.cleaned_data["organization"],
            )
        except AccessDenied:
            form.add_error("organization", "団体を選んでください。")
        else:
            return redirect(_next_url(request))
    return render(
        request,
        "core/select_organization.html",
        {
            "form": form,
            "next": _given_next(request),
            "single": single,
            # Checked like a redirect target (this site only), else the home page.
            "onward": _next_url(request),
        },
    )


@role_required()
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    done = False
    # A one-time password (new account, reset by the administrator) must be changed first.
    must_change = user.must_change_password
    if request.method == "POST" and form.is_valid():
        password_change(request=request, user=user, new_password=form.cleaned_data["new_password1"])
        form = PasswordChangeForm(user)
        done = True
    context = {"form": form, "done": done, "must_change": must_change and not done}
    return render(request, "core/password_change.html", context)


@role_required(Role.SYSTEM_ADMIN)
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    actor = cast(Actor, request_actor(request))
    form = AuditSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else AuditFilters()
    page = None
    if filters is not None:
        paginator = Paginator(audit_events_for(actor=actor, filters=filters), AUDIT_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "core/audit_list.html", context)


@role_required(Role.SYSTEM_ADMIN)
@require_GET
def audit_export_csv(request: HttpRequest) -> HttpResponse:
    actor = cast(Actor, request_actor(request))
    form = AuditSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound else AuditFilters()
    if filters is None:
        return redirect(f"{resolve_url('core:audit')}?{request.GET.urlencode()}")
    rows = audit_export(actor=actor, request=request, filters=filters)
    columns = [Column(field=field, header=header) for field, header in AUDIT_EXPORT_HEADERS]
    filename = f"監査ログ_{timezone.localdate():%Y%m%d}.csv"
    return table_response(rows, columns=columns, filename=filename, format="csv")


@public_view
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Readiness for load balancers and `make run`: "ok", or 503 with the Japanese reasons.

    Not ready when the database cannot be reached, when migrations are not all
    applied, or when the static files are served from a manifest (DEBUG off) that
    this process has not loaded (collectstatic not run before the server started:
    every page would be a 500).
    """
    # Imported here so that this function stays self-contained.
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import DatabaseError
    from django.db.migrations.executor import MigrationExecutor

    problems: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        problems.append(f"データベースに接続できません（{type(exc).__name__}）。")
    else:
        if pending:
            problems.append(
                f"データベースの移行が済んでいません（未適用 {len(pending)}件）。"
                "`hagukumi migrate` を実行してください。"
            )
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name and not getattr(staticfiles_storage, "hashed_files", None):
        problems.append(
            f"静的ファイルの一覧（{manifest_name}）がありません。"
            "`hagukumi collectstatic --noinput` を実行してから、サーバーを起動し直してください。"
        )
    if problems:
        body = "\n".join(["ng", *problems])
        response = HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
