"""Benchmark: talent search (`people.selectors.staff_search`) vs the SQL it issues (reports only).

    .venv/bin/python bench/talent_search.py             # 50,000 staff, 200 searches
    .venv/bin/python bench/talent_search.py --smoke     # 500 staff, seconds
    .venv/bin/python bench/talent_search.py --database-url postgres://…/bench

Each search runs through the selector (visibility checks, filters, the page with
its qualifications and designations, the audit row), recording the statements it
sent; the same statements with the same parameters are then re-run straight on
the cursor. Reported: p50/p95 of both and the p95 ratio (goal ≤ 1.5×), the
number of statements per search, and peak RSS. Data: a fresh SQLite file
(removed afterwards) or the PostgreSQL database of --database-url.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SURNAMES = ("佐藤", "鈴木", "髙橋", "田中", "山﨑", "𠮷田", "伊藤", "渡辺", "中村", "小林")
POSITIONS = ("主事", "主任", "主査", "係長", "課長補佐", "課長")


def _setup(database_url: str | None) -> Path | None:
    workdir = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        workdir = Path(tempfile.mkdtemp(prefix="hagukumi-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagukumi.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def _build(count: int, rng: random.Random) -> Any:
    from hagukumi.core.models import Membership, Role, User
    from hagukumi.core.tenancy import actor_for
    from hagukumi.frameworks.models import Framework
    from hagukumi.orgs.models import Organization, Unit
    from hagukumi.people.models import Designation, Qualification, Staff, StaffQualification
    from hagukumi.people.roster_import import staff_search_key

    org = Organization.objects.create(name=f"ベンチ市{time.time_ns()}", kind="city", is_demo=True)
    departments = [
        Unit.objects.create(organization=org, code=f"{d:02d}", name=f"部{d}", valid_from_fy=2020)
        for d in range(10)
    ]
    sections = Unit.objects.bulk_create(
        Unit(
            organization=org,
            code=f"{d:02d}{s:02d}",
            name=f"課{d}-{s}",
            parent=departments[d],
            valid_from_fy=2020,
        )
        for d in range(10)
        for s in range(20)
    )
    staff = []
    for i in range(1, count + 1):
        s = Staff(
            organization=org,
            number=f"{i:06d}",
            name=f"{rng.choice(SURNAMES)} 太郎{i}",
            name_kana="ヤマダ\u3000タロウ",
            unit=rng.choice(sections),
            position=rng.choice(POSITIONS),
            grade=rng.randint(1, 8),
            job_type="一般事務",
            employment="正規",
            recruitment="一般",
            career_model=rng.choice(("generalist", "expert")),
            career_intent=rng.choice(("データ分析を学びたい", "窓口のデジタル化", "", "")),
        )
        s.search_key = staff_search_key(s)
        staff.append(s)
    Staff.objects.bulk_create(staff, batch_size=2000)
    quals = list(Qualification.objects.filter(holdable=True))
    StaffQualification.objects.bulk_create(
        (
            StaffQualification(
                staff=s, qualification=rng.choice(quals), obtained_on=dt.date(2024, 5, 1)
            )
            for s in staff
            if rng.random() < 0.25
        ),
        batch_size=2000,
    )
    framework = Framework.objects.create(owner=org, code="mic", name="bench")
    Designation.objects.bulk_create(
        (
            Designation(
                organization=org,
                staff=s,
                framework=framework,
                talent_type_code="dx-leader",
                method="recommended",
                from_fy=2024,
                status="certified",
            )
            for s in staff
            if rng.random() < 0.03
        ),
        batch_size=2000,
    )
    user = User.objects.create(username=f"bench{time.time_ns()}")
    Membership.objects.create(user=user, organization=org, role=Role.HR)
    return actor_for(user, org.pk), departments, sections


def _searches(n: int, rng: random.Random, departments: list[Any]) -> list[tuple[dict, str]]:
    out: list[tuple[dict, str]] = []
    for _ in range(n):
        filters: dict[str, Any] = {}
        text = ""
        kind = rng.randrange(6)
        if kind == 0:
            filters["position"] = rng.choice(POSITIONS)
        elif kind == 1:
            filters["itss_min"] = str(rng.randint(1, 3))
        elif kind == 2:
            filters["talent_type"] = "dx-leader"
        elif kind == 3:
            text = rng.choice(("高橋", "山崎", "吉田", "ﾀﾛｳ1", "データ"))
        elif kind == 4:
            filters["unit_id"] = str(rng.choice(departments).pk)
        else:
            filters.update({"position": "係長", "itss_min": "2", "career_model": "エキスパート"})
        out.append((filters, text))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="500 staff, 40 searches")
    parser.add_argument("--database-url", help="PostgreSQL database of its own (default: SQLite)")
    args = parser.parse_args()
    count, searches = (500, 40) if args.smoke else (args.staff, args.searches)
    workdir = _setup(args.database_url)
    try:
        from django.db import connection

        from hagukumi.people.selectors import staff_search

        rng = random.Random(7)
        started = time.perf_counter()
        actor, departments, _sections = _build(count, rng)
        print(
            f"staff: {count:,}  searches: {searches}  database: {connection.vendor}  "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        plan = _searches(searches, rng, departments)
        for filters, text in plan[:5]:  # warm-up: imports, caches, statistics
            staff_search(actor=actor, filters=filters, text=text)
        ours: list[float] = []
        raw: list[float] = []
        statements: list[int] = []
        for filters, text in plan:
            issued: list[tuple[str, Any]] = []

            def record(execute, sql, params, many, context, issued=issued):  # type: ignore[no-untyped-def]
                issued.append((sql, params))
                return execute(sql, params, many, context)

            # The search audits its read (an INSERT under BEGIN IMMEDIATE): end any
            # transaction the raw SQLite driver left open first.
            driver = connection.connection
            if driver is not None and getattr(driver, "in_transaction", False):
                driver.commit()
            started = time.perf_counter()
            with connection.execute_wrapper(record):
                staff_search(actor=actor, filters=filters, text=text)
            ours.append(time.perf_counter() - started)
            statements.append(len(issued))
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in issued:
                    cursor.execute(sql, params)
                    if cursor.description is not None:
                        cursor.fetchall()
            raw.append(time.perf_counter() - started)
        p95_ours, p95_raw = _pct(ours, 0.95), _pct(raw, 0.95)
        for label, times, p95 in (("staff_search", ours, p95_ours), ("raw SQL", raw, p95_raw)):
            median = statistics.median(times) * 1000
            print(f"{label:12} p50 {median:7.1f} ms  p95 {p95 * 1000:7.1f} ms")
        print(f"ratio p95 selector/raw: {p95_ours / p95_raw:.2f}  (goal ≤ 1.5)")
        print(f"statements per search: {min(statements)}–{max(statements)}")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
