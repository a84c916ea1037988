"""Writes of the user administration that reach beyond core: a user and their staff link.

Each composes core.user_admin's services (the rules, the audit) with people's
link by 職員番号, in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from hagukumi.core.models import User
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.selectors import access_user_by_id
from hagukumi.core.user_admin.services import MembershipSpec, UserCreated, user_create
from hagukumi.people.models import Staff
from hagukumi.people.services.user_links import staff_user_link_by_number


@transaction.atomic
def user_register(
    *,
    actor: Actor,
    username: str,
    display_name: str,
    email: str = "",
    membership: MembershipSpec,
    staff_number: str = "",
    today: dt.date | None = None,
) -> UserCreated:
    """A new user with one role and a one-time password shown once; linked to 職員番号."""
    created = user_create(
        actor=actor,
        username=username,
        display_name=display_name,
        email=email,
        memberships=[membership],
        password_now=True,
        today=today,
    )
    if staff_number.strip():
        staff_user_link_by_number(actor=actor, user=created.user, number=staff_number)
    return created


@transaction.atomic
def user_staff_link(*, actor: Actor, user_id: int, staff_number: str) -> Staff | None:
    """Link a user of the 団体 to the staff record of `staff_number` ("" unlinks)."""
    user: User = access_user_by_id(actor=actor, user_id=user_id)
    return staff_user_link_by_number(actor=actor, user=user, number=staff_number)


__all__ = ["user_register", "user_staff_link"]
