"""Demo scenario of issue [研修]: デモ市 runs 札幌's 【②DX推進リーダー】育成 and certifies by rule.

Deterministic: every date and time is fixed here (nothing reads the clock), and
the members are chosen by a stated rule, not drawn. Everything is written through
the services of frameworks, training, assessments and people, as the command-line
operator of デモ市. It lives in `assessments` (not `training`) because it needs
both apps and only assessments may import training.

- The `mic` framework of デモ市 gets a new published version adding the 7
  `dx-leader` マインド・スキル of the `sapporo` template (seeds/002_*), and the
  札幌 programme template `sapporo-dx-leader` is adopted onto it.
- The sheet 「DX推進リーダー アセスメントシート」 is built from those 7, scale 1–4,
  with the 北海道 autumn windows (10/1–11/30, 例示) for FY2025 and FY2026.
- The rule: every required phase + 事務局 mean ≥ 3.0 (template `sapporo-demo`; the
  seed states no criteria).
- 第1期 FY2025 (2025-06-01 – 2026-03-31, finished) and 第2期 FY2026
  (2026-06-01 – 2027-03-31, running): each takes the 35 lowest 職員番号 among
  正規 staff with 職位 主事 or 主任, hired by the cohort's start, who hold no
  `dx-leader` designation — enrolled by 推薦 (see `_recommend`).
- Attendance: everyone attends every session, except member `ABSENT_INDEX` of 第1期,
  absent from 成果発表; 第2期's attendance is recorded up to `AS_OF` (2026-12-01).
- 事務局 assessments of 第1期 in the FY2025 window: every mean ≥ 3.0 except member
  `LOW_INDEX` (3,3,2,2,3,2,2 → 2.43, shown 2.4).
- So for FY2025 33 meet the rule; they are certified on 2026-03-27 (認定, FY2025)
  and move to 実践 on 2026-04-01 (FY2026): dx-leader in force at the end of FY2025
  = the roster's 60 + 33 = 93.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hagukumi.assessments.models import AssessmentKind, AssessmentWindow, Certificate
from hagukumi.assessments.services import (
    assessment_save,
    certification_certify,
    framework_competencies_from_template_add,
    rule_template_adopt,
    sheet_create_from_framework,
    windows_from_template_create,
)
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.orgs.demo import demo_organization
from hagukumi.people.models import Designation, DesignationStatus, Staff
from hagukumi.people.services import designation_transition
from hagukumi.training.models import (
    AttendanceStatus,
    Cohort,
    CohortStatus,
    EnrollmentChannel,
    Program,
    Session,
)
from hagukumi.training.services import (
    AttendanceEntry,
    attendance_record,
    cohort_create,
    cohort_groups_form,
    cohort_start,
    completions_update,
    program_template_adopt,
)
from hagukumi.training.services.enrolment import _enrol

TEMPLATE_CODE = "sapporo-dx-leader"
PROGRAM_CODE = "sapporo-dx-leader"
TALENT_TYPE = "dx-leader"
SHEET_CODE = "dx-leader"
COHORT_SIZE = 35
POSITIONS = ("主事", "主任")
AS_OF = dt.date(2026, 12, 1)  # the demo's fixed "today"
ISSUED_ON = dt.date(2026, 3, 27)  # 認定 (FY2025)
PRACTICE_FROM = dt.date(2026, 4, 1)  # 実践 (FY2026)
ASSESSED_ON = dt.date(2025, 11, 20)  # inside the FY2025 window 10/1–11/30
ABSENT_INDEX = 9  # the 10th member of 第1期 (by 職員番号) misses 成果発表
LOW_INDEX = 19  # the 20th member of 第1期 gets the low 事務局 assessment
LOW_VALUES = (3, 3, 2, 2, 3, 2, 2)  # mean 2.43, shown 2.4
TZ = ZoneInfo("Asia/Tokyo")
# (course code → the 回 dates as (month, day) in the cohort's 年度; Jan–Mar are next year's).
SESSION_DAYS: dict[str, tuple[tuple[int, int], ...]] = {
    "DXL-01": ((7, 1),),  # 事前学習 eラーニング ～7月
    "DXL-02": ((7, 15), (8, 5), (8, 26)),  # マインドセット 7～8月
    "DXL-03": ((9, 16), (10, 14), (11, 11)),  # スキル習得 9～11月
    "DXL-04": ((12, 9), (1, 13), (2, 10)),  # スキル実践演習 12～2月
    "DXL-05": ((3, 10),),  # 成果発表 3月
}
COHORTS = (
    # (期, 年度, starts_on, ends_on, 推薦 day)
    (1, 2025, dt.date(2025, 6, 1), dt.date(2026, 3, 31), dt.date(2025, 5, 12)),
    (2, 2026, dt.date(2026, 6, 1), dt.date(2027, 3, 31), dt.date(2026, 5, 11)),
)


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _day_in(fiscal_year: int, month: int, day: int) -> dt.date:
    return dt.date(fiscal_year + (1 if month <= 3 else 0), month, day)


def members_rule(*, organization: Any, framework: Framework, starts_on: dt.date) -> list[Staff]:
    """The stated rule: the 35 lowest 職員番号 among 正規 主事・主任 hired by `starts_on`
    with no `dx-leader` designation (any status but 解除)."""
    holders = (
        Designation.objects.filter(
            organization=organization, framework=framework, talent_type_code=TALENT_TYPE
        )
        .not_revoked()
        .values("staff_id")
    )
    return list(
        Staff.objects.filter(
            organization=organization,
            employment="正規",
            position__in=POSITIONS,
            hired_on__lte=starts_on,
        )
        .exclude(pk__in=holders)
        .select_related("unit")
        .order_by("number")[:COHORT_SIZE]
    )


def _recommend(*, actor: Actor, cohort: Cohort, staff: list[Staff], day: dt.date) -> None:
    """推薦 of each member, a minute apart (first come first served is by that time).

    The demo stands in for each member's 所属長 (the 課長 have no login in the demo),
    so it uses the enrolment service's common path with the 推薦 channel: seat,
    designation 候補 and audit are those of `enrollment_recommend`.
    """
    for i, person in enumerate(staff):
        _enrol(
            actor=actor,
            cohort=cohort,
            staff=person,
            channel=EnrollmentChannel.RECOMMENDED,
            now=_at(day, 9, 0) + dt.timedelta(minutes=i),
        )


def _date_sessions(cohort: Cohort) -> list[Session]:
    sessions = list(
        Session.objects.filter(cohort=cohort)
        .select_related("course")
        .order_by("course__code", "number")
    )
    for session in sessions:
        month, day = SESSION_DAYS[session.course.code][session.number - 1]
        session.date = _day_in(cohort.fiscal_year, month, day)
        if not session.is_online and session.course.code != "DXL-01" and session.hours:
            start = dt.datetime.combine(session.date, dt.time(13, 30))
            session.start_time = start.time()
            session.end_time = (start + dt.timedelta(hours=float(session.hours))).time()
            session.venue = "デモ市役所 本庁舎 会議室"
        session.full_clean()
        session.save(update_fields=["date", "start_time", "end_time", "venue", "updated_at"])
    return sorted(sessions, key=lambda s: (s.date or dt.date.max, s.course.code, s.number))


def _attend(
    *, actor: Actor, sessions: list[Session], staff: list[Staff], until: dt.date, absent: Any
) -> None:
    """出席 with the session's hours for everyone, up to `until`; `absent(session)` names who
    is 欠席 at a session (a staff id or None)."""
    for session in sessions:
        if session.date is None or session.date > until:
            continue
        missing = absent(session)
        attendance_record(
            actor=actor,
            session_id=session.pk,
            entries=[
                AttendanceEntry(staff_id=p.pk, status=AttendanceStatus.ABSENT)
                if p.pk == missing
                else AttendanceEntry(
                    staff_id=p.pk, status=AttendanceStatus.PRESENT, hours=session.hours
                )
                for p in staff
            ],
        )


def _office_values(index: int) -> tuple[int, ...]:
    """事務局 answers per member: 3s with a few 4s (mean ≥ 3.0), LOW_VALUES for LOW_INDEX."""
    if index == LOW_INDEX:
        return LOW_VALUES
    return tuple(4 if (index + k) % 5 == 0 else 3 for k in range(7))


def load() -> str:
    """Run the scenario once (idempotent: skipped when the programme exists)."""
    org = demo_organization()
    if org is None:
        return "デモ市がありません（orgs のデモを先に読み込んでください）。"
    framework = Framework.objects.filter(owner=org, code="mic", is_template=False).first()
    if framework is None or not Staff.objects.filter(organization=org).exists():
        return "デモ市の職員名簿がありません（people のデモを先に読み込んでください）。"
    if Program.objects.filter(organization=org, code=PROGRAM_CODE).exists():
        return (
            f"{org.display_full_name}: 研修・アセスメント・認定のデモは作成済みです（変更なし）。"
        )
    actor = Actor.command_line(org)
    framework_competencies_from_template_add(
        actor=actor, framework=framework, template_code="sapporo", talent_type_code=TALENT_TYPE
    )
    (program,) = program_template_adopt(
        actor=actor, template_code=TEMPLATE_CODE, framework=framework
    ).programs
    sheet = sheet_create_from_framework(
        actor=actor,
        framework=framework,
        code=SHEET_CODE,
        title="DX推進リーダー アセスメントシート",
        talent_type_code=TALENT_TYPE,
        scale_min=1,
        scale_max=4,
        source="seeds/002_4d04818ec15f2553.txt 【②DX推進リーダー】育成（尺度 1～4 はデモ用）",
    )
    windows_from_template_create(
        actor=actor, sheet=sheet, template_code="hokkaido", fiscal_years=[2025, 2026]
    )
    rule = rule_template_adopt(
        actor=actor,
        template_code="sapporo-demo",
        framework=framework,
        talent_type_code=TALENT_TYPE,
        sheet=sheet,
        program=program,
    )
    practice_phase = program.phases.get(course__code="DXL-04")
    presentation = "DXL-05"
    certified: list[Certificate] = []
    for number, fiscal_year, starts_on, ends_on, recommend_day in COHORTS:
        cohort = cohort_create(
            actor=actor,
            program=program,
            number=number,
            fiscal_year=fiscal_year,
            starts_on=starts_on,
            ends_on=ends_on,
            capacity=COHORT_SIZE,
        )
        staff = members_rule(organization=org, framework=framework, starts_on=starts_on)
        _recommend(actor=actor, cohort=cohort, staff=staff, day=recommend_day)
        cohort = cohort_start(actor=actor, cohort=cohort, today=starts_on)
        cohort_groups_form(actor=actor, cohort=cohort, phase=practice_phase)
        sessions = _date_sessions(cohort)
        if number == 1:
            absent_id = staff[ABSENT_INDEX].pk
            _attend(
                actor=actor,
                sessions=sessions,
                staff=staff,
                until=ends_on,
                absent=lambda s, a=absent_id: a if s.course.code == presentation else None,
            )
            cohort.status = CohortStatus.FINISHED
            cohort.save(update_fields=["status", "updated_at"])
            completions_update(actor=actor, cohort=cohort, as_of=ends_on)
            window = AssessmentWindow.objects.get(sheet=sheet, fiscal_year=fiscal_year)
            codes = list(sheet.items.order_by("order").values_list("competency_code", flat=True))
            for i, person in enumerate(staff):
                assessment_save(
                    actor=actor,
                    window=window,
                    staff=person,
                    kind=AssessmentKind.OFFICE,
                    answers=dict(zip(codes, _office_values(i), strict=True)),
                    today=ASSESSED_ON,
                    now=_at(ASSESSED_ON, 10, i),
                    submit=True,
                )
            meets = [p.pk for i, p in enumerate(staff) if i not in (ABSENT_INDEX, LOW_INDEX)]
            certified = certification_certify(
                actor=actor,
                rule=rule,
                fiscal_year=fiscal_year,
                staff_ids=meets,
                issued_on=ISSUED_ON,
            )
            for certificate in certified:
                assert certificate.designation is not None
                designation_transition(
                    actor=actor,
                    designation=certificate.designation,
                    status=DesignationStatus.PRACTISING,
                    effective_on=PRACTICE_FROM,
                    note="認定された翌年度（2年目）は所属において実践（seeds/002_*）",
                )
        else:
            _attend(actor=actor, sessions=sessions, staff=staff, until=AS_OF, absent=lambda s: None)
            completions_update(actor=actor, cohort=cohort, as_of=AS_OF)
    hours = sum(
        (
            s.hours or Decimal(0)
            for s in Session.objects.filter(cohort__program=program, cohort__number=1)
        ),
        Decimal(0),
    )
    return (
        f"{org.display_full_name}: {program.title} 第1期 {COHORT_SIZE}名（{hours}時間）・"
        f"第2期 {COHORT_SIZE}名、{len(certified)}名を認定しました。"
    )
