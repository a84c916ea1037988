"""Saved searches (保存した検索条件) and the home page's 「新着事例」 panel (issue 15, item 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.cases.models import Case, SavedSearch, Visibility
from hagukumi.cases.panels import new_cases_panel
from hagukumi.cases.saved_searches import (
    saved_search_create,
    saved_search_mark_seen,
    saved_search_new_cases,
    saved_searches,
)
from hagukumi.cases.services import case_import_file
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
SAVED = "/cases/saved/"


def _import(title: str, body: str, *, owner: Any = None, visibility: str = "public") -> Case:
    organization = owner or OrganizationFactory()
    outcome = case_import_file(
        actor=Actor.command_line(organization),
        data=f"# {title}\n\n{body}\n".encode(),
        filename=f"{title}.md",
        visibility=visibility,
    )
    assert not outcome.failed, outcome.error
    return Case.objects.get(source_file=f"{title}.md")


@pytest.fixture
def member(user_with_role: Callable[..., Any]) -> Any:
    return user_with_role(Role.STAFF)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_save_from_the_search_page_and_list(member: Any) -> None:
    _import("副業人材の活用", "副業人材を受け入れ、デジタル化を進めた。")
    client = _client(member)
    page = client.get("/cases/", {"q": "副業人材", "org_type": "都道府県"}).content.decode()
    assert "この条件を保存" in page
    assert 'action="/cases/saved/"' in page
    response = client.post(SAVED, {"q": "副業人材", "org_type": "都道府県"})
    assert response.status_code == 302
    assert response["Location"] == SAVED
    saved = SavedSearch.objects.get()
    assert (saved.user, saved.query) == (member, "副業人材")
    assert saved.filters == {"org_type": ["都道府県"]}
    assert saved.organization == actor_for(member).organization
    assert saved.last_seen_case_id == Case.objects.order_by("-pk").first().pk  # type: ignore[union-attr]
    listing = client.get(SAVED).content.decode()
    assert "副業人材（都道府県）" in listing
    assert "org_type=%E9%83%BD%E9%81%93%E5%BA%9C%E7%9C%8C" in listing
    # Saving the same again, or an empty query, is refused with a message, nothing stored.
    again = client.post(SAVED, {"q": "副業人材", "org_type": "都道府県"}, follow=True)
    assert "すでに保存されています" in again.content.decode()
    assert client.post(SAVED, {"q": "  "}).status_code == 302
    assert SavedSearch.objects.count() == 1


def test_no_save_button_without_a_query(member: Any) -> None:
    page = _client(member).get("/cases/").content.decode()
    assert "この条件を保存" not in page
    assert "保存した検索条件" in page


def test_only_the_owner_deletes_or_marks_seen(
    member: Any, user_with_role: Callable[..., Any]
) -> None:
    saved = saved_search_create(actor=actor_for(member), query="人材育成")
    colleague = user_with_role(Role.STAFF)  # same 団体, another user
    outsider = user_with_role(Role.SYSTEM_ADMIN, org=OrganizationFactory())
    for intruder in (colleague, outsider):
        client = _client(intruder)
        delete = reverse("cases:saved_search_delete", kwargs={"pk": saved.pk})
        seen = reverse("cases:saved_search_seen", kwargs={"pk": saved.pk})
        assert client.post(delete).status_code == 404
        assert client.post(seen, {"upto": "999999"}).status_code == 404
        assert delete not in client.get(SAVED).content.decode()
    assert _client(outsider).get(delete).status_code == 404
    assert _client(colleague).get(delete).status_code == 302  # GET changes nothing
    saved.refresh_from_db()
    assert saved.last_seen_case_id == 0
    owner = _client(member)
    assert owner.post(delete).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_same_user_in_another_organization_does_not_see_it(
    member: Any,
) -> None:
    from hagukumi.core.tests.factories import MembershipFactory

    saved = saved_search_create(actor=actor_for(member), query="人材育成")
    other = OrganizationFactory()
    MembershipFactory(user=member, organization=other, role=Role.STAFF)
    elsewhere = actor_for(member, other.pk)
    assert list(saved_searches(actor=elsewhere)) == []
    with pytest.raises(AccessDenied):
        saved_search_mark_seen(actor=elsewhere, pk=saved.pk)


def test_operators_have_no_saved_searches(db: None) -> None:
    with pytest.raises(AccessDenied):
        saved_search_create(actor=Actor.system(), query="人材")
    with pytest.raises(AccessDenied):
        saved_search_create(actor=Actor.command_line(OrganizationFactory()), query="人材")
    assert list(saved_searches(actor=Actor.system())) == []


def test_bad_filters_are_refused(member: Any) -> None:
    with pytest.raises(ApplicationError):
        saved_search_create(actor=actor_for(member), query="人材", filters={"owner": ["x"]})


def test_new_cases_panel_lists_matching_imports_since_last_seen(
    member: Any, client: Client
) -> None:
    _import("既存の副業人材事例", "副業人材を活用した。")
    actor = actor_for(member)
    saved = saved_search_create(actor=actor, query="副業人材")
    assert new_cases_panel(actor=actor) == ""
    _import("新しい副業人材の事例", "副業人材と協働でデジタル化を進めた。")
    _import("防災訓練の事例", "避難所の運営訓練を実施した。")
    private = _import(
        "他団体の庁内限定の副業人材",
        "副業人材の庁内だけの話。",
        owner=OrganizationFactory(),
        visibility=Visibility.ORGANIZATION,
    )
    found = saved_search_new_cases(actor=actor)
    assert [(n.saved, n.total) for n in found] == [(saved, 1)]
    assert [h.title for h in found[0].hits] == ["新しい副業人材の事例"]
    assert found[0].upto == private.pk
    html = new_cases_panel(actor=actor)
    assert "新しい副業人材の事例" in html
    assert "既存の副業人材事例" not in html
    assert private.title not in html
    # On the home page, through core's home-panel registry.
    client.force_login(member)
    home = client.get(reverse("core:home")).content.decode()
    assert "新着事例" in home
    assert "新しい副業人材の事例" in home
    # Marked seen from the list page: the panel goes away.
    listing = client.get(SAVED).content.decode()
    assert "確認済みにする" in listing
    seen = reverse("cases:saved_search_seen", kwargs={"pk": saved.pk})
    assert client.post(seen, {"upto": str(found[0].upto)}).status_code == 302
    assert new_cases_panel(actor=actor) == ""
    assert "新しい副業人材の事例" not in client.get(reverse("core:home")).content.decode()


def test_panel_is_bounded(member: Any, django_assert_max_num_queries: Any) -> None:
    actor = actor_for(member)
    for word in ["人材", "副業", "研修", "資格", "採用", "育成", "デジタル"]:
        saved_search_create(actor=actor, query=word)
    _import("新着の人材育成", "副業人材の研修と資格取得、採用とデジタル人材の育成。")
    found = saved_search_new_cases(actor=actor)
    assert len(found) == 5  # PANEL_SEARCHES, the most recently saved first
    assert found[0].saved.query == "デジタル"
    with django_assert_max_num_queries(80):
        new_cases_panel(actor=actor)
