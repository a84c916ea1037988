"""Registries that higher apps fill from their AppConfig.ready().

core renders the navigation and the staff profile page from these, so a new app
adds a menu entry or a profile panel without core importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


_nav: dict[str, NavItem] = {}
_panels: dict[str, ProfilePanel] = {}


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
