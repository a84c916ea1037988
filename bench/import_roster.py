"""Benchmark: `staff_import` of a 50,000-row roster vs a raw openpyxl read (reports, never asserts).

    .venv/bin/python bench/import_roster.py              # 50,000 rows
    .venv/bin/python bench/import_roster.py --smoke      # 500 rows, seconds
    .venv/bin/python bench/import_roster.py --rows 20000 --database-url postgres://…/bench

Runs in a fresh SQLite file (removed afterwards) or the PostgreSQL database of
--database-url (a database of its own: the bench creates its own 団体 there).
Reported, each against openpyxl read-only iteration of the same file in the same
process (goal ≤ 3×):

- import into an empty 団体 (every row new: Staff + Assignment);
- import of the same roster with 10 % of the rows changed (所属 or 職位 →
  a new Assignment, the old one closed);
- peak RSS of the process (goal ≤ 1 GiB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSITIONS = ("主事", "主任", "主査", "係長", "課長補佐", "課長")
JOBS = ("一般事務", "一般事務(デジタルコース)", "技術", "電気")
UNITS = 300


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


def _organization(units: int):  # type: ignore[no-untyped-def]
    from hagukumi.orgs.models import Organization, Unit

    org = Organization.objects.create(
        name=f"ベンチ市{time.time_ns()}", kind="city", is_demo=True, code=None
    )
    Unit.objects.bulk_create(
        Unit(organization=org, code=f"{i:04d}", name=f"課{i}", kind="課", valid_from_fy=2020)
        for i in range(units)
    )
    return org


def _rows(count: int, rng: random.Random, *, changed: float = 0.0) -> list[dict[str, object]]:
    rows = []
    for i in range(1, count + 1):
        unit = i % UNITS
        position = POSITIONS[i % len(POSITIONS)]
        if changed and rng.random() < changed:
            if rng.random() < 0.5:
                unit = (unit + 1) % UNITS
            else:
                position = POSITIONS[(i + 1) % len(POSITIONS)]
        rows.append(
            {
                "number": f"{i:06d}",
                "name": ("𠮷田 " if i % 97 == 0 else "山田 ") + f"太郎{i}",
                "name_kana": "ヤマダ　タロウ",
                "birth_date": dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                "unit_code": f"{unit:04d}",
                "position": position,
                "grade": 1 + i % 8,
                "job_type": JOBS[i % len(JOBS)],
                "employment": "任期付" if i % 500 == 0 else "正規",
                "recruitment": "一般",
                "hired_on": dt.date(1985 + i % 40, 4, 1),
                "term_ends_on": dt.date(2028, 3, 31) if i % 500 == 0 else None,
                "career_model": "expert" if i % 3 == 0 else "generalist",
                "special_department": "",
            }
        )
    return rows


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    from hagukumi.core.tabular_export import write_table
    from hagukumi.people.roster_import import staff_columns

    path.write_bytes(write_table(rows, columns=staff_columns(), format="xlsx"))


def _raw(path: Path) -> int:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in book.active.iter_rows(values_only=True))
    book.close()
    return count


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--smoke", action="store_true", help="500 rows, for CI")
    parser.add_argument("--database-url", help="PostgreSQL database of its own (default: SQLite)")
    args = parser.parse_args()
    rows = 500 if args.smoke else args.rows
    workdir = _setup(args.database_url)
    try:
        from django.db import connection

        from hagukumi.core.tenancy import Actor
        from hagukumi.people.roster_import import staff_import

        rng = random.Random(1)
        with tempfile.TemporaryDirectory() as tmp:
            first, second = Path(tmp) / "a.xlsx", Path(tmp) / "b.xlsx"
            started = time.perf_counter()
            _write(first, _rows(rows, rng))
            _write(second, _rows(rows, rng, changed=0.10))
            print(
                f"rows: {rows:,}  file: {first.stat().st_size / 1e6:.1f} MB  "
                f"(built in {time.perf_counter() - started:.1f} s)  database: {connection.vendor}"
            )
            warm = _organization(UNITS)  # imports, caches and the first query: not measured
            small = Path(tmp) / "warm.xlsx"
            _write(small, _rows(10, rng))
            staff_import(
                actor=Actor.command_line(warm),
                organization=warm,
                source=small,
                effective_date=dt.date(2026, 4, 1),
            )
            org = _organization(UNITS)
            results = []
            for label, path, day in (
                ("empty 団体 (all new)", first, dt.date(2026, 4, 1)),
                ("10% changed", second, dt.date(2026, 10, 1)),
            ):
                started = time.perf_counter()
                counted = _raw(path)
                raw = time.perf_counter() - started
                started = time.perf_counter()
                summary = staff_import(
                    actor=Actor.command_line(org),
                    organization=org,
                    source=path,
                    effective_date=day,
                    progress=False,
                )
                ours = time.perf_counter() - started
                assert counted == rows + 1, counted
                results.append((label, raw, ours, summary.count_line()))
        for label, raw, ours, counts in results:
            print(f"{label}:")
            print(f"  openpyxl read-only raw read: {raw:7.2f} s")
            print(f"  import_staff:                {ours:7.2f} s  ({rows / ours:,.0f} rows/s)")
            print(f"  ratio import/raw: {ours / raw:.2f}  (goal ≤ 3)   {counts}")
        print(f"peak RSS: {_rss_mb():.0f} MB (goal ≤ 1024)")
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
