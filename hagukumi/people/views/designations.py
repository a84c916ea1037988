"""The designations of the staff within the actor's reach."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.models import Role
from hagukumi.core.web import actor_of
from hagukumi.people.roles import SEARCH_ROLES
from hagukumi.people.selectors import designation_list
from hagukumi.people.views.breadcrumbs import home_crumb


@role_required(*SEARCH_ROLES)
@require_GET
def designations_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    rows = designation_list(actor=actor)
    return render(
        request,
        "people/designations.html",
        {
            "rows": rows,
            "can_edit": actor.has_role(Role.DX_OFFICE),
            "breadcrumbs": [home_crumb(), ("人材の指定", "")],
        },
    )
