"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py)."""

from __future__ import annotations

from typing import Any

from hagukumi.core.models import Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory


def _user(world: Any) -> dict[str, Any]:
    user = UserFactory()
    MembershipFactory(user=user, organization=world.organization, role=Role.STAFF)
    return {"pk": user.pk}


def _membership(world: Any) -> dict[str, Any]:
    membership = MembershipFactory(organization=world.organization, role=Role.DX_OFFICE)
    return {"pk": membership.pk}


ROUTE_KWARGS = {
    "accounts:user_detail": _user,
    "accounts:user_edit": _user,
    "accounts:user_deactivate": _user,
    "accounts:user_reactivate": _user,
    "accounts:user_unlock": _user,
    "accounts:user_password_reset": _user,
    "accounts:membership_add": _user,
    "accounts:user_staff_link": _user,
    "accounts:membership_end": _membership,
}
