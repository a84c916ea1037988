"""Permission checks: which roles may call a view, which objects an actor may touch.

The rules (issue [基盤] §6):

- Roles (core.models.Role) are held per 団体; an actor's roles are those in the
  active 団体. 事例閲覧 is "any logged-in user" and has no role.
- What the actor may not see does not exist for them: views answer 404 and the
  API 404 {"detail": "見つかりません。"}, never 403, so nobody learns that a
  record of another 団体 (or a page for another role) exists.
- Checks live in services and selectors, so the web, the API and commands share
  them. Each access-controlled entity gets one `access_<entity>_by_id` helper,
  built from the two functions here and tested once, exhaustively::

      def access_staff_by_id(*, actor: Actor, staff_id: int) -> Staff:
          require_role(actor, Role.HR, Role.DX_OFFICE)
          return access_organization_object(actor, Staff.objects.all(), pk=staff_id)

- Every view declares who may call it, which the role × route matrix test reads
  (core/tests/test_route_matrix.py): `@role_required(Role.HR, ...)`,
  `@role_required()` for any logged-in user, or `@public_view` for no login.
  For a class-based view, wrap `as_view()` in urls.py:
  `role_required(Role.HR)(StaffListView.as_view())`. A POST-only view puts
  `require_POST` *inside* the role decorator, so a stranger still gets 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.db.models import Manager, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import MAX_URL_LENGTH

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY, Actor, request_actor
from hagukumi.core.web import is_htmx

if TYPE_CHECKING:
    from ninja import NinjaAPI

NOT_FOUND_MESSAGE = "見つかりません。"
# Every role: `role_required(*EVERY_ROLE)` = any user holding some role in the active 団体
# (unlike `role_required()`, which admits any logged-in user).
EVERY_ROLE: tuple[str, ...] = tuple(Role.values)

View = Callable[..., HttpResponse]
M = TypeVar("M", bound=Model)

# The longest `next` (return address after login or the choice of 団体) kept: Django's
# own limit for a URL it will follow (url_has_allowed_host_and_scheme). A longer one (a
# pasted 20 KB query) would make the redirect itself too long (DisallowedRedirect).
NEXT_MAX_LENGTH = MAX_URL_LENGTH


def require_role(actor: Actor, *roles: str) -> None:
    """Raise AccessDenied unless the actor holds one of `roles` in their active 団体."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    if actor is None or actor.organization is None or not actor.has_role(*roles):
        raise AccessDenied()


def access_organization_object(
    actor: Actor,
    obj_or_queryset: M | QuerySet[M] | Manager[M],
    *,
    organization_field: str = "organization",
    **lookup: Any,
) -> M:
    """The object if it belongs to the actor's active 団体; AccessDenied (404) otherwise.

    Give an instance, or a queryset/manager plus lookups (`pk=…`): the query is
    scoped to the actor's 団体 first, so a foreign object and a missing one are
    indistinguishable. `organization_field` may follow relations
    ("unit__organization").
    """
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    if isinstance(obj_or_queryset, Model):
        if lookup:
            raise TypeError("lookups are only for a queryset or manager")
        if _organization_id_of(obj_or_queryset, organization_field) != actor.organization_id:
            raise AccessDenied()
        return obj_or_queryset
    scoped = scope_to_organization(actor, obj_or_queryset, organization_field=organization_field)
    try:
        return scoped.get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError, TypeError) as exc:
        # A malformed id is as "not found" as a foreign one.
        raise AccessDenied() from exc


def acting_organization_id(actor: Actor) -> int:
    """The id of the actor's active 団体; AccessDenied when it has none (nobody to serve)."""
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    return int(actor.organization_id)


def scope_to_organization(
    actor: Actor,
    queryset: QuerySet[M] | Manager[M],
    *,
    organization_field: str = "organization",
) -> QuerySet[M]:
    """`queryset` limited to the actor's active 団体 (empty for an actor without one)."""
    qs = queryset.all()
    if actor is None or actor.organization_id is None:
        return qs.none()
    return qs.filter(**{f"{organization_field}_id": actor.organization_id})


def _organization_id_of(obj: Model, organization_field: str) -> Any:
    *path, last = organization_field.split("__")
    target: Any = obj
    for part in path:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def return_path(request: HttpRequest) -> str:
    """Where to come back to after login or the choice of 団体: the path with its query,
    only the path when that is too long (NEXT_MAX_LENGTH), or "" (the home page)."""
    full = request.get_full_path()
    if len(full) <= NEXT_MAX_LENGTH:
        return full
    path = full.split("?", 1)[0]
    return path if len(path) <= NEXT_MAX_LENGTH else ""


