"""Which staff record a login belongs to, for the user administration (ADR 0009).

For 人事担当 and システム管理者 of the 団体 only: the 職員番号 and 氏名 of the linked
record (what the user pages show), nothing else of the staff record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hagukumi.core.access import acting_organization_id, require_role
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff

LINK_ROLES: tuple[str, ...] = (Role.HR, Role.SYSTEM_ADMIN)


@dataclass(frozen=True)
class LinkedStaff:
    staff_id: int
    number: str
    name: str


def staff_links_of_users(*, actor: Actor, user_ids: Iterable[int]) -> dict[int, LinkedStaff]:
    """{user id: the staff record linked to it} in the actor's 団体. One query."""
    require_role(actor, *LINK_ROLES)
    rows = Staff.objects.filter(
        organization_id=acting_organization_id(actor), user_id__in=list(user_ids)
    ).values_list("user_id", "pk", "number", "name")
    return {user_id: LinkedStaff(pk, number, name) for user_id, pk, number, name in rows}


def staff_for_user_link(*, actor: Actor, number: str) -> Staff:
    """The staff record of 職員番号 `number` in the actor's 団体 (ApplicationError if none)."""
    require_role(actor, *LINK_ROLES)
    staff = Staff.objects.filter(
        organization_id=acting_organization_id(actor), number=number
    ).first()
    if staff is None:
        raise ApplicationError(f"職員番号「{number}」の職員は登録されていません。")
    return staff


__all__ = ["LINK_ROLES", "LinkedStaff", "staff_for_user_link", "staff_links_of_users"]
