"""Role × route matrix: every URL of the site, for every role, anonymous, and another 団体.

Walks every pattern of the root URLconf (through includes; the API under
/api/ and static files have their own tests) and checks:

- every view declares who may call it (`core.access.role_required` /
  `public_view`), otherwise the test fails ("every view declares its roles");
- anonymous → redirect to the login page (public views: answered, no login);
- a user holding a declared role (any role when the set is empty) → 200, a
  redirect that is not the login page, or 405 for a POST-only view (the role
  gate was passed); every other role → 404, never 403;
- a user of *another* 団体 holding every role → 404 on every URL with
  parameters (object URLs), unless the route is listed as shared (not 団体 data).

URLs with parameters need a kwargs builder: a callable `builder(world) -> dict`
that creates the object in `world.organization` and returns the URL kwargs.
`world` has `.organization`, `.other_organization` and `.unit` (a 所属 of
`.organization`). Builders live in each app's `tests/route_kwargs.py`:

    # hagukumi/people/tests/route_kwargs.py
    def _staff(world):
        return {"pk": StaffFactory(organization=world.organization).pk}

    ROUTE_KWARGS = {"people:staff_detail": _staff}
    SHARED_ROUTES = {"cases:case_detail"}  # optional: objects every 団体 may see

A route with parameters and no builder fails the test, so each new URL brings one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

Builder = Callable[["RouteWorld"], dict[str, Any]]
SKIPPED_PREFIXES = ("api/",)
ALLOWED_STATUSES = frozenset({200, 302, 303, 405})
ANONYMOUS = "anonymous"
OUTSIDER = "another_organization"


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # "orgs/units/<int:pk>/edit/"
    callback: Callable[..., Any]
    has_parameters: bool


@dataclass(frozen=True)
class RouteWorld:
    organization: Any
    other_organization: Any
    unit: Any


# Builders for the foundation's own object URLs. Later apps put theirs in
# hagukumi/<app>/tests/route_kwargs.py (see the module docstring).
def _unit_kwargs(world: RouteWorld) -> dict[str, Any]:
    return {"pk": world.unit.pk}


CORE_ROUTE_KWARGS: dict[str, Builder] = {
    "orgs:unit_edit": _unit_kwargs,
    "orgs:unit_close": _unit_kwargs,
}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", parameters: bool = False
) -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        has_parameters = parameters or entry.pattern.regex.groups > 0
        if route.startswith(SKIPPED_PREFIXES) or route.startswith(settings.STATIC_URL.lstrip("/")):
            continue
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, ns, has_parameters)
        elif isinstance(entry, URLPattern):
            if entry.callback is serve:
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(
                name=name or f"<unnamed {route}>",
                route=route,
                callback=entry.callback,
                has_parameters=has_parameters,
            )


def all_routes() -> list[Route]:
    return sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


def _route_modules() -> Iterator[Any]:
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("hagukumi."):
            continue
        name = f"{app_config.name}.tests.route_kwargs"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{app_config.name}.tests"):
                raise


def route_kwargs_builders() -> tuple[dict[str, Builder], set[str]]:
    builders: dict[str, Builder] = dict(CORE_ROUTE_KWARGS)
    shared: set[str] = set()
    for module in _route_modules():
        for name, builder in getattr(module, "ROUTE_KWARGS", {}).items():
            builders.setdefault(name, builder)
        shared |= set(getattr(module, "SHARED_ROUTES", set()))
    return builders, shared


ROUTES = all_routes()


def test_the_walk_finds_core_and_skips_the_api():
    names = {r.name for r in ROUTES}
    assert {"core:home", "core:login", "core:logout", "core:audit", "core:audit_export"} <= names
    assert not any(r.route.startswith("api/") for r in ROUTES)


def test_every_route_is_named():
    unnamed = [r.route for r in ROUTES if r.name.startswith("<unnamed")]
    assert not unnamed, f"名前のない URL パターンがあります: {unnamed}"


def test_every_view_declares_its_roles():
    missing = [f"{r.name} ({r.route})" for r in ROUTES if not hasattr(r.callback, "hagukumi_roles")]
    assert not missing, (
        "every view declares its roles: role_required(...) か public_view を付けてください: "
        + ", ".join(missing)
    )


def test_every_route_with_parameters_has_a_kwargs_builder():
    builders, _ = route_kwargs_builders()
    missing = [
        f"{r.name} ({r.route})" for r in ROUTES if r.has_parameters and r.name not in builders
    ]
    assert not missing, (
        "URL パラメータの組み立て方がありません。hagukumi/<app>/tests/route_kwargs.py の "
        "ROUTE_KWARGS に追加してください: " + ", ".join(missing)
    )


@pytest.fixture
def world(db, settings, organization):  # type: ignore[no-untyped-def]
    # Many users per test: a fast hasher keeps the matrix quick (Argon2 is tested elsewhere).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return RouteWorld(
        organization=organization,
        other_organization=OrganizationFactory(),
        unit=UnitFactory(organization=organization),
    )


def _clients(world: RouteWorld) -> dict[str, Client]:
    clients: dict[str, Client] = {ANONYMOUS: Client()}
    for role in Role.values:
        user = UserFactory()
        unit = UnitFactory(organization=world.organization) if role == Role.UNIT_HEAD else None
        MembershipFactory(user=user, organization=world.organization, role=role, unit=unit)
        clients[role] = Client()
        clients[role].force_login(user)
    outsider = UserFactory()
    for role in Role.values:
        unit = (
            UnitFactory(organization=world.other_organization) if role == Role.UNIT_HEAD else None
        )
        MembershipFactory(
            user=outsider, organization=world.other_organization, role=role, unit=unit
        )
    clients[OUTSIDER] = Client()
    clients[OUTSIDER].force_login(outsider)
    return clients


def _verdict(status: int, location: str, expected: str) -> bool:
    login_url = resolve_url(settings.LOGIN_URL)
    if expected == "login":
        return status == 302 and location.startswith(login_url)
    if expected == "allowed":
        return status in ALLOWED_STATUSES and not (status == 302 and location.startswith(login_url))
    if expected == "public":
        return status in ALLOWED_STATUSES
    return status == 404


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_matrix(route: Route, world: RouteWorld) -> None:
    if not hasattr(route.callback, "hagukumi_roles"):
        pytest.fail(f"{route.name}: every view declares its roles (role_required / public_view)")
    roles: frozenset[str] | None = route.callback.hagukumi_roles
    builders, shared = route_kwargs_builders()
    if route.has_parameters:
        if route.name not in builders:
            pytest.fail(f"{route.name}: ROUTE_KWARGS に URL パラメータの組み立て方がありません")
        url = reverse(route.name, kwargs=builders[route.name](world))
    else:
        url = reverse(route.name)

    expectations: dict[str, str] = {}
    for actor in [ANONYMOUS, *Role.values, OUTSIDER]:
        if roles is None:
            expected = "public"
        elif actor == ANONYMOUS:
            expected = "login"
        elif actor == OUTSIDER:
            expected = (
                "not_found" if route.has_parameters and route.name not in shared else "allowed"
            )
        elif not roles or actor in roles:
            expected = "allowed"
        else:
            expected = "not_found"
        expectations[actor] = expected

    failures = []
    for actor, client in _clients(world).items():
        response = client.get(url)
        location = response.get("Location", "")
        if not _verdict(response.status_code, location, expectations[actor]):
            failures.append(
                f"  {actor}: expected {expectations[actor]}, got {response.status_code} {location}"
            )
    assert not failures, f"{route.name} {url} (roles: {sorted(roles or [])}):\n" + "\n".join(
        failures
    )
