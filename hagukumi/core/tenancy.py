"""Who is acting, in which 団体, with which roles (docs/adr/0005-who-is-acting.md).

Every service and selector takes `actor: Actor` as a required keyword argument
and checks access itself (`core.access`), so the rules hold for the web, the
API, the CLI and the job worker. There are exactly three kinds of actor:

- `ActorKind.WEB`: a logged-in user inside one 団体 (their *active*
  organization, chosen at login when they belong to several); built per
  request by `TenantMiddleware` (`request.actor`, read with
  `core.web.actor_of`). A job submitted from the web runs as this actor again
  (`core.jobs.job_actor`), its roles re-read when the job starts.
- `ActorKind.COMMAND_LINE`: `Actor.command_line(organization)`, the server's
  operator running a management command *for one 団体*: every 団体-wide role
  of that 団体 (DX推進担当, 人事担当, システム管理者), no unit, no user.
- `ActorKind.SYSTEM`: `Actor.system()`, the operator acting across every 団体
  (seed case import, reindexing, the case search command). It has no 団体 and
  no role: selectors that serve it say so explicitly (`actor.is_system`);
  everything else gives it nothing, like any actor without a 団体.

`None` is never an actor: a selector given no actor has nobody to serve.
The audit log names both operator kinds 「コマンドライン」 (COMMAND_LINE_LABEL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hagukumi.core.models import Membership, Role, membership_in_force
from hagukumi.core.wareki import fiscal_year_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from hagukumi.core.models import User

SESSION_ORGANIZATION_KEY = "hagukumi_organization_id"
# The one name the audit log (and every message) gives the operator of a command.
COMMAND_LINE_LABEL = "コマンドライン"
# The roles the command line holds in its 団体: every 団体-wide role.
COMMAND_LINE_ROLES = frozenset({Role.DX_OFFICE, Role.HR, Role.SYSTEM_ADMIN})


class ActorKind(StrEnum):
    WEB = "web"
    COMMAND_LINE = "command_line"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts: a web user in one 団体, the command line for one 団体, or the system.

    `organization` is an orgs.Organization instance (None: no 団体, sees nothing
    unless the selector serves `is_system`). Build the operator kinds with
    `Actor.command_line(organization)` and `Actor.system()`, never by hand.
    """

    user: User | None
    organization: Any | None
    roles: frozenset[str] = field(default_factory=frozenset)
    # Units the user heads (所属長); access to "unit and below" is resolved by orgs.
    headed_unit_ids: frozenset[int] = field(default_factory=frozenset)
    # Every 団体 the user holds a role in (the active one included), in a stable order.
    organizations: tuple[Any, ...] = ()
    kind: ActorKind = ActorKind.WEB

    def __post_init__(self) -> None:
        if self.kind == ActorKind.WEB and self.user is None:
            raise ValueError("a web actor needs a user; use Actor.command_line() or Actor.system()")

    @classmethod
    def command_line(cls, organization: Any) -> Actor:
        """The operator of a management command, for one 団体 (every 団体-wide role)."""
        if organization is None:
            raise ValueError("Actor.command_line needs a 団体; use Actor.system() across 団体")
        return cls(
            user=None,
            organization=organization,
            roles=COMMAND_LINE_ROLES,
            organizations=(organization,),
            kind=ActorKind.COMMAND_LINE,
        )

    @classmethod
    def system(cls) -> Actor:
        """The operator acting across every 団体 (no 団体, no role; see module docstring)."""
        return cls(user=None, organization=None, kind=ActorKind.SYSTEM)

    @property
    def is_command_line(self) -> bool:
        return self.kind == ActorKind.COMMAND_LINE

    @property
    def is_system(self) -> bool:
        return self.kind == ActorKind.SYSTEM

    @property
    def is_operator(self) -> bool:
        """The command line or the system: the server's operator, not a web user."""
        return self.kind != ActorKind.WEB

    @property
    def audit_username(self) -> str:
        """What the audit log's 利用者 column shows for this actor."""
        if self.user is not None:
            return self.user.get_username()
        return COMMAND_LINE_LABEL

    @property
    def display_name(self) -> str:
        """The actor as shown to people (氏名 when the user has one)."""
        if self.user is None:
            return COMMAND_LINE_LABEL
        full = self.user.get_full_name() if hasattr(self.user, "get_full_name") else ""
        return full or self.user.get_username()

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


def _memberships_in_force(user: User) -> Any:
    """The user's memberships held in the current 年度 (their FY bounds cover it)."""
    fiscal_year = fiscal_year_of(timezone.localdate())
    return Membership.objects.filter(user=user).filter(membership_in_force(fiscal_year))


def organizations_of(user: User) -> list[Any]:
    """The 団体 a user holds any role in (this 年度), in a stable order."""
    seen: dict[int, Any] = {}
    for m in (
        _memberships_in_force(user)
        .select_related("organization__prefecture")
        .order_by("organization_id", "role")
    ):
        seen.setdefault(m.organization_id, m.organization)
    return list(seen.values())


def actor_for(user: User, organization_id: int | None = None) -> Actor:
    """Build the actor for `user` in `organization_id` (default: their first 団体). One query.

    Only memberships in force in the current 年度 count (a 所属長 prepared for next
    year gets its rights on 4月1日, ADR 0009).
    """
    memberships = list(
        _memberships_in_force(user)
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
