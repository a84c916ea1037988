"""Reads of the case library shared by views, the API and commands.

Who sees a case: 公開 cases every logged-in user of every 団体; 団体内 cases
only users acting in the owner 団体. Without an actor (no login) nothing;
the command line passes ``actor=None, trusted=True`` to see every case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hagukumi.cases.body_html import sanitize_body_html
from hagukumi.cases.models import Case, CaseFact, CasePassage, FactKind, Visibility
from hagukumi.core.errors import AccessDenied
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.models import Organization


def cases_visible(*, actor: Actor | None, trusted: bool = False) -> QuerySet[Case]:
    """Every case the actor may see (公開, plus 団体内 of the actor's active 団体)."""
    cases = Case.objects.all()
    if trusted:
        return cases
    if actor is None or actor.user is None or not actor.user.is_authenticated:
        return cases.none()
    visible = Q(visibility=Visibility.PUBLIC)
    if actor.organization_id is not None:
        visible |= Q(visibility=Visibility.ORGANIZATION, owner_id=actor.organization_id)
    return cases.filter(visible)


def access_case_by_id(*, actor: Actor | None, case_id: int | str, trusted: bool = False) -> Case:
    """The case if the actor may see it; AccessDenied (shown as 404) otherwise."""
    try:
        return (
            cases_visible(actor=actor, trusted=trusted)
            .select_related("organization", "owner")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


def case_list(
    *,
    actor: Actor | None,
    fact_kind: str | None = None,
    organization: Organization | None = None,
    fiscal_year: int | None = None,
    trusted: bool = False,
) -> QuerySet[Case]:
    """Visible cases, newest 公表年度 first; ``fact_kind`` keeps cases stating such a figure
    (「人数の目標がある事例」)."""
    cases = cases_visible(actor=actor, trusted=trusted).select_related("organization")
    if fact_kind:
        if fact_kind not in FactKind.values:
            fact_kind = next((v for v, label in FactKind.choices if label == fact_kind), "")
        cases = cases.filter(facts__kind=fact_kind).distinct()
    if organization is not None:
        cases = cases.filter(organization=organization)
    if fiscal_year is not None:
        cases = cases.filter(fiscal_year=fiscal_year)
    return cases.order_by("-fiscal_year", "title", "id")


@dataclass(frozen=True)
class CaseDetail:
    """A case with what its page shows: facts, passages, 団体 it names, safe body HTML."""

    case: Case
    facts: list[CaseFact]
    passages: list[CasePassage]
    mentioned: list[Organization]
    body_html: str


def case_detail(*, actor: Actor | None, case_id: int | str, trusted: bool = False) -> CaseDetail:
    case = access_case_by_id(actor=actor, case_id=case_id, trusted=trusted)
    return CaseDetail(
        case=case,
        facts=list(case.facts.all()),
        passages=list(case.passages.all()),
        mentioned=list(case.mentioned_organizations.order_by("code", "id")),
        body_html=sanitize_body_html(case.body),
    )
