"""The 研修 pages: templates and adoption (refused codes named), programme and cohort pages,
手挙げ / 承認 / 却下 / 推薦 (the 推薦枠 message) / 指名 / 取消, the 待機 list with positions,
groups, the attendance sheet, the attendance upload (core's job flow), LMS mappings,
course audiences, and: no POST by a user of another 団体 changes anything (404).

The world is training.tests.test_enrolment's (札幌 and 青森 programmes adopted, cohorts of
FY2025); the pages' clock (`training.views.common.now/today`) is pinned to 2025-05-10.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.frameworks.services import framework_adopt, framework_version_publish
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.import_jobs import ATTENDANCE_KIND
from hagukumi.training.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortGroup,
    CohortStatus,
    Course,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    LmsColumnMapping,
    Program,
    Session,
)
from hagukumi.training.services.enrolment import enrollment_apply, enrollment_recommend
from hagukumi.training.tests.factories import CourseFactory
from hagukumi.training.tests.test_enrolment import QUOTA_FULL, World, _user_actor, build_world
from hagukumi.training.views import common

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2025, 5, 10, 9, 0))


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "now", lambda: NOW)
    monkeypatch.setattr(common, "today", lambda: NOW.date())


@pytest.fixture
def world(organization: Any) -> World:
    return build_world(organization)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _dx(world: World) -> Client:
    return _client(world.dx.user)


def _head(world: World) -> Client:
    return _client(world.head_0101.user)


def _at(minute: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minute)


# ---------------------------------------------------------------------------
# Programmes and templates


def test_index_lists_programmes_cohorts_courses_and_templates(world: World) -> None:
    response = _dx(world).get(reverse("training:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "【②DX推進リーダー】育成" in html
    assert "38時間" in html
    assert reverse("training:cohort_detail", kwargs={"pk": world.leader_cohort.pk}) in html
    assert "北九州" in html  # the templates are listed
    assert reverse("training:template_adopt") in html
    assert reverse("training:attendance_upload") in html


def test_index_for_staff_links_the_application_page(world: World) -> None:
    world.staff("000001", with_user=True)
    html = _client(world.users["000001"]).get(reverse("training:index")).content.decode()
    assert reverse("training:apply") in html
    assert reverse("training:template_adopt") not in html


def _fresh_dx(framework_code: str) -> tuple[Any, Any, Any]:
    """Another 団体 with one framework template adopted and published, and its DX推進担当."""
    organization = OrganizationFactory()
    dx = _user_actor(organization, Role.DX_OFFICE)
    framework = framework_adopt(actor=dx, template_code=framework_code, organization=organization)
    framework_version_publish(actor=dx, framework_version=framework.versions.get())
    return organization, dx, framework


def test_adopting_onto_a_framework_that_lacks_codes_names_them(world: World) -> None:
    organization, dx, aomori = _fresh_dx("aomori")
    client = _client(dx.user)
    page = client.get(reverse("training:template_adopt") + "?template=sapporo-dx-leader")
    assert page.status_code == 200
    assert f'value="{aomori.pk}"' in page.content.decode()
    response = client.post(
        reverse("training:template_adopt"),
        {"template": "sapporo-dx-leader", "framework": aomori.pk},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"人材類型 dx-leader がフレームワーク{aomori.name}にありません" in html
    assert 'aria-invalid="true"' in html
    assert not Program.objects.filter(organization=organization).exists()
    assert not Course.objects.filter(organization=organization).exists()


def test_adopting_the_sapporo_template_creates_the_programme(world: World) -> None:
    organization, dx, sapporo = _fresh_dx("sapporo")
    response = _client(dx.user).post(
        reverse("training:template_adopt"),
        {"template": "sapporo-dx-leader", "framework": sapporo.pk},
    )
    program = Program.objects.get(organization=organization)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:program_detail", kwargs={"pk": program.pk})
    page = _client(dx.user).get(response["Location"]).content.decode()
    assert "38時間" in page
    assert "10回" in page
    assert "任意" in page
    assert "5～6名" in page


def test_adopting_twice_is_refused_with_the_service_message(world: World) -> None:
    response = _dx(world).post(
        reverse("training:template_adopt"),
        {"template": "sapporo-dx-leader", "framework": world.sapporo_framework.pk},
    )
    assert response.status_code == 400
    assert "既に使われています" in response.content.decode()


def test_program_detail_shows_phases_hours_and_in_person_count(world: World) -> None:
    world.staff("000001", with_user=True)
    response = _client(world.users["000001"]).get(
        reverse("training:program_detail", kwargs={"pk": world.sapporo.pk})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd id="required-hours">' in html
    assert "38時間" in html
    assert "10回" in html
    assert "事前学習（必須）" in html
    assert "自己啓発（任意）" in html
    assert reverse("training:cohort_create", kwargs={"pk": world.sapporo.pk}) not in html


def test_cohort_create_copies_the_planned_sessions(world: World) -> None:
    url = reverse("training:cohort_create", kwargs={"pk": world.sapporo.pk})
    assert 'value="2"' in _dx(world).get(url).content.decode()  # the next 期
    response = _dx(world).post(
        url,
        {
            "number": 2,
            "fiscal_year": 2026,
            "starts_on": "2026-06-01",
            "ends_on": "2027-03-31",
            "capacity": 35,
            "status": CohortStatus.RECRUITING,
        },
    )
    cohort = Cohort.objects.get(program=world.sapporo, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("training:cohort_detail", kwargs={"pk": cohort.pk})
    assert Session.objects.filter(cohort=cohort).count() == 11
    again = _dx(world).post(
        url,
        {
            "number": 2,
            "fiscal_year": 2026,
            "starts_on": "2026-06-01",
            "ends_on": "2026-05-01",
            "status": CohortStatus.RECRUITING,
        },
    )
    assert again.status_code == 400
    assert "終了日は開始日以降" in again.content.decode()


# ---------------------------------------------------------------------------
# Cohort page, start, 指名, 待機


def test_cohort_page_shows_members_and_the_waitlist_with_positions(world: World) -> None:
    people = [world.staff(f"00002{n}", "0101") for n in range(5)]
    for n, person in enumerate(people):
        enrollment_recommend(
            actor=world.head_0101, cohort=world.leader_cohort, staff=person, now=_at(n)
        )
    response = _dx(world).get(
        reverse("training:cohort_detail", kwargs={"pk": world.leader_cohort.pk})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "3名／" in html
    assert "3名" in html
    waitlist = html[html.index('id="waitlist"') :]
    assert "1番目" in waitlist
    assert "2番目" in waitlist
    assert waitlist.index(people[3].number) < waitlist.index(people[4].number)
    assert "スキル実践演習" in html


def test_staff_sees_only_their_own_enrolment_on_the_cohort_page(world: World) -> None:
    me = world.staff("000001", with_user=True)
    other = world.staff("000002")
    enrollment_apply(actor=world.actor_of_staff("000001"), cohort=world.leader_cohort, now=_at(0))
    enrollment_recommend(actor=world.head_0101, cohort=world.leader_cohort, staff=other, now=_at(1))
    html = (
        _client(world.users["000001"])
        .get(reverse("training:cohort_detail", kwargs={"pk": world.leader_cohort.pk}))
        .content.decode()
    )
    assert me.name in html
    assert other.name not in html


def test_start_shows_a_confirmation_then_starts(world: World) -> None:
    url = reverse("training:cohort_start", kwargs={"pk": world.leader_cohort.pk})
    page = _dx(world).get(url)
    assert page.status_code == 200
    assert "開始すると元に戻せません" in page.content.decode()
    world.leader_cohort.refresh_from_db()
    assert world.leader_cohort.status == CohortStatus.RECRUITING
    response = _dx(world).post(url, {"confirm": "yes"})
    assert response.status_code == 302
    world.leader_cohort.refresh_from_db()
    assert world.leader_cohort.status == CohortStatus.RUNNING


def test_appoint_by_staff_number(world: World) -> None:
    staff = world.staff("000030", "0201")
    url = reverse("training:cohort_appoint", kwargs={"pk": world.leader_cohort.pk})
    response = _dx(world).post(url, {"staff_number": "000030"})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(staff=staff)
    assert enrollment.channel == EnrollmentChannel.APPOINTED
    assert enrollment.status == EnrollmentStatus.APPROVED
    unknown = _dx(world).post(url, {"staff_number": "999999"})
    assert unknown.status_code == 400
    assert "職員番号「999999」の職員は登録されていません" in unknown.content.decode()
    twice = _dx(world).post(url, {"staff_number": "000030"})
    assert twice.status_code == 400
    assert "既に" in twice.content.decode()
    assert _dx(world).get(url).status_code == 405


def test_dx_cancels_and_the_waitlist_moves_up(world: World) -> None:
    people = [world.staff(f"00004{n}", "0101") for n in range(4)]
    rows = [
        enrollment_recommend(actor=world.head_0101, cohort=world.leader_cohort, staff=p, now=_at(n))
        for n, p in enumerate(people)
    ]
    assert rows[3].status == EnrollmentStatus.WAITLISTED
    response = _dx(world).post(
        reverse("training:enrollment_cancel", kwargs={"pk": rows[0].pk}), {"reason": "業務の都合"}
    )
    assert response.status_code == 302
    rows[0].refresh_from_db()
    rows[3].refresh_from_db()
    assert rows[0].status == EnrollmentStatus.CANCELLED
    assert rows[0].reason == "業務の都合"
    assert rows[3].status == EnrollmentStatus.APPROVED


# ---------------------------------------------------------------------------
# 手挙げ, 承認, 却下


def test_staff_applies_and_cancels_their_own(world: World) -> None:
    world.staff("000001", with_user=True)
    client = _client(world.users["000001"])
    page = client.get(reverse("training:apply")).content.decode()
    assert reverse("training:cohort_apply", kwargs={"pk": world.leader_cohort.pk}) in page
    response = client.post(reverse("training:cohort_apply", kwargs={"pk": world.leader_cohort.pk}))
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(staff__number="000001")
    assert enrollment.status == EnrollmentStatus.APPLIED
    assert enrollment.requested_at == NOW
    page = client.get(reverse("training:apply")).content.decode()
    assert "申込済み" in page
    assert "申請中" in page
    client.post(
        reverse("training:enrollment_cancel", kwargs={"pk": enrollment.pk}), {"back": "apply"}
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CANCELLED


def test_apply_page_of_a_login_without_staff_record(world: World) -> None:
    user = UserFactory()
    MembershipFactory(user=user, organization=world.organization, role=Role.STAFF)
    html = _client(user).get(reverse("training:apply")).content.decode()
    assert "結び付いていない" in html
    assert "申し込む" not in html


def test_another_staff_member_cannot_cancel(world: World) -> None:
    world.staff("000001", with_user=True)
    world.staff("000002", with_user=True)
    enrollment = enrollment_apply(
        actor=world.actor_of_staff("000001"), cohort=world.leader_cohort, now=_at(0)
    )
    response = _client(world.users["000002"]).post(
        reverse("training:enrollment_cancel", kwargs={"pk": enrollment.pk})
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPLIED


def test_head_approves_and_rejects_with_a_reason(world: World) -> None:
    world.staff("000001", "010101", with_user=True)
    world.staff("000002", "0101", with_user=True)
    first = enrollment_apply(
        actor=world.actor_of_staff("000001"), cohort=world.leader_cohort, now=_at(0)
    )
    second = enrollment_apply(
        actor=world.actor_of_staff("000002"), cohort=world.leader_cohort, now=_at(1)
    )
    head = _head(world)
    page = head.get(reverse("training:approvals")).content.decode()
    assert first.staff.name in page
    assert second.staff.name in page
    response = head.post(
        reverse("training:enrollment_approve", kwargs={"pk": first.pk}), {"back": "approvals"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:approvals")
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.APPROVED
    empty = head.post(
        reverse("training:enrollment_reject", kwargs={"pk": second.pk}), {"reason": ""}
    )
    assert empty.status_code == 302
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.APPLIED
    head.post(
        reverse("training:enrollment_reject", kwargs={"pk": second.pk}),
        {"reason": "今年度は業務繁忙のため"},
    )
    second.refresh_from_db()
    assert second.status == EnrollmentStatus.REJECTED
    assert second.reason == "今年度は業務繁忙のため"


def test_head_of_another_unit_cannot_approve(world: World) -> None:
    world.staff("000001", "0101", with_user=True)
    enrollment = enrollment_apply(
        actor=world.actor_of_staff("000001"), cohort=world.leader_cohort, now=_at(0)
    )
    response = _client(world.head_0201.user).post(
        reverse("training:enrollment_approve", kwargs={"pk": enrollment.pk})
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPLIED


# ---------------------------------------------------------------------------
# 推薦 (the home task 「DX推進リーダーを推薦する」)


def test_home_task_links_the_recommend_page(world: World) -> None:
    html = _head(world).get(reverse("core:home")).content.decode()
    url = reverse("training:recommend")
    assert f'<a href="{url}">DX推進リーダーを推薦する</a>' in html


def test_recommend_page_lists_staff_with_reasons_and_refuses_over_quota(world: World) -> None:
    first = world.staff("000051", "010101")
    second = world.staff("000052", "0101")
    cohort = world.promoter_cohort
    url = reverse("training:recommend")
    head = _head(world)
    page = head.get(f"{url}?cohort={cohort.pk}").content.decode()
    assert "①推薦枠：各所属1名（毎年度新規）" in page
    assert first.name in page
    assert second.name in page
    assert page.count("推薦する<span") == 2
    response = head.post(url, {"cohort": cohort.pk, "staff": first.pk})
    assert response.status_code == 302
    assert Enrollment.objects.get(staff=first).channel == EnrollmentChannel.RECOMMENDED
    page = head.get(response["Location"]).content.decode()
    assert "推薦できません: 人事課 は推薦済みです" in page
    refused = head.post(url, {"cohort": cohort.pk, "staff": second.pk})
    assert refused.status_code == 400
    assert QUOTA_FULL in refused.content.decode()
    assert not Enrollment.objects.filter(staff=second).exists()


def test_recommend_with_htmx_swaps_the_list_only(world: World) -> None:
    staff = world.staff("000061", "0101")
    response = _head(world).post(
        reverse("training:recommend"),
        {"cohort": world.leader_cohort.pk, "staff": staff.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="recommend-list">')
    assert "推薦しました" in html
    assert "申込済み（推薦・承認）" in html


def test_recommend_outside_the_unit_is_404(world: World) -> None:
    staff = world.staff("000071", "0201")
    response = _head(world).post(
        reverse("training:recommend"), {"cohort": world.leader_cohort.pk, "staff": staff.pk}
    )
    assert response.status_code == 404
    assert not Enrollment.objects.filter(staff=staff).exists()


# ---------------------------------------------------------------------------
# Groups


def _members(world: World, count: int) -> list[Any]:
    world.leader_cohort.capacity = None
    world.leader_cohort.save(update_fields=["capacity"])
    people = []
    for n in range(count):
        person = world.staff(f"{100 + n:06d}", "0101" if n % 2 else "0201")
        Enrollment.objects.create(
            organization=world.organization,
            staff=person,
            cohort=world.leader_cohort,
            fiscal_year=2025,
            channel=EnrollmentChannel.APPOINTED,
            status=EnrollmentStatus.APPROVED,
            requested_at=_at(n),
        )
        people.append(person)
    return people


def test_groups_proposal_and_manual_set(world: World) -> None:
    _members(world, 11)
    url = reverse("training:cohort_groups", kwargs={"pk": world.leader_cohort.pk})
    page = _dx(world).get(url).content.decode()
    assert "6名、5名" in page
    response = _dx(world).post(url, {"action": "propose"})
    assert response.status_code == 302
    assert sorted(g.memberships.count() for g in CohortGroup.objects.all()) == [5, 6]
    ids = list(
        Enrollment.objects.filter(cohort=world.leader_cohort)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    data = {"action": "set", **{f"group_{pk}": 1 if n < 4 else 2 for n, pk in enumerate(ids)}}
    response = _dx(world).post(url, data)
    assert response.status_code == 302
    assert sorted(g.memberships.count() for g in CohortGroup.objects.all()) == [4, 7]


def test_groups_that_cannot_be_split_say_so(world: World) -> None:
    _members(world, 4)
    page = (
        _dx(world)
        .get(reverse("training:cohort_groups", kwargs={"pk": world.leader_cohort.pk}))
        .content.decode()
    )
    assert "4名は5～6名のグループに分けられません" in page
    assert "グループを保存する" in page


# ---------------------------------------------------------------------------
# Attendance, completion, upload, LMS mappings


def _first_session(world: World) -> Session:
    return (
        Session.objects.filter(cohort=world.leader_cohort)
        .select_related("course")
        .order_by("course__code", "number")
        .filter(course__title__contains="マインドセット")
        .first()
    )


def test_attendance_sheet_records_every_member_at_once(world: World) -> None:
    people = _members(world, 3)
    session = _first_session(world)
    url = reverse("training:attendance_sheet", kwargs={"pk": session.pk})
    page = _dx(world).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert all(p.name in html for p in people)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_repr__startswith="出欠 "
    ).exists()
    bad = _dx(world).post(
        url,
        {
            f"status_{people[0].pk}": AttendanceStatus.PRESENT,
            f"status_{people[1].pk}": AttendanceStatus.WAIVED,
            f"status_{people[2].pk}": AttendanceStatus.LATE,
            f"hours_{people[2].pk}": "1,5",
        },
    )
    assert bad.status_code == 400
    assert "受講時間は半角の数字で入力してください" in bad.content.decode()
    waived = _dx(world).post(
        url,
        {
            f"status_{people[0].pk}": AttendanceStatus.PRESENT,
            f"status_{people[1].pk}": AttendanceStatus.WAIVED,
        },
    )
    assert waived.status_code == 400
    assert "免除には理由が必要です" in waived.content.decode()
    assert not Attendance.objects.exists()
    ok = _dx(world).post(
        url,
        {
            f"status_{people[0].pk}": AttendanceStatus.PRESENT,
            f"status_{people[1].pk}": AttendanceStatus.WAIVED,
            f"reason_{people[1].pk}": "育児休業",
            f"status_{people[2].pk}": AttendanceStatus.LATE,
            f"hours_{people[2].pk}": "1.5",
        },
    )
    assert ok.status_code == 302
    records = {a.staff_id: a for a in Attendance.objects.filter(session=session)}
    assert records[people[1].pk].waived_reason == "育児休業"
    assert records[people[2].pk].hours == Decimal("1.5")


def test_completion_is_computed_from_the_cohort_page(world: World) -> None:
    _members(world, 1)
    response = _dx(world).post(
        reverse("training:cohort_completions", kwargs={"pk": world.leader_cohort.pk}),
        {"as_of": "2026-04-01"},
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(cohort=world.leader_cohort)
    assert enrollment.status == EnrollmentStatus.NOT_COMPLETED
    page = _dx(world).get(response["Location"]).content.decode()
    assert "未修了" in page


def test_attendance_upload_submits_a_dry_run_job(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    LmsColumnMapping.objects.create(
        organization=world.organization,
        provider_name="まなびLMS",
        header_aliases={"staff_number": ["社員番号"]},
    )
    page = _dx(world).get(reverse("training:attendance_upload")).content.decode()
    assert "まなびLMS" in page
    upload = SimpleUploadedFile(
        "出欠.csv", "職員番号,研修コード,回,出欠\n000001,X,1,出席\n".encode(), "text/csv"
    )
    response = _dx(world).post(
        reverse("training:attendance_upload"),
        {"file": upload, "mapping_name": "まなびLMS", "as_of": "2026-03-31"},
    )
    job = ImportJob.objects.get(kind=ATTENDANCE_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", kwargs={"pk": job.pk})
    assert job.options["dry_run"] is True
    assert job.options["mapping_name"] == "まなびLMS"
    assert job.options["as_of"] == "2026-03-31"


def test_lms_mapping_create_and_list(world: World) -> None:
    url = reverse("training:lms_mappings")
    response = _dx(world).post(
        url,
        {
            "provider_name": "まなびLMS",
            "alias_staff_number": "社員番号, 受講者ID",
            "alias_hours": "学習時間(h)",
            "status_aliases": "完了=出席\n未受講=欠席",
        },
    )
    assert response.status_code == 302
    mapping = LmsColumnMapping.objects.get(organization=world.organization)
    assert mapping.header_aliases == {
        "staff_number": ["社員番号", "受講者ID"],
        "hours": ["学習時間(h)"],
    }
    assert mapping.status_aliases == {"完了": "present", "未受講": "absent"}
    assert AuditEvent.objects.filter(target_type="training.LmsColumnMapping").exists()
    page = _dx(world).get(url).content.decode()
    assert "社員番号、受講者ID" in page
    again = _dx(world).post(url, {"provider_name": "まなびLMS"})
    assert again.status_code == 400
    assert "既に登録されています" in again.content.decode()
    bad = _dx(world).post(url, {"provider_name": "別LMS", "status_aliases": "完了=合格"})
    assert bad.status_code == 400
    assert "1行目「完了=合格」" in bad.content.decode()


# ---------------------------------------------------------------------------
# Audiences


def test_course_audience_counts_and_lists_with_visibility(world: World) -> None:
    course = CourseFactory(
        organization=world.organization,
        code="T1",
        title="新規採用職員DX研修",
        audience_rule={"hire_year": 1},
        audience_text="新規採用",
    )
    mine = world.staff("000081", "010101", hired_on=dt.date(2026, 4, 1))
    other = world.staff("000082", "0201", hired_on=dt.date(2026, 4, 1))
    world.staff("000083", "0101", hired_on=dt.date(2020, 4, 1))
    url = reverse("training:course_audience", kwargs={"pk": course.pk}) + "?fy=2026"
    html = _dx(world).get(url).content.decode()
    assert "<strong>2名</strong>" in html
    assert mine.name in html
    assert other.name in html
    html = _head(world).get(url).content.decode()
    assert "<strong>1名</strong>" in html
    assert mine.name in html
    assert other.name not in html
    assert _dx(world).get(url.replace("2026", "1800")).status_code == 400


# ---------------------------------------------------------------------------
# Another 団体: every POST is 404 and changes nothing


def _outsider() -> Client:
    organization = OrganizationFactory()
    user = UserFactory()
    for role in (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD, Role.STAFF):
        unit = UnitFactory(organization=organization) if role == Role.UNIT_HEAD else None
        MembershipFactory(user=user, organization=organization, role=role, unit=unit)
    StaffFactory(organization=organization, user=user, number="000001")
    return _client(user)


def _posts(world: World) -> list[tuple[str, dict[str, Any]]]:
    staff = world.staff("000091", "0101", with_user=True)
    applied = enrollment_apply(
        actor=world.actor_of_staff("000091"), cohort=world.leader_cohort, now=_at(0)
    )
    session = _first_session(world)
    cohort = {"pk": world.leader_cohort.pk}
    return [
        (
            reverse("training:cohort_create", kwargs={"pk": world.sapporo.pk}),
            {
                "number": 9,
                "fiscal_year": 2025,
                "starts_on": "2025-06-01",
                "ends_on": "2026-03-31",
                "status": "recruiting",
            },
        ),
        (reverse("training:cohort_start", kwargs=cohort), {"confirm": "yes"}),
        (reverse("training:cohort_appoint", kwargs=cohort), {"staff_number": "000091"}),
        (reverse("training:cohort_apply", kwargs=cohort), {}),
        (reverse("training:cohort_groups", kwargs=cohort), {"action": "propose"}),
        (reverse("training:cohort_completions", kwargs=cohort), {"as_of": "2026-03-31"}),
        (reverse("training:recommend"), {"cohort": world.leader_cohort.pk, "staff": staff.pk}),
        (reverse("training:enrollment_approve", kwargs={"pk": applied.pk}), {}),
        (reverse("training:enrollment_reject", kwargs={"pk": applied.pk}), {"reason": "理由"}),
        (reverse("training:enrollment_cancel", kwargs={"pk": applied.pk}), {}),
        (
            reverse("training:attendance_sheet", kwargs={"pk": session.pk}),
            {f"status_{staff.pk}": "present"},
        ),
    ]


def _state(world: World) -> tuple[Any, ...]:
    return (
        list(Enrollment.objects.order_by("id").values_list("id", "status")),
        list(Cohort.objects.order_by("id").values_list("id", "status")),
        Program.objects.count(),
        Course.objects.count(),
        Attendance.objects.count(),
        CohortGroup.objects.count(),
        AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count(),
    )


def test_no_post_of_another_organization_changes_anything(world: World) -> None:
    posts = _posts(world)
    outsider = _outsider()
    before = _state(world)
    for url, data in posts:
        response = outsider.post(url, data)
        assert response.status_code == 404, url
    # Adopting names a framework: another 団体's is not among the choices (nothing created).
    response = outsider.post(
        reverse("training:template_adopt"),
        {"template": "sapporo-dx-leader", "framework": world.sapporo_framework.pk},
    )
    assert response.status_code == 400
    assert _state(world) == before
