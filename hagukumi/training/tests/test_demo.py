"""The demo scenario of issue [研修], asserted once on one load (people's demo takes a while)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from hagukumi.assessments import demo
from hagukumi.assessments.models import Assessment, AssessmentSheet, Certificate
from hagukumi.core.management.commands.load_demo import demo_modules
from hagukumi.core.metrics import metric
from hagukumi.frameworks import demo as frameworks_demo
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import competencies_in_force
from hagukumi.orgs import demo as orgs_demo
from hagukumi.people import demo as people_demo
from hagukumi.people.models import Designation, DesignationStatus, Staff
from hagukumi.people.selectors import designation_counts
from hagukumi.training.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    Program,
)

pytestmark = pytest.mark.django_db

SAPPORO_CODES = {
    "dx-leader-mind-ownership",
    "dx-leader-mind-problem-solving",
    "dx-leader-mind-overall-optimum",
    "dx-leader-mind-continuous-learning",
    "dx-leader-skill-it-literacy",
    "dx-leader-skill-process-improvement",
    "dx-leader-skill-project-execution",
}

# The two who do not meet the rule, exactly as `certification_candidates --json` gives them.
EXPECTED_MISSING = [
    {
        "staff_no": "000697",
        "name": "中島 和也",
        "unit": "市民協働課",
        "reasons": [
            {
                "clause": "phases_completed",
                "message": "成果発表 未修了",
                "current": "未修了",
                "required": "修了",
                "source": "【②DX推進リーダー】育成 の修了記録",
                "as_of": "2026-03-31",
                "next_chance": "成果発表（第2期） 令和9年3月10日",
            }
        ],
    },
    {
        "staff_no": "000707",
        "name": "山下 彩",
        "unit": "教育指導課",
        "reasons": [
            {
                "clause": "assessment",
                "message": "アセスメント 2.4 < 3.0",
                "current": "2.43",
                "required": ">= 3.0",
                "source": "DX推進リーダー アセスメントシート（事務局評価、令和7年度 秋期）",
                "as_of": "2026-03-31",
                "next_chance": (
                    "DX推進リーダー アセスメントシート 令和8年度 秋期"
                    "（令和8年10月1日～令和8年11月30日）"
                ),
            }
        ],
    },
]


@pytest.fixture
def demo_org(db):  # type: ignore[no-untyped-def]
    orgs_demo.load()
    frameworks_demo.load()
    people_demo.load()
    summary = demo.load()
    return orgs_demo.demo_organization(), summary


def _candidates_json(org) -> dict:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "certification_candidates",
        "--organization",
        "デモ市",
        "--talent-type",
        "dx-leader",
        "--fiscal-year",
        "2025",
        "--as-of",
        demo.AS_OF.isoformat(),  # later than the 年度: the answer is as of 2026-03-31
        "--json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def _members(org, number: int) -> list[Staff]:  # type: ignore[no-untyped-def]
    return [
        e.staff
        for e in Enrollment.objects.filter(cohort__program__organization=org, cohort__number=number)
        .select_related("staff__unit")
        .order_by("staff__number")
    ]


def _framework_sheet_and_programme(org) -> None:  # type: ignore[no-untyped-def]
    framework = Framework.objects.get(owner=org, code="mic", is_template=False)
    published = framework.versions.filter(status="published").order_by("number")
    assert published.count() >= 2  # the roster's version, then the one adding 札幌's 7
    codes = {c.code for c in competencies_in_force(organization=org, framework=framework)}
    assert codes >= SAPPORO_CODES
    sheet = AssessmentSheet.objects.get(organization=org, code="dx-leader")
    assert (sheet.scale_min, sheet.scale_max) == (1, 4)
    assert set(sheet.items.values_list("competency_code", flat=True)) == SAPPORO_CODES
    program = Program.objects.get(organization=org, code="sapporo-dx-leader")
    assert program.template_code == "sapporo-dx-leader"
    assert program.framework_id == framework.pk


def _cohorts_follow_the_stated_rule(org) -> None:  # type: ignore[no-untyped-def]
    first, second = _members(org, 1), _members(org, 2)
    assert (len(first), len(second)) == (35, 35)
    assert not {s.pk for s in first} & {s.pk for s in second}
    roster_leaders = set(
        Designation.objects.filter(organization=org, from_fy=2024).values_list(
            "staff_id", flat=True
        )
    )
    eligible = (
        Staff.objects.filter(
            organization=org,
            employment="正規",
            position__in=("主事", "主任"),
            hired_on__lte=dt.date(2025, 6, 1),
        )
        .exclude(pk__in=roster_leaders)
        .order_by("number")
    )
    numbers = list(eligible.values_list("number", flat=True))
    assert [s.number for s in first] == numbers[:35]
    assert [s.number for s in second] == numbers[35:70]
    enrollments = Enrollment.objects.filter(cohort__program__organization=org)
    assert set(enrollments.values_list("channel", flat=True)) == {EnrollmentChannel.RECOMMENDED}
    cohorts = {c.number: c for c in Cohort.objects.filter(program__organization=org)}
    assert (cohorts[1].fiscal_year, cohorts[1].status) == (2025, CohortStatus.FINISHED)
    assert (cohorts[2].fiscal_year, cohorts[2].status) == (2026, CohortStatus.RUNNING)
    assert Counter(enrollments.filter(cohort__number=1).values_list("status", flat=True)) == {
        EnrollmentStatus.COMPLETED: 34,
        EnrollmentStatus.NOT_COMPLETED: 1,
    }
    assert set(enrollments.filter(cohort__number=2).values_list("status", flat=True)) == {
        EnrollmentStatus.APPROVED
    }
    # 第2期: attendance only up to the demo's as-of date (2026-12-01).
    second_days = set(
        Attendance.objects.filter(session__cohort=cohorts[2]).values_list(
            "session__date", flat=True
        )
    )
    assert second_days
    assert max(second_days) <= demo.AS_OF
    assert Attendance.objects.filter(session__cohort=cohorts[2]).count() == 35 * 7


def _assessments(org) -> None:  # type: ignore[no-untyped-def]
    means = {}
    for a in Assessment.objects.filter(organization=org, kind="office").prefetch_related("answers"):
        values = [x.value for x in a.answers.all()]
        means[a.staff_id] = Decimal(sum(values)) / len(values)
    assert len(means) == 35
    low = [m for m in means.values() if m < 3]
    assert len(low) == 1
    assert round(low[0], 2) == Decimal("2.43")


def _candidates(org) -> None:  # type: ignore[no-untyped-def]
    first = _members(org, 1)
    absent, low = first[demo.ABSENT_INDEX], first[demo.LOW_INDEX]
    report = _candidates_json(org)
    meets = [s for s in first if s.pk not in (absent.pk, low.pk)]
    assert report["organization_name"] == "デモ市"
    assert report["talent_type"] == "dx-leader"
    assert report["fiscal_year"] == 2025
    assert report["meets"] == [
        {"staff_no": s.number, "name": s.name, "unit": s.unit.name} for s in meets
    ]
    assert len(report["meets"]) == 33
    missing = report["missing"]
    assert [(m["staff_no"], m["name"]) for m in missing] == sorted(
        [(absent.number, absent.name), (low.number, low.name)]
    )
    by_no = {m["staff_no"]: m for m in missing}
    assert [r["message"] for r in by_no[absent.number]["reasons"]] == ["成果発表 未修了"]
    assert [r["message"] for r in by_no[low.number]["reasons"]] == ["アセスメント 2.4 < 3.0"]
    for m in missing:
        assert m["unit"] == Staff.objects.get(organization=org, number=m["staff_no"]).unit.name
        for reason in m["reasons"]:
            assert set(reason) == {
                "clause",
                "message",
                "current",
                "required",
                "source",
                "as_of",
                "next_chance",
            }
            assert reason["as_of"] == "2026-03-31"
    # The exact JSON (the demo is deterministic: same people, same texts on every load).
    assert report == {
        "organization_code": None,
        "organization_name": "デモ市",
        "talent_type": "dx-leader",
        "fiscal_year": 2025,
        "meets": report["meets"],  # asserted above, one by one against the roster
        "missing": EXPECTED_MISSING,
    }
    assert set(report) == {
        "organization_code",
        "organization_name",
        "talent_type",
        "fiscal_year",
        "meets",
        "missing",
    }


def _certified_and_counted(org) -> None:  # type: ignore[no-untyped-def]
    certificates = Certificate.objects.filter(organization=org)
    assert certificates.count() == 33
    assert set(certificates.values_list("fiscal_year", "issued_on")) == {
        (2025, dt.date(2026, 3, 27))
    }
    certified = Designation.objects.filter(pk__in=certificates.values("designation_id"))
    assert set(certified.values_list("status", "from_fy")) == {(DesignationStatus.PRACTISING, 2025)}
    assert designation_counts(organization=org, fiscal_year=2025) == {"dx-leader": 93}
    # people's designation metrics, from the designation history (as of 2026-03-31).
    holders = metric("people.designation_holders").counts(
        organizations=[org], fiscal_year=2025, group_by=None, today=demo.AS_OF
    )
    assert holders[org.pk] == {"": 93}
    by_status = metric("people.designations").counts(
        organizations=[org], fiscal_year=2025, group_by="status", today=demo.AS_OF
    )
    # The two who do not meet the rule stay 育成中.
    assert by_status[org.pk] == {"certified": 93, "training": 2}
    enrolled = metric("training.enrolled")
    completed = metric("training.completed")
    assert enrolled.counts(organizations=[org], fiscal_year=2025, today=demo.AS_OF)[org.pk] == {
        "": 35
    }
    assert completed.counts(organizations=[org], fiscal_year=2025, today=demo.AS_OF)[org.pk] == {
        "": 34
    }
    assert enrolled.counts(organizations=[org], fiscal_year=2026, today=demo.AS_OF)[org.pk] == {
        "": 35
    }
    assert completed.counts(organizations=[org], fiscal_year=2026, today=demo.AS_OF)[org.pk] == {
        "": 0
    }


def _load_is_idempotent(org) -> None:  # type: ignore[no-untyped-def]
    assert "作成済み" in demo.load()
    assert Certificate.objects.filter(organization=org).count() == 33
    assert Enrollment.objects.filter(cohort__program__organization=org).count() == 70


def _discovered_after_training() -> None:
    labels = [label for label, _module in demo_modules()]
    assert "assessments" in labels
    if "training" in labels:
        assert labels.index("training") < labels.index("assessments")
    assert labels.index("people") < labels.index("assessments")


def test_demo_scenario(demo_org):  # type: ignore[no-untyped-def]
    """One load, every figure of the issue's demo scenario."""
    org, summary = demo_org
    assert "33名を認定" in summary
    _framework_sheet_and_programme(org)
    _cohorts_follow_the_stated_rule(org)
    _assessments(org)
    _candidates(org)
    _certified_and_counted(org)
    _load_is_idempotent(org)
    _discovered_after_training()
