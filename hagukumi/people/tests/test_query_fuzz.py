"""人材検索's numeric query parameters never make a 500 (issue 16, defect 6).

Paging (`limit`, `offset`, `page`) and the number filters (級, ITSS レベル, 所属)
are range-checked: an absurd value is a Japanese 400 from the API and a message
or page 1 on the page, never a database overflow.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hagukumi.core.models import Role
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/staff/"
PAGE = "/people/search/"
HUGE = [2**31, 2**32, 2**63, 2**64, 10**30, -(2**63) - 1]
VALUES = (
    st.integers(min_value=-(2**70), max_value=2**70).map(str)
    | st.sampled_from(["", "²", "١٢", "１２", "1e9", "-0", "9" * 5000, "\x00"])
    | st.text(max_size=20)
)
NUMBER_PARAMETERS = ("limit", "offset", "grade_min", "grade_max", "itss_min", "unit_id")


@pytest.fixture
def web(user_with_role, organization) -> Client:  # type: ignore[no-untyped-def]
    StaffFactory.create_batch(3, organization=organization)
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.HR))
    return client


def test_huge_numbers_are_refused_in_japanese(web: Client) -> None:
    for name in NUMBER_PARAMETERS:
        for value in HUGE:
            response = web.get(API, {name: value})
            assert response.status_code == 400, (name, value, response.status_code)
            assert (
                "正しくありません" in response.json()["detail"]
                or "指定" in (response.json()["detail"])
            )
    assert web.get(API, {"limit": 2, "offset": 1}).status_code == 200


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(NUMBER_PARAMETERS), value=VALUES, page=VALUES)
def test_search_api_and_page_never_fail(web: Client, name: str, value: str, page: str) -> None:
    response = web.get(API, {name: value, "q": "a"})
    assert response.status_code < 500, (name, value)
    response = web.get(PAGE, {name: value, "page": page})
    assert response.status_code < 500, (name, value, page)
