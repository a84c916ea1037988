"""Saved searches (保存した検索条件) and their 新着事例: services and selectors.

A saved search belongs to one user in one 団体 (the 団体 they were working in when
they saved it): only that user, in that 団体, lists, opens, marks or deletes it;
anyone else gets AccessDenied (404). Its 新着事例 are the cases imported after
``last_seen_case_id`` that the query and filters find *for that user now*
(``case_search`` with their actor: visibility is never stored, always re-decided).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from hagukumi.cases.models import Case, SavedSearch
from hagukumi.cases.search import SearchHit, case_search
from hagukumi.cases.search.facets import apply_filters
from hagukumi.cases.search.query import parse_query
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.tenancy import Actor

MAX_SAVED_SEARCHES = 30  # per user and 団体
MAX_QUERY_CHARS = 500
MAX_NAME_CHARS = 100
PANEL_SEARCHES = 5  # saved searches the home panel looks at (most recently saved first)
PANEL_CASES = 3  # new cases shown per saved search


def _owner_of(actor: Actor) -> tuple[Any, Any]:
    if actor.user is None or actor.organization is None or actor.is_operator:
        raise AccessDenied("保存した検索条件は利用者ごとのものです。")
    return actor.user, actor.organization


def saved_searches(*, actor: Actor) -> QuerySet[SavedSearch]:
    """The actor's own saved searches in their current 団体 (none for an operator)."""
    if actor.user is None or actor.organization is None or actor.is_operator:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=actor.user, organization=actor.organization)


def saved_search_get(*, actor: Actor, pk: int) -> SavedSearch:
    """The actor's own saved search; AccessDenied (404) for anyone else's."""
    found = saved_searches(actor=actor).filter(pk=pk).first()
    if found is None:
        raise AccessDenied("保存した検索条件が見つかりません。")
    return found


def saved_search_in_organization(*, actor: Actor, pk: int) -> SavedSearch:
    """A saved search of the actor's 団体 (whoever saved it); AccessDenied otherwise.

    Only for answering a GET to a POST-only URL (a redirect, nothing shown)."""
    organization_id = actor.organization_id
    found = None
    if organization_id is not None:
        found = SavedSearch.objects.filter(pk=pk, organization_id=organization_id).first()
    if found is None:
        raise AccessDenied("保存した検索条件が見つかりません。")
    return found


def _newest_case_id() -> int:
    return int(Case.objects.aggregate(newest=Max("pk"))["newest"] or 0)


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        items = [values] if isinstance(values, str | int) else list(values)
        kept = [str(v).strip() for v in items if str(v).strip()]
        if kept:
            cleaned[str(name)] = list(dict.fromkeys(kept))
    apply_filters(Case.objects.none(), cleaned)  # ApplicationError for an unknown field
    return cleaned


def default_name(query: str, filters: dict[str, list[str]]) -> str:
    values = "・".join(v for values in filters.values() for v in values)
    name = f"{query}（{values}）" if values else query
    return name[:MAX_NAME_CHARS]


@transaction.atomic
def saved_search_create(
    *, actor: Actor, query: str, filters: dict[str, Any] | None = None, name: str = ""
) -> SavedSearch:
    """Save the query and filters for the actor; cases already imported are not 新着."""
    user, organization = _owner_of(actor)
    query = " ".join((query or "").split())
    parse_query(query)  # ApplicationError for an empty query
    if len(query) > MAX_QUERY_CHARS:
        raise ApplicationError(f"保存できる検索語は{MAX_QUERY_CHARS}文字までです。")
    cleaned = _clean_filters(filters)
    # Lock the user's rows (PostgreSQL refuses FOR UPDATE with COUNT), then decide in Python.
    mine = list(saved_searches(actor=actor).select_for_update(of=("self",)))
    if any(s.query == query and s.filters == cleaned for s in mine):
        raise ApplicationError("この条件はすでに保存されています。")
    if len(mine) >= MAX_SAVED_SEARCHES:
        raise ApplicationError(
            f"保存できる検索条件は{MAX_SAVED_SEARCHES}件までです。不要なものを削除してください。"
        )
    return SavedSearch.objects.create(
        user=user,
        organization=organization,
        name=(name.strip() or default_name(query, cleaned))[:MAX_NAME_CHARS],
        query=query,
        filters=cleaned,
        last_seen_case_id=_newest_case_id(),
        last_notified_at=timezone.now(),
    )


def saved_search_delete(*, actor: Actor, pk: int) -> str:
    """Delete the actor's own saved search (404 for anyone else's); returns its name."""
    saved = saved_search_get(actor=actor, pk=pk)
    name = saved.name
    saved.delete()
    return name


def saved_search_mark_seen(*, actor: Actor, pk: int, upto: int | None = None) -> SavedSearch:
    """The new cases of a saved search up to case id ``upto`` (those the user was shown;
    default: every case now) are seen. Never moves backwards."""
    saved = saved_search_get(actor=actor, pk=pk)
    newest = _newest_case_id()
    upto = newest if upto is None else max(0, min(upto, newest))
    saved.last_seen_case_id = max(saved.last_seen_case_id, upto)
    saved.last_notified_at = timezone.now()
    saved.save(update_fields=["last_seen_case_id", "last_notified_at", "updated_at"])
    return saved


@dataclass(frozen=True)
class NewCases:
    saved: SavedSearch
    total: int
    hits: list[SearchHit]
    upto: int  # the newest case id among what was looked at (marking seen stops there)


def saved_search_new_cases(
    *, actor: Actor, limit_searches: int = PANEL_SEARCHES, limit_cases: int = PANEL_CASES
) -> list[NewCases]:
    """Per saved search of the actor (the most recent ``limit_searches``), the cases
    imported since they last looked that it finds now (best first, ``limit_cases``
    shown). Saved searches with nothing new are left out. One search each."""
    found = []
    newest = _newest_case_id()
    for saved in saved_searches(actor=actor)[: max(0, limit_searches)]:
        if saved.last_seen_case_id >= newest:
            continue
        try:
            result = case_search(
                actor=actor,
                query=saved.query,
                filters=saved.filters,
                limit=limit_cases,
                after_case_id=saved.last_seen_case_id,
            )
        except ApplicationError:  # a filter no longer valid: nothing to tell
            continue
        if result.total:
            found.append(NewCases(saved, result.total, result.hits, newest))
    return found
