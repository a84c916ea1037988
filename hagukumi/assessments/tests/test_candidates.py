"""The certification engine: who meets, what the others lack, and in how many queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagukumi.assessments.models import AssessmentKind, Certificate, ClauseKind
from hagukumi.assessments.selectors import certification_candidates, certification_evaluate
from hagukumi.assessments.services import (
    ClauseSpec,
    practice_record_confirm,
    practice_record_create,
    practice_record_submit,
    rule_create,
    rule_deactivate,
    rule_template_adopt,
    sheet_create_from_framework,
)
from hagukumi.assessments.tests.certification_world import add_member, build_world, bulk_members
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import actor_for
from hagukumi.people.models import Designation, Qualification, StaffQualification
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import Attendance, AttendanceStatus, Session

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
# The demo rule (phases + assessment), for any number of staff: the rule's 団体, clauses and
# their courses, the talent type's programmes, phases; per clause its facts and next
# chances (masks, sessions; windows, answers); designations, members, certificates; staff;
# unit history.
QUERIES = 14


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world()


def _report(world, **kw):  # type: ignore[no-untyped-def]
    return certification_candidates(
        actor=world.actor, talent_type_code="dx-leader", fiscal_year=2025, **kw
    )


def test_demo_shape_meets_and_the_two_reasons(world) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000003", name="山田 花子")
    add_member(world, number="000001", name="𠮷田 太郎", unit="0102")
    add_member(world, number="000002", name="髙橋 次郎", skip=["成果発表"])
    add_member(world, number="000004", name="山﨑 三郎", office_values=(3, 3, 2, 2, 3, 2, 2))
    data = _report(world).as_dict()
    assert data["organization_code"] == world.organization.code
    assert data["organization_name"] == world.organization.name
    assert data["talent_type"] == "dx-leader"
    assert data["fiscal_year"] == 2025
    assert data["meets"] == [
        {"staff_no": "000001", "name": "𠮷田 太郎", "unit": "財政課"},
        {"staff_no": "000003", "name": "山田 花子", "unit": "行政課"},
    ]
    assert [m["staff_no"] for m in data["missing"]] == ["000002", "000004"]
    (phase,) = data["missing"][0]["reasons"]
    assert phase == {
        "clause": "phases_completed",
        "message": "成果発表 未修了",
        "current": "未修了",
        "required": "修了",
        "source": "【②DX推進リーダー】育成 の修了記録",
        "as_of": "2026-03-31",
        "next_chance": "成果発表（第2期） 令和9年3月10日",
    }
    (low,) = data["missing"][1]["reasons"]
    assert low["clause"] == "assessment"
    assert low["message"] == "アセスメント 2.4 < 3.0"
    assert low["current"] == "2.43"
    assert low["required"] == ">= 3.0"
    assert low["source"] == "DX推進リーダー アセスメントシート（事務局評価、令和7年度 秋期）"
    assert low["next_chance"] == (
        "DX推進リーダー アセスメントシート 令和8年度 秋期（令和8年10月1日～令和8年11月30日）"
    )


def test_optional_phase_is_never_required(world) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001", skip=["自己啓発"])
    assert [r.staff_no for r in _report(world).meets] == ["000001"]


def test_as_of_today_in_the_year_counts_what_happened_by_then(world) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001")
    report = _report(world, today=dt.date(2026, 1, 15))
    assert report.as_of == dt.date(2026, 1, 15)
    (row,) = report.missing  # completions dated 2026-03-10 are not there yet
    assert {r.message for r in row.reasons} >= {"成果発表 未修了", "事前学習 未修了"}
    presentation = next(r for r in row.reasons if r.message == "成果発表 未修了")
    assert presentation.next_chance == "成果発表（第1期） 令和8年3月10日"


def test_not_assessed_is_named(world) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001", office_values=None)
    (row,) = _report(world).missing
    assert [r.message for r in row.reasons] == ["アセスメント 未実施"]


def test_kakegawa_template_above_the_threshold_means_greater_than() -> None:
    world = build_world(rule=False)
    sheet = sheet_create_from_framework(
        actor=world.actor,
        framework=world.framework,
        code="kakegawa-test",
        title="DXリーダー向けアセスメント",
        talent_type_code="dx-leader",
        allows_self=False,
        allows_supervisor=False,
        has_test_score=True,
        test_score_max=Decimal("100"),
    )
    from hagukumi.assessments.services import windows_from_template_create

    (window,) = windows_from_template_create(
        actor=world.actor, sheet=sheet, template_code="hokkaido", fiscal_years=[2025]
    )
    rule = rule_template_adopt(
        actor=world.actor,
        template_code="kakegawa",
        framework=world.framework,
        talent_type_code="dx-leader",
        sheet=sheet,
        courses=[p.course for p in world.phases.values() if p.required],
    )
    assert rule.source.startswith("seeds/001_")
    assert [(c.kind, c.params.get("op")) for c in rule.clauses.order_by("order")] == [
        (ClauseKind.COURSES_COMPLETED, None),
        (ClauseKind.ASSESSMENT, ">"),
    ]
    world.window = window
    world.sheet = sheet
    add_member(world, number="000001", office_values=(), test_score=Decimal("70"))
    add_member(world, number="000002", office_values=(), test_score=Decimal("70.5"))
    report = _report(world)
    assert [r.staff_no for r in report.meets] == ["000002"]
    (row,) = report.missing
    assert [r.message for r in row.reasons] == ["アセスメント 70 ≤ 70"]


def test_hours_qualification_practice_and_years_clauses(world) -> None:  # type: ignore[no-untyped-def]
    rule_deactivate(actor=world.actor, rule=world.rule)
    rule = rule_create(
        actor=world.actor,
        framework=world.framework,
        talent_type_code="dx-leader",
        name="四条件",
        clauses=[
            ClauseSpec(
                kind=ClauseKind.HOURS_AT_LEAST, params={"hours": "38"}, program=world.program
            ),
            ClauseSpec(kind=ClauseKind.QUALIFICATION_HELD, qualification_code="it-passport"),
            ClauseSpec(kind=ClauseKind.PRACTICE_MONTHS, params={"months": 12}),
            ClauseSpec(
                kind=ClauseKind.YEARS_IN_PROGRAMME, params={"years": 2}, program=world.program
            ),
        ],
    )
    staff = add_member(world, number="000001")
    sessions = Session.objects.filter(cohort=world.cohort1).exclude(
        course__title__in=["成果発表", "スキル実践演習"]
    )
    Attendance.objects.bulk_create(
        Attendance(
            organization=world.organization,
            session=s,
            staff=staff,
            status=AttendanceStatus.PRESENT,
        )
        for s in sessions
    )
    for start, end in (
        (dt.date(2025, 4, 1), dt.date(2025, 9, 1)),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 1)),
    ):
        record = practice_record_create(
            actor=world.actor,
            staff=staff,
            data={"title": "申請受付の業務アプリ化", "period_start": start, "period_end": end},
        )
        practice_record_submit(actor=world.actor, record=record)
        practice_record_confirm(actor=world.actor, record=record, now=NOW)
    report = certification_evaluate(rule=rule, fiscal_year=2025)
    (row,) = report.missing
    assert [r.message for r in row.reasons] == [
        "受講時間 27時間 < 38時間",
        "資格 ITパスポート試験 未取得",
        "実践 9か月 < 12か月",
        "在籍 1年 < 2年",
    ]
    hours = row.reasons[0]
    assert (hours.current, hours.required) == ("27", "38")
    assert hours.next_chance == "事前学習（第2期） 令和8年7月11日"
    assert row.reasons[3].next_chance == "令和8年度に2年目"
    StaffQualification.objects.create(
        staff=staff,
        qualification=Qualification.objects.get(code="it-passport"),
        obtained_on=dt.date(2025, 6, 1),
    )
    report = certification_evaluate(rule=rule, fiscal_year=2025)
    assert "資格 ITパスポート試験 未取得" not in [r.message for r in report.missing[0].reasons]


def test_who_is_a_candidate(world) -> None:  # type: ignore[no-untyped-def]
    certified_before = add_member(world, number="000001")
    holder = add_member(world, number="000002")
    add_member(world, number="000003")
    StaffFactory(organization=world.organization, number="000009")  # nothing to do with it
    Certificate.objects.create(
        organization=world.organization,
        number="X-2024-0001",
        prefix="X",
        fiscal_year=2024,
        serial=1,
        staff=certified_before,
        framework=world.framework,
        talent_type_code="dx-leader",
        issued_on=dt.date(2025, 3, 20),
    )
    Designation.objects.create(
        organization=world.organization,
        staff=holder,
        framework=world.framework,
        talent_type_code="dx-leader",
        method="recommended",
        from_fy=2024,
        status="certified",
    )
    assert [r.staff_no for r in _report(world).rows] == ["000003"]


def test_only_the_office_and_hr_list_candidates(world, user_with_role) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001")
    org = world.organization
    hr = actor_for(user_with_role(Role.HR, org=org), org.pk)
    assert len(_report(world).meets) == 1
    assert certification_candidates(actor=hr, talent_type_code="dx-leader", fiscal_year=2025).meets
    for role in (Role.UNIT_HEAD, Role.STAFF, Role.PREFECTURE_SUPPORT):
        actor = actor_for(user_with_role(role, org=org), org.pk)
        with pytest.raises(AccessDenied):
            certification_candidates(actor=actor, talent_type_code="dx-leader", fiscal_year=2025)
    other = build_world()
    with pytest.raises(ApplicationError):  # other 団体: their own (empty) rule, never ours
        certification_candidates(
            actor=other.actor, talent_type_code="general-staff", fiscal_year=2025
        )
    assert not certification_candidates(
        actor=other.actor, talent_type_code="dx-leader", fiscal_year=2025
    ).rows


def test_the_read_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001")
    _report(world)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("id")
    assert event.target_repr.startswith("認定候補: DX推進リーダー認定基準（デモ）")
    assert event.detail["meets"] == 1


def test_missing_rule_and_ambiguous_framework(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="general-staff"):
        certification_candidates(
            actor=world.actor, talent_type_code="general-staff", fiscal_year=2025
        )
    with pytest.raises(ApplicationError, match="フレームワーク「nope」"):
        _report(world, framework_code="nope")


def _queries(world, count: int) -> int:  # type: ignore[no-untyped-def]
    bulk_members(world, count)
    with CaptureQueriesContext(connection) as context:
        report = certification_evaluate(rule=world.rule, fiscal_year=2025)
    assert len(report.rows) == count
    assert report.missing  # reasons are built in the same queries
    return len(context.captured_queries)


def test_query_count_is_fixed_for_10_and_1000_staff() -> None:
    small = _queries(build_world(), 10)
    large = _queries(build_world(), 1000)
    assert small == large
    assert small == QUERIES, small


def test_bulk_members_reasons() -> None:
    world = build_world()
    bulk_members(world, 22)
    report = certification_evaluate(rule=world.rule, fiscal_year=2025)
    messages = {r.staff_no: [x.message for x in r.reasons] for r in report.missing}
    assert messages["000001"] == ["成果発表 未修了", "アセスメント 2.4 < 3.0"]
    assert messages["000008"] == ["成果発表 未修了"]
    assert messages["000012"] == ["アセスメント 2.4 < 3.0"]
    assert len(report.meets) == 22 - 5  # 000001, 000008, 000012, 000015, 000022


def test_assessment_kind_label_in_source(world) -> None:  # type: ignore[no-untyped-def]
    assert dict(AssessmentKind.choices)["office"] == "事務局"
