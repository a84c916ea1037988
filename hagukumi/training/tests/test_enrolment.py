"""Enrolment: 手挙げ → 所属長 approval, 推薦, 指名, capacity and the 待機 list, quotas per 課
(青森県 DX推進員, seed 004), designations 候補 → 育成中, and who may do what.

`build_world()` (also used by test_api.py) makes, with no wall clock:

- 部 01 総務部 → 課 0101 人事課 → 係 010101 人事係, 課 0102 財政課; 部 02 企画部 → 課 0201
  デジタル推進課 (valid from FY2020);
- the 札幌市 and 青森県 framework templates adopted and published, the programme
  templates sapporo-dx-leader and aomori-dx-promoter adopted onto them;
- cohorts: 札幌 第1期 FY2025 (capacity 3) and 青森 第1期 FY2025 (quotas from the template);
- users: DX推進担当, 所属長 of 0101 and of 0201, and staff members linked to users.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_templates_load,
    framework_version_publish,
)
from hagukumi.orgs.models import Organization, OrganizationKind
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import Designation, DesignationMethod, DesignationStatus
from hagukumi.people.services import designation_create
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import Cohort, Enrollment, EnrollmentChannel, EnrollmentStatus
from hagukumi.training.selectors.enrolment import (
    access_enrollment_by_id,
    cohort_enrollments,
    enrollment_approvals_pending,
    my_enrollments,
    recommendable_cohorts,
    recommendable_staff,
)
from hagukumi.training.services.cohorts import cohort_create, cohort_start
from hagukumi.training.services.enrolment import (
    enrollment_apply,
    enrollment_appoint,
    enrollment_approve,
    enrollment_cancel,
    enrollment_recommend,
    enrollment_reject,
)
from hagukumi.training.services.templates import program_template_adopt

pytestmark = pytest.mark.django_db

FY = 2025
QUOTA_FULL = "推薦枠（各所属1名）を超えています: 人事課 は推薦済みです"


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A fixed time in May 2025 (FY2025): services never read the clock."""
    return timezone.make_aware(dt.datetime(2025, 5, day, hour, minute))


@dataclass
class World:
    organization: Any
    units: dict[str, Any]
    dx: Actor
    head_0101: Actor
    head_0201: Actor
    sapporo_framework: Any
    aomori_framework: Any
    sapporo: Any  # Program
    aomori: Any  # Program
    leader_cohort: Cohort
    promoter_cohort: Cohort
    users: dict[str, Any] = field(default_factory=dict)

    def staff(self, number: str, unit: str = "0101", *, with_user: bool = False, **kw: Any) -> Any:
        user = None
        if with_user:
            user = UserFactory()
            MembershipFactory(user=user, organization=self.organization, role=Role.STAFF)
            self.users[number] = user
        return StaffFactory(
            organization=self.organization, number=number, unit=self.units[unit], user=user, **kw
        )

    def actor_of_staff(self, number: str) -> Actor:
        return actor_for(self.users[number], self.organization.pk)


def _user_actor(organization: Any, role: str, unit: Any = None) -> Actor:
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    return actor_for(user, organization.pk)


def _framework(dx: Actor, organization: Any, code: str) -> Any:
    framework = framework_adopt(actor=dx, template_code=code, organization=organization)
    framework_version_publish(actor=dx, framework_version=framework.versions.get())
    return framework


