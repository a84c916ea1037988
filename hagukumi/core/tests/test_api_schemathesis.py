"""schemathesis against /api/v1/openapi.json, in-process, as each role (issue 16 "Keep it holding").

For every operation of the OpenAPI document, as anonymous and as a user holding
each role of a 団体 (plus a user of another 団体 holding every role), generated
requests — valid (positive) and invalid (negative) input, path ids drawn both at
random and from the 団体's real objects — go to the Django WSGI application
through schemathesis' WSGI transport. Every answer must

- not be a server error (5xx),
- have a status code the document declares (400/401/403/404/422 are documented
  centrally in hagukumi/api.py), with the declared content type and body schema.

Bounded: HAGUKUMI_SCHEMATHESIS_EXAMPLES examples per operation, mode and actor
(default 5; `HAGUKUMI_SCHEMATHESIS_EXAMPLES=2` as a smoke setting, a larger number
for a longer hunt by hand), no deadline, no example database. It runs in both
database runs of `make test` (SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.core.failures import FailureGroup

from hagukumi.api import api
from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    FrameworkFactory,
)

EXAMPLES = int(os.environ.get("HAGUKUMI_SCHEMATHESIS_EXAMPLES", "5"))
ANONYMOUS = "anonymous"
OUTSIDER = "another_organization"
ACTORS = [ANONYMOUS, *Role.values, OUTSIDER]
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
# schemathesis' WSGI transport sends Host: localhost.
WSGI_HOST = "localhost"
# schemathesis asks for gzip, but its WSGI transport does not unpack the answer (the
# site compresses pages and API answers): ask for the plain body.
PLAIN = {"Accept-Encoding": "identity"}


@dataclass(frozen=True)
class ApiWorld:
    path_ids: dict[str, int]  # path parameter name → the pk of a real object of the 団体


@pytest.fixture
def api_world(db, settings) -> ApiWorld:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if WSGI_HOST not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, WSGI_HOST]
    org = OrganizationFactory()
    staff = StaffFactory(organization=org)
    cohort = CohortFactory(organization=org, program__organization=org)
    enrollment = EnrollmentFactory(cohort=cohort, staff=staff)
    framework = FrameworkFactory(owner=org)
    return ApiWorld(
        path_ids={
            "staff_id": staff.pk,
            "framework_id": framework.pk,
            "program_id": cohort.program_id,
            "cohort_id": cohort.pk,
            "enrollment_id": enrollment.pk,
            "_organization": org.pk,
        }
    )


@dataclass(frozen=True)
class Credentials:
    cookies: dict[str, str]
    headers: dict[str, str]


def _credentials_for(actor: str, world: ApiWorld) -> Credentials:
    """Session cookie + CSRF cookie and header of a fresh user holding `actor`'s role."""
    from hagukumi.orgs.models import Organization

    if actor == ANONYMOUS:
        return Credentials(cookies={}, headers=dict(PLAIN))
    org = Organization.objects.get(pk=world.path_ids["_organization"])
    user = UserFactory()
    if actor == OUTSIDER:
        other = OrganizationFactory()
        for role in Role.values:
            unit = UnitFactory(organization=other) if role == Role.UNIT_HEAD else None
            MembershipFactory(user=user, organization=other, role=role, unit=unit)
    else:
        unit = UnitFactory(organization=org) if actor == Role.UNIT_HEAD else None
        MembershipFactory(user=user, organization=org, role=actor, unit=unit)
        if actor == Role.STAFF:
            StaffFactory(organization=org, user=user)
    client = Client()
    client.force_login(user)
    # An unmasked CSRF secret is accepted as the header when it equals the cookie.
    token = get_random_string(32)
    session = client.cookies["sessionid"].value
    return Credentials(
        cookies={"sessionid": session, "csrftoken": token}, headers={**PLAIN, "X-CSRFToken": token}
    )


@pytest.fixture(scope="module")
def api_schema() -> Any:
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def test_the_document_declares_the_error_answers(api_schema: Any) -> None:
    missing = []
    for operation in _operations(api_schema):
        codes = set(operation.definition.raw["responses"])
        expected = {"400", "401", "404", "422"}
        if operation.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
            expected.add("403")
        if not expected <= {str(code) for code in codes}:
            missing.append(f"{operation.method.upper()} {operation.path}: {sorted(codes)}")
    assert not missing, "エラー応答が OpenAPI に書かれていません:\n" + "\n".join(missing)


def _strategy(operation: Any, mode: GenerationMode, world: ApiWorld) -> Any:
    generic = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    known = {name: world.path_ids[name] for name in names if name in world.path_ids}
    if not known or mode is GenerationMode.NEGATIVE:
        return generic
    return strategies.one_of(generic, operation.as_strategy(path_parameters=known))


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Calls through the raw WSGI app fire request_finished, whose close_old_connections
    would close the test transaction's connection (PostgreSQL); Django's test client
    detaches it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("actor", ACTORS)
def test_api_fuzz_answers_without_server_errors(
    actor: str, api_world: ApiWorld, api_schema: Any, keep_test_connection: None
) -> None:
    credentials = _credentials_for(actor, api_world)
    checks = [check for check in CHECKS.get_all() if check.__name__ in CHECK_NAMES]
    assert len(checks) == len(CHECK_NAMES)
    failures: list[str] = []

    for operation in _operations(api_schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @seed(20260416)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=False,
                suppress_health_check=list(HealthCheck),
                # No shrinking: a failure is reported as found (bounded time).
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=_strategy(operation, mode, api_world))
            def run(case: Any) -> None:
                response = case.call(headers=credentials.headers, cookies=credentials.cookies)
                case.validate_response(response, checks=checks, headers=credentials.headers)

            try:
                run()
            except (AssertionError, FailureGroup, Exception) as exc:
                label = f"{actor} {mode.value} {operation.method.upper()} {operation.path}"
                failures.append(f"{label}: {exc}"[:2000])
    assert not failures, "\n\n".join(failures)
