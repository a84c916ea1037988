"""Registries that higher apps fill from their AppConfig.ready().

core renders the navigation, the home page and the staff profile page from
these, and orgs renders its org-chart units, so a new app adds a menu entry, a
home panel, a profile panel or a unit panel without core or orgs importing it:

- `NavItem`: an entry of the main navigation (`register_nav_item`).
- `HomePanel`: a panel on the home page, e.g. plans' 今年度の目標 or
  training's 受付中の研修 (`register_home_panel`, `render_home_panels`).
- `ProfilePanel`: a panel on a staff member's profile page.
- `UnitPanel`: what an app shows on one unit of the org chart, e.g. people's
  在籍職員数 and DX推進リーダー (`register_unit_panel`, `render_unit_panels`).
- Unit occupants: who works in units the org-chart import is about to close,
  as text per unit code (people: 在籍職員 and DX推進リーダー), so that the dry
  run can say it (`register_unit_occupants`, `unit_occupants`).

Every panel declares the roles that see it (empty: every user) and renders
HTML (a SafeString, e.g. from `render_to_string`); a render that returns ""
shows nothing. The other registries live beside what they serve: metrics in
`core.metrics` (numbers plans and support show), job kinds in `core.jobs`,
usage checkers in `frameworks.usage`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hagukumi.core.tenancy import Actor


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    key: str
    label: str
    url_name: str
    order: int = 100
    # Roles that see the entry; empty means every logged-in user.
    roles: frozenset[str] = field(default_factory=frozenset)

    def visible_to(self, actor: Actor) -> bool:
        return not self.roles or actor.has_role(*self.roles)


@dataclass(frozen=True)
class ProfilePanel:
    """A panel on the staff profile page, rendered by `render(actor=…, staff=…)`."""

    key: str
    title: str
    render: Callable[..., str]
    order: int = 100
    roles: frozenset[str] = field(default_factory=frozenset)

    def visible_to(self, actor: Actor) -> bool:
        return not self.roles or actor.has_role(*self.roles)


@dataclass(frozen=True)
class HomePanel:
    """A panel on the home page, rendered by `render(actor=…)`, for `roles` (empty: all)."""

    key: str
    title: str
    render: Callable[..., str]
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100

    def visible_to(self, actor: Actor) -> bool:
        return not self.roles or actor.has_role(*self.roles)


@dataclass(frozen=True)
class UnitPanel:
    """What an app shows on one org-chart unit: `render(actor=…, unit=…, fiscal_year=…)`.

    `unit` is the orgs.Unit version shown; `fiscal_year` the year of the chart.
    The render checks its own access (it gets an actor of the unit's 団体 from
    orgs, but must not trust that) and returns "" when it has nothing to show.
    """

    key: str
    title: str
    render: Callable[..., str]
    order: int = 100
    roles: frozenset[str] = field(default_factory=frozenset)

    def visible_to(self, actor: Actor) -> bool:
        return not self.roles or actor.has_role(*self.roles)


_nav: dict[str, NavItem] = {}
_panels: dict[str, ProfilePanel] = {}
_home_panels: dict[str, HomePanel] = {}
_unit_panels: dict[str, UnitPanel] = {}


def register_nav_item(item: NavItem) -> None:
    """Add (or replace, by key) a navigation entry. Idempotent."""
    _nav[item.key] = item


def nav_items_for(actor: Actor) -> list[NavItem]:
    return sorted((i for i in _nav.values() if i.visible_to(actor)), key=lambda i: (i.order, i.key))


def all_nav_items() -> Iterable[NavItem]:
    return sorted(_nav.values(), key=lambda i: (i.order, i.key))


def register_profile_panel(panel: ProfilePanel) -> None:
    """Add (or replace, by key) a staff profile panel. Idempotent."""
    _panels[panel.key] = panel


def profile_panels_for(actor: Actor) -> list[ProfilePanel]:
    return sorted(
        (p for p in _panels.values() if p.visible_to(actor)), key=lambda p: (p.order, p.key)
    )


def render_profile_panels(*, actor: Actor, staff: Any) -> list[tuple[ProfilePanel, str]]:
    return [(p, p.render(actor=actor, staff=staff)) for p in profile_panels_for(actor)]


def register_home_panel(panel: HomePanel) -> None:
    """Add (or replace, by key) a home page panel. Idempotent."""
    _home_panels[panel.key] = panel


def unregister_home_panel(key: str) -> None:
    _home_panels.pop(key, None)


def home_panels_for(actor: Actor) -> list[HomePanel]:
    return sorted(
        (p for p in _home_panels.values() if p.visible_to(actor)), key=lambda p: (p.order, p.key)
    )


def render_home_panels(*, actor: Actor) -> list[tuple[HomePanel, str]]:
    """The home panels the actor sees, rendered; panels that render "" are left out."""
    rendered = ((p, p.render(actor=actor)) for p in home_panels_for(actor))
    return [(p, html) for p, html in rendered if html]


def register_unit_panel(panel: UnitPanel) -> None:
    """Add (or replace, by key) an org-chart unit panel. Idempotent."""
    _unit_panels[panel.key] = panel


def unregister_unit_panel(key: str) -> None:
    _unit_panels.pop(key, None)


def unit_panels_for(actor: Actor) -> list[UnitPanel]:
    return sorted(
        (p for p in _unit_panels.values() if p.visible_to(actor)), key=lambda p: (p.order, p.key)
    )


def render_unit_panels(*, actor: Actor, unit: Any, fiscal_year: int) -> list[tuple[UnitPanel, str]]:
    """The unit panels the actor sees for `unit` as of `fiscal_year`, rendered; panels
    that render "" are left out. The org chart page calls this for the unit shown."""
    rendered = (
        (p, p.render(actor=actor, unit=unit, fiscal_year=fiscal_year))
        for p in unit_panels_for(actor)
    )
    return [(p, html) for p, html in rendered if html]


# A provider of unit occupants: (actor, organization, fiscal_year, codes) →
# {unit code: [text, …]} for the codes it knows someone in (e.g. 「在籍職員 3名（…）」).
UnitOccupants = Callable[..., Mapping[str, Sequence[str]]]
_unit_occupants: dict[str, UnitOccupants] = {}


def register_unit_occupants(key: str, provider: UnitOccupants) -> None:
    """Add (or replace, by key) a provider of unit occupants. Idempotent."""
    _unit_occupants[key] = provider


def unit_occupants(
    *, actor: Actor, organization: Any, fiscal_year: int, codes: Iterable[str]
) -> dict[str, list[str]]:
    """What the registered providers say about who is in each unit of `codes` in
    `fiscal_year` (a code nobody is in is left out). Each provider checks its own
    access and shows `actor` what it may see."""
    wanted = sorted(set(codes))
    found: dict[str, list[str]] = {}
    if not wanted:
        return found
    for key in sorted(_unit_occupants):
        texts = _unit_occupants[key](
            actor=actor, organization=organization, fiscal_year=fiscal_year, codes=wanted
        )
        for code, lines in texts.items():
            if lines:
                found.setdefault(code, []).extend(lines)
    return found
