"""The page shell for a newcomer (issue #14): long URLs, the 団体 choice page, the
header's 団体 name and its link to the password change page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.access import NEXT_MAX_LENGTH
from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.models import Organization
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# About 20 KB of query, as when a long text is pasted into a search box.
LONG_QUERY = "q=" + "%E3%81%82" * 2300


def _header(page: str) -> str:
    return page.split('<header class="site-header">')[1].split("</header>")[0]


def test_a_very_long_url_without_a_session_leads_to_the_login_page(client: Client) -> None:
    response = client.get(f"/?{LONG_QUERY}")
    assert response.status_code == 302
    # The query is too long to carry along: the path is kept, the query dropped.
    assert response["Location"] == f"{reverse('core:login')}?next=/"
    assert client.get(response["Location"]).status_code == 200


def test_htmx_gets_the_same_capped_address_and_short_queries_are_kept(client: Client) -> None:
    response = client.get(f"/?{LONG_QUERY}", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"{reverse('core:login')}?next=/"
    # A short query is kept as before.
    response = client.get("/orgs/units/?fy=2025")
    assert response["Location"] == f"{reverse('core:login')}?next=/orgs/units/%3Ffy%3D2025"


def test_a_long_next_on_the_login_page_is_dropped(client: Client) -> None:
    long_next = "/?" + "a" * (NEXT_MAX_LENGTH + 1)
    page = client.get(reverse("core:login"), {"next": long_next}).content.decode()
    assert long_next not in page


def test_a_user_of_several_organizations_with_a_long_url_chooses_first(
    client: Client, organization: Organization
) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.HR)
    MembershipFactory(user=user, organization=OrganizationFactory(), role=Role.HR)
    client.force_login(user)
    response = client.get(f"/?{LONG_QUERY}")
    assert response.status_code == 302
    assert response["Location"] == "/select-organization/?next=%2F"


def test_the_choice_page_of_a_one_organization_user_says_there_is_nothing_to_choose(
    client: Client, user_with_role, organization: Organization
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.STAFF))
    page = client.get(reverse("core:organization_switch")).content.decode()
    assert "複数の団体" not in page
    assert "団体を切り替える" not in page
    assert f"役割をお持ちの団体は「{organization.display_name}」だけです" in page
    assert f'href="{reverse("core:home")}"' in page
    # A foreign `next` is not offered as the way on.
    page = client.get(
        reverse("core:organization_switch"), {"next": "https://evil.example/"}
    ).content.decode()
    assert "evil.example" not in page


def test_the_choice_page_of_a_user_of_several_organizations(
    client: Client, organization: Organization
) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.HR)
    MembershipFactory(user=user, organization=OrganizationFactory(), role=Role.STAFF)
    client.force_login(user)
    page = client.get(reverse("core:organization_switch")).content.decode()
    assert "2つの団体で役割をお持ちです" in page
    # The link the text names exists in the header.
    assert ">団体を切り替える</a>" in _header(page)


def test_the_header_names_the_organization_as_every_page_does(
    client: Client, user_with_role
) -> None:  # type: ignore[no-untyped-def]
    hokkaido = Organization.objects.get(code="010006")
    demo = OrganizationFactory(code=None, is_demo=True, name="デモ市", prefecture=hokkaido)
    client.force_login(user_with_role(Role.SYSTEM_ADMIN, org=demo))
    assert demo.display_name == "北海道デモ市（デモ）"
    for url in (reverse("core:home"), reverse("core:audit"), reverse("orgs:unit_tree")):
        page = client.get(url).content.decode()
        assert demo.display_name in _header(page), url
    main = client.get(reverse("core:home")).content.decode().split("<main")[1]
    assert demo.display_name in main
    assert demo.display_name in client.get(reverse("core:audit")).content.decode().split("<main")[1]


def test_the_header_links_to_the_password_change_page(client: Client, user_with_role) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(Role.STAFF))
    header = _header(client.get(reverse("core:home")).content.decode())
    assert f'href="{reverse("core:password_change")}"' in header
    assert "パスワードの変更" in header
    page = client.get(reverse("core:password_change")).content.decode()
    assert 'aria-current="page">パスワードの変更' in _header(page)


def test_the_password_change_applies_the_projects_validators(
    client: Client, user_with_role
) -> None:  # type: ignore[no-untyped-def]
    from hagukumi.core.tests.factories import TEST_PASSWORD

    user = user_with_role(Role.STAFF)
    client.force_login(user)
    for weak, message in (
        ("short1x", "このパスワードは短すぎます。最低 10 文字以上必要です。"),
        ("1234567890123", "このパスワードは数字しか使われていません。"),
        ("password1234", "このパスワードは一般的すぎます。"),
    ):
        body = client.post(
            reverse("core:password_change"),
            {"old_password": TEST_PASSWORD, "new_password1": weak, "new_password2": weak},
        ).content.decode()
        assert message in body, weak
        assert "<title>エラー：" in body
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
