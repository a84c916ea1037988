"""The user administration pages: what the システム管理者 does, and strangers change nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.models import AuditEvent, Membership, Role, User
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(organization):  # type: ignore[no-untyped-def]
    user = UserFactory(username="member", locked_until=timezone.now() + dt.timedelta(minutes=9))
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    return user


def test_list_and_detail(admin_client, member):  # type: ignore[no-untyped-def]
    page = admin_client.get(reverse("accounts:users"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "member" in body
    assert "ロックされている利用者" in body
    locked = admin_client.get(reverse("accounts:users") + "?status=locked")
    assert "member" in locked.content.decode()
    detail = admin_client.get(reverse("accounts:user_detail", kwargs={"pk": member.pk}))
    assert "ロックを解除する" in detail.content.decode()


def test_create_shows_the_password_once(admin_client, organization):  # type: ignore[no-untyped-def]
    StaffFactory(organization=organization, number="000321")
    response = admin_client.post(
        reverse("accounts:user_new"),
        {
            "username": "newbie",
            "display_name": "新人 一郎",
            "email": "",
            "staff_number": "000321",
            "role": Role.STAFF,
        },
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="newbie")
    assert user.check_password(password)
    assert user.must_change_password
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert user.staff_records.get().number == "000321"


def test_create_refuses_a_unit_head_without_unit(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.post(
        reverse("accounts:user_new"),
        {"username": "head", "display_name": "所属 長", "role": Role.UNIT_HEAD},
    )
    assert response.status_code == 400
    assert "所属長には所属を指定" in response.content.decode()
    assert not User.objects.filter(username="head").exists()


def test_actions(admin_client, member, organization):  # type: ignore[no-untyped-def]
    pk = member.pk
    admin_client.post(reverse("accounts:user_unlock", kwargs={"pk": pk}))
    member.refresh_from_db()
    assert member.locked_until is None
    reset = admin_client.post(reverse("accounts:user_password_reset", kwargs={"pk": pk}))
    member.refresh_from_db()
    assert member.check_password(reset.context["password"])
    assert member.must_change_password
    unit = UnitFactory(organization=organization)
    admin_client.post(
        reverse("accounts:membership_add", kwargs={"pk": pk}),
        {"role": Role.UNIT_HEAD, "unit": unit.pk},
    )
    assert member.memberships.filter(role=Role.UNIT_HEAD, unit=unit).exists()
    staff_role = member.memberships.get(role=Role.STAFF)
    admin_client.post(reverse("accounts:membership_end", kwargs={"pk": staff_role.pk}))
    assert not member.memberships.filter(role=Role.STAFF).exists()
    StaffFactory(organization=organization, number="000999")
    admin_client.post(
        reverse("accounts:user_staff_link", kwargs={"pk": pk}), {"staff_number": "000999"}
    )
    assert member.staff_records.get().number == "000999"
    admin_client.post(reverse("accounts:user_edit", kwargs={"pk": pk}), {"display_name": "改名"})
    member.refresh_from_db()
    assert member.display_name == "改名"
    admin_client.post(reverse("accounts:user_deactivate", kwargs={"pk": pk}))
    member.refresh_from_db()
    assert not member.is_active
    admin_client.post(reverse("accounts:user_reactivate", kwargs={"pk": pk}))
    member.refresh_from_db()
    assert member.is_active
    assert AuditEvent.objects.filter(target_id=str(pk), action="update").count() >= 5


def test_get_on_an_action_is_405(admin_client, member):  # type: ignore[no-untyped-def]
    response = admin_client.get(reverse("accounts:user_deactivate", kwargs={"pk": member.pk}))
    assert response.status_code == 405
    member.refresh_from_db()
    assert member.is_active


def test_the_last_admin_cannot_be_deactivated_from_the_page(admin_client, admin_user):  # type: ignore[no-untyped-def]
    other = UserFactory()
    MembershipFactory(user=other, organization=admin_user.memberships.get().organization)
    mine = admin_user.memberships.get(role=Role.SYSTEM_ADMIN)
    response = admin_client.post(reverse("accounts:membership_end", kwargs={"pk": mine.pk}))
    assert response.status_code == 302
    assert Membership.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:user_deactivate", {}),
        ("accounts:user_reactivate", {}),
        ("accounts:user_unlock", {}),
        ("accounts:user_password_reset", {}),
        ("accounts:membership_add", {"role": Role.HR}),
        ("accounts:user_staff_link", {"staff_number": ""}),
        ("accounts:user_edit", {"display_name": "乗っ取り"}),
    ],
)
def test_an_admin_of_another_organization_changes_nothing(name: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    home, other = OrganizationFactory(), OrganizationFactory()
    target = UserFactory(locked_until=timezone.now() + dt.timedelta(minutes=9), is_active=True)
    MembershipFactory(user=target, organization=home, role=Role.STAFF)
    StaffFactory(organization=home, number="000001", user=target)
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=other, role=Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(stranger)
    before = User.objects.filter(pk=target.pk).values().get()
    response = client.post(reverse(name, kwargs={"pk": target.pk}), data)
    assert response.status_code == 404
    assert User.objects.filter(pk=target.pk).values().get() == before
    assert target.memberships.count() == 1
    assert target.staff_records.count() == 1


def test_membership_end_of_another_organization_is_404():  # type: ignore[no-untyped-def]
    home, other = OrganizationFactory(), OrganizationFactory()
    membership = MembershipFactory(organization=home, role=Role.HR)
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=other, role=Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(stranger)
    response = client.post(reverse("accounts:membership_end", kwargs={"pk": membership.pk}))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_initial_passwords_of_another_organization_are_not_issued(admin_client):  # type: ignore[no-untyped-def]
    other = OrganizationFactory()
    waiting = UserFactory(initial_password_pending=True)
    waiting.set_unusable_password()
    waiting.save()
    MembershipFactory(user=waiting, organization=other, role=Role.STAFF)
    response = admin_client.post(reverse("accounts:initial_passwords"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.initial_password_pending
    assert not waiting.has_usable_password()


def test_home_task_is_a_link(admin_client):  # type: ignore[no-untyped-def]
    body = admin_client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("accounts:users")}"' in body


def test_create_user_command(organization):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "create_user",
        "cliadmin",
        "--organization",
        organization.code,
        "--name",
        "管理 太郎",
        "--role",
        "システム管理者",
        "--role",
        "職員",
        stdout=out,
    )
    password = out.getvalue().rsplit(": ", 1)[1].strip()
    user = User.objects.get(username="cliadmin")
    assert user.check_password(password)
    assert user.must_change_password
    assert set(user.memberships.values_list("role", flat=True)) == {Role.SYSTEM_ADMIN, Role.STAFF}
    with pytest.raises(CommandError):
        call_command(
            "create_user",
            "CLIADMIN",
            "--organization",
            organization.code,
            "--name",
            "重複",
            "--role",
            "職員",
            stderr=StringIO(),
        )


def test_import_users_command(organization, tmp_path, settings):  # type: ignore[no-untyped-def]
    from hagukumi.accounts.tests.test_users_import import row, users_file

    settings.HAGUKUMI_DATA_DIR = tmp_path
    path = tmp_path / "users.csv"
    path.write_bytes(users_file([row("c1"), row("c2", "人事担当")], format="csv"))
    out = StringIO()
    call_command(
        "import_users", str(path), "--organization", organization.name, "--dry-run", stdout=out
    )
    assert "新規 2件" in out.getvalue()
    assert not User.objects.filter(username="c1").exists()
    call_command("import_users", str(path), "--organization", organization.code, stdout=StringIO())
    assert User.objects.get(username="c2").memberships.get().role == Role.HR
