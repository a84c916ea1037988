"""The DX推進リーダー名簿: whom to ask, per unit, for every user of the 団体."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.core.web import actor_of
from hagukumi.people.roles import EVERY_ROLE
from hagukumi.people.selectors import leader_directory
from hagukumi.people.views.breadcrumbs import home_crumb


@role_required(*EVERY_ROLE)
@require_GET
def leaders_view(request: HttpRequest) -> HttpResponse:
    """DX推進リーダー名簿: per unit, the current holders — unit, type and role, 氏名 only."""
    actor = actor_of(request)
    fiscal_year = fiscal_year_of(timezone.localdate())
    rows = leader_directory(actor=actor, fiscal_year=fiscal_year)
    units = [
        (unit_name, list(items))
        for (_code, unit_name), items in groupby(rows, key=lambda r: (r.unit_code, r.unit_name))
    ]
    return render(
        request,
        "people/leaders.html",
        {
            "units": units,
            "total": len(rows),
            "fiscal_year_label": format_fiscal_year(fiscal_year),
            "breadcrumbs": [home_crumb(), ("DX推進リーダー名簿", "")],
        },
    )
