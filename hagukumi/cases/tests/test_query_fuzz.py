"""Numeric query parameters of the case search page, API and export never make a 500.

Issue 16, defect 6: 「fiscal_year=4294967296」 (≥ 2^32) was a server error on all
three. Every number a URL carries is range-checked: a 年度 outside what the
library can hold is a Japanese 400/422 answer (the API) or a message on the
page, an absurd page/limit/offset is bounded.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hagukumi.cases.services import case_import_file
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor

pytestmark = pytest.mark.django_db

HUGE = [2**31, 2**32, 2**63, 2**64, 10**30, -(2**63) - 1]
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70).map(str)
JUNK = st.sampled_from(
    ["", " ", "²", "١٢", "１２", "1e9", "0x10", "NaN", "-0", "R5", "令和999年度", "9" * 400, "\x00"]
) | st.text(max_size=30)
VALUES = NUMBERS | JUNK
FUZZ = settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def web(user_with_role) -> Client:  # type: ignore[no-untyped-def]
    for number, (year, title) in enumerate([("R5", "人材育成の研修"), ("2019", "研修と人材")]):
        text = (
            f"---\ncase_no: F-{number}\ntitle: {title}\nfiscal_year: {year}\n---\n{title}の本文。\n"
        )
        outcome = case_import_file(
            actor=Actor.system(), data=text.encode(), filename=f"{number}.md"
        )
        assert not outcome.failed, outcome.error
    client = Client(raise_request_exception=False)
    client.force_login(user_with_role(Role.STAFF))
    return client


def _get(client: Client, url: str, params: dict[str, object]):  # type: ignore[no-untyped-def]
    response = client.get(url, params)
    assert response.status_code < 500, (url, params, response.status_code)
    return response


def test_huge_fiscal_year_is_refused_in_japanese(web: Client) -> None:
    for year in HUGE:
        page = _get(web, reverse("cases:search"), {"q": "人材", "fiscal_year": year})
        assert page.status_code == 200
        assert "年度「" in page.content.decode()
        api = _get(
            web, reverse("api-v1:case_search"), {"q": "人材", "filter": [f"fiscal_year={year}"]}
        )
        assert api.status_code == 400
        assert "年度" in api.json()["detail"]
        export = _get(web, reverse("cases:export"), {"q": "人材", "fiscal_year": year})
        assert export.status_code == 302  # back to the page, with the message


def test_api_paging_is_bounded_in_japanese(web: Client) -> None:
    for name in ("limit", "offset"):
        for value in [*HUGE, -1, "²"]:
            response = _get(web, reverse("api-v1:case_search"), {"q": "人材", name: value})
            assert response.status_code == 422, (name, value)
            assert response.json()["detail"].startswith("入力が正しくありません（" + name)


@FUZZ
@given(year=VALUES, page=VALUES, limit=VALUES, offset=VALUES)
def test_search_page_api_and_export_never_fail(
    web: Client, year: str, page: str, limit: str, offset: str
) -> None:
    _get(web, reverse("cases:search"), {"q": "研修", "fiscal_year": year, "page": page})
    _get(web, reverse("cases:search"), {"fiscal_year": year, "sort": "year", "page": page})
    _get(
        web,
        reverse("api-v1:case_search"),
        {"q": "研修", "filter": [f"fiscal_year={year}"], "limit": limit, "offset": offset},
    )
    _get(web, reverse("cases:export"), {"q": "研修", "fiscal_year": year})