def build_world(organization: Any | None = None, *, capacity: int | None = 3) -> World:
    organization = organization or OrganizationFactory()
    if not Organization.objects.filter(kind=OrganizationKind.NATIONAL).exists():
        Organization.objects.create(name="国", kind=OrganizationKind.NATIONAL)
    framework_templates_load(actor=Actor.system())
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    sec = UnitFactory(organization=organization, code="0101", name="人事課", parent=dept)
    group = UnitFactory(
        organization=organization, code="010101", name="人事係", kind="係", parent=sec
    )
    other = UnitFactory(organization=organization, code="0102", name="財政課", parent=dept)
    dept2 = UnitFactory(organization=organization, code="02", name="企画部", kind="部")
    sec2 = UnitFactory(organization=organization, code="0201", name="デジタル推進課", parent=dept2)
    units = {u.code: u for u in (dept, sec, group, other, dept2, sec2)}
    dx = _user_actor(organization, Role.DX_OFFICE)
    sapporo_framework = _framework(dx, organization, "sapporo")
    aomori_framework = _framework(dx, organization, "aomori")
    sapporo = program_template_adopt(
        actor=dx, template_code="sapporo-dx-leader", framework=sapporo_framework
    ).programs[0]
    aomori = program_template_adopt(
        actor=dx, template_code="aomori-dx-promoter", framework=aomori_framework
    ).programs[0]
    leader_cohort = cohort_create(
        actor=dx,
        program=sapporo,
        number=1,
        fiscal_year=FY,
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2026, 3, 31),
        capacity=capacity,
    )
    promoter_cohort = cohort_create(
        actor=dx,
        program=aomori,
        number=1,
        fiscal_year=FY,
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    return World(
        organization=organization,
        units=units,
        dx=dx,
        head_0101=_user_actor(organization, Role.UNIT_HEAD, sec),
        head_0201=_user_actor(organization, Role.UNIT_HEAD, sec2),
        sapporo_framework=sapporo_framework,
        aomori_framework=aomori_framework,
        sapporo=sapporo,
        aomori=aomori,
        leader_cohort=leader_cohort,
        promoter_cohort=promoter_cohort,
    )


@pytest.fixture
def world(organization: Any) -> World:
    return build_world(organization)


def _designation(staff: Any, framework: Any) -> Designation:
    return Designation.objects.get(staff=staff, framework=framework)


# ---------------------------------------------------------------------------
# 推薦, 手挙げ, 指名


def test_recommend_admits_and_creates_a_candidate_designation(world: World) -> None:
    staff = world.staff("000010", "010101")
    enrollment = enrollment_recommend(
        actor=world.head_0101, cohort=world.leader_cohort, staff=staff, now=at(1)
    )
    assert enrollment.status == EnrollmentStatus.APPROVED
    assert enrollment.channel == EnrollmentChannel.RECOMMENDED
    assert enrollment.recommended_by == world.head_0101.user
    designation = _designation(staff, world.sapporo_framework)
    assert designation.talent_type_code == "dx-leader"
    assert designation.status == DesignationStatus.CANDIDATE
    assert designation.method == DesignationMethod.RECOMMENDED
    assert (designation.from_fy, designation.cohort) == (FY, 1)
    assert designation.events.get().effective_on == dt.date(2025, 5, 1)
    event = AuditEvent.objects.filter(target_type="training.Enrollment").latest("id")
    assert event.action == AuditEvent.Action.CREATE
    assert event.target_repr == f"受講申込 000010 {staff.name}"


def test_volunteer_waits_for_the_own_unit_head(world: World) -> None:
    staff = world.staff("000011", "010101", with_user=True)
    me = world.actor_of_staff("000011")
    enrollment = enrollment_apply(actor=me, cohort=world.leader_cohort, now=at(2))
    assert enrollment.status == EnrollmentStatus.APPLIED
    assert not Designation.objects.filter(staff=staff).exists()
    assert [
        e.pk for e in enrollment_approvals_pending(actor=world.head_0101, today=at(2).date())
    ] == [enrollment.pk]
    assert enrollment_approvals_pending(actor=world.head_0201, today=at(2).date()) == []
    # Another unit's head, DX推進担当 and the applicant cannot approve: 404.
    for actor in (world.head_0201, world.dx, me):
        with pytest.raises(AccessDenied):
            enrollment_approve(actor=actor, enrollment=enrollment, now=at(3))
    approved = enrollment_approve(actor=world.head_0101, enrollment=enrollment, now=at(3))
    assert approved.status == EnrollmentStatus.APPROVED
    assert approved.approved_by == world.head_0101.user
    designation = _designation(staff, world.sapporo_framework)
    assert designation.method == DesignationMethod.VOLUNTEER
    assert designation.status == DesignationStatus.CANDIDATE
    with pytest.raises(ApplicationError, match="承認できません"):
        enrollment_approve(actor=world.head_0101, enrollment=approved, now=at(4))
    assert [e.pk for e in my_enrollments(actor=me)] == [enrollment.pk]


def test_appointment_by_the_dx_office(world: World) -> None:
    staff = world.staff("000012", "0201")
    enrollment = enrollment_appoint(
        actor=world.dx, cohort=world.leader_cohort, staff=staff, now=at(1)
    )
    assert enrollment.status == EnrollmentStatus.APPROVED
    assert _designation(staff, world.sapporo_framework).method == DesignationMethod.APPOINTED
    with pytest.raises(AccessDenied):
        enrollment_appoint(
            actor=world.head_0201,
            cohort=world.leader_cohort,
            staff=world.staff("000013", "0201"),
            now=at(1),
        )


def test_enrolling_twice_is_refused(world: World) -> None:
    staff = world.staff("000014", "0101", with_user=True)
    enrollment_apply(actor=world.actor_of_staff("000014"), cohort=world.leader_cohort, now=at(1))
    with pytest.raises(
        ApplicationError,
        match=r"000014 .* は既に.*第1期（2025年度）に申し込まれています（手挙げ・申請中）",
    ):
        enrollment_apply(
            actor=world.actor_of_staff("000014"), cohort=world.leader_cohort, now=at(2)
        )
    with pytest.raises(ApplicationError, match="既に"):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.leader_cohort, staff=staff, now=at(2)
        )
    assert Enrollment.objects.filter(staff=staff).count() == 1


