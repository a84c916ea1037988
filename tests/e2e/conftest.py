"""Browser tests: pytest-django's live server, Debian's chromium driven by Playwright.

What every browser test gets, without asking:

* The live server runs as production does: DEBUG off, static files collected
  with the production storage (hashed names, compressed) into a temporary
  directory and served by WhiteNoise, not by a test-only static handler.
* `page` (a Playwright page on that server) is guarded by `PageGuard`:
  - a request to any host other than the loopback is aborted and fails the test
    (LGWAN: no page may reach the internet);
  - vendored axe-core runs on every document the test opens (just before the
    browser leaves it, and on the last one at the end of the test) and
    serious / critical violations fail the test, listed by rule and selector;
  - console errors (CSP violations included) and uncaught page errors fail it.
  A test that *means* to see a console error (e.g. a 404 page) calls
  `page_guard.allow_console_error("404")`; after an htmx swap it can call
  `page_guard.check_accessibility()` to scan the new DOM.
* `login_as(role)` makes a user holding `role` (root conftest `user_with_role`)
  and logs in through the login form; it returns the user.

Tests here carry `pytestmark = pytest.mark.e2e`. `--screenshots` turns on
`test_screenshots` (`make screenshots`), which writes docs/screenshots/.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
VIEWPORT = {"width": 1280, "height": 800}
AXE_SOURCE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# WCAG 2.x A/AA (JIS X 8341-3) and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="docs/screenshots/ に主要画面のスクリーンショットを書き出す (test_screenshots)",
    )


# Server -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def e2e_static_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """collectstatic with the production storage into a temporary STATIC_ROOT.

    Catches a template that names a missing static file (the manifest refuses
    it) and lets WhiteNoise serve the hashed, compressed files as in production.
    """
    from django.conf import settings
    from django.core.management import call_command

    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_AUTOREFRESH=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _whitenoise_serves_static(app: Any) -> Any:
    """Stand-in for the live server's static handler: WhiteNoise (a middleware) serves."""
    return app


@pytest.fixture(scope="session")
def live_server(e2e_static_root: Path) -> Iterator[LiveServer]:
    """pytest-django's live server, with static files left to WhiteNoise."""
    addr = os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _whitenoise_serves_static
    server.start()
    yield server
    server.stop()


# Browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, with its own network chatter switched off."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} がありません。`make browser-deps`（scripts/browser_deps.sh）で"
            "chromium と fonts-ipafont-gothic を入れてください。"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on this thread, which makes Django
    # refuse ORM calls from the test body; the calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# axe-core is injected into every top-level document (DevTools protocol, so the
# page's CSP does not apply) and runs once the document has loaded; the result
# comes back through a binding. `run` is kept for scans on demand (htmx swaps).
_AXE_RUNNER = """
window.__hagukumiAxeRun = (options) => window.axe.run(document, options).then((result) =>
  result.violations
    .filter((v) => %(impacts)s.includes(v.impact))
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.map((n) => n.target.join(" "))})));
window.addEventListener("load", () => {
  window.__hagukumiAxeRun(%(options)s).then(
    (violations) => window.__hagukumiAxeReport({url: location.href, violations}),
    (error) => window.__hagukumiAxeReport({url: location.href, error: String(error)}));
});
"""


def axe_init_script() -> str:
    runner = _AXE_RUNNER % {
        "impacts": json.dumps(sorted(AXE_BLOCKING_IMPACTS)),
        "options": json.dumps(AXE_OPTIONS),
    }
    source = AXE_SOURCE_PATH.read_text(encoding="utf-8")
    # Only the top-level document: frames are scanned by axe from their parent.
    return f"(function () {{\nif (window.top !== window) return;\n{source}\n{runner}\n}})();"


