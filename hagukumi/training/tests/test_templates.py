"""Programme templates (training/data/*.toml): texts from the seeds, adoption onto a 団体's
framework (missing codes refused by name), cohorts with planned sessions, groups, audiences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.frameworks.tests.conftest import assert_in_seed
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Assignment
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import (
    CohortGroup,
    CohortGroupMembership,
    Course,
    CourseCompetency,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    Program,
    ProgramPhase,
    Session,
)
from hagukumi.training.selectors.programs import (
    cohort_groups,
    cohort_plan,
    course_audience,
    program_plan,
    program_templates,
)
from hagukumi.training.services.cohorts import (
    cohort_create,
    cohort_groups_form,
    cohort_groups_set,
    group_sizes,
)
from hagukumi.training.services.templates import (
    TEMPLATE_DIR,
    program_template_adopt,
    program_template_by_code,
    program_template_list,
    program_template_read,
)
from hagukumi.training.tests.test_enrolment import _framework, _user_actor, build_world

SAPPORO = "002_4d04818ec15f2553.txt"
KITAKYUSHU = "003_7c1bdbfa22e4fb34.txt"
AOMORI = "004_bbc9afb52334891c.txt"
TEMPLATE_CODES = [
    "aomori-dx-promoter",
    "kitakyushu-tiered",
    "kitakyushu-tracks",
    "sapporo-dx-leader",
]


# ---------------------------------------------------------------------------
# The data files


def _texts(template: Any):  # type: ignore[no-untyped-def]
    """(text, cited seed file) for every text copied from a seed."""
    yield template.description, template.source.file
    for course in template.courses:
        yield course.purpose, course.source.file
        yield course.audience_text, course.source.file
        for session in course.sessions:
            yield session.title, course.source.file
    for program in template.programs:
        yield program.title, program.source.file
        yield program.description, program.source.file
        for phase in program.phases:
            yield phase.name, phase.source.file
            yield phase.period, phase.source.file
        for quota in program.quotas:
            yield quota.label, quota.source.file


def test_every_copied_text_occurs_in_its_cited_seed() -> None:
    templates = program_template_list()
    assert [t.code for t in templates] == TEMPLATE_CODES
    count = 0
    for template in templates:
        for text, file in _texts(template):
            if text:
                assert_in_seed(text, file)
                count += 1
    assert count > 40


def test_every_item_cites_its_seed_and_section() -> None:
    for template in program_template_list():
        items = [template, *template.courses, *template.programs]
        items += [p for program in template.programs for p in (*program.phases, *program.quotas)]
        for item in items:
            assert item.source.file, item
            assert item.source.section, item


def test_sapporo_programme_is_38_hours_with_10_days_in_person() -> None:
    template = program_template_by_code("sapporo-dx-leader")
    assert template.source.file == SAPPORO
    assert template.required_hours() == Decimal(38)
    assert template.in_person_sessions() == 10
    program = template.program()
    assert program.title == "【②DX推進リーダー】育成"
    assert [(p.period, p.name) for p in program.phases] == [
        ("～7月", "事前学習（必須）"),
        ("7～8月", "マインドセット"),
        ("9～11月", "スキル習得"),
        ("12～2月", "スキル実践演習"),
        ("3月", "成果発表"),
        ("通年", "自己啓発（任意）"),
    ]
    self_study = program.phases[-1]
    assert not self_study.required
    assert not self_study.counted
    assert template.course(self_study.course).planned_hours is None
    practice = program.phases[3]
    assert (practice.group_size_min, practice.group_size_max) == (5, 6)
    assert [s.title for s in template.course(practice.course).sessions] == [
        "企画立案と要件定義",
        "各自構築",
        "共同構築",
    ]


def test_kitakyushu_and_aomori_templates_keep_the_seed_texts() -> None:
    tiered = program_template_by_code("kitakyushu-tiered")
    assert [c.audience_text for c in tiered.courses] == [
        "新規採用",
        "採用3年次",
        "新任部長・課長等",
    ]
    assert {c.purpose for c in tiered.courses} == {"DXの考え方の浸透やデジタルリテラシーの向上"}
    assert all(c.planned_hours is None and not c.sessions for c in tiered.courses)
    assert [c.audience_rule for c in tiered.courses] == [
        {"hire_year": 1},
        {"hire_year": 3},
        {"positions": ["部長", "課長"], "new_in_fy": True},
    ]
    tracks = program_template_by_code("kitakyushu-tracks")
    assert [(p.title, p.level) for p in tracks.programs] == [
        ("ゴールド", "gold"),
        ("シルバー", "silver"),
        ("ブロンズ", "bronze"),
    ]
    assert tracks.program("kitakyushu-bronze").description == (
        "オンラインセミナーの受講等により、DXリテラシーの底上げ"
    )
    aomori = program_template_by_code("aomori-dx-promoter")
    assert aomori.source.file == AOMORI
    assert [q.label for q in aomori.program().quotas] == [
        "①推薦枠：各所属1名（毎年度新規）",
        "②自薦枠：意欲ある希望者（新規、複数年度での育成）",
    ]


def test_a_bad_template_file_is_refused_naming_the_item(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    text = (TEMPLATE_DIR / "sapporo-dx-leader.toml").read_text(encoding="utf-8")
    bad.write_text(
        text.replace('code = "sapporo-dx-leader"', 'code = "broken"', 1).replace(
            'planned_hours = "12"', "planned_hours = 12.5", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        ApplicationError, match=r"broken\.toml 研修 DXL-02: planned_hours は文字列の10進数"
    ):
        program_template_read(bad)


# ---------------------------------------------------------------------------
# Adoption


@pytest.fixture
def world(organization: Any) -> Any:
    return build_world(organization, capacity=None)


def test_adoption_creates_courses_programme_and_phases(world: Any) -> None:
    program = world.sapporo
    assert program.framework == world.sapporo_framework
    assert (program.talent_type_code, program.template_code) == ("dx-leader", "sapporo-dx-leader")
    assert program.source.startswith(f"seeds/{SAPPORO} ")
    courses = Course.objects.filter(
        organization=world.organization, template_code="sapporo-dx-leader"
    )
    assert sorted(c.code for c in courses) == [f"DXL-0{i}" for i in range(1, 7)]
    assert CourseCompetency.objects.filter(course__in=courses).count() == 8
    plan = program_plan(actor=world.dx, program=program)
    assert plan.required_hours == Decimal(38)
    assert plan.in_person_sessions == 10
    assert plan.talent_type_name == "②DX推進リーダー"
    events = AuditEvent.objects.filter(
        target_type="training.Program", action=AuditEvent.Action.CREATE
    )
    assert events.filter(detail__template="sapporo-dx-leader").exists()


def test_a_cohort_gets_the_planned_sessions(world: Any) -> None:
    cohort = world.leader_cohort
    sessions = Session.objects.filter(cohort=cohort)
    assert sessions.count() == 11  # 1 + 3 + 3 + 3 + 1; 自己啓発 has none
    assert all(s.date is None and s.fiscal_year == 2025 for s in sessions)
    titles = list(
        sessions.filter(course__code="DXL-04").order_by("number").values_list("title", flat=True)
    )
    assert titles == ["企画立案と要件定義", "各自構築", "共同構築"]
    plan = cohort_plan(actor=world.dx, cohort=cohort)
    assert plan.required_hours == Decimal(38)
    assert plan.in_person_sessions == 10
    with pytest.raises(ApplicationError, match="第1期は既にあります"):
        cohort_create(
            actor=world.dx,
            program=world.sapporo,
            number=1,
            fiscal_year=2026,
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2027, 3, 31),
        )


def test_codes_the_framework_lacks_are_refused_by_name(world: Any) -> None:
    mic = _framework(world.dx, world.organization, "mic")  # has dx-leader, no competencies
    before = (Course.objects.count(), Program.objects.count())
    with pytest.raises(ApplicationError) as refused:
        program_template_adopt(actor=world.dx, template_code="sapporo-dx-leader", framework=mic)
    assert f"マインド・スキル dx-leader-mind-ownership がフレームワーク{mic.name}にありません" in (
        refused.value.message
    )
    assert len(refused.value.extra["missing"]) == 7
    with pytest.raises(ApplicationError) as refused:
        program_template_adopt(
            actor=world.dx, template_code="sapporo-dx-leader", framework=world.aomori_framework
        )
    assert f"人材類型 dx-leader がフレームワーク{world.aomori_framework.name}にありません" in (
        refused.value.message
    )
    # Renamed codes: dx-promoter → the 札幌 dx-leader, whose type has no level stage-1.
    with pytest.raises(ApplicationError, match="個人の段階 stage-1 が人材類型 dx-leader"):
        program_template_adopt(
            actor=world.dx,
            template_code="aomori-dx-promoter",
            framework=world.sapporo_framework,
            code_map={"dx-promoter": "dx-leader"},
        )
    assert (Course.objects.count(), Program.objects.count()) == before


def test_adoption_needs_the_dx_office_an_own_framework_and_is_done_once(world: Any) -> None:
    with pytest.raises(ApplicationError, match="研修コード DXL-01、DXL-02"):
        program_template_adopt(
            actor=world.dx, template_code="sapporo-dx-leader", framework=world.sapporo_framework
        )
    with pytest.raises(AccessDenied):
        program_template_adopt(
            actor=world.head_0101, template_code="kitakyushu-tiered", framework=None
        )
    other = OrganizationFactory()
    outsider = _user_actor(other, Role.DX_OFFICE)
    with pytest.raises(AccessDenied):  # another 団体's framework does not exist for them
        program_template_adopt(
            actor=outsider, template_code="sapporo-dx-leader", framework=world.sapporo_framework
        )
    with pytest.raises(ApplicationError, match="フレームワークを選んでください"):
        program_template_adopt(actor=outsider, template_code="sapporo-dx-leader")
    with pytest.raises(ApplicationError, match="テンプレート「nothing」はありません"):
        program_template_adopt(actor=world.dx, template_code="nothing")
    assert [t.code for t in program_templates(actor=world.head_0101)] == TEMPLATE_CODES


def test_kitakyushu_tracks_map_onto_the_levels(world: Any) -> None:
    kitakyushu = _framework(world.dx, world.organization, "kitakyushu")
    adoption = program_template_adopt(
        actor=world.dx, template_code="kitakyushu-tracks", framework=kitakyushu
    )
    assert [(p.code, p.level_code) for p in adoption.programs] == [
        ("kitakyushu-gold", "gold"),
        ("kitakyushu-silver", "silver"),
        ("kitakyushu-bronze", "bronze"),
    ]
    gold = adoption.programs[0]
    assert list(
        ProgramPhase.objects.filter(program=gold).values_list("course__code", flat=True)
    ) == [
        "KIT-GOLD-1",
        "KIT-GOLD-2",
    ]


# ---------------------------------------------------------------------------
# 北九州 階層別DX研修: audiences from the roster


def test_tiered_courses_need_no_framework_and_compute_their_audience(world: Any) -> None:
    adoption = program_template_adopt(actor=world.dx, template_code="kitakyushu-tiered")
    assert adoption.framework is None
    assert adoption.programs == []
    new_hires, third_year, managers = adoption.courses
    assert new_hires.planned_hours is None
    assert new_hires.purpose == "DXの考え方の浸透やデジタルリテラシーの向上"
    org, unit = world.organization, world.units["0101"]
    hired = [
        StaffFactory(organization=org, unit=unit, hired_on=dt.date(2026, 4, 1)) for _ in range(2)
    ]
    StaffFactory(organization=org, unit=unit, hired_on=dt.date(2025, 4, 1))
    third = StaffFactory(organization=org, unit=unit, hired_on=dt.date(2024, 10, 1))
    new_head = StaffFactory(
        organization=org, unit=unit, position="課長", hired_on=dt.date(2000, 4, 1)
    )
    Assignment.objects.create(
        staff=new_head,
        unit=unit,
        position="係長",
        starts_on=dt.date(2020, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    Assignment.objects.create(
        staff=new_head, unit=unit, position="課長", starts_on=dt.date(2026, 4, 1)
    )
    old_head = StaffFactory(
        organization=org, unit=world.units["0201"], position="課長", hired_on=dt.date(1995, 4, 1)
    )
    Assignment.objects.create(
        staff=old_head, unit=world.units["0201"], position="課長", starts_on=dt.date(2022, 4, 1)
    )
    moved = StaffFactory(organization=org, unit=unit, position="課長", hired_on=dt.date(1995, 4, 1))
    Assignment.objects.create(
        staff=moved,
        unit=world.units["0201"],
        position="課長",
        starts_on=dt.date(2023, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    Assignment.objects.create(
        staff=moved, unit=unit, position="課長", starts_on=dt.date(2026, 4, 1)
    )
    StaffFactory(
        organization=org, unit=unit, hired_on=dt.date(2026, 4, 1), retired_on=dt.date(2026, 3, 31)
    )

    def numbers(course: Course, actor: Any = None) -> list[str]:
        rows = course_audience(actor=actor or world.dx, course=course, fiscal_year=2026)
        return [r.staff.number for r in rows]

    assert numbers(new_hires) == sorted(s.number for s in hired)
    assert numbers(third_year) == [third.number]
    assert numbers(managers) == [new_head.number]  # 新任: not old_head, not a 課長 who moved
    rows = course_audience(actor=world.dx, course=managers, fiscal_year=2026)
    assert rows[0].reason == "新任課長（2026-04-01 から）"
    # 所属長 of 0201: only their unit; 職員: not at all; another 団体: 404.
    assert numbers(new_hires, world.head_0201) == []
    staff_actor = _user_actor(org, Role.STAFF)
    with pytest.raises(AccessDenied):
        course_audience(actor=staff_actor, course=new_hires, fiscal_year=2026)
    with pytest.raises(AccessDenied):
        course_audience(
            actor=_user_actor(OrganizationFactory(), Role.DX_OFFICE),
            course=new_hires,
            fiscal_year=2026,
        )
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_repr__startswith="受講対象者 KIT-TIER-1"
    ).exists()


# ---------------------------------------------------------------------------
# Groups (札幌 スキル実践演習: グループ（5～6名）)


def test_group_sizes() -> None:
    assert group_sizes(35, minimum=5, maximum=6) == [6, 6, 6, 6, 6, 5]
    assert group_sizes(34, minimum=5, maximum=6) == [6, 6, 6, 6, 5, 5]
    assert group_sizes(30, minimum=5, maximum=6) == [6, 6, 6, 6, 6]
    assert group_sizes(6, minimum=5, maximum=6) == [6]
    with pytest.raises(ApplicationError, match="19名は5～6名のグループに分けられません"):
        group_sizes(19, minimum=5, maximum=6)
    with pytest.raises(ApplicationError, match="4名は5～6名のグループに分けられません"):
        group_sizes(4, minimum=5, maximum=6)


def _members(world: Any, count: int) -> list[Enrollment]:
    units = ["0101", "010101", "0102", "0201"]
    out = []
    for i in range(count):
        staff = StaffFactory(
            organization=world.organization, number=f"{i + 1:06d}", unit=world.units[units[i % 4]]
        )
        out.append(
            Enrollment.objects.create(
                organization=world.organization,
                staff=staff,
                cohort=world.leader_cohort,
                fiscal_year=2025,
                channel=EnrollmentChannel.RECOMMENDED,
                status=EnrollmentStatus.APPROVED,
                requested_at=dt.datetime(2025, 5, 1, 9, 0, tzinfo=dt.UTC),
            )
        )
    return out


def _practice(world: Any) -> ProgramPhase:
    return world.sapporo.phases.get(order=4)


def test_groups_of_five_to_six_formed_from_the_cohort(world: Any) -> None:
    _members(world, 35)
    groups = cohort_groups_form(actor=world.dx, cohort=world.leader_cohort, phase=_practice(world))
    sizes = [g.memberships.count() for g in groups]
    assert sizes == [6, 6, 6, 6, 6, 5]
    # People of one 課 are spread: 人事課 (0101 and its 係) has 18 of the 35, at most 3 a group.
    for group in groups:
        codes = [
            m.enrollment.staff.unit.code
            for m in group.memberships.select_related("enrollment__staff__unit")
        ]
        assert sum(code.startswith("0101") for code in codes) <= 4
    rows = cohort_groups(actor=world.dx, cohort=world.leader_cohort, phase=_practice(world))
    assert [len(r.members) for r in rows] == sizes
    head_rows = cohort_groups(
        actor=world.head_0201, cohort=world.leader_cohort, phase=_practice(world)
    )
    assert sum(len(r.members) for r in head_rows) == 8  # 0201 members only
    # Forming again replaces the groups.
    cohort_groups_form(actor=world.dx, cohort=world.leader_cohort, phase=_practice(world))
    assert CohortGroup.objects.filter(cohort=world.leader_cohort).count() == 6


def test_nineteen_cannot_be_split_and_are_grouped_by_hand(world: Any) -> None:
    members = _members(world, 19)
    phase = _practice(world)
    with pytest.raises(ApplicationError, match="19名は5～6名のグループに分けられません"):
        cohort_groups_form(actor=world.dx, cohort=world.leader_cohort, phase=phase)
    assert not CohortGroup.objects.exists()
    ids = [e.pk for e in members]
    with pytest.raises(ApplicationError, match="どのグループにも入っていない受講者がいます"):
        cohort_groups_set(
            actor=world.dx, cohort=world.leader_cohort, phase=phase, groups=[ids[:10]]
        )
    with pytest.raises(ApplicationError, match="グループ1とグループ2の両方"):
        cohort_groups_set(
            actor=world.dx, cohort=world.leader_cohort, phase=phase, groups=[ids[:10], ids[9:]]
        )
    with pytest.raises(AccessDenied):
        cohort_groups_set(
            actor=world.head_0101, cohort=world.leader_cohort, phase=phase, groups=[ids]
        )
    groups = cohort_groups_set(
        actor=world.dx,
        cohort=world.leader_cohort,
        phase=phase,
        groups=[ids[0:5], ids[5:10], ids[10:15], ids[15:19]],
    )
    assert [g.memberships.count() for g in groups] == [5, 5, 5, 4]
    assert CohortGroupMembership.objects.filter(phase=phase).count() == 19
    with pytest.raises(ApplicationError, match="グループ人数の決まりがありません"):
        cohort_groups_form(
            actor=world.dx, cohort=world.leader_cohort, phase=world.sapporo.phases.get(order=1)
        )


def test_other_organization_cannot_touch_groups(world: Any) -> None:
    _members(world, 12)
    outsider = _user_actor(OrganizationFactory(), Role.DX_OFFICE)
    with pytest.raises(AccessDenied):
        cohort_groups_form(actor=outsider, cohort=world.leader_cohort, phase=_practice(world))
    with pytest.raises(AccessDenied):
        cohort_groups(actor=outsider, cohort=world.leader_cohort, phase=_practice(world))
    assert not CohortGroup.objects.exists()
