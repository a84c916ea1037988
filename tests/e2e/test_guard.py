"""The page guard itself: it must notice what it promises to fail on.

Each test provokes one problem on a page of the live server, checks the guard
saw it, then clears the finding so that the test itself passes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.e2e


def test_outside_request_is_blocked_and_recorded(page: Any, page_guard: Any) -> None:
    # A fetch or <img> would already be refused by the CSP (a console error, which
    # fails the test too); a top-level navigation is not under the CSP, the guard's.
    with pytest.raises(PlaywrightError):
        page.goto("http://example.invalid/tracker")

    assert page_guard.external_requests == ["http://example.invalid/tracker"]
    assert any("外部への通信" in p for p in page_guard.problems())
    page_guard.external_requests.clear()


def test_csp_refusal_is_a_console_error(page: Any, page_guard: Any) -> None:
    page.goto(reverse("core:login"))

    page.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
    page.wait_for_timeout(100)

    assert any("Content Security Policy" in e for e in page_guard.console_errors)
    page_guard.console_errors.clear()


def test_serious_axe_violation_is_reported_with_rule_and_selector(
    page: Any, page_guard: Any
) -> None:
    page.goto(reverse("core:login"))
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'unlabelled';"
        " document.querySelector('main').append(i); }"
    )

    page_guard.check_accessibility()

    assert any("label" in v and "#unlabelled" in v for v in page_guard.axe_violations)
    page_guard.axe_violations.clear()


def test_every_document_is_scanned(page: Any, page_guard: Any) -> None:
    page.goto(reverse("core:login"))
    page.get_by_role("button", name="ログイン").click()  # empty form: the same page again
    page.wait_for_load_state("load")

    page_guard.finish()

    assert len(page_guard.scanned_urls) == 2


def test_console_error_fails_unless_allowed(page: Any, page_guard: Any) -> None:
    page.goto(reverse("core:login"))

    page.evaluate("() => console.error('壊れました')")

    assert any("壊れました" in p for p in page_guard.problems())
    page_guard.allow_console_error("壊れました")
    assert page_guard.problems() == []