def test_head_outside_the_unit_gets_404_and_nothing_changes(world: World) -> None:
    staff = world.staff("000015", "0102")  # 財政課: not under 人事課 (0101)
    with pytest.raises(AccessDenied):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.leader_cohort, staff=staff, now=at(1)
        )
    other = OrganizationFactory()
    outsider = _user_actor(other, Role.DX_OFFICE)
    with pytest.raises(AccessDenied):
        enrollment_appoint(actor=outsider, cohort=world.leader_cohort, staff=staff, now=at(1))
    assert not Enrollment.objects.exists()


def test_a_staff_member_without_a_staff_record_cannot_apply(world: World) -> None:
    lonely = _user_actor(world.organization, Role.STAFF)
    with pytest.raises(ApplicationError, match="職員として登録されていない"):
        enrollment_apply(actor=lonely, cohort=world.leader_cohort, now=at(1))
    prefecture = _user_actor(OrganizationFactory(kind="prefecture"), Role.PREFECTURE_SUPPORT)
    with pytest.raises(AccessDenied):
        enrollment_apply(actor=prefecture, cohort=world.leader_cohort, now=at(1))


# ---------------------------------------------------------------------------
# Capacity and the 待機 list


def test_beyond_capacity_waits_and_moves_up_first_come_first_served(world: World) -> None:
    cohort = world.leader_cohort  # capacity 3
    admitted = [world.staff(f"00002{i}", "0201") for i in range(3)]
    for i, staff in enumerate(admitted):
        enrollment_appoint(actor=world.dx, cohort=cohort, staff=staff, now=at(1, 9, i))
    later = world.staff("000030", "0201")
    earlier = world.staff("000031", "0201")
    # Saved first but requested later: the 待機 order is requested_at, not the row id.
    late = enrollment_appoint(actor=world.dx, cohort=cohort, staff=later, now=at(2, 10))
    early = enrollment_appoint(actor=world.dx, cohort=cohort, staff=earlier, now=at(2, 9))
    assert late.status == early.status == EnrollmentStatus.WAITLISTED
    assert not Designation.objects.filter(staff__in=[later, earlier]).exists()
    first = Enrollment.objects.get(staff=admitted[0])
    enrollment_cancel(actor=world.dx, enrollment=first, reason="業務都合", now=at(3))
    first.refresh_from_db()
    early.refresh_from_db()
    late.refresh_from_db()
    assert first.status == EnrollmentStatus.CANCELLED
    assert first.reason == "業務都合"
    assert early.status == EnrollmentStatus.APPROVED
    assert late.status == EnrollmentStatus.WAITLISTED
    assert _designation(earlier, world.sapporo_framework).status == DesignationStatus.CANDIDATE
    moved = AuditEvent.objects.filter(target_type="training.Enrollment", target_id=str(early.pk))
    assert moved.latest("id").detail["reason"] == "待機から繰り上げ"


