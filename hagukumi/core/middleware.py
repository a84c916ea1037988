"""Request middleware: idle-session expiry, the acting 団体, and the CSP header."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY, actor_for

_LAST_SEEN_KEY = "hagukumi_last_seen"


class IdleSessionTimeoutMiddleware:
    """Log a user out after HAGUKUMI_IDLE_TIMEOUT_SECONDS without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > settings.HAGUKUMI_IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.session["hagukumi_idle_logout"] = True
            else:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)


class TenantMiddleware:
    """Attach `request.actor`: the user inside their active 団体 (lazy, one query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def build():  # type: ignore[no-untyped-def]
            if not request.user.is_authenticated:
                return None
            return actor_for(request.user, request.session.get(SESSION_ORGANIZATION_KEY))  # type: ignore[arg-type]

        request.actor = SimpleLazyObject(build)  # type: ignore[attr-defined]
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send Content-Security-Policy (default-src 'self'): no page loads from outside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
