"""The home page's 「新着事例」 panel (core's home-panel registry).

For each of the user's saved searches (``saved_searches.py``), the cases imported
since they last marked it seen that it finds for them now; "" (no panel) when there
is nothing new. Bounded: at most ``PANEL_SEARCHES`` searches of ``PANEL_CASES`` hits.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from hagukumi.cases.saved_searches import saved_search_new_cases
from hagukumi.core.registries import HomePanel, register_home_panel
from hagukumi.core.tenancy import Actor

PANEL_KEY = "cases-new"


def new_cases_panel(*, actor: Actor) -> str:
    from hagukumi.cases.views import _search_url

    found = saved_search_new_cases(actor=actor)
    if not found:
        return ""
    items = [{"new": new, "url": _search_url(new.saved.query, new.saved.filters)} for new in found]
    return render_to_string("cases/partials/new_cases_panel.html", {"items": items})


def register() -> None:
    register_home_panel(
        HomePanel(key=PANEL_KEY, title="新着事例", render=new_cases_panel, order=30)
    )
