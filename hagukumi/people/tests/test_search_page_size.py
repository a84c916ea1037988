"""The 人材検索 page stays small (issue 16, defect 10: 508 KB for 50 rows, 94% blanks).

The result table is written without a blank line per hidden cell, and answers
are gzip-compressed for a client that asks for it.
"""

from __future__ import annotations

import gzip

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ROWS = 50
MAX_BYTES = 120_000  # uncompressed, for 50 rows
MAX_BLANK_SHARE = 0.5


@pytest.fixture
def page(organization, tree, user_with_role) -> Client:  # type: ignore[no-untyped-def]
    for i in range(ROWS + 5):
        StaffFactory(organization=organization, unit=tree["0101"], name=f"職員 {i:02d}")
    client = Client()
    client.force_login(user_with_role(Role.HR))
    return client


def test_fifty_rows_are_small_and_mostly_not_blank(page: Client) -> None:
    response = page.get(reverse("people:search"), {"position": "主事"})
    body = response.content.decode()
    assert body.count('href="/people/') >= ROWS
    blank = sum(1 for ch in body if ch in " \n\t")
    print(f"search page: {len(response.content):,} bytes, blanks {blank / len(body):.0%}")
    assert len(response.content) < MAX_BYTES
    assert blank / len(body) < MAX_BLANK_SHARE


def test_answers_are_gzipped_when_asked(page: Client) -> None:
    url = reverse("people:search")
    plain = page.get(url, {"position": "主事"})
    assert plain.get("Content-Encoding") is None
    packed = page.get(url, {"position": "主事"}, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "人材検索" in html
    assert len(packed.content) < len(plain.content) / 3
