"""A small 団体 running one programme, shared by the attendance, completion and metrics tests.

`build_world()` makes (all FY2025, no wall clock):

- 課 0101 人事課 and 0201 デジタル推進課; five cohort members (000001–000005,
  the first three in 0101) and an outsider 000099 not in the cohort;
- programme 「DX推進リーダー育成」 (code leader) with phases
  1. C1 マインドセット, 全回受講, sessions 第1回 2025-07-10 and 第2回 2025-08-10, 4h each,
     developing competency mindset at level 2;
  2. C2 事前学習 (eラーニング), hours ≥ 3, one self-paced session of 3h;
  3. C3 自己啓発 (optional, not counted), one session;
- cohort 第1期 FY2025 (2025-06-01 – 2026-03-31) with the five admitted (承認);
- a stand-alone course S1 with one session, 000001 enrolled in its run;
- another 団体 with a course OTHER1 and its session 第1回.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hagukumi.core.tenancy import Actor
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import (
    CompletionRule,
    CourseFormat,
    EnrollmentStatus,
)
from hagukumi.training.tests.factories import (
    CohortFactory,
    CourseCompetencyFactory,
    CourseFactory,
    EnrollmentFactory,
    FrameworkFactory,
    ProgramFactory,
    ProgramPhaseFactory,
    SessionFactory,
)


@dataclass
class World:
    organization: Any
    other: Any
    units: dict[str, Any]
    members: list[Any]
    outsider: Any
    program: Any
    cohort: Any
    c1: Any
    c2: Any
    c3: Any
    s1: Any
    sessions: dict[str, Any]
    enrollments: list[Any]
    other_session: Any
    framework: Any
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> Actor:
        return Actor.command_line(self.organization)


def add_members(world: World, count: int, *, start: int = 100) -> list[Any]:
    """`count` more cohort members (職員番号 from `start`), admitted."""
    people = []
    for i in range(count):
        person = StaffFactory(
            organization=world.organization, number=f"{start + i:06d}", unit=world.units["0201"]
        )
        EnrollmentFactory(cohort=world.cohort, staff=person, status=EnrollmentStatus.APPROVED)
        people.append(person)
    world.members.extend(people)
    return people


def build_world() -> World:
    org = OrganizationFactory(name="テスト市")
    other = OrganizationFactory(name="よそ町")
    units = {
        "0101": UnitFactory(organization=org, code="0101", name="人事課", valid_from_fy=2020),
        "0201": UnitFactory(
            organization=org, code="0201", name="デジタル推進課", valid_from_fy=2020
        ),
    }
    members = [
        StaffFactory(
            organization=org,
            number=f"{n:06d}",
            name=f"受講 {n}郎",
            unit=units["0101" if n <= 3 else "0201"],
        )
        for n in range(1, 6)
    ]
    outsider = StaffFactory(organization=org, number="000099", unit=units["0101"])
    framework = FrameworkFactory(owner=org, code="demo-fw")
    program = ProgramFactory(
        organization=org, code="leader", title="DX推進リーダー育成", framework=framework
    )
    c1 = CourseFactory(organization=org, code="C1", title="マインドセット")
    c2 = CourseFactory(
        organization=org,
        code="C2",
        title="事前学習",
        format=CourseFormat.ELEARNING,
        completion_rule=CompletionRule.HOURS,
        completion_hours=Decimal("3"),
    )
    c3 = CourseFactory(organization=org, code="C3", title="自己啓発")
    ProgramPhaseFactory(program=program, order=1, course=c1)
    ProgramPhaseFactory(program=program, order=2, course=c2)
    ProgramPhaseFactory(program=program, order=3, course=c3, required=False, counted=False)
    CourseCompetencyFactory(course=c1, framework=framework, competency_code="mindset", level=2)
    cohort = CohortFactory(program=program, number=1, fiscal_year=2025)
    sessions = {
        "C1-1": SessionFactory(
            course=c1, cohort=cohort, number=1, date=dt.date(2025, 7, 10), hours=Decimal("4")
        ),
        "C1-2": SessionFactory(
            course=c1, cohort=cohort, number=2, date=dt.date(2025, 8, 10), hours=Decimal("4")
        ),
        "C2-1": SessionFactory(
            course=c2,
            cohort=cohort,
            number=1,
            date=None,
            start_time=None,
            end_time=None,
            hours=Decimal("3"),
            venue="",
            is_online=True,
        ),
        "C3-1": SessionFactory(
            course=c3, cohort=cohort, number=1, date=dt.date(2025, 9, 1), hours=Decimal("2")
        ),
    }
    enrollments = [
        EnrollmentFactory(cohort=cohort, staff=person, status=EnrollmentStatus.APPROVED)
        for person in members
    ]
    s1 = CourseFactory(organization=org, code="S1", title="情報セキュリティ研修")
    sessions["S1-1"] = SessionFactory(
        course=s1, cohort=None, number=1, date=dt.date(2025, 10, 1), hours=Decimal("2")
    )
    EnrollmentFactory(
        cohort=None,
        course=s1,
        organization=org,
        staff=members[0],
        fiscal_year=2025,
        status=EnrollmentStatus.APPROVED,
    )
    other_course = CourseFactory(organization=other, code="OTHER1", title="よその研修")
    other_session = SessionFactory(course=other_course, number=1, date=dt.date(2025, 7, 10))
    return World(
        organization=org,
        other=other,
        units=units,
        members=members,
        outsider=outsider,
        program=program,
        cohort=cohort,
        c1=c1,
        c2=c2,
        c3=c3,
        s1=s1,
        sessions=sessions,
        enrollments=enrollments,
        other_session=other_session,
        framework=framework,
    )


def csv_bytes(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    header = header or ["職員番号", "研修コード", "回", "日付", "出欠", "受講時間"]
    lines = [",".join(header)] + [",".join(_cell(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _cell(value: str) -> str:
    return f'"{value}"' if "," in value else value


def test_the_world_builds(db) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    assert len(world.members) == 5
    assert world.sessions["C2-1"].date is None
