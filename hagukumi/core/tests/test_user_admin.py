"""利用者と役割の管理 (core.user_admin): the rules on users and memberships, and sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Membership, Role, User
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.core.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from hagukumi.core.user_admin import selectors, services
from hagukumi.core.user_admin.services import MembershipSpec
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import OrganizationKind
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

pytestmark = pytest.mark.django_db

FY = fiscal_year_of(timezone.localdate())


@pytest.fixture(autouse=True)
def _fast_hasher(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin(user_with_role, organization):  # type: ignore[no-untyped-def]
    return actor_for(user_with_role(Role.SYSTEM_ADMIN), organization.pk)


def _create(actor: Actor, username: str = "yamada", **kw) -> services.UserCreated:  # type: ignore[no-untyped-def]
    specs = kw.pop("memberships", [MembershipSpec(role=Role.STAFF)])
    return services.user_create(
        actor=actor, username=username, display_name="山田 太郎", memberships=specs, **kw
    )


def test_create_sets_a_one_time_password_and_forces_a_change(admin):  # type: ignore[no-untyped-def]
    created = _create(admin)
    user = created.user
    assert created.password
    assert user.check_password(created.password)
    assert user.must_change_password
    assert not user.initial_password_pending
    assert list(user.memberships.values_list("role", flat=True)) == [Role.STAFF]
    # The clear text is nowhere in the audit log.
    assert not AuditEvent.objects.filter(detail__icontains=created.password).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, target_id=str(user.pk)
    ).exists()


def test_create_without_a_password_waits_for_the_download(admin):  # type: ignore[no-untyped-def]
    created = _create(admin, password_now=False)
    assert created.password is None
    assert not created.user.has_usable_password()
    assert created.user.initial_password_pending
    issued = services.initial_passwords_issue(actor=admin)
    assert [p.username for p in issued] == ["yamada"]
    created.user.refresh_from_db()
    assert created.user.check_password(issued[0].password)
    assert not created.user.initial_password_pending
    # Once only.
    assert services.initial_passwords_issue(actor=admin) == []


def test_duplicate_usernames_are_refused_ignoring_case(admin):  # type: ignore[no-untyped-def]
    _create(admin, "Yamada")
    with pytest.raises(ApplicationError, match="既に使われています"):
        _create(admin, "yamada")


def test_only_the_system_admin_manages_users(user_with_role, organization):  # type: ignore[no-untyped-def]
    hr = actor_for(user_with_role(Role.HR), organization.pk)
    with pytest.raises(AccessDenied):
        _create(hr)
    with pytest.raises(AccessDenied):
        selectors.users_of(actor=hr)


def test_prefecture_support_only_in_a_prefecture(admin, organization):  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="都道府県の団体でのみ"):
        _create(admin, memberships=[MembershipSpec(role=Role.PREFECTURE_SUPPORT)])
    prefecture = OrganizationFactory(kind=OrganizationKind.PREFECTURE)
    pref_admin = UserFactory()
    MembershipFactory(user=pref_admin, organization=prefecture, role=Role.SYSTEM_ADMIN)
    actor = actor_for(pref_admin, prefecture.pk)
    _create(actor, memberships=[MembershipSpec(role=Role.PREFECTURE_SUPPORT)])


def test_unknown_role_text():  # type: ignore[no-untyped-def]
    assert services.roles_from_text("人事担当、職員") == [Role.HR, Role.STAFF]
    with pytest.raises(ApplicationError, match="役割「課長」はありません"):
        services.roles_from_text("課長")


def test_unit_head_needs_a_unit_of_this_organization_and_year(admin, organization):  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="所属を指定"):
        _create(admin, memberships=[MembershipSpec(role=Role.UNIT_HEAD)])
    foreign = UnitFactory(organization=OrganizationFactory())
    with pytest.raises(ApplicationError, match="この団体の所属ではありません"):
        _create(admin, memberships=[MembershipSpec(role=Role.UNIT_HEAD, unit=foreign)])
    closed = UnitFactory(organization=organization, valid_from_fy=2000, valid_to_fy=2001)
    with pytest.raises(ApplicationError, match="組織にありません"):
        _create(admin, memberships=[MembershipSpec(role=Role.UNIT_HEAD, unit=closed)])
    with pytest.raises(ApplicationError, match="所属長だけ"):
        _create(admin, memberships=[MembershipSpec(role=Role.HR, unit=closed)])
    # A unit that closes this year: the role ends with it.
    closing = UnitFactory(organization=organization, valid_from_fy=2020, valid_to_fy=FY)
    created = _create(admin, memberships=[MembershipSpec(role=Role.UNIT_HEAD, unit=closing)])
    membership = created.user.memberships.get()
    assert membership.fiscal_year_to == FY


def test_membership_for_next_year_counts_only_then(admin, organization):  # type: ignore[no-untyped-def]
    unit = UnitFactory(organization=organization)
    created = _create(
        admin,
        memberships=[
            MembershipSpec(role=Role.STAFF),
            MembershipSpec(role=Role.UNIT_HEAD, unit=unit, fiscal_year_from=FY + 1),
        ],
    )
    actor = actor_for(created.user, organization.pk)
    assert actor.roles == {Role.STAFF}
    assert not actor.headed_unit_ids


def test_the_last_system_admin_stays(admin, organization):  # type: ignore[no-untyped-def]
    me = admin.user
    other = _create(admin, "second", memberships=[MembershipSpec(role=Role.SYSTEM_ADMIN)]).user
    services.user_deactivate(actor=admin, user_id=other.pk)
    mine = Membership.objects.get(user=me, role=Role.SYSTEM_ADMIN)
    with pytest.raises(ApplicationError, match="最後のシステム管理者"):
        services.membership_end(actor=admin, membership_id=mine.pk)
    # The command line cannot remove the last one either.
    cli = Actor.command_line(organization)
    with pytest.raises(ApplicationError, match="最後のシステム管理者"):
        services.user_deactivate(actor=cli, user_id=me.pk)
    with pytest.raises(ApplicationError, match="自分自身"):
        services.user_deactivate(actor=admin, user_id=me.pk)


def test_deactivation_refused_for_a_user_of_another_organization_too(admin):  # type: ignore[no-untyped-def]
    user = _create(admin).user
    MembershipFactory(user=user, organization=OrganizationFactory(), role=Role.STAFF)
    with pytest.raises(ApplicationError, match="他の団体"):
        services.user_deactivate(actor=admin, user_id=user.pk)


def test_a_user_of_another_organization_is_not_found(admin):  # type: ignore[no-untyped-def]
    stranger = UserFactory()
    MembershipFactory(user=stranger, organization=OrganizationFactory(), role=Role.STAFF)
    for call in (
        lambda: selectors.access_user_by_id(actor=admin, user_id=stranger.pk),
        lambda: services.user_deactivate(actor=admin, user_id=stranger.pk),
        lambda: services.user_password_reset(actor=admin, user_id=stranger.pk),
        lambda: services.user_unlock(actor=admin, user_id=stranger.pk),
    ):
        with pytest.raises(AccessDenied):
            call()
    stranger.refresh_from_db()
    assert stranger.is_active


def test_deactivating_ends_the_sessions_at_once(admin, organization):  # type: ignore[no-untyped-def]
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("core:home")).status_code == 200
    services.user_deactivate(actor=admin, user_id=user.pk)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]
    services.user_reactivate(actor=admin, user_id=user.pk)
    # The old session stays ended; a fresh login works.
    assert client.get(reverse("core:home")).status_code == 302
    assert Client().login(username=user.username, password=TEST_PASSWORD)


def test_password_reset_ends_sessions_and_forces_a_change(admin, organization):  # type: ignore[no-untyped-def]
    user = UserFactory(locked_until=timezone.now() + dt.timedelta(minutes=5))
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    password = services.user_password_reset(actor=admin, user_id=user.pk)
    user.refresh_from_db()
    assert user.check_password(password)
    assert user.must_change_password
    assert user.locked_until is None
    assert client.get(reverse("core:home")).status_code == 302


def test_forced_password_change_at_first_login(admin, organization):  # type: ignore[no-untyped-def]
    created = _create(admin)
    client = Client()
    assert client.login(username="yamada", password=created.password)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:password_change")
    assert client.get(reverse("core:password_change")).status_code == 200
    # The same password again is refused.
    same = client.post(
        reverse("core:password_change"),
        {
            "old_password": created.password,
            "new_password1": created.password,
            "new_password2": created.password,
        },
    )
    assert "異なるパスワード" in same.content.decode()
    # Django's validators apply.
    weak = client.post(
        reverse("core:password_change"),
        {"old_password": created.password, "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 200
    created.user.refresh_from_db()
    assert created.user.must_change_password
    done = client.post(
        reverse("core:password_change"),
        {
            "old_password": created.password,
            "new_password1": "kawa-no-nagare-2026",
            "new_password2": "kawa-no-nagare-2026",
        },
    )
    assert done.status_code == 200
    created.user.refresh_from_db()
    assert not created.user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_locked_accounts_listed_and_unlocked(admin, organization):  # type: ignore[no-untyped-def]
    user = UserFactory(locked_until=timezone.now() + dt.timedelta(minutes=5), failed_login_count=5)
    MembershipFactory(user=user, organization=organization, role=Role.STAFF)
    assert [u.pk for u in selectors.locked_users(actor=admin)] == [user.pk]
    services.user_unlock(actor=admin, user_id=user.pk)
    user.refresh_from_db()
    assert user.locked_until is None
    assert user.failed_login_count == 0
    assert selectors.locked_users(actor=admin) == []
    assert AuditEvent.objects.filter(target_id=str(user.pk), detail__unlocked=True).exists()


def test_memberships_sync(admin, organization):  # type: ignore[no-untyped-def]
    unit = UnitFactory(organization=organization)
    user = _create(admin, memberships=[MembershipSpec(role=Role.STAFF)]).user
    added, ended = services.memberships_sync(
        actor=admin,
        user=user,
        specs=[MembershipSpec(role=Role.HR), MembershipSpec(role=Role.UNIT_HEAD, unit=unit)],
    )
    assert added == ["人事担当", f"所属長（{unit.name}）"]
    assert ended == ["職員"]
    assert set(user.memberships.values_list("role", flat=True)) == {Role.HR, Role.UNIT_HEAD}


def test_membership_move_for_the_switch(organization):  # type: ignore[no-untyped-def]
    old = UnitFactory(organization=organization, code="A", valid_from_fy=2020, valid_to_fy=FY)
    new = UnitFactory(organization=organization, code="A", valid_from_fy=FY + 1)
    head = UserFactory()
    membership = MembershipFactory(
        user=head, organization=organization, role=Role.UNIT_HEAD, unit=old, fiscal_year_to=FY
    )
    cli = Actor.command_line(organization)
    moved = services.membership_move(actor=cli, membership=membership, unit=new, fiscal_year=FY + 1)
    assert moved is not None
    assert moved.fiscal_year_from == FY + 1
    assert moved.unit == new
    membership.refresh_from_db()
    assert membership.fiscal_year_to == FY
    # Until 4月1日 the old unit still counts.
    assert actor_for(head, organization.pk).headed_unit_ids == {old.pk}
    other = Actor.command_line(OrganizationFactory())
    with pytest.raises(AccessDenied):
        services.membership_move(actor=other, membership=membership, unit=None, fiscal_year=FY)


def test_users_of_filters_and_query_count(admin, organization, django_assert_num_queries):  # type: ignore[no-untyped-def]
    for n in range(5):
        _create(admin, f"user-{n}", password_now=False)
    with django_assert_num_queries(2):
        users = selectors.users_of(actor=admin)
        assert len(users) == 6
        assert all(hasattr(u, "organization_memberships") for u in users)
    assert len(selectors.users_of(actor=admin, status=selectors.UserStatus.PENDING)) == 5
    assert [u.username for u in selectors.users_of(actor=admin, query="user-3")] == ["user-3"]


def test_user_update_audits_the_change(admin):  # type: ignore[no-untyped-def]
    user = _create(admin).user
    services.user_update(
        actor=admin, user_id=user.pk, display_name="山田 花子", email="h@example.jp"
    )
    user.refresh_from_db()
    assert user.display_name == "山田 花子"
    event = AuditEvent.objects.filter(target_id=str(user.pk), action="update").first()
    assert event is not None
    assert event.detail["changes"]["display_name"] == [
        "山田 太郎",
        "山田 花子",
    ]
    assert User.objects.filter(pk=user.pk).exists()