def test_a_waitlisted_volunteer_moves_up_to_applied_unless_approved(world: World) -> None:
    cohort = world.leader_cohort
    for i in range(3):
        enrollment_appoint(
            actor=world.dx, cohort=cohort, staff=world.staff(f"00004{i}", "0201"), now=at(1, 9, i)
        )
    world.staff("000050", "0101", with_user=True)
    world.staff("000051", "0101", with_user=True)
    waiting = enrollment_apply(actor=world.actor_of_staff("000050"), cohort=cohort, now=at(2, 9))
    approved = enrollment_apply(actor=world.actor_of_staff("000051"), cohort=cohort, now=at(2, 10))
    assert waiting.status == approved.status == EnrollmentStatus.WAITLISTED
    enrollment_approve(actor=world.head_0101, enrollment=approved, now=at(3))
    approved.refresh_from_db()
    assert approved.status == EnrollmentStatus.WAITLISTED
    assert approved.approved_at is not None
    for enrollment in Enrollment.objects.filter(channel=EnrollmentChannel.APPOINTED)[:2]:
        enrollment_cancel(actor=world.dx, enrollment=enrollment, now=at(4))
    waiting.refresh_from_db()
    approved.refresh_from_db()
    assert waiting.status == EnrollmentStatus.APPLIED  # still needs its 所属長
    assert approved.status == EnrollmentStatus.APPROVED


def test_reject_needs_a_reason_and_frees_the_place(world: World) -> None:
    world.staff("000060", "010101", with_user=True)
    enrollment = enrollment_apply(
        actor=world.actor_of_staff("000060"), cohort=world.leader_cohort, now=at(1)
    )
    with pytest.raises(ApplicationError, match="却下の理由"):
        enrollment_reject(actor=world.head_0101, enrollment=enrollment, reason=" ", now=at(2))
    with pytest.raises(AccessDenied):
        enrollment_reject(actor=world.head_0201, enrollment=enrollment, reason="定員", now=at(2))
    rejected = enrollment_reject(
        actor=world.head_0101, enrollment=enrollment, reason="業務繁忙期", now=at(2)
    )
    assert rejected.status == EnrollmentStatus.REJECTED
    assert rejected.decided_by_name == world.head_0101.audit_username
    with pytest.raises(ApplicationError, match="取消できません"):
        enrollment_cancel(actor=world.dx, enrollment=rejected, now=at(3))


def test_cancel_by_self_head_or_dx_only(world: World) -> None:
    staff = world.staff("000061", "0201", with_user=True)
    enrollment = enrollment_recommend(
        actor=world.head_0201, cohort=world.leader_cohort, staff=staff, now=at(1)
    )
    with pytest.raises(AccessDenied):
        enrollment_cancel(actor=world.head_0101, enrollment=enrollment, now=at(2))
    cancelled = enrollment_cancel(
        actor=world.actor_of_staff("000061"), enrollment=enrollment, now=at(2)
    )
    assert cancelled.status == EnrollmentStatus.CANCELLED
    # A new enrolment after a cancellation is allowed (one *live* enrolment per cohort).
    again = enrollment_recommend(
        actor=world.head_0201, cohort=world.leader_cohort, staff=staff, now=at(3)
    )
    assert again.status == EnrollmentStatus.APPROVED


