"""Cross-団体 write matrix (issue 16 "Keep it holding"): another 団体 changes nothing.

For every URL with parameters (object URLs: the role × route matrix's walk of the
root URLconf, test_route_matrix.py, with the kwargs builders of each app's
`tests/route_kwargs.py` making the objects in 団体 A), users of 団体 B — one
holding every role, and one per single role — POST with a valid CSRF token:

- `data = {}`;
- the form as 団体 A's own user sees it on a GET of the same URL (every
  <input>/<select>/<textarea> with its value: the plausible data of A's object);
- the data of a `POST_DATA` hook when the app's route_kwargs module has one:
  `POST_DATA = {"app:name": lambda world, kwargs: {...}}`.

Each answer must be 404 (the object is not theirs), or 405 when the view takes
no POST at all (not a write route); a route listed in SHARED_ROUTES (objects every
団体 may see) may answer anything but 5xx. In every case the rows of every model
of every hagukumi app (contents, not only counts) and the count of AuditEvent
write actions (登録/更新/削除/取込) are the same before and after.

A URL with parameters and no kwargs builder fails here (as in the route matrix), so
each new URL joins the matrix. Each route gets its own 団体 A (builders expect a
fresh one); 団体 B and its users are shared. One world per module (a module-scoped
atomic block, rolled back at the end); each route's test runs in a savepoint of it
(pytest-django).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.crypto import get_random_string

from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.core.tests.test_route_matrix import (
    ROUTES,
    Route,
    RouteWorld,
    _route_modules,
    route_kwargs_builders,
)
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory

# The database marker makes pytest-django set up the test database and run each test in
# a savepoint of the module's block (undone after the test).
pytestmark = pytest.mark.django_db

OBJECT_ROUTES = [route for route in ROUTES if route.has_parameters]
ALL_ROLES = "every_role"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
WRITE_ACTIONS = (
    AuditEvent.Action.CREATE,
    AuditEvent.Action.UPDATE,
    AuditEvent.Action.DELETE,
    AuditEvent.Action.IMPORT,
)
# Rows every request may touch without being a write of 団体 A's data.
UNWATCHED_MODELS = {"core.auditevent"}


@dataclass
class Target:
    """団体 A of one route: its own fresh 団体 (builders expect one), the URL, an insider."""

    route_world: RouteWorld
    url: str
    insider: Client  # a user of this 団体 A holding every role


@dataclass
class CrossWorld:
    targets: dict[str, Target]  # route name → its 団体 A and URL
    build_errors: dict[str, str]
    outsiders: dict[str, tuple[Client, str]]  # label → (client, CSRF secret)


def _csrf_client(user: Any) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    # An unmasked CSRF secret is accepted as the form token when it equals the cookie.
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    return client, secret


def _user_of(organization: Any, roles: list[str]) -> Any:
    user = UserFactory()
    for role in roles:
        unit = UnitFactory(organization=organization) if role == Role.UNIT_HEAD else None
        MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    return user


def _second_organization() -> Any:
    """団体 B, demo-like: a small unit tree, staff, and its own users."""
    other = OrganizationFactory(name="第二デモ町")
    department = UnitFactory(organization=other, name="総務部")
    for name in ("総務課", "デジタル推進課"):
        unit = UnitFactory(organization=other, name=name, parent=department)
        StaffFactory.create_batch(3, organization=other, unit=unit)
    return other


@pytest.fixture(scope="module")
def cross_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[CrossWorld]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # Many users: a fast hasher (Argon2 is tested elsewhere).
            with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
                world = _build_world()
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world() -> CrossWorld:
    other = _second_organization()
    builders, _ = route_kwargs_builders()
    targets: dict[str, Target] = {}
    errors: dict[str, str] = {}
    for route in OBJECT_ROUTES:
        if route.name not in builders:
            continue
        organization = OrganizationFactory(name=f"第一デモ市{len(targets) + 1}")
        world = RouteWorld(
            organization=organization,
            other_organization=other,
            unit=UnitFactory(organization=organization),
        )
        # Before the builder: people's builders link the 団体's next 職員 login to their staff.
        insider = Client()
        insider.force_login(_user_of(organization, list(Role.values)))
        try:
            with transaction.atomic():
                url = reverse(route.name, kwargs=builders[route.name](world))
        except Exception as exc:  # reported by the route's test
            errors[route.name] = f"{type(exc).__name__}: {exc}"
            continue
        targets[route.name] = Target(route_world=world, url=url, insider=insider)
    outsiders = {ALL_ROLES: _csrf_client(_user_of(other, list(Role.values)))}
    for role in Role.values:
        outsiders[role] = _csrf_client(_user_of(other, [role]))
    return CrossWorld(targets=targets, build_errors=errors, outsiders=outsiders)


def _watched_models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("hagukumi.")
        and model._meta.label_lower not in UNWATCHED_MODELS
        and not model._meta.proxy
    ]


def snapshot() -> dict[str, str]:
    """A digest of every row of every hagukumi model, and the audit write count."""
    digests: dict[str, str] = {}
    for model in _watched_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator():
            digest.update(repr(row).encode())
            count += 1
        digests[model._meta.label] = f"{count}:{digest.hexdigest()[:16]}"
    writes = AuditEvent.objects.filter(action__in=WRITE_ACTIONS).count()
    digests["AuditEvent(write actions)"] = str(writes)
    return digests


class _FormFields(HTMLParser):
    """The named fields of the page's forms, with the values A's own user sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            self.data.setdefault(name, []).append(
                a.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if self._select_value is not None:
                self.data.setdefault(self._select, []).append(self._select_value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def _insider_form(target: Target) -> dict[str, list[str]]:
    response = target.insider.get(target.url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    parser = _FormFields()
    parser.feed(response.content.decode(errors="replace"))
    return parser.data


def _post_data_hooks() -> dict[str, Any]:
    hooks: dict[str, Any] = {}
    for module in _route_modules():
        hooks.update(getattr(module, "POST_DATA", {}))
    return hooks


def test_the_matrix_covers_object_urls_of_every_app() -> None:
    names = {route.name.split(":")[0] for route in OBJECT_ROUTES}
    assert {"orgs", "people", "training", "cases", "accounts"} <= names


def test_the_digest_sees_an_update_that_keeps_the_counts() -> None:
    from hagukumi.orgs.models import Unit

    unit = UnitFactory(name="秘書課")
    before = snapshot()
    Unit.objects.filter(pk=unit.pk).update(name="秘書広報課")
    after = snapshot()

    assert [k for k in before if before[k] != after[k]] == ["orgs.Unit"]


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r.name for r in OBJECT_ROUTES])
def test_another_organization_cannot_write(route: Route, cross_world: CrossWorld) -> None:
    world = cross_world
    builders, shared = route_kwargs_builders()
    if route.name not in builders:
        pytest.fail(
            f"{route.name} ({route.route}): ROUTE_KWARGS に URL パラメータの"
            "組み立て方がありません。hagukumi/<app>/tests/route_kwargs.py に"
            "追加してください（他団体の書き込みの確認にも使います）。"
        )
    if route.name in world.build_errors:
        pytest.fail(f"{route.name}: kwargs builder failed: {world.build_errors[route.name]}")
    target = world.targets[route.name]
    url = target.url
    variants: list[tuple[str, dict[str, Any]]] = [("empty", {})]
    form = _insider_form(target)
    if form:
        variants.append(("団体Aのフォーム", form))
    hook = _post_data_hooks().get(route.name)
    if hook is not None:
        variants.append(("POST_DATA", hook(target.route_world, {"url": url})))

    failures = []
    answers = []
    # One digest before and one after all the posts (a digest reads every table).
    before = snapshot()
    for label, (client, secret) in world.outsiders.items():
        for variant, data in variants:
            response = client.post(url, {**data, "csrfmiddlewaretoken": secret})
            status = response.status_code
            where = f"  {label} / {variant}: "
            answers.append(f"{where}{status}")
            if route.name in shared:
                if status >= 500:
                    failures.append(f"{where}{status}")
            elif status not in (404, 405):
                failures.append(f"{where}expected 404, got {status} {response.get('Location', '')}")
    after = snapshot()
    changed = sorted(k for k in before if before[k] != after.get(k))
    if changed:
        failures.append(f"  changed {changed} (answers:\n{chr(10).join(answers)})")
    assert not failures, f"{route.name} POST {url}:\n" + "\n".join(failures)