@dataclass
class PageGuard:
    """Watches one Playwright page: outside requests, axe-core, console errors."""

    page: Any
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    axe_violations: list[str] = field(default_factory=list)
    scanned_urls: list[str] = field(default_factory=list)
    allowed_console_errors: list[str] = field(default_factory=list)
    # URL of the loaded document whose axe report has not come back yet.
    _awaiting_scan: str | None = None

    def attach(self, context: Any) -> None:
        context.expose_binding("__hagukumiAxeReport", self._on_axe_report)
        context.add_init_script(script=axe_init_script())
        context.route("**/*", self._route)
        self.page.on("request", self._on_request)
        self.page.on("load", self._on_load)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    # Outside requests: abort them (route) and record them (the request event also
    # sees redirects, which routing does not).
    def _route(self, route: Any) -> None:
        request = route.request
        if not _is_local(request.url):
            self._record_external(request.url)
            route.abort("blockedbyclient")
            return
        if request.is_navigation_request() and request.frame.parent_frame is None:
            # The document on screen is about to go: let its axe scan finish first.
            self._wait_for_scan()
        route.continue_()

    def _on_request(self, request: Any) -> None:
        if not _is_local(request.url):
            self._record_external(request.url)

    def _record_external(self, url: str) -> None:
        if url not in self.external_requests:
            self.external_requests.append(url)

    def _on_load(self, page: Any) -> None:
        # Our documents only: the browser's own error pages get no init script.
        if page.url.startswith(("http://", "https://")):
            self._awaiting_scan = page.url

    def _on_axe_report(self, source: Any, report: dict[str, Any]) -> None:
        self._awaiting_scan = None
        self._record_axe(report["url"], report)

    def _record_axe(self, url: str, report: dict[str, Any]) -> None:
        self.scanned_urls.append(url)
        if "error" in report:
            self.axe_violations.append(f"{url}: axe-core が失敗しました: {report['error']}")
        for v in report.get("violations", []):
            self.axe_violations.append(
                f"{url}: [{v['impact']}] {v['id']} ({v['help']}) → {' | '.join(v['targets'])}"
            )

    def _wait_for_scan(self, timeout_ms: int = 15_000) -> None:
        waited = 0
        while self._awaiting_scan is not None and waited < timeout_ms:
            self.page.wait_for_timeout(20)
            waited += 20
        if self._awaiting_scan is not None:
            self.axe_violations.append(f"{self._awaiting_scan}: axe-core の結果が返りませんでした")
            self._awaiting_scan = None

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({location or self.page.url})")

    def _on_page_error(self, error: Any) -> None:
        self.console_errors.append(f"uncaught: {error} ({self.page.url})")

    def allow_console_error(self, text: str) -> None:
        """Accept console errors containing `text` (e.g. "404" on a page expected to 404)."""
        self.allowed_console_errors.append(text)

    def check_accessibility(self) -> None:
        """Scan the DOM as it is now (after an htmx swap, say) and keep the violations."""
        violations = self.page.evaluate(
            "(options) => window.__hagukumiAxeRun(options)", AXE_OPTIONS
        )
        self._record_axe(self.page.url, {"violations": violations})

    def problems(self) -> list[str]:
        """Every reason to fail the test, each under a Japanese heading."""
        found: list[str] = []
        if self.external_requests:
            found.append("外部への通信（遮断しました）:\n  " + "\n  ".join(self.external_requests))
        if self.axe_violations:
            found.append("axe-core の重大な違反:\n  " + "\n  ".join(self.axe_violations))
        errors = [
            e for e in self.console_errors if not any(a in e for a in self.allowed_console_errors)
        ]
        if errors:
            found.append("コンソールのエラー:\n  " + "\n  ".join(errors))
        return found

    def finish(self) -> None:
        """Wait for the last document's scan, then fail with every problem seen."""
        if not self.page.is_closed() and self.page.url != "about:blank":
            self.page.wait_for_load_state("load")
            self._wait_for_scan()
        found = self.problems()
        if found:
            pytest.fail("\n".join(found), pytrace=False)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


_GUARD_KEY = pytest.StashKey[PageGuard]()


@pytest.fixture
def page_guard(
    request: pytest.FixtureRequest,
    browser: Any,
    live_server: LiveServer,
    django_db_serialized_rollback: None,
) -> Iterator[PageGuard]:
    """A fresh browser context and page on the live server, watched by a PageGuard.

    Serialized rollback restores what migrations loaded (the 団体 master) after the
    live server's flush, so tests that run later in the same worker still see it.
    """
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="ja-JP", timezone_id="Asia/Tokyo"
    )
    context.set_default_timeout(10_000)
    guard = PageGuard(page=context.new_page())
    guard.attach(context)
    request.node.stash[_GUARD_KEY] = guard
    yield guard
    context.close()


@pytest.fixture
def page(page_guard: PageGuard) -> Any:
    """The guarded Playwright page (see PageGuard); `page.goto("/login/")` works."""
    return page_guard.page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a passing test body, the page guard's findings decide: fail on any."""
    result = yield
    guard = item.stash.get(_GUARD_KEY, None)
    if guard is not None:
        guard.finish()
    return result


@pytest.fixture
def login_as(page: Any, user_with_role: Callable[..., Any]) -> Callable[..., Any]:
    """`login_as(Role.HR, org=…, unit=…, display_name=…)`: make the user, log in, return it."""
    from hagukumi.core.tests.factories import TEST_PASSWORD

    def login(role: str, **kwargs: Any) -> Any:
        user = user_with_role(role, **kwargs)
        page.goto(reverse("core:login"))
        page.get_by_label("利用者ID").fill(user.username)
        page.get_by_label("パスワード").fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="ログイン").click()
        return user

    return login