# ---------------------------------------------------------------------------
# Quotas (青森県 DX推進員: ①推薦枠 各所属1名（毎年度新規）, ②自薦枠)


def test_template_quotas_are_copied_to_the_cohort(world: World) -> None:
    quotas = {q.channel: q for q in world.promoter_cohort.quotas.all()}
    recommended, volunteer = quotas["recommended"], quotas["volunteer"]
    assert (recommended.unit_kind, recommended.max_per_unit) == ("課", 1)
    assert recommended.new_every_year
    assert recommended.exclude_previous_designees
    assert recommended.label == "①推薦枠：各所属1名（毎年度新規）"
    assert volunteer.max_per_unit is None
    assert volunteer.label == "②自薦枠：意欲ある希望者（新規、複数年度での育成）"
    assert not world.leader_cohort.quotas.exists()


def test_one_recommendation_per_section_a_group_member_counts_for_its_section(world: World) -> None:
    cohort = world.promoter_cohort
    in_group = world.staff("000070", "010101")  # 係 member: counts for 人事課
    in_section = world.staff("000071", "0101")
    first = enrollment_recommend(actor=world.head_0101, cohort=cohort, staff=in_group, now=at(1))
    assert first.quota_unit == world.units["0101"]
    assert first.quota_seat == 1
    with pytest.raises(ApplicationError) as refused:
        enrollment_recommend(actor=world.head_0101, cohort=cohort, staff=in_section, now=at(2))
    assert refused.value.message == QUOTA_FULL
    assert not Enrollment.objects.filter(staff=in_section).exists()
    assert not Designation.objects.filter(staff=in_section).exists()
    # Another 課 has its own seat; 自薦 is uncapped.
    enrollment_recommend(
        actor=world.head_0201, cohort=cohort, staff=world.staff("000072", "0201"), now=at(2)
    )
    for number in ("000073", "000074"):
        world.staff(number, "0101", with_user=True)
        volunteer = enrollment_apply(actor=world.actor_of_staff(number), cohort=cohort, now=at(3))
        assert volunteer.quota.channel == "volunteer"
        assert volunteer.quota_seat is None
        assert volunteer.quota_unit == world.units["0101"]


def test_cancelling_frees_the_section_seat(world: World) -> None:
    cohort = world.promoter_cohort
    first = enrollment_recommend(
        actor=world.head_0101, cohort=cohort, staff=world.staff("000075", "0101"), now=at(1)
    )
    enrollment_cancel(actor=world.head_0101, enrollment=first, reason="異動", now=at(2))
    first.refresh_from_db()
    assert first.quota_seat is None
    second = enrollment_recommend(
        actor=world.head_0101, cohort=cohort, staff=world.staff("000076", "0101"), now=at(3)
    )
    assert second.quota_seat == 1


def test_a_previous_promoter_is_never_recommended(world: World) -> None:
    staff = world.staff("000077", "0101")
    designation_create(
        actor=world.dx,
        staff=staff,
        talent_type_code="dx-promoter",
        framework=world.aomori_framework,
        method=DesignationMethod.RECOMMENDED,
        from_fy=2024,
        status=DesignationStatus.TRAINING,
        effective_on=dt.date(2024, 6, 1),
    )
    with pytest.raises(ApplicationError, match="推薦枠には既にDX推進員の職員は選べません: 000077"):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.promoter_cohort, staff=staff, now=at(1)
        )
    # 自薦 has no such rule (複数年度での育成).
    rows = {
        r.staff.number: r
        for r in recommendable_staff(
            actor=world.head_0101, cohort=world.promoter_cohort, today=at(1).date()
        ).rows
    }
    assert rows["000077"].reason == "既に指定されています（推薦枠の対象外）"


