"""hagukumi.people.demo: the counts of issue [職員], asserted once on one load."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from hagukumi.core.models import Role, User
from hagukumi.core.tenancy import actor_for
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks import demo as frameworks_demo
from hagukumi.orgs import demo as orgs_demo
from hagukumi.people import demo
from hagukumi.people.models import Assignment, Designation, Staff, StaffQualification
from hagukumi.people.selectors import (
    designation_counts,
    leader_directory,
    qualification_counts,
    staff_search,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(db):  # type: ignore[no-untyped-def]
    orgs_demo.load()
    frameworks_demo.load()
    summary = demo.load()
    # How long the load takes is a bench's business (bench/), never a test assertion.
    return orgs_demo.demo_organization(), summary


def _roster_counts(demo_org):  # type: ignore[no-untyped-def]
    org, summary = demo_org
    assert "2000名" in summary
    staff = Staff.objects.filter(organization=org)
    assert staff.count() == 2000
    numbers = sorted(staff.values_list("number", flat=True))
    assert (numbers[0], numbers[-1]) == ("000001", "002000")
    assert Counter(staff.values_list("employment", flat=True)) == {
        "正規": 1900,
        "会計年度任用": 80,
        "任期付": 12,
        "派遣受入": 5,
        "地域活性化起業人": 2,
        "CIO補佐官": 1,
    }
    recruitment = Counter(staff.values_list("recruitment", flat=True))
    assert (recruitment["デジタル採用"], recruitment["経験者採用"]) == (10, 40)
    hired = Counter(staff.values_list("hired_on", flat=True))
    assert hired[dt.date(2026, 4, 1)] == 60
    assert hired[dt.date(2024, 4, 1)] == 55
    by_fy = Counter(fiscal_year_of(d) for d in staff.values_list("hired_on", flat=True))
    assert (by_fy[2026], by_fy[2024]) == (60, 55)
    assert staff.filter(is_demo=True).count() == 2000
    names = set(staff.values_list("name", flat=True))
    for surname in ("𠮷田", "髙橋", "山﨑"):
        assert any(n.startswith(surname) for n in names)


def _new_heads_from_april_2026(demo_org):  # type: ignore[no-untyped-def]
    org, _ = demo_org
    promoted = Assignment.objects.filter(
        staff__organization=org,
        starts_on=dt.date(2026, 4, 1),
        position__in=["部長", "課長"],
        staff__assignments__ends_on=dt.date(2026, 3, 31),
    ).distinct()
    assert promoted.count() == 8


def _qualifications_and_designations(demo_org):  # type: ignore[no-untyped-def]
    org, _ = demo_org
    assert qualification_counts(organization=org, as_of=dt.date(2026, 11, 1)) == {
        "ap": 12,
        "fe": 40,
        "it-passport": 400,
        "sc": 2,
        "sg": 60,
    }
    assert designation_counts(organization=org, fiscal_year=2024) == {"dx-leader": 60}
    assert designation_counts(organization=org, fiscal_year=2026) == {"dx-leader": 60}
    leaders = Designation.objects.filter(organization=org)
    assert {d.from_fy for d in leaders} == {2024}
    assert all(d.to_fy is None and d.status == "certified" for d in leaders)
    units = Counter(leaders.values_list("staff__unit__code", flat=True))
    assert len(units) == 60
    assert set(units.values()) == {1}


def _search_and_directory(demo_org):  # type: ignore[no-untyped-def]
    org, _ = demo_org
    hr = actor_for(User.objects.get(username="hr"), org.pk)
    page = staff_search(
        actor=hr,
        filters={"position": "係長", "itss_min": "3", "career_model": "エキスパート"},
    )
    assert page.total == 5
    anyone = actor_for(User.objects.get(username="staff"), org.pk)
    assert len(leader_directory(actor=anyone)) == 60


def _demo_users_are_linked(demo_org):  # type: ignore[no-untyped-def]
    org, _ = demo_org
    head = actor_for(User.objects.get(username="head"), org.pk)
    assert head.has_role(Role.UNIT_HEAD)
    page = staff_search(actor=head)
    assert page.total > 1
    assert {r["unit"] for r in page.rows} <= {"デジタル推進課", "DX推進係", "情報政策係"}
    me = Staff.objects.get(organization=org, user__username="staff")
    assert me.unit.name == "デジタル推進課"
    assert Staff.objects.get(organization=org, user__username="head").position == "課長"


# Youngest plausible age per 職位 on the day a post is held (issue [品質] 13).
MIN_AGE = {"部長": 50, "次長": 48, "課長": 42, "課長補佐": 38, "係長": 32, "主査": 30, "主任": 25}
RETIREMENT_AGE = 62  # 定年 in FY2025–FY2026 (raised by one year every two years from 60)


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _ages_fit_positions_and_hire_dates(demo_org):  # type: ignore[no-untyped-def]
    """Hired at 18 or older, no 正規 past 定年, each 職位 held at a plausible age."""
    org, _ = demo_org
    as_of = dt.date(2026, 4, 1)
    problems = []
    for s in Staff.objects.filter(organization=org):
        if _age(s.birth_date, s.hired_on) < 18:
            problems.append(f"{s.number}: hired at {_age(s.birth_date, s.hired_on)}")
        if s.employment == "正規" and _age(s.birth_date, as_of) >= RETIREMENT_AGE:
            problems.append(f"{s.number}: {_age(s.birth_date, as_of)} on {as_of}")
    for a in Assignment.objects.filter(staff__organization=org).select_related("staff"):
        age = _age(a.staff.birth_date, a.starts_on)
        if age < MIN_AGE.get(a.position, 18):
            problems.append(f"{a.staff.number}: {a.position} at {age} from {a.starts_on}")
    for q in StaffQualification.objects.filter(staff__organization=org).select_related("staff"):
        if _age(q.staff.birth_date, q.obtained_on) < 16:
            problems.append(f"{q.staff.number}: 取得 {q.obtained_on} at 15 or younger")
    assert problems == []


def _load_is_idempotent(demo_org):  # type: ignore[no-untyped-def]
    assert "作成済み" in demo.load()
    assert Staff.objects.count() == 2000


def test_demo_roster(demo_org):  # type: ignore[no-untyped-def]
    """One load (about two seconds), every count of the issue."""
    _roster_counts(demo_org)
    _new_heads_from_april_2026(demo_org)
    _qualifications_and_designations(demo_org)
    _search_and_directory(demo_org)
    _demo_users_are_linked(demo_org)
    _ages_fit_positions_and_hire_dates(demo_org)
    _load_is_idempotent(demo_org)
