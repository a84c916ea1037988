"""core.access: role checks, 団体 scoping, the view decorators and the API error mapping."""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from ninja import NinjaAPI
from ninja.testing import TestClient

from hagukumi.core.access import (
    access_organization_object,
    install_api_error_handlers,
    public_view,
    require_role,
    role_required,
    scope_to_organization,
    view_roles,
)
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Membership, Role
from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY, Actor, actor_for
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.models import Unit
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

# A URLconf of test views (this module) in front of the real one (login page, navigation).


@role_required(Role.HR, Role.DX_OFFICE)
def hr_or_dx(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@role_required()
def anyone(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@role_required()
def denies(request: HttpRequest) -> HttpResponse:
    raise AccessDenied()


@public_view
def open_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def undecorated_denies(request: HttpRequest) -> HttpResponse:
    raise AccessDenied()


urlpatterns = [
    path("t/hr/", hr_or_dx),
    path("t/any/", anyone),
    path("t/denies/", denies),
    path("t/open/", open_page),
    path("t/undecorated/", undecorated_denies),
    path("", include("hagukumi.urls")),
]
pytestmark = pytest.mark.urls(__name__)


# require_role --------------------------------------------------------------


@pytest.mark.django_db
def test_require_role(user_with_role):
    actor = actor_for(user_with_role(Role.HR))
    require_role(actor, Role.HR)
    require_role(actor, Role.DX_OFFICE, Role.HR)
    with pytest.raises(AccessDenied):
        require_role(actor, Role.DX_OFFICE)
    with pytest.raises(AccessDenied):
        require_role(None, Role.HR)
    with pytest.raises(AccessDenied):
        require_role(actor_for(UserFactory()), Role.STAFF)  # no 団体 at all
    with pytest.raises(ValueError, match="at least one role"):
        require_role(actor)


@pytest.mark.django_db
def test_roles_are_those_of_the_active_organization(organization):
    other = OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.HR)
    MembershipFactory(user=user, organization=other, role=Role.STAFF)
    in_first = actor_for(user, organization.pk)
    in_other = actor_for(user, other.pk)
    assert in_first.roles == {Role.HR}
    assert in_other.roles == {Role.STAFF}
    assert in_first.has_several_organizations
    with pytest.raises(AccessDenied):
        require_role(in_other, Role.HR)
    # An id the user has no role in falls back to their first 団体, never to that one.
    stranger = OrganizationFactory()
    assert actor_for(user, stranger.pk).organization_id in {organization.pk, other.pk}


# access_organization_object / scope_to_organization ------------------------------


@pytest.fixture
def two_units(organization):  # type: ignore[no-untyped-def]
    return UnitFactory(organization=organization), UnitFactory(organization=OrganizationFactory())


@pytest.mark.django_db
def test_access_organization_object_with_an_instance(user_with_role, two_units):
    mine, foreign = two_units
    actor = actor_for(user_with_role(Role.DX_OFFICE))
    assert access_organization_object(actor, mine) is mine
    with pytest.raises(AccessDenied):
        access_organization_object(actor, foreign)
    with pytest.raises(AccessDenied):
        access_organization_object(None, mine)
    with pytest.raises(TypeError):
        access_organization_object(actor, mine, pk=mine.pk)


@pytest.mark.django_db
def test_access_organization_object_with_a_queryset(user_with_role, two_units):
    mine, foreign = two_units
    actor = actor_for(user_with_role(Role.DX_OFFICE))
    assert access_organization_object(actor, Unit.objects.all(), pk=mine.pk) == mine
    assert access_organization_object(actor, Unit.objects, pk=mine.pk) == mine
    # Foreign, missing and malformed ids are all the same "not found".
    for bad in (foreign.pk, 999_999_999, "abc"):
        with pytest.raises(AccessDenied):
            access_organization_object(actor, Unit.objects.all(), pk=bad)


@pytest.mark.django_db
def test_access_organization_object_follows_relations(user_with_role, organization):
    head = user_with_role(Role.UNIT_HEAD)
    membership = Membership.objects.get(user=head)
    actor = actor_for(head)
    field = "unit__organization"
    assert access_organization_object(actor, membership, organization_field=field) == membership
    assert (
        access_organization_object(
            actor, Membership.objects.all(), organization_field=field, pk=membership.pk
        )
        == membership
    )
    outsider = actor_for(user_with_role(Role.UNIT_HEAD, org=OrganizationFactory()))
    with pytest.raises(AccessDenied):
        access_organization_object(outsider, membership, organization_field=field)


@pytest.mark.django_db
def test_scope_to_organization(user_with_role, two_units):
    mine, _ = two_units
    actor = actor_for(user_with_role(Role.STAFF))
    assert list(scope_to_organization(actor, Unit.objects.all())) == [mine]
    assert list(scope_to_organization(None, Unit.objects.all())) == []
    assert (
        list(scope_to_organization(Actor(user=UserFactory(), organization=None), Unit.objects))
        == []
    )


# role_required / public_view ---------------------------------------------------------


def test_the_decorators_declare_roles():
    assert view_roles(hr_or_dx) == {Role.HR, Role.DX_OFFICE}
    assert view_roles(anyone) == frozenset()
    assert view_roles(open_page) is None
    with pytest.raises(AttributeError):
        view_roles(undecorated_denies)
    with pytest.raises(ValueError, match="unknown roles"):
        role_required("superhero")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/t/hr/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/t/hr/%3Fx%3D1"
    assert client.get("/t/open/").status_code == 200
    # An htmx request (say, after the session expired) gets the whole page sent to login.
    response = client.get("/t/hr/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/t/hr/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_a_missing_role_is_not_found_never_forbidden(client, user_with_role, role):
    client.force_login(user_with_role(role))
    expected = 200 if role in (Role.HR, Role.DX_OFFICE) else 404
    assert client.get("/t/hr/").status_code == expected
    assert client.get("/t/any/").status_code == 200


@pytest.mark.django_db
def test_empty_roles_admit_a_user_without_any_membership(client):
    client.force_login(UserFactory())
    assert client.get("/t/any/").status_code == 200
    assert client.get("/t/hr/").status_code == 404


@pytest.mark.django_db
def test_access_denied_becomes_404_in_decorated_and_undecorated_views(client, user_with_role):
    client.force_login(user_with_role(Role.STAFF))
    response = client.get("/t/denies/")
    assert response.status_code == 404
    assert client.get("/t/undecorated/").status_code == 404


@pytest.mark.django_db
def test_a_user_of_several_organizations_chooses_one_first(client, organization):
    other = OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    MembershipFactory(user=user, organization=other, role=Role.HR)
    client.force_login(user)

    response = client.get("/t/hr/")
    assert response.status_code == 302
    assert response["Location"] == "/select-organization/?next=%2Ft%2Fhr%2F"

    response = client.post("/select-organization/", {"organization": other.pk, "next": "/t/hr/"})
    assert response.status_code == 302
    assert response["Location"] == "/t/hr/"
    assert client.session[SESSION_ORGANIZATION_KEY] == other.pk
    assert client.get("/t/hr/").status_code == 200

    client.post("/select-organization/", {"organization": organization.pk})
    assert client.get("/t/hr/").status_code == 404  # only 職員 there


@pytest.mark.django_db
def test_choosing_an_organization_without_a_role_in_it_is_refused(client, organization):
    other, stranger = OrganizationFactory(), OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    MembershipFactory(user=user, organization=other, role=Role.STAFF)
    client.force_login(user)
    response = client.post("/select-organization/", {"organization": stranger.pk})
    assert response.status_code == 200
    assert "団体を選んでください。" in response.content.decode()
    assert SESSION_ORGANIZATION_KEY not in client.session


# The API ------------------------------------------------------------------------


def _api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="test-access-api")
    install_api_error_handlers(api)

    @api.get("/denied")
    def denied(request):  # type: ignore[no-untyped-def]
        raise AccessDenied()

    @api.get("/invalid")
    def invalid(request):  # type: ignore[no-untyped-def]
        raise ApplicationError("年度が正しくありません。", extra={"field": "fiscal_year"})

    return api


def test_the_api_maps_access_denied_to_404_and_application_errors_to_400():
    client = TestClient(_api())
    response = client.get("/denied")
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "見つかりません。"}
    response = client.get("/invalid")
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "年度が正しくありません。",
        "field": "fiscal_year",
    }