def test_recommendation_is_new_every_year(world: World) -> None:
    staff = world.staff("000078", "0101")
    earlier = cohort_create(
        actor=world.dx,
        program=world.aomori,
        number=2,
        fiscal_year=2024,
        starts_on=dt.date(2024, 6, 1),
        ends_on=dt.date(2025, 3, 31),
    )
    Enrollment.objects.create(
        organization=world.organization,
        staff=staff,
        cohort=earlier,
        fiscal_year=2024,
        channel=EnrollmentChannel.VOLUNTEER,
        status=EnrollmentStatus.APPROVED,
        requested_at=timezone.make_aware(dt.datetime(2024, 5, 1, 9, 0)),
    )
    with pytest.raises(
        ApplicationError,
        match=r"推薦枠は毎年度新規です: 000078 .* は第2期（2024年度）で受講しています",
    ):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.promoter_cohort, staff=staff, now=at(1)
        )


def test_recommendable_staff_lists_the_head_unit_with_reasons(world: World) -> None:
    a = world.staff("000080", "010101")
    world.staff("000081", "0101")
    world.staff("000082", "0102")  # not under the head
    retired = world.staff("000083", "0101", retired_on=dt.date(2025, 3, 31))
    assert {c.pk for c in recommendable_cohorts(actor=world.head_0101)} == {
        world.leader_cohort.pk,
        world.promoter_cohort.pk,
    }
    enrollment_recommend(actor=world.head_0101, cohort=world.promoter_cohort, staff=a, now=at(1))
    listed = recommendable_staff(
        actor=world.head_0101, cohort=world.promoter_cohort, today=at(2).date()
    )
    rows = {r.staff.number: r for r in listed.rows}
    assert set(rows) == {"000080", "000081"}
    assert retired.number not in rows
    assert rows["000080"].reason == "申込済み（推薦・承認）"
    assert rows["000081"].reason == "人事課 は推薦済みです"
    assert rows["000081"].quota_unit_name == "人事課"
    assert listed.recommendable == []
    with pytest.raises(AccessDenied):
        recommendable_staff(actor=world.dx, cohort=world.promoter_cohort, today=at(2).date())


# ---------------------------------------------------------------------------
# Designations: 候補 at enrolment, 育成中 when the cohort starts


def test_cohort_start_moves_candidates_to_training(world: World) -> None:
    staff = world.staff("000090", "0101")
    enrollment_recommend(actor=world.head_0101, cohort=world.leader_cohort, staff=staff, now=at(1))
    existing = world.staff("000091", "0201")
    held = designation_create(
        actor=world.dx,
        staff=existing,
        talent_type_code="dx-leader",
        framework=world.sapporo_framework,
        method=DesignationMethod.APPOINTED,
        from_fy=2024,
        status=DesignationStatus.CERTIFIED,
        effective_on=dt.date(2024, 6, 1),
    )
    enrollment_appoint(actor=world.dx, cohort=world.leader_cohort, staff=existing, now=at(1))
    assert Designation.objects.filter(staff=existing).count() == 1  # kept as it is
    with pytest.raises(AccessDenied):
        cohort_start(actor=world.head_0101, cohort=world.leader_cohort, today=dt.date(2025, 6, 1))
    started = cohort_start(actor=world.dx, cohort=world.leader_cohort, today=dt.date(2025, 6, 1))
    assert started.status == "running"
    designation = _designation(staff, world.sapporo_framework)
    assert designation.status == DesignationStatus.TRAINING
    assert designation.events.latest("id").effective_on == dt.date(2025, 6, 1)
    held.refresh_from_db()
    assert held.status == DesignationStatus.CERTIFIED
    with pytest.raises(ApplicationError, match="開始できません"):
        cohort_start(actor=world.dx, cohort=world.leader_cohort, today=dt.date(2025, 6, 2))
    # 推薦 is closed once running; 指名 while running creates the designation in 育成中.
    late = world.staff("000092", "0101")
    with pytest.raises(ApplicationError, match="実施中のため申し込めません"):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.leader_cohort, staff=late, now=at(20)
        )
    appointed = enrollment_appoint(
        actor=world.dx, cohort=world.leader_cohort, staff=late, now=at(20)
    )
    assert appointed.status == EnrollmentStatus.APPROVED  # the third of 3 places
    assert _designation(late, world.sapporo_framework).status == DesignationStatus.TRAINING


