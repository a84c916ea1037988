"""Load bench: the production server on loopback under concurrent users (reports, never asserts).

    .venv/bin/python bench/http_load.py                      # 20 clients, 60 s, SQLite (WAL)
    .venv/bin/python bench/http_load.py --with-import   # + a phase beside a 50,000-row import
    .venv/bin/python bench/http_load.py --smoke         # 4 clients, 5 s, + 5 s beside 1,000 rows
    .venv/bin/python bench/http_load.py --database-url postgres://…/bench  # a database of its own

Starts gunicorn as `make run` does (DEBUG off, WhiteNoise with the collected static
files, 2 workers, HAGUKUMI_HTTPS=false) on 127.0.0.1 and a free port, against a
scratch SQLite file in WAL mode (copied from a migrated + `load_demo` template cached
under var/bench/, rebuilt when a migration, demo module or the lock file changes) or
the PostgreSQL database of --database-url (migrated and loaded in place). The
demo users dx (DX推進担当), hr (人事担当), head (所属長) and staff (職員) log in; each
client thread keeps one session and one keep-alive connection and loops over its
role's pages: the home page, case search, talent search (dx, hr) and a profile (a
staff member of the 団体 for dx/hr, one of the 所属長's unit for head, 「自分」 for
staff). After every page the client asks a bare Django view with the same session:
`/__bench__/bare/` returns "ok" through the whole middleware stack (session, tenant,
audit context) but no template or query of its own — it is added by this file's
URLconf (`bench_application()`, loaded by gunicorn; the project's URLconf is not
touched), so the difference between the two lines is what the pages themselves cost.

Printed per phase: requests, req/s, p50/p99 (ms) and errors (status ≠ 200 or a
socket error) for the pages (and per page) and for the bare view. Phase 2
(--with-import) runs `hagukumi import_staff` of a roster generated with
bench/import_roster.py's helpers (50,000 rows; a 団体 of its own with 300 所属)
meanwhile, and reports the same figures plus the import's own time. Goals (issue
16): 0 errors and p99 ≤ 300 ms; beside the import p99 ≤ 1 s on SQLite.

Bounded: --duration seconds per phase (the import phase also ends when the import
does, at most 10 minutes), loopback only, the server and the import are stopped at
exit (also on Ctrl-C or an error).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CACHE = ROOT / "var" / "bench" / "http_load"
HOST = "127.0.0.1"
BARE_PATH = "/__bench__/bare/"
DEMO_PASSWORD = "hagukumi-demo"
ROLES = ("dx", "hr", "head", "staff")
IMPORT_TIMEOUT = 600.0
SMOKE_IMPORT_WAIT = 0.5  # --smoke stops the import this long after its phase (bounded)
SERVER_START_TIMEOUT = 60.0

# --- the server side: gunicorn loads `http_load:bench_application()` ---------------------


def bare_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def __getattr__(name: str) -> Any:
    # This module is the server's ROOT_URLCONF: the bare view, then the project's URLs.
    if name == "urlpatterns":
        from django.urls import include, path

        from hagukumi.core.access import public_view

        return [
            path(BARE_PATH.strip("/") + "/", public_view(bare_view)),
            path("", include("hagukumi.urls")),
        ]
    raise AttributeError(name)


def bench_application() -> Any:
    """The production WSGI application, with this module as the URLconf (bench only)."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    return application


# --- preparing the database and the static files -----------------------------------------


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _server_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        HAGUKUMI_HTTPS="false",
        ALLOWED_HOSTS=HOST,
        SECRET_KEY="hagukumi-bench-only-" + "x" * 40,
        HAGUKUMI_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="hagukumi.settings",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _hagukumi(env: dict[str, str], *args: str, quiet: bool = True) -> subprocess.Popen[bytes]:
    out = subprocess.DEVNULL if quiet else None
    return subprocess.Popen([str(BIN / "hagukumi"), *args], env=env, stdout=out, cwd=ROOT)


def _wait(process: subprocess.Popen[bytes], what: str) -> None:
    if process.wait() != 0:
        raise SystemExit(f"{what} failed (exit code {process.returncode})")


def _load_database(env: dict[str, str]) -> None:
    _wait(_hagukumi(env, "migrate", "--noinput", "-v", "0"), "migrate")
    _wait(_hagukumi(env, "load_demo"), "load_demo")


def _template_database() -> Path:
    """A migrated SQLite file with the demo, built once per schema/demo version."""
    sources = [
        *ROOT.glob("hagukumi/*/migrations/*.py"),
        *ROOT.glob("hagukumi/*/demo.py"),
        ROOT / "requirements.lock",
    ]
    template = CACHE / f"demo-{_digest(sources)}.sqlite3"
    if template.exists():
        return template
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob("demo-*.sqlite3*"):
        old.unlink()
    building = Path(tempfile.mkdtemp(prefix="hagukumi-bench-template-"))
    try:
        target = building / "demo.sqlite3"
        print("== building the demo database template (once per schema): migrate, load_demo")
        _load_database(_server_env(building, f"sqlite:///{target}"))
        _copy_sqlite(target, template)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return template


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a WAL database (SQLite's online backup API)."""
    tmp = target.with_suffix(".tmp")
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(tmp)) as dst,
    ):
        src.backup(dst)
    tmp.replace(target)


