"""API under /api/v1/frameworks/: list and detail; the detail equals the CLI export."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from hagukumi.core.models import Role
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import framework_export, framework_version_shown
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.orgs.tests.factories import OrganizationFactory

from .conftest import TEMPLATE_CODES

LIST_URL = "/api/v1/frameworks/"


@pytest.fixture
def api_client(user_with_role):
    client = Client()
    client.force_login(user_with_role(Role.STAFF))
    return client


def test_list_has_templates_and_own_frameworks_only(templates, api_client, organization):
    own = framework_with_draft(organization)
    other = framework_with_draft(OrganizationFactory(), code="other")
    body = api_client.get(LIST_URL).json()
    ids = {f["id"] for f in body}
    assert own.pk in ids
    assert other.pk not in ids
    assert {f["code"] for f in body if f["is_template"]} == set(TEMPLATE_CODES)
    assert next(f for f in body if f["id"] == own.pk)["versions"] == [
        {"number": 1, "status": "draft"}
    ]


@pytest.mark.parametrize("code", TEMPLATE_CODES)
def test_detail_equals_the_cli_export(templates, api_client, code):
    framework = Framework.objects.get(is_template=True, code=code)
    response = api_client.get(f"{LIST_URL}{framework.pk}")
    assert response.status_code == 200
    out = StringIO()
    call_command("export_framework", code, stdout=out)
    assert response.json() == json.loads(out.getvalue())
    assert response.json() == framework_export(
        framework_version=framework_version_shown(framework=framework)
    )


def test_detail_of_a_version(api_client, organization):
    framework = framework_with_draft(organization)
    assert api_client.get(f"{LIST_URL}{framework.pk}?version=1").json()["version"] == 1
    assert api_client.get(f"{LIST_URL}{framework.pk}?version=7").status_code == 404


def test_another_organizations_framework_is_not_found(api_client):
    other = framework_with_draft(OrganizationFactory())
    response = api_client.get(f"{LIST_URL}{other.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。"}


def test_anonymous_is_refused(db):
    assert Client().get(LIST_URL).status_code == 401


def test_schema_names_do_not_clash_with_other_routers():
    from ninja import NinjaAPI

    from hagukumi.core.api import router as core_router
    from hagukumi.frameworks.api import router

    api = NinjaAPI(urls_namespace="frameworks-openapi-test")
    api.add_router("/", core_router)
    api.add_router("/frameworks", router)
    schemas = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    assert {"FrameworkExportOut", "TalentRoleOut", "RoleOut"} <= set(schemas)
