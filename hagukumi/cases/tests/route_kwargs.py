"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

The case is 団体内 to the matrix's 団体, so a user of another 団体 must get 404;
a 公開 case would be seen by every 団体 (that is the point of the library).
A saved search is one user's (saved in the matrix's 団体): a GET to its POST-only
URLs changes nothing and redirects any user of that 団体, another 団体 gets 404;
the POSTs of anyone but its owner are refused in test_saved_searches.py.
"""

from __future__ import annotations

from typing import Any

from hagukumi.cases.models import Case, SavedSearch, Visibility
from hagukumi.core.tests.factories import UserFactory


def _case(world: Any) -> dict[str, Any]:
    case = Case.objects.create(
        title="ルート確認用の事例",
        visibility=Visibility.ORGANIZATION,
        owner=world.organization,
        content_hash="0" * 64,
    )
    return {"pk": case.pk}


def _saved_search(world: Any) -> dict[str, Any]:
    saved = SavedSearch.objects.create(
        user=UserFactory(), organization=world.organization, name="人材", query="人材"
    )
    return {"pk": saved.pk}


ROUTE_KWARGS = {
    "cases:detail": _case,
    "cases:saved_search_delete": _saved_search,
    "cases:saved_search_seen": _saved_search,
}