# ---------------------------------------------------------------------------
# Reads


def test_enrolment_lists_follow_the_visibility_matrix(world: World) -> None:
    mine = world.staff("000100", "010101", with_user=True)
    theirs = world.staff("000101", "0201")
    e1 = enrollment_recommend(
        actor=world.head_0101, cohort=world.leader_cohort, staff=mine, now=at(1)
    )
    e2 = enrollment_recommend(
        actor=world.head_0201, cohort=world.leader_cohort, staff=theirs, now=at(1)
    )
    today = at(2).date()
    assert {
        e.pk for e in cohort_enrollments(actor=world.dx, cohort=world.leader_cohort, today=today)
    } == {e1.pk, e2.pk}
    assert [
        e.pk
        for e in cohort_enrollments(actor=world.head_0101, cohort=world.leader_cohort, today=today)
    ] == [e1.pk]
    me = world.actor_of_staff("000100")
    assert [
        e.pk for e in cohort_enrollments(actor=me, cohort=world.leader_cohort, today=today)
    ] == [e1.pk]
    assert access_enrollment_by_id(actor=me, enrollment_id=e1.pk, today=today) == e1
    for actor, enrollment_id in ((me, e2.pk), (world.head_0101, e2.pk), (world.dx, "x")):
        with pytest.raises(AccessDenied):
            access_enrollment_by_id(actor=actor, enrollment_id=enrollment_id, today=today)
    outsider = _user_actor(OrganizationFactory(), Role.DX_OFFICE)
    with pytest.raises(AccessDenied):
        cohort_enrollments(actor=outsider, cohort=world.leader_cohort, today=today)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_type="training.Enrollment"
    ).exists()


# ---------------------------------------------------------------------------
# Two concurrent 推薦 for one 課: exactly one succeeds


@pytest.fixture
def concurrent_database(transactional_db: None, tmp_path: Any) -> Any:
    """A database real threads can write at once (as core's tests do)."""
    if connection.vendor != "sqlite":
        yield
        return
    from hagukumi.core.tests.concurrency import sqlite_file_database

    with sqlite_file_database(tmp_path):
        yield


def _two_concurrent_recommendations() -> None:
    from hagukumi.core.tests.concurrency import in_threads

    world = build_world()
    cohort = world.promoter_cohort
    a = world.staff("000200", "010101")
    b = world.staff("000201", "0101")
    results = in_threads(
        [
            lambda: enrollment_recommend(actor=world.head_0101, cohort=cohort, staff=a, now=at(1)),
            lambda: enrollment_recommend(actor=world.head_0101, cohort=cohort, staff=b, now=at(1)),
        ]
    )
    saved = [r for r in results if isinstance(r, Enrollment)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(saved) == 1, results
    assert len(refused) == 1, results
    assert isinstance(refused[0], ApplicationError), results
    assert refused[0].message == QUOTA_FULL
    assert Enrollment.objects.filter(cohort=cohort, quota_seat__isnull=False).count() == 1
    assert Designation.objects.filter(framework=world.aomori_framework).count() == 1


@pytest.mark.sqlite
@pytest.mark.usefixtures("concurrent_database")
def test_two_concurrent_recommendations_for_one_section_sqlite() -> None:
    _two_concurrent_recommendations()


@pytest.mark.postgres
@pytest.mark.usefixtures("concurrent_database")
def test_two_concurrent_recommendations_for_one_section_postgres() -> None:
    _two_concurrent_recommendations()
