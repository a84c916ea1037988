"""Request middleware: audit context, no-store for logged-in answers, idle-session expiry,
the acting 団体 (and audited refusals), and the CSP header."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from hagukumi.core.audit import (
    audit_context_of_request,
    audit_context_set,
    audit_record,
    audit_refused_access,
)
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY, Actor, actor_for
from hagukumi.core.web import is_htmx

_LAST_SEEN_KEY = "hagukumi_last_seen"
# Set in the (new, anonymous) session after an idle logout; the login page pops it.
IDLE_LOGOUT_SESSION_KEY = "hagukumi_idle_logout"


def idle_clock_start(request: HttpRequest) -> None:
    """Start a fresh session's idle clock at login, not at its first later request."""
    request.session[_LAST_SEEN_KEY] = int(time.time())


class PrivateResponseMiddleware:
    """`Cache-Control: no-store` (Django's never-cache set) on every answer to a logged-in user.

    Pages, htmx partials, API answers and exports of a logged-in user may hold
    personal data, so neither the browser nor a proxy may keep them. Static
    files never reach this middleware: WhiteNoise answers them earlier, with
    their far-future cache headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before and after: a login answer starts a session, a logout answer ends one.
        logged_in = request.user.is_authenticated
        response = self.get_response(request)
        if logged_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class IdleSessionTimeoutMiddleware:
    """Log a user out after HAGUKUMI_IDLE_TIMEOUT_SECONDS without a request.

    Two ways a session ends for idleness, both leading to the login page's
    「一定時間操作がなかったため、ログアウトしました。」: this middleware sees the
    last request is too old (logs out and audits it), or the session store has
    already expired the session while the browser still sends its cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY)
            if (
                last_seen is not None
                and now - int(last_seen) > settings.HAGUKUMI_IDLE_TIMEOUT_SECONDS
            ):
                user = request.user
                organization_id = request.session.get(SESSION_ORGANIZATION_KEY)
                logout(request)
                audit_record(
                    actor=actor_for(user, organization_id),
                    request=request,
                    action=AuditEvent.Action.LOGOUT,
                    detail={"reason": "idle_timeout"},
                )
                request.session[IDLE_LOGOUT_SESSION_KEY] = True
            else:
                request.session[_LAST_SEEN_KEY] = now
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.is_empty():
            # The browser still holds a session cookie the store no longer knows: expired.
            request.session[IDLE_LOGOUT_SESSION_KEY] = True
        return self.get_response(request)


class TenantMiddleware:
    """Attach `request.actor`: the user inside their active 団体 (lazy, one query).

    Anonymous requests get None. AccessDenied escaping any view becomes a 404.
    A 404 answered to a logged-in user under a personal-data URL is audited
    (rate-limited, `core.audit.audit_refused_access`), so guessing IDs shows up
    on the audit page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            user = request.user

            def build() -> Actor:
                return actor_for(user, request.session.get(SESSION_ORGANIZATION_KEY))

            request.actor = SimpleLazyObject(build)  # type: ignore[attr-defined]
        else:
            request.actor = None  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code == 404 and request.user.is_authenticated:
            audit_refused_access(
                actor=request.actor,  # type: ignore[attr-defined]
                path=request.path,
                method=request.method or "",
                status=response.status_code,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AccessDenied):
            raise Http404("見つかりません。") from exception
        return None


class AuditContextMiddleware:
    """Put the request's IP, browser and path in the audit context for its duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context_set(audit_context_of_request(request)):
            return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send Content-Security-Policy (default-src 'self'): no page loads from outside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PasswordChangeRequiredMiddleware:
    """Send a user who must change their password to the password page first (ADR 0009).

    A new account (one-time password) and an account the administrator reset carry
    `User.must_change_password`; until the password is changed every page answers
    with a redirect to `core:password_change` (htmx: an HX-Redirect; the API: 403
    with the reason). The password page itself, logout, the health check and static
    files stay reachable.
    """

    MESSAGE = (
        "パスワードを変更してください。初回ログイン時や管理者による再設定の後は変更が必要です。"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._exempt(request.path)
        ):
            return self._redirect(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = {
            reverse("core:password_change"),
            reverse("core:logout"),
            reverse("core:health"),
        }
        static = settings.STATIC_URL or "/static/"
        return path in exempt or path.startswith(static)

    def _redirect(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": self.MESSAGE}, status=403)
        url = reverse("core:password_change")
        if is_htmx(request):
            return HttpResponse(headers={"HX-Redirect": url})
        return redirect(url)
