"""Template context shared by every page: the actor and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hagukumi.core.registries import nav_items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {"actor": None, "nav_items": []}
    return {"actor": actor, "nav_items": nav_items_for(actor)}