def _static_root() -> Path:
    """The collected static files (hashed, compressed), built once per static version."""
    sources = [p for p in ROOT.glob("hagukumi/**/static/**/*") if p.is_file()]
    sources += [ROOT / "requirements.lock", ROOT / "hagukumi" / "settings.py"]
    return CACHE / f"static-{_digest(sources)}"


def _collect_static(root: Path) -> subprocess.Popen[bytes] | None:
    if (root / "static" / "staticfiles.json").exists():
        return None
    for old in CACHE.glob("static-*"):
        if old != root:
            shutil.rmtree(old, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    print("== collectstatic (once per static version)")
    env = _server_env(root, "sqlite:///" + str(root / "unused.sqlite3"))
    return _hagukumi(env, "collectstatic", "--noinput", "-v", "0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _launch_server(env: dict[str, str], workers: int) -> Server:
    port = _free_port()
    command = [
        str(BIN / "gunicorn"),
        "http_load:bench_application()",
        "--pythonpath",
        str(ROOT / "bench"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    return Server(process=subprocess.Popen(command, env=env, cwd=ROOT), port=port)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit code {server.process.returncode})")
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=2)
            connection.request("GET", "/healthz/")
            response = connection.getresponse()
            body = response.read().decode()
            connection.close()
            if response.status == 200:
                return
            raise SystemExit(f"/healthz/ answered {response.status}: {body}")
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


# --- the clients ---------------------------------------------------------------------------


class Session:
    """One logged-in user on one keep-alive connection."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        status, body = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or token is None:
            raise SystemExit(f"login page answered {status}")
        form = urllib.parse.urlencode(
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]}
        )
        status, _ = self.request(
            "POST",
            "/login/",
            form.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"{username}: login failed ({status})")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        # As a browser would: compressed answers (gzip; the body is unpacked for reading).
        all_headers = {"Host": f"{HOST}:{self.port}", "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()  # reconnect once (the server closed a kept-alive socket)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, data.decode(errors="replace")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, label: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies[label].append(seconds)
            if not ok:
                self.errors[label] += 1


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _client(
    session: Session, pages: list[tuple[str, str]], stop: threading.Event, stats: Stats
) -> None:
    while not stop.is_set():
        for label, path in pages:
            for kind, target in ((label, path), ("bare", BARE_PATH)):
                if stop.is_set():
                    return
                started = time.perf_counter()
                try:
                    status, _ = session.request("GET", target)
                    ok = status == 200
                except (http.client.HTTPException, OSError):
                    ok = False
                stats.add(kind, time.perf_counter() - started, ok)


def _run_phase(
    port: int,
    pages: dict[str, list[tuple[str, str]]],
    clients: int,
    duration: float,
    until: Any = None,
) -> tuple[Stats, float]:
    sessions = [Session(port, ROLES[i % len(ROLES)]) for i in range(clients)]
    stats = Stats()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_client, args=(s, pages[ROLES[i % len(ROLES)]], stop, stats), daemon=True
        )
        for i, s in enumerate(sessions)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = started + duration
    while time.perf_counter() < deadline and not (until is not None and until()):
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(35)
    elapsed = time.perf_counter() - started
    for session in sessions:
        session.connection.close()
    return stats, elapsed


def _report(title: str, stats: Stats, elapsed: float) -> None:
    print(f"{title} ({elapsed:.1f} s)")
    print(f"  {'':28} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    page_labels = sorted(k for k in stats.latencies if k != "bare")
    everything = [v for k in page_labels for v in stats.latencies[k]]
    rows = [("pages (all)", everything, sum(stats.errors[k] for k in page_labels))]
    rows += [(f"  {k}", stats.latencies[k], stats.errors[k]) for k in page_labels]
    rows += [("bare Django view", stats.latencies["bare"], stats.errors["bare"])]
    for label, values, errors in rows:
        if not values:
            print(f"  {label:28} {0:>8}")
            continue
        print(
            f"  {label:28} {len(values):>8} {len(values) / elapsed:>8.1f} "
            f"{statistics.median(values) * 1000:>8.1f} {_percentile(values, 0.99) * 1000:>8.1f} "
            f"{errors:>6}"
        )


# --- the bench -----------------------------------------------------------------------------


def _django(database_url: str, data_dir: Path) -> None:
    os.environ.update(_server_env(data_dir, database_url))
    import django

    django.setup()


def _pages() -> dict[str, list[tuple[str, str]]]:
    from hagukumi.core.models import Membership, Role
    from hagukumi.orgs.models import Organization
    from hagukumi.people.models import Staff

    membership = Membership.objects.select_related("unit").get(
        user__username="head", role=Role.UNIT_HEAD
    )
    org: Organization = membership.organization
    some = Staff.objects.filter(organization=org).order_by("pk")
    anyone = some.values_list("pk", flat=True)[len(some) // 2]
    unit_ids = [membership.unit_id]
    from hagukumi.orgs.models import Unit

    frontier = unit_ids
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        unit_ids += frontier
    in_unit = some.filter(unit_id__in=unit_ids).values_list("pk", flat=True).first() or anyone
    common = [("home", "/"), ("case search", "/cases/?q=" + urllib.parse.quote("人材育成"))]
    talent = ("talent search", "/people/search/?q=" + urllib.parse.quote("田"))
    return {
        "dx": [*common, talent, ("profile", f"/people/{anyone}/")],
        "hr": [*common, talent, ("profile", f"/people/{anyone}/")],
        "head": [*common, ("profile", f"/people/{in_unit}/")],
        "staff": [*common, ("profile", "/people/me/")],
    }


def _prepare_import(rows: int, workdir: Path) -> tuple[Path, str]:
    """A roster file (bench/import_roster.py's rows) and a 団体 of its own with 300 所属."""
    sys.path.insert(0, str(ROOT / "bench"))
    import random

    import import_roster

    org = import_roster._organization(import_roster.UNITS)
    path = workdir / "roster.xlsx"
    import_roster._write(path, import_roster._rows(rows, random.Random(1)))
    return path, org.name


def _start_import(env: dict[str, str], path: Path, organization: str) -> subprocess.Popen[bytes]:
    arguments = ["--organization", organization, "--yes", "--effective-date", "2026-04-01"]
    return _hagukumi(env, "import_staff", str(path), *arguments)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds per phase (default 60)"
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as make run)")
    parser.add_argument(
        "--with-import", action="store_true", help="a second phase beside an import"
    )
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument(
        "--database-url", help="PostgreSQL database of its own (default: SQLite WAL)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="4 clients, 5 s, + 1,000-row import phase"
    )
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.clients, args.with_import, args.import_rows = 5.0, 4, True, 1_000

    began = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="hagukumi-http-load-"))
    server: Server | None = None
    importer: subprocess.Popen[bytes] | None = None
    try:
        static = _static_root()
        static_job = _collect_static(static)
        if args.database_url:
            database_url = args.database_url
            _load_database(_server_env(workdir, database_url))
        else:
            database = workdir / "bench.sqlite3"
            _copy_sqlite(_template_database(), database)
            database_url = f"sqlite:///{database}"
        if static_job is not None:
            _wait(static_job, "collectstatic")
        (workdir / "static").symlink_to(static / "static")
        env = _server_env(workdir, database_url)
        prepared = time.perf_counter()
        server = _launch_server(env, args.workers)
        # While gunicorn starts: the pages to ask for, and the roster to import.
        _django(database_url, workdir)
        pages = _pages()
        if args.with_import:
            roster, roster_organization = _prepare_import(args.import_rows, workdir)
        from django.db import connection, connections

        vendor = connection.vendor
        connections.close_all()
        _wait_until_ready(server)
        print(
            f"server: gunicorn ({args.workers} workers) http://{HOST}:{server.port}/"
            f"  database: {vendor}  clients: {args.clients}  phase: {args.duration:.0f} s"
        )
        print(
            f"  (prepared in {prepared - began:.1f} s, server up after "
            f"{time.perf_counter() - prepared:.1f} s)"
        )
        stats, elapsed = _run_phase(server.port, pages, args.clients, args.duration)
        _report("phase 1: pages and the bare view", stats, elapsed)
        if args.with_import:
            importer = _start_import(env, roster, roster_organization)
            started = time.perf_counter()
            # Until the import ends (or --duration): only requests made beside it count.
            stats, elapsed = _run_phase(
                server.port,
                pages,
                args.clients,
                args.duration,
                until=lambda: importer.poll() is not None,
            )
            _report(
                f"phase 2: the same, beside a {args.import_rows:,}-row roster import",
                stats,
                elapsed,
            )
            beside = "the whole phase" if importer.poll() is None else "until it ended"
            try:
                code = importer.wait(SMOKE_IMPORT_WAIT if args.smoke else IMPORT_TIMEOUT)
            except subprocess.TimeoutExpired:
                code = None
            took = time.perf_counter() - started
            if code == 0:
                state = "finished"
            elif code is None:
                state = "was stopped (still running at the end of the phase)"
            else:
                state = f"failed (exit code {code})"
            print(f"  import {state} after {took:.1f} s; the clients ran beside it for {beside}")
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
            importer.wait()
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
