"""What the user administration pages show: core's users with their staff links (people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.auth import is_locked
from hagukumi.core.models import AuditEvent, Membership, Role, User
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.selectors import (
    access_user_by_id,
    locked_users,
    pending_initial_password_count,
    user_other_organization_names,
    users_export_rows,
    users_of,
)
from hagukumi.core.user_admin.services import role_problem
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.selectors.user_links import LinkedStaff, staff_links_of_users


def role_choices_for(*, actor: Actor) -> list[tuple[str, str]]:
    """The roles the actor's 団体 may hold (都道府県支援担当 only in a prefecture)."""
    return [
        (str(value), str(label))
        for value, label in Role.choices
        if role_problem(role=value, organization=actor.organization) is None
    ]


def fiscal_year_choices(*, today: dt.date | None = None) -> list[tuple[int, str]]:
    """Last, this and the next two 年度, for a membership's FY bounds."""
    current = fiscal_year_of(today or timezone.localdate())
    return [(fy, format_fiscal_year(fy)) for fy in range(current - 1, current + 3)]


def unit_choices_for(*, actor: Actor, today: dt.date | None = None) -> list[tuple[int, str]]:
    """Units of this 年度 and the next (a 所属長 may be prepared for 4月1日)."""
    current = fiscal_year_of(today or timezone.localdate())
    found: dict[int, Any] = {}
    for fiscal_year in (current, current + 1):
        for unit in units_valid_in(
            organization=actor.organization_id or 0, fiscal_year=fiscal_year
        ):
            found.setdefault(unit.pk, unit)
    units = sorted(found.values(), key=lambda u: (u.code, u.valid_from_fy))

    def label(unit: Any) -> str:
        span = format_fiscal_year(unit.valid_from_fy, with_western=False) + "〜"
        if unit.valid_to_fy:
            span += format_fiscal_year(unit.valid_to_fy, with_western=False)
        return f"{unit.name}（{unit.code}、{span}）"

    return [(unit.pk, label(unit)) for unit in units]


@dataclass(frozen=True)
class UserRow:
    user: User
    memberships: list[Membership]
    staff: LinkedStaff | None
    locked: bool


def user_rows(*, actor: Actor, query: str = "", status: str = "") -> list[UserRow]:
    """The user list: each user with their roles here and their staff record (3 queries)."""
    users = users_of(actor=actor, query=query, status=status)
    links = staff_links_of_users(actor=actor, user_ids=[u.pk for u in users])
    now = timezone.now()
    return [
        UserRow(
            user=u,
            memberships=list(getattr(u, "organization_memberships", [])),
            staff=links.get(u.pk),
            locked=is_locked(u, now=now),
        )
        for u in users
    ]


@dataclass(frozen=True)
class UsersOverview:
    locked: int
    pending: int


def users_overview(*, actor: Actor) -> UsersOverview:
    return UsersOverview(
        locked=len(locked_users(actor=actor)),
        pending=pending_initial_password_count(actor=actor),
    )


@dataclass(frozen=True)
class MembershipLine:
    membership: Membership
    in_force: bool
    fiscal_years: str


@dataclass(frozen=True)
class UserPage:
    user: User
    memberships: list[MembershipLine]
    staff: LinkedStaff | None
    locked: bool
    other_organizations: list[str]


def _span(m: Membership) -> str:
    if m.fiscal_year_from is None and m.fiscal_year_to is None:
        return "指定なし"
    start = format_fiscal_year(m.fiscal_year_from) if m.fiscal_year_from else ""
    end = format_fiscal_year(m.fiscal_year_to) if m.fiscal_year_to else ""
    return f"{start}〜{end}"


def user_page(*, actor: Actor, user_id: int, today: dt.date | None = None) -> UserPage:
    """One user of the 団体 (AccessDenied → 404 otherwise)."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    fiscal_year = fiscal_year_of(today or timezone.localdate())
    memberships = [
        MembershipLine(m, m.is_in_force(fiscal_year), _span(m))
        for m in getattr(user, "organization_memberships", [])
    ]
    return UserPage(
        user=user,
        memberships=memberships,
        staff=staff_links_of_users(actor=actor, user_ids=[user.pk]).get(user.pk),
        locked=is_locked(user),
        other_organizations=user_other_organization_names(actor=actor, user=user),
    )


def users_export(*, actor: Actor) -> list[dict[str, Any]]:
    """The users file as the import reads it (plus 状態); one audit 出力 record."""
    rows = users_export_rows(actor=actor)
    links = staff_links_of_users(actor=actor, user_ids=[r.user.pk for r in rows])
    out = []
    for row in rows:
        link = links.get(row.user.pk)
        out.append(
            {
                "username": row.user.username,
                "display_name": row.user.display_name,
                "staff_number": link.number if link is not None else "",
                "roles": "、".join(row.roles),
                "unit_code": "、".join(row.unit_codes),
                "email": row.user.email,
                "status": "有効" if row.is_active else "無効",
            }
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target_type=User._meta.label,
        target_repr="利用者と役割",
        detail={"rows": len(out)},
    )
    return out


__all__ = [
    "MembershipLine",
    "UserPage",
    "UserRow",
    "UsersOverview",
    "fiscal_year_choices",
    "role_choices_for",
    "unit_choices_for",
    "user_page",
    "user_rows",
    "users_export",
    "users_overview",
]
