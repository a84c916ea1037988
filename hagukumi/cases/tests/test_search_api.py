"""GET /api/v1/cases/search: same JSON as the CLI, 400 for an empty query, login required."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from hagukumi.cases.models import Case
from hagukumi.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def url() -> str:
    try:
        return reverse("api-v1:case_search")
    except NoReverseMatch:
        pytest.skip("cases router not mounted in hagukumi/api.py yet")


def test_search_api(seeded: dict[str, Case], client, user_with_role, url: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url, {"q": "副業"}).status_code in (401, 403)
    client.force_login(user_with_role(Role.STAFF))
    response = client.get(url, {"q": "iパス", "limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"query", "total", "hits", "facets"}
    assert data["hits"][0]["source_file"].startswith("001")
    filtered = client.get(url, {"q": "副業", "filter": ["org_type=国"]}).json()
    assert filtered["total"] == 1
    for bad in ["", "   "]:
        response = client.get(url, {"q": bad})
        assert response.status_code == 400
        assert "検索語" in response.json()["detail"]
    assert client.get(url, {"q": "人材", "filter": ["nope=1"]}).status_code == 400
    assert client.get(url, {"q": '"(人材 NEAR OR *'}).status_code == 200