def capped_next(target: str) -> str:
    """A `next` value as given (query or form), or "" when it is too long to keep."""
    return target if len(target) <= NEXT_MAX_LENGTH else ""


def _with_next(url: str, target: str, *, safe: str = "") -> str:
    if not target:
        return url
    query = QueryDict(mutable=True)
    query["next"] = target
    return f"{url}?{query.urlencode(safe=safe)}"


def login_redirect(request: HttpRequest) -> HttpResponse:
    """The answer to an anonymous request: the login page, coming back here afterwards
    (as far as the address can be kept). For htmx, an HX-Redirect there."""
    # As Django's redirect_to_login writes it (slashes left as they are).
    url = _with_next(resolve_url(settings.LOGIN_URL), return_path(request), safe="/")
    if is_htmx(request):
        # htmx would follow a 302 and swap the login page into the target.
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


def role_required(*roles: str, organization_chosen: bool = True) -> Callable[[View], View]:
    """View decorator: login required, and one of `roles` in the active 団体 (none = anyone).

    Anonymous → redirect to the login page (for htmx, an HX-Redirect there).
    Logged in without the role → 404.
    AccessDenied raised by the view → 404. With `organization_chosen` (default),
    a user of several 団体 who has not chosen one yet is sent to choose first.
    Sets `hagukumi_roles` on the view for the route matrix test.
    """
    allowed = frozenset(roles)
    unknown = allowed - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return login_redirect(request)
            actor = request_actor(request)
            if (
                organization_chosen
                and actor is not None
                and actor.has_several_organizations
                and SESSION_ORGANIZATION_KEY not in request.session
            ):
                select_url = reverse("core:organization_switch")
                return redirect(_with_next(select_url, return_path(request)))
            if allowed and (actor is None or not actor.has_role(*allowed)):
                raise Http404(NOT_FOUND_MESSAGE)
            try:
                return view(request, *args, **kwargs)
            except AccessDenied as exc:
                raise Http404(NOT_FOUND_MESSAGE) from exc

        wrapped.hagukumi_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public_view(view: View) -> View:
    """Mark a view that needs no login (login page, health check). AccessDenied → 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AccessDenied as exc:
            raise Http404(NOT_FOUND_MESSAGE) from exc

    wrapped.hagukumi_roles = None  # type: ignore[attr-defined]
    return wrapped


def view_roles(view: Callable[..., Any]) -> frozenset[str] | None:
    """The roles a view declared (None: public). AttributeError if it declared nothing."""
    return view.hagukumi_roles  # type: ignore[attr-defined]


def install_api_error_handlers(api: NinjaAPI) -> None:
    """Map AccessDenied → 404 {"detail": "見つかりません。"} and ApplicationError → 400.

    The 400 body is {"detail": message, **extra}. Call once where the NinjaAPI is built.
    """

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": NOT_FOUND_MESSAGE}, status=404)

    def application_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {**exc.extra, "detail": exc.message}, status=400)

    def invalid_input(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja's 422 with a Japanese sentence first (the errors stay for programs).
        body = {"detail": api_validation_message(exc.errors), "errors": exc.errors}
        return api.create_response(request, body, status=422)

    from ninja.errors import ValidationError as InputValidationError

    api.add_exception_handler(AccessDenied, not_found)
    api.add_exception_handler(ApplicationError, application_error)
    api.add_exception_handler(InputValidationError, invalid_input)


_INPUT_PROBLEMS = {
    "less_than_equal": "{le} 以下で指定してください",
    "less_than": "{lt} より小さい値で指定してください",
    "greater_than_equal": "{ge} 以上で指定してください",
    "greater_than": "{gt} より大きい値で指定してください",
    "int_parsing": "整数で指定してください",
    "int_type": "整数で指定してください",
    "int_from_float": "整数で指定してください",
    "missing": "必須です",
    "string_too_long": "{max_length} 文字以内で指定してください",
}


def api_validation_message(errors: Any) -> str:
    """One Japanese sentence for ninja's input errors.

    For example 「入力が正しくありません（limit: 100 以下…）。」
    """
    parts = []
    for error in list(errors or [])[:5]:
        if not isinstance(error, dict):
            continue
        location = [str(x) for x in error.get("loc") or () if x not in ("query", "body", "path")]
        name = location[-1] if location else "入力"
        template = _INPUT_PROBLEMS.get(str(error.get("type")), "値が正しくありません")
        try:
            problem = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError, ValueError):
            problem = "値が正しくありません"
        parts.append(f"{name}: {problem}")
    return "入力が正しくありません（" + "、".join(parts or ["値が正しくありません"]) + "）。"
