"""Linking a login to its staff record by 職員番号 (the user administration, ADR 0009)."""

from __future__ import annotations

from django.db import transaction

from hagukumi.core.access import acting_organization_id
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import User
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff
from hagukumi.people.selectors.user_links import staff_for_user_link
from hagukumi.people.services.staff import staff_user_link


@transaction.atomic
def staff_user_link_by_number(*, actor: Actor, user: User, number: str) -> Staff | None:
    """Make `user` the login of the staff member with 職員番号 `number` ("" unlinks).

    Refused when that record already belongs to another login, so an import
    never moves a link silently. Returns the staff record now linked (None: none).
    """
    number = (number or "").strip()
    current = Staff.objects.filter(organization_id=acting_organization_id(actor), user=user).first()
    if not number:
        if current is not None:
            staff_user_link(actor=actor, staff=current, user=None)
        return None
    staff = staff_for_user_link(actor=actor, number=number)
    if staff.user_id is not None and staff.user_id != user.pk:
        raise ApplicationError(f"職員番号「{number}」の職員は、既に別の利用者に紐付いています。")
    if current is not None and current.pk == staff.pk:
        return staff
    if current is not None:
        staff_user_link(actor=actor, staff=current, user=None)
    return staff_user_link(actor=actor, staff=staff, user=user)


__all__ = ["staff_user_link_by_number"]
