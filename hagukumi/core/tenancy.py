"""Who is acting, in which 団体, with which roles.

Every view and API call works for an `Actor`: the logged-in user inside one
団体 (their *active* organization, chosen at login when they belong to several).
Services and selectors take the actor as a keyword argument and check access
themselves (`core.access`), so the rules hold for the web, the API and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hagukumi.core.models import Membership, Role

if TYPE_CHECKING:
    from django.http import HttpRequest

    from hagukumi.core.models import User

SESSION_ORGANIZATION_KEY = "hagukumi_organization_id"


@dataclass(frozen=True)
class Actor:
    """A user acting inside one 団体. `organization` is an orgs.Organization instance."""

    user: User
    organization: Any | None
    roles: frozenset[str] = field(default_factory=frozenset)
    # Units the user heads (所属長); access to "unit and below" is resolved by orgs.
    headed_unit_ids: frozenset[int] = field(default_factory=frozenset)
    # Every 団体 the user holds a role in (the active one included), in a stable order.
    organizations: tuple[Any, ...] = ()

    @property
    def organization_id(self) -> int | None:
        return getattr(self.organization, "pk", None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.roles]

    @property
    def has_several_organizations(self) -> bool:
        return len(self.organizations) > 1


def organizations_of(user: User) -> list[Any]:
    """The 団体 a user holds any role in, in a stable order."""
    seen: dict[int, Any] = {}
    for m in (
        Membership.objects.filter(user=user)
        .select_related("organization__prefecture")
        .order_by("organization_id", "role")
    ):
        seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def actor_for(user: User, organization_id: int | None = None) -> Actor:
    """Build the actor for `user` in `organization_id` (default: their first 団体). One query."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization__prefecture")
        .order_by("organization_id", "role")
    )
    if not memberships:
        return Actor(user=user, organization=None)
    organizations: dict[int, Any] = {}
    for m in memberships:
        organizations.setdefault(m.organization_id, m.organization)
    if organization_id not in organizations:
        organization_id = memberships[0].organization_id
    mine = [m for m in memberships if m.organization_id == organization_id]
    return Actor(
        user=user,
        organization=mine[0].organization,
        roles=frozenset(m.role for m in mine),
        headed_unit_ids=frozenset(
            m.unit_id for m in mine if m.role == Role.UNIT_HEAD and m.unit_id is not None
        ),
        organizations=tuple(organizations.values()),
    )


def request_actor(request: HttpRequest) -> Actor | None:
    """The actor TenantMiddleware attached to `request`, or None for an anonymous visitor."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return None
    return actor
