"""Benchmark: the certification engine vs a hand-written SQL aggregate of the same facts.

    .venv/bin/python bench/certification.py                # 50,000 staff, 500,000 attendance rows
    .venv/bin/python bench/certification.py --smoke        # 500 staff, seconds (make bench-smoke)
    .venv/bin/python bench/certification.py --database-url postgres://…/bench

Data: one 団体 whose programme has four required phases (10 sessions); every
staff member is a cohort member with 10 attendance rows (some 欠席), completions
of the phases they finished, a submitted 事務局 assessment of 7 items, and
(for some) ITパスポート. One rule with four clauses: every required phase,
hours ≥ 30, 事務局 mean ≥ 3.0, ITパスポート held.

In the same run, `assessments.selectors.certification_evaluate` (the engine:
facts in a fixed number of queries, then every clause with its reasons) and one
hand-written SQL statement computing the same per-staff facts (GROUP BY
aggregates per fact table, stacked with UNION ALL) are each timed (median of
several runs after a warm-up); both must give the same set of people who meet
the rule (exit 1 otherwise). Reported: both
medians, the ratio engine/SQL (goal ≤ 2×), the engine's statement count, peak
RSS. Database: a fresh SQLite file (removed afterwards), or PostgreSQL through
--database-url (or a PostgreSQL DATABASE_URL in the environment) — a database
of its own: the bench adds its own 団体 there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FY = 2025
PHASES = (
    ("事前学習", 1, "3"),
    ("マインドセット", 3, "4"),
    ("スキル習得", 3, "4"),
    ("成果発表", 3, "3"),
)
HOURS_REQUIRED = "30"
THRESHOLD = "3.0"


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


def _framework(org: Any, actor: Any) -> Any:
    from hagukumi.assessments.services import framework_competencies_from_template_add
    from hagukumi.frameworks.selectors import framework_draft
    from hagukumi.frameworks.services import (
        framework_create,
        framework_version_publish,
        framework_version_update,
    )

    framework = framework_create(actor=actor, organization=org, code="mic", name="ベンチ")
    draft = framework_draft(framework=framework)
    assert draft is not None
    content = {
        "code": "mic",
        "name": "ベンチ",
        "talent_types": [{"code": "dx-leader", "name": "DX推進リーダー", "mic_type": "dx-leader"}],
    }
    framework_version_update(actor=actor, framework_version=draft, content=content)
    framework_version_publish(actor=actor, framework_version=draft)
    framework_competencies_from_template_add(actor=actor, framework=framework)
    return framework


def _build(count: int, rng: random.Random) -> dict[str, Any]:
    from django.utils import timezone

    from hagukumi.assessments.models import Assessment, AssessmentAnswer, ClauseKind
    from hagukumi.assessments.services import (
        ClauseSpec,
        rule_create,
        sheet_create_from_framework,
        window_create,
    )
    from hagukumi.core.tenancy import Actor
    from hagukumi.orgs.models import Organization, Unit
    from hagukumi.people.models import Qualification, Staff, StaffQualification
    from hagukumi.training.models import (
        Attendance,
        Cohort,
        Course,
        CourseCompletion,
        Enrollment,
        Program,
        ProgramPhase,
        Session,
    )

    org = Organization.objects.create(name=f"ベンチ市{time.time_ns()}", kind="city", is_demo=True)
    actor = Actor.command_line(org)
    framework = _framework(org, actor)
    units = Unit.objects.bulk_create(
        Unit(organization=org, code=f"{u:04d}", name=f"課{u}", valid_from_fy=2020)
        for u in range(100)
    )
    staff = Staff.objects.bulk_create(
        (
            Staff(
                organization=org,
                number=f"{i:06d}",
                name=f"職員 {i}",
                unit=units[i % len(units)],
                position="主事",
            )
            for i in range(1, count + 1)
        ),
        batch_size=5000,
    )
    program = Program.objects.create(
        organization=org,
        code="dx",
        title="DX推進リーダー育成",
        framework=framework,
        talent_type_code="dx-leader",
    )
    cohort = Cohort.objects.create(
        organization=org,
        program=program,
        number=1,
        fiscal_year=FY,
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    sessions = []
    courses = []
    for order, (name, n, hours) in enumerate(PHASES, start=1):
        course = Course.objects.create(
            organization=org, code=f"DX{order}", title=name, format="classroom"
        )
        courses.append(course)
        ProgramPhase.objects.create(program=program, order=order, course=course, name=name)
        for number in range(1, n + 1):
            sessions.append(
                Session.objects.create(
                    organization=org,
                    course=course,
                    cohort=cohort,
                    fiscal_year=FY,
                    number=number,
                    date=dt.date(2025, 6 + order, number),
                    hours=Decimal(hours),
                )
            )
    requested = timezone.make_aware(dt.datetime(2025, 5, 1, 9, 0))
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                organization=org,
                staff=s,
                cohort=cohort,
                fiscal_year=FY,
                channel="recommended",
                status="approved",
                requested_at=requested,
            )
            for s in staff
        ),
        batch_size=5000,
    )
    absent: dict[int, set[int]] = {}
    attendance: list[Any] = []
    for s in staff:
        missed = {k for k in range(len(sessions)) if rng.random() < 0.03}
        absent[s.pk] = {sessions[k].course_id for k in missed}
        attendance.extend(
            Attendance(
                organization=org,
                session=session,
                staff=s,
                status="absent" if k in missed else "present",
            )
            for k, session in enumerate(sessions)
        )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    del attendance
    CourseCompletion.objects.bulk_create(
        (
            CourseCompletion(
                organization=org,
                staff=s,
                course=course,
                cohort=cohort,
                fiscal_year=FY,
                completed_on=dt.date(2026, 3, 10),
            )
            for s in staff
            for course in courses
            if course.pk not in absent[s.pk]
        ),
        batch_size=5000,
    )
    sheet = sheet_create_from_framework(
        actor=actor,
        framework=framework,
        code="dx",
        title="アセスメント",
        talent_type_code="dx-leader",
    )
    window = window_create(
        actor=actor,
        sheet=sheet,
        fiscal_year=FY,
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2025, 11, 30),
    )
    submitted = timezone.make_aware(dt.datetime(2025, 11, 1, 10, 0))
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                organization=org,
                window=window,
                staff=s,
                kind="office",
                assessor_name="コマンドライン",
                submitted_at=submitted,
            )
            for s in staff
        ),
        batch_size=5000,
    )
    items = list(sheet.items.order_by("order"))
    AssessmentAnswer.objects.bulk_create(
        (
            AssessmentAnswer(assessment=a, item=item, value=rng.choice((2, 3, 3, 3, 4)))
            for a in assessments
            for item in items
        ),
        batch_size=5000,
    )
    passport = Qualification.objects.get(code="it-passport")
    StaffQualification.objects.bulk_create(
        (
            StaffQualification(staff=s, qualification=passport, obtained_on=dt.date(2024, 5, 1))
            for s in staff
            if rng.random() < 0.8
        ),
        batch_size=5000,
    )
    rule = rule_create(
        actor=actor,
        framework=framework,
        talent_type_code="dx-leader",
        name="ベンチの基準",
        clauses=[
            ClauseSpec(
                kind=ClauseKind.PHASES_COMPLETED, params={"phases": "required"}, program=program
            ),
            ClauseSpec(
                kind=ClauseKind.HOURS_AT_LEAST, params={"hours": HOURS_REQUIRED}, program=program
            ),
            ClauseSpec(
                kind=ClauseKind.ASSESSMENT,
                params={"kind": "office", "statistic": "mean", "op": ">=", "threshold": THRESHOLD},
                sheet=sheet,
            ),
            ClauseSpec(kind=ClauseKind.QUALIFICATION_HELD, qualification_code="it-passport"),
        ],
    )
    return {
        "organization": org,
        "rule": rule,
        "cohort": cohort,
        "courses": courses,
        "window": window,
        "qualification": passport,
        "attendance_rows": len(sessions) * count,
    }


def _tables() -> dict[str, str]:
    from hagukumi.assessments.models import Assessment, AssessmentAnswer
    from hagukumi.people.models import Staff, StaffQualification
    from hagukumi.training.models import Attendance, CourseCompletion, Enrollment, Session

    models = {
        "staff": Staff,
        "enrollment": Enrollment,
        "completion": CourseCompletion,
        "attendance": Attendance,
        "session": Session,
        "assessment": Assessment,
        "answer": AssessmentAnswer,
        "staff_qualification": StaffQualification,
    }
    return {key: model._meta.db_table for key, model in models.items()}


def _sql_meets(world: dict[str, Any]) -> set[str]:
    """The same per-staff facts in one hand-written statement; who meets all four clauses."""
    from django.db import connection

    t = _tables()
    courses = [c.pk for c in world["courses"]]
    marks = ", ".join(["%s"] * len(courses))
    as_of = dt.date(FY + 1, 3, 31)
    org_id = world["organization"].pk
    # One pass per fact table (GROUP BY staff), stacked with UNION ALL and summed per
    # person: no join order for the planner to get wrong on either database.
    sql = f"""
        SELECT s.number, f.done, f.hours, f.total, f.n, f.held
        FROM (
            SELECT staff_id, SUM(done) AS done, SUM(hours) AS hours, SUM(total) AS total,
                   SUM(n) AS n, MAX(held) AS held
            FROM (
                SELECT staff_id, COUNT(DISTINCT course_id) AS done, 0 AS hours, 0 AS total,
                       0 AS n, 0 AS held
                FROM {t["completion"]}
                WHERE organization_id = %s AND course_id IN ({marks})
                  AND fiscal_year <= %s AND completed_on <= %s
                GROUP BY staff_id
                UNION ALL
                SELECT at.staff_id, 0,
                       SUM(CASE WHEN at.status = 'absent' THEN 0
                                ELSE COALESCE(at.hours,
                                              CASE WHEN at.status IN ('present', 'waived')
                                                   THEN se.hours END,
                                              0) END), 0, 0, 0
                FROM {t["attendance"]} at JOIN {t["session"]} se ON se.id = at.session_id
                WHERE at.organization_id = %s
                  AND at.status IN ('present', 'late', 'left_early', 'waived')
                  AND se.course_id IN ({marks}) AND se.fiscal_year <= %s
                  AND (se.date IS NULL OR se.date <= %s)
                GROUP BY at.staff_id
                UNION ALL
                SELECT asm.staff_id, 0, 0, SUM(ans.value), COUNT(*), 0
                FROM {t["answer"]} ans JOIN {t["assessment"]} asm ON asm.id = ans.assessment_id
                WHERE asm.window_id = %s AND asm.kind = 'office' AND asm.submitted_at IS NOT NULL
                GROUP BY asm.staff_id
                UNION ALL
                SELECT staff_id, 0, 0, 0, 0, 1
                FROM {t["staff_qualification"]}
                WHERE qualification_id = %s AND obtained_on <= %s
                GROUP BY staff_id
            ) parts
            GROUP BY staff_id
        ) f
        JOIN {t["staff"]} s ON s.id = f.staff_id
        WHERE s.organization_id = %s
          AND s.id IN (SELECT staff_id FROM {t["enrollment"]}
                       WHERE organization_id = %s AND cohort_id = %s
                         AND status IN ('approved', 'completed', 'not_completed'))
    """
    params = [
        org_id,
        *courses,
        FY,
        as_of,
        org_id,
        *courses,
        FY,
        as_of,
        world["window"].pk,
        world["qualification"].pk,
        as_of,
        org_id,
        org_id,
        world["cohort"].pk,
    ]
    hours_required = Decimal(HOURS_REQUIRED)
    threshold = Decimal(THRESHOLD)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            number
            for number, done, hours, total, n, held in cursor.fetchall()
            if done == len(courses)
            and Decimal(str(hours)) >= hours_required
            and n
            and Decimal(total) >= threshold * n
            and held
        }


def _engine_meets(world: dict[str, Any]) -> tuple[set[str], int]:
    from django.db import connection

    from hagukumi.assessments.selectors import certification_evaluate

    statements = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        report = certification_evaluate(rule=world["rule"], fiscal_year=FY)
    return {row.staff_no for row in report.meets}, statements


def _median(run: Any, repeat: int) -> tuple[float, Any]:
    """Median of `repeat` timed runs after a warm-up. Like `timeit`, the garbage collector
    is paused while timing (both sides alike), so a collection of the objects the build
    left behind is not charged to whichever side happens to trigger it."""
    run()  # warm-up: imports, caches, the planner's statistics
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="500 staff, for make bench-smoke")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL database of its own (default: a PostgreSQL DATABASE_URL, else SQLite)",
    )
    args = parser.parse_args()
    database_url = args.database_url
    if database_url is None and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database_url = os.environ["DATABASE_URL"]
    count = 500 if args.smoke else args.staff
    workdir = _setup(database_url)
    try:
        from django.db import connection

        rng = random.Random(12)
        started = time.perf_counter()
        world = _build(count, rng)
        print(
            f"staff: {count:,}  attendance rows: {world['attendance_rows']:,}  "
            f"database: {connection.vendor}  (built in {time.perf_counter() - started:.1f} s)"
        )
        engine_time, (engine, statements) = _median(lambda: _engine_meets(world), args.repeat)
        sql_time, raw = _median(lambda: _sql_meets(world), args.repeat)
        if engine != raw:
            print(
                f"DIFFERENT meets sets: engine {len(engine)}, SQL {len(raw)}, "
                f"only engine {sorted(engine - raw)[:5]}, only SQL {sorted(raw - engine)[:5]}"
            )
            return 1
        print(f"meets: {len(engine):,} of {count:,} (same set from both)")
        print(f"engine   median {engine_time * 1000:8.1f} ms  ({statements} statements)")
        print(f"raw SQL  median {sql_time * 1000:8.1f} ms  (1 statement)")
        goal = "goal ≤ 2" if count >= 50_000 else "goal ≤ 2 at 50,000; here fixed costs dominate"
        print(f"ratio engine/SQL: {engine_time / sql_time:.2f}  ({goal})")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
