"""Reads of 利用者と役割の管理: the users of the actor's 団体 (システム管理者 only).

A user belongs to a 団体 when they hold (or held, or will hold) a role there:
any Membership row of that 団体, whatever its FY bounds. Everything else is
AccessDenied (404), a user of another 団体 included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from hagukumi.core.access import acting_organization_id, require_role
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import Membership, Role, User
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of

ADMIN_ROLES: tuple[str, ...] = (Role.SYSTEM_ADMIN,)


class UserStatus:
    """The filters of the user list (値 → 表示)."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    LOCKED = "locked"
    PENDING = "pending"
    CHOICES: tuple[tuple[str, str], ...] = (
        ("", "すべて"),
        (ACTIVE, "有効"),
        (INACTIVE, "無効"),
        (LOCKED, "ロック中"),
        (PENDING, "初期パスワード未発行"),
    )


def _require_admin(actor: Actor) -> None:
    require_role(actor, *ADMIN_ROLES)


def _members_of(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(organization_id=organization_id).values("user_id")
    )


def _with_memberships(qs: QuerySet[User], organization_id: int) -> QuerySet[User]:
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(organization_id=organization_id)
            .select_related("unit")
            .order_by("role", "fiscal_year_from", "pk"),
            to_attr="organization_memberships",
        )
    )


def users_of(
    *, actor: Actor, query: str = "", status: str = "", now: dt.datetime | None = None
) -> list[User]:
    """The users of the actor's 団体 with their memberships there (`organization_memberships`).

    `query` matches ユーザー名 or 氏名 (part of it); `status` one of UserStatus. Two queries.
    """
    _require_admin(actor)
    now = now or timezone.now()
    qs = _members_of(acting_organization_id(actor))
    text = query.strip()
    if text:
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    if status == UserStatus.ACTIVE:
        qs = qs.filter(is_active=True)
    elif status == UserStatus.INACTIVE:
        qs = qs.filter(is_active=False)
    elif status == UserStatus.LOCKED:
        qs = qs.filter(locked_until__gt=now)
    elif status == UserStatus.PENDING:
        qs = qs.filter(initial_password_pending=True, is_active=True)
    return list(_with_memberships(qs.order_by("username"), acting_organization_id(actor)))


def access_user_by_id(*, actor: Actor, user_id: int | str) -> User:
    """A user of the actor's 団体 (システム管理者 only); AccessDenied (404) otherwise."""
    _require_admin(actor)
    try:
        return _with_memberships(
            _members_of(acting_organization_id(actor)), acting_organization_id(actor)
        ).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


def access_membership_by_id(*, actor: Actor, membership_id: int | str) -> Membership:
    """A membership of the actor's 団体 (システム管理者 only); AccessDenied (404) otherwise."""
    _require_admin(actor)
    try:
        return Membership.objects.select_related("user", "unit", "organization").get(
            pk=membership_id, organization_id=acting_organization_id(actor)
        )
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


def user_other_organization_names(*, actor: Actor, user: User) -> list[str]:
    """Names of the other 団体 the user holds a role in (deactivation is theirs to share)."""
    _require_admin(actor)
    rows = (
        Membership.objects.filter(user=user)
        .exclude(organization_id=acting_organization_id(actor))
        .select_related("organization")
        .order_by("organization_id")
    )
    names: dict[int, str] = {}
    for m in rows:
        names.setdefault(m.organization_id, str(m.organization))
    return list(names.values())


def locked_users(*, actor: Actor, now: dt.datetime | None = None) -> list[User]:
    """Accounts of the 団体 locked now (too many wrong passwords, core.auth)."""
    return users_of(actor=actor, status=UserStatus.LOCKED, now=now)


def pending_initial_password_count(*, actor: Actor) -> int:
    """Active users of the 団体 whose one-time password has not been issued yet."""
    _require_admin(actor)
    return (
        _members_of(acting_organization_id(actor))
        .filter(initial_password_pending=True, is_active=True)
        .count()
    )


def memberships_in_force_now(
    memberships: Iterable[Membership], *, today: dt.date | None = None
) -> list[Membership]:
    """The rows of `memberships` held in the current 年度."""
    fiscal_year = fiscal_year_of(today or timezone.localdate())
    return [m for m in memberships if m.is_in_force(fiscal_year)]


@dataclass(frozen=True)
class UserExportRow:
    """One user as the import reads them back (roles held this 年度)."""

    user: User
    roles: list[str]  # Japanese labels
    unit_codes: list[str]
    is_active: bool


def users_export_rows(*, actor: Actor, today: dt.date | None = None) -> list[UserExportRow]:
    """Every user of the 団体 with the roles held this 年度 (what `import_users` reads)."""
    labels = dict(Role.choices)
    rows = []
    for user in users_of(actor=actor):
        held = memberships_in_force_now(_memberships(user), today=today)
        rows.append(
            UserExportRow(
                user=user,
                roles=[str(labels[m.role]) for m in held],
                unit_codes=[m.unit.code for m in held if m.unit is not None],
                is_active=user.is_active,
            )
        )
    return rows


def _memberships(user: Any) -> list[Membership]:
    return list(getattr(user, "organization_memberships", []))


__all__ = [
    "ADMIN_ROLES",
    "UserExportRow",
    "UserStatus",
    "access_membership_by_id",
    "access_user_by_id",
    "locked_users",
    "memberships_in_force_now",
    "pending_initial_password_count",
    "user_other_organization_names",
    "users_export_rows",
    "users_of",
]
