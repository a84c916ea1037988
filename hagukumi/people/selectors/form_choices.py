"""The choices of the people forms: code lists, units, the catalogue, talent types.

Talent types are `talent_type_key` values ("<framework id>:<code>") labelled
with the framework's name when the 団体 has more than one framework in force
(hagukumi.frameworks.in_force.talent_type_choices), so that two frameworks that
share a code both appear and never mix.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks.in_force import talent_type_choices
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.code_lists import all_code_values
from hagukumi.people.models import CodeKind
from hagukumi.people.selectors.qualifications import qualification_choices

__all__ = ["CODE_KINDS", "SearchChoices", "staff_search_choices"]

# Search filters whose values come from the 団体's code lists.
CODE_KINDS = {
    "position": CodeKind.POSITION,
    "job_type": CodeKind.JOB_TYPE,
    "employment": CodeKind.EMPLOYMENT,
    "recruitment": CodeKind.RECRUITMENT,
}


@dataclass(frozen=True)
class SearchChoices:
    units: list[tuple[str, str]]
    codes: dict[str, list[str]]
    qualifications: list[tuple[str, str]]
    talent_types: list[tuple[str, str]]


def staff_search_choices(*, actor: Actor) -> SearchChoices:
    """Options of the talent search and designation forms (a fixed number of queries).

    No actor, or one without a 団体: every list is empty.
    """
    organization = actor.organization_id if actor is not None else None
    if organization is None:
        return SearchChoices(units=[], codes={}, qualifications=[], talent_types=[])
    fiscal_year = fiscal_year_of(timezone.localdate())
    units = [
        (str(u.pk), f"{u.code} {u.name}")
        for u in units_valid_in(organization=organization, fiscal_year=fiscal_year).order_by("code")
    ]
    codes = all_code_values(organization=organization)
    return SearchChoices(
        units=units,
        codes={str(k): list(v) for k, v in codes.items()},
        qualifications=qualification_choices(),
        talent_types=talent_type_choices(organization=organization),
    )
