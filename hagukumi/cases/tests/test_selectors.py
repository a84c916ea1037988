"""Who sees which case: 公開 for every logged-in user, 団体内 for the owner 団体 only."""

from __future__ import annotations

import pytest

from hagukumi.cases.models import Case, FactKind, Visibility
from hagukumi.cases.selectors import (
    access_case_by_id,
    case_browse,
    case_detail,
    case_export,
    case_list,
    cases_visible,
)
from hagukumi.cases.visibility import sees_every_case
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import COMMAND_LINE_LABEL, Actor, actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(seeded: dict[str, Case]) -> dict[str, Case]:
    owner = OrganizationFactory()
    private = Case.objects.create(
        title="団体内の事例", visibility=Visibility.ORGANIZATION, owner=owner, content_hash="0" * 64
    )
    return {**seeded, "private": private}


def test_visibility(library: dict[str, Case], user_with_role) -> None:  # type: ignore[no-untyped-def]
    private = library["private"]
    insider = actor_for(user_with_role(Role.STAFF, org=private.owner))
    outsider = actor_for(user_with_role(Role.DX_OFFICE))
    assert cases_visible(actor=insider).count() == 6
    assert cases_visible(actor=outsider).count() == 5
    assert cases_visible(actor=None).count() == 0  # type: ignore[arg-type]
    assert cases_visible(actor=Actor.system()).count() == 6
    assert cases_visible(actor=Actor.command_line(private.owner)).count() == 6
    assert cases_visible(actor=Actor.command_line(OrganizationFactory())).count() == 5
    assert sees_every_case(Actor.system())
    assert not sees_every_case(insider)
    assert access_case_by_id(actor=Actor.system(), case_id=private.pk) == private
    assert access_case_by_id(actor=insider, case_id=private.pk) == private
    with pytest.raises(AccessDenied):
        access_case_by_id(actor=outsider, case_id=private.pk)
    with pytest.raises(AccessDenied):
        access_case_by_id(actor=outsider, case_id="not-a-number")
    assert access_case_by_id(actor=outsider, case_id=library["000"].pk) == library["000"]


def test_case_list_filters_by_fact_kind(library: dict[str, Case], user_with_role) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(user_with_role(Role.STAFF))
    with_people = {c.source_file[:3] for c in case_list(actor=actor, fact_kind=FactKind.PEOPLE)}
    assert {"000", "002", "003", "004"} <= with_people
    assert list(case_list(actor=actor, fact_kind="人数")) == list(
        case_list(actor=actor, fact_kind=FactKind.PEOPLE)
    )
    years = [c.fiscal_year for c in case_list(actor=actor) if c.fiscal_year]
    assert years == sorted(years, reverse=True)


def test_case_detail(
    library: dict[str, Case], user_with_role, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(user_with_role(Role.STAFF))
    with django_assert_max_num_queries(4):
        detail = case_detail(actor=actor, case_id=library["003"].pk)
    assert detail.case.title.startswith("DX推進計画")
    assert any(f.value == 2400 for f in detail.facts)
    assert detail.passages
    assert "<script" not in detail.body_html
    assert "<p>ゴールド" in detail.body_html


def test_no_actor_sees_nothing(library: dict[str, Case]) -> None:
    """None is nobody, never "trusted": no case in browse, list, detail or export."""
    nobody = None
    browse = case_browse(actor=nobody)  # type: ignore[arg-type]
    assert (browse.total, browse.cases) == (0, [])
    assert all(not counts for counts in browse.facets.values())
    assert not case_list(actor=nobody).exists()  # type: ignore[arg-type]
    for case in (library["private"], library["000"]):
        with pytest.raises(AccessDenied):
            case_detail(actor=nobody, case_id=case.pk)  # type: ignore[arg-type]
        with pytest.raises(AccessDenied):
            access_case_by_id(actor=nobody, case_id=case.pk)  # type: ignore[arg-type]


def test_system_actor_browses_every_organizations_cases(library: dict[str, Case]) -> None:
    browse = case_browse(actor=Actor.system(), limit=10)
    assert browse.total == 6
    assert library["private"] in browse.cases
    detail = case_detail(actor=Actor.system(), case_id=library["private"].pk)
    assert detail.case == library["private"]


def test_export_is_audited_with_the_actors_name(library: dict[str, Case]) -> None:
    rows = case_export(actor=Actor.system(), query="", format="csv")
    assert len(rows) == 6
    assert all(row.score is None for row in rows)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor_username == COMMAND_LINE_LABEL
    assert event.detail["rows"] == 6
