"""職員 pages: roster upload through ImportJob, directory, profile edits, search, 公募."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.jobs import job_claim, job_execute, job_options, jobs_run_pending
from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.import_jobs import StaffImportOptions
from hagukumi.people.models import (
    ApplicationStatus,
    JobApplication,
    JobChallenge,
    JobChallengeKind,
    Staff,
)
from hagukumi.people.roster_import import staff_search_key
from hagukumi.people.tests.conftest import roster_file, roster_row
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


PANEL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "job-panel"}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path


def settings_data_dir() -> str:
    from django.conf import settings

    return str(settings.HAGUKUMI_DATA_DIR)


def _job_url(job: ImportJob) -> str:
    return reverse("core:job", kwargs={"pk": job.pk})


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hr(user_with_role):  # type: ignore[no-untyped-def]
    return _client(user_with_role(Role.HR))


def _upload(client: Client, content: bytes, name: str = "名簿.xlsx") -> Any:
    return client.post(
        reverse("people:roster_upload"),
        {
            "file": SimpleUploadedFile(name, content),
            "effective_date": "2026-04-01",
        },
    )


# ------------------------------------------------------------------ roster import


def test_roster_dry_run_summary_then_import(hr, tree, organization):  # type: ignore[no-untyped-def]
    StaffFactory(organization=organization, unit=tree["0101"], number="000002", name="山﨑 二郎")
    content = roster_file(
        [
            roster_row("000001", "髙橋 一郎"),
            roster_row("000002", "山﨑 二郎", unit="0201", position="主任"),
        ]
    )
    response = _upload(hr, content)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == _job_url(job)
    assert job_options(job) == StaffImportOptions(
        dry_run=True, effective_date=dt.date(2026, 4, 1), retire_missing=False
    )
    waiting = hr.get(response["Location"])
    assert "待機" in waiting.content.decode()
    assert 'hx-trigger="load delay:1s"' in waiting.content.decode()  # core's page polls
    assert "最新の状態を表示" in waiting.content.decode()
    assert "令和8年4月1日" in waiting.content.decode()  # 発令日, a labelled option

    list(jobs_run_pending(once=True))
    assert Staff.objects.filter(organization=organization).count() == 1  # dry run
    page = hr.get(response["Location"], **PANEL).content.decode()
    assert "hx-trigger" not in page  # polling stops when the job ends
    assert "新規" in page
    assert "変更" in page
    assert "退職" in page
    assert "職位 「主事」 → 「主任」" in page
    assert "取り込む" in page

    assert 'id="job-warning"' not in page  # one retirement is no mass retirement
    confirm = hr.post(reverse("core:job_confirm", kwargs={"pk": job.pk}))
    follow = ImportJob.objects.exclude(pk=job.pk).get()
    assert confirm["Location"] == _job_url(follow)
    list(jobs_run_pending(once=True))
    done = hr.get(confirm["Location"]).content.decode()
    assert "取込が終わりました" in done
    names = set(Staff.objects.filter(organization=organization).values_list("name", flat=True))
    assert names == {"髙橋 一郎", "山﨑 二郎"}


def test_second_upload_for_the_same_organization_waits(hr, tree):  # type: ignore[no-untyped-def]
    content = roster_file([roster_row("000001", "髙橋 一郎")])
    _upload(hr, content)
    _upload(hr, content)
    first, second = ImportJob.objects.order_by("id")
    assert job_claim() is not None  # the first is now running
    page = hr.get(_job_url(second)).content.decode()
    assert "待機" in page
    assert f"ImportJob #{first.pk}" in page
    assert job_claim() is None
    job_execute(ImportJob.objects.get(pk=first.pk))


def test_upload_over_20_mb_is_refused_in_japanese(hr, tree, settings):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    response = _upload(hr, b"0" * (21 * 1024 * 1024), name="大きい.csv")
    assert response.status_code == 400
    assert "ファイルが大きすぎます（21 MB）。上限は 20 MB です。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_failed_dry_run_shows_row_errors(hr, tree):  # type: ignore[no-untyped-def]
    _upload(hr, roster_file([roster_row("000001", "髙橋 一郎", unit="9999")]))
    list(jobs_run_pending(once=True))
    job = ImportJob.objects.get()
    page = hr.get(_job_url(job)).content.decode()
    assert "取り込めませんでした" in page
    assert "9999" in page
    assert "取り込む</button>" not in page


def test_template_download_has_the_headers(hr):  # type: ignore[no-untyped-def]
    response = hr.get(reverse("people:roster_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["職員番号", "氏名", "氏名カナ", "生年月日", "所属コード"]
    assert "特定部門" in headers


def test_another_organizations_job_is_404(hr, tree, user_with_role):  # type: ignore[no-untyped-def]
    other = OrganizationFactory()
    job = ImportJob.objects.create(organization=other, kind="people.staff", lane="people")
    assert hr.get(_job_url(job)).status_code == 404


def test_upload_lists_recent_jobs_linking_to_core_s_page(hr, tree):  # type: ignore[no-untyped-def]
    _upload(hr, roster_file([roster_row("000001", "髙橋 一郎")]))
    job = ImportJob.objects.get()
    page = hr.get(reverse("people:roster_upload")).content.decode()
    assert f'href="{_job_url(job)}"' in page
    assert 'id="job-list"' in page


def test_a_job_whose_options_say_command_line_runs_with_its_web_user_s_rights(  # type: ignore[no-untyped-def]
    tree, organization, user_with_role
):
    """Job authorisation comes from `inline` and `created_by`, never from options."""
    staff_user = user_with_role(Role.STAFF)
    content = roster_file([roster_row("000001", "髙橋 一郎")])
    path = Path(settings_data_dir()) / "forged.xlsx"
    path.write_bytes(content)
    forged = ImportJob.objects.create(
        organization=organization,
        kind="people.staff",
        lane="people",
        options={"command_line": True, "dry_run": False, "effective_date": "2026-04-01"},
        filename="forged.xlsx",
        file_path=str(path),
        created_by=staff_user,
    )
    list(jobs_run_pending(once=True))
    forged.refresh_from_db()
    assert forged.status == "failed"
    assert "権限" in forged.errors[0]["message"]
    assert not Staff.objects.exists()
    # The 職員 cannot see it either; a 人事担当's job with the same options runs as them.
    assert _client(staff_user).get(_job_url(forged)).status_code == 404
    hr_user = user_with_role(Role.HR)
    path.write_bytes(content)
    job = ImportJob.objects.create(
        organization=organization,
        kind="people.staff",
        lane="people",
        options={"command_line": True, "dry_run": False, "effective_date": "2026-04-01"},
        filename="hr.xlsx",
        file_path=str(path),
        created_by=hr_user,
    )
    list(jobs_run_pending(once=True))
    job.refresh_from_db()
    assert job.status == "succeeded"
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.actor_username == hr_user.username  # not 「コマンドライン」


# ------------------------------------------------------------- mass retirement


def _mass_retirement_dry_run(hr, tree, organization):  # type: ignore[no-untyped-def]
    for i in range(2, 15):  # 13 in post, none of them in the file
        StaffFactory(organization=organization, unit=tree["0101"], number=f"{i:06d}")
    hr.post(
        reverse("people:roster_upload"),
        {
            "file": SimpleUploadedFile("名簿.xlsx", roster_file([roster_row("000001", "甲")])),
            "effective_date": "2026-04-01",
            "retire_missing": "on",
        },
    )
    list(jobs_run_pending(once=True))
    return ImportJob.objects.get()


def test_a_mass_retirement_warns_and_needs_the_checkbox(hr, tree, organization):  # type: ignore[no-untyped-def]
    dry = _mass_retirement_dry_run(hr, tree, organization)
    assert dry.counts["retiring"] == 13
    page = hr.get(_job_url(dry)).content.decode()
    assert 'id="job-warning"' in page
    assert "ファイルにない職員 13名を退職にします（在職 13名）" in page
    assert "13名を退職にすることを確認しました" in page
    refused = hr.post(reverse("core:job_confirm", kwargs={"pk": dry.pk}), follow=True)
    assert "「13名を退職にすることを確認しました」にチェックを入れてください" in (
        refused.content.decode()
    )
    assert ImportJob.objects.count() == 1
    hr.post(reverse("core:job_confirm", kwargs={"pk": dry.pk}), {"acknowledge": "yes"})
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert job_options(real).mass_retirement_confirmed is True
    list(jobs_run_pending(once=True))
    real.refresh_from_db()
    assert real.status == "succeeded"
    assert Staff.objects.filter(organization=organization, retired_on__isnull=False).count() == 13


def test_confirm_by_another_organization_changes_nothing(  # type: ignore[no-untyped-def]
    hr, tree, organization
):
    dry = _mass_retirement_dry_run(hr, tree, organization)
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role=Role.HR)
    response = _client(outsider).post(
        reverse("core:job_confirm", kwargs={"pk": dry.pk}), {"acknowledge": "yes"}
    )
    assert response.status_code == 404
    assert ImportJob.objects.count() == 1
    assert not Staff.objects.filter(retired_on__isnull=False).exists()


# ----------------------------------------------------------------------- profile


@pytest.fixture
def me(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    user = user_with_role(Role.STAFF)
    staff = StaffFactory(organization=organization, unit=tree["0101"], user=user, name="髙橋 一郎")
    return staff, _client(user)


def test_self_edits_career_intent_and_adds_a_qualification(me):  # type: ignore[no-untyped-def]
    staff, client = me
    url = reverse("people:my_profile")
    response = client.post(url, {"action": "career_intent", "career_intent": "窓口のDXに挑戦"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.career_intent == "窓口のDXに挑戦"
    client.post(
        url,
        {
            "action": "qualification",
            "qualification": "it-passport",
            "obtained_on": "2025-06-01",
            "exam_fee": "7500",
        },
    )
    assert staff.qualifications.count() == 1
    page = client.get(url).content.decode()
    assert "ITパスポート試験" in page
    # 職員本人 may not write 評価/適性: the form is absent and a post is 404.
    assert 'name="evaluation_notes"' not in page
    assert client.post(url, {"action": "appraisal", "evaluation_notes": "x"}).status_code == 404


def test_hr_edits_appraisal_and_profile_view_is_audited(me, user_with_role):  # type: ignore[no-untyped-def]
    staff, _ = me
    client = _client(user_with_role(Role.HR))
    url = reverse("people:staff_detail", kwargs={"pk": staff.pk})
    client.post(url, {"action": "appraisal", "aptitude_notes": "調整", "evaluation_notes": "A"})
    staff.refresh_from_db()
    assert (staff.aptitude_notes, staff.evaluation_notes) == ("調整", "A")
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.get(url)
    # The profile itself (and each profile panel that shows personal data) is audited.
    assert AuditEvent.objects.filter(
        pk__gt=last,
        action=AuditEvent.Action.VIEW,
        target_type="people.Staff",
        target_id=str(staff.pk),
    ).exists()


def test_out_of_scope_and_other_organization_are_404(me, tree, user_with_role):  # type: ignore[no-untyped-def]
    staff, _ = me
    url = reverse("people:staff_detail", kwargs={"pk": staff.pk})
    head_elsewhere = _client(user_with_role(Role.UNIT_HEAD, unit=tree["0201"]))
    assert head_elsewhere.get(url).status_code == 404
    head_above = _client(user_with_role(Role.UNIT_HEAD, unit=tree["01"]))
    page = head_above.get(url)
    assert page.status_code == 200
    assert "生年月日" not in page.content.decode()
    outsider = _client(user_with_role(Role.HR, org=OrganizationFactory()))
    assert outsider.get(url).status_code == 404
    other_staff = _client(user_with_role(Role.STAFF))
    assert other_staff.get(url).status_code == 404


def test_me_without_a_staff_record(user_with_role):  # type: ignore[no-untyped-def]
    client = _client(user_with_role(Role.STAFF))
    page = client.get(reverse("people:my_profile"))
    assert page.status_code == 200
    assert "紐付いていません" in page.content.decode()


# ------------------------------------------------------------------------ search


def _many(organization: Any, unit: Any, count: int) -> None:
    for i in range(count):
        StaffFactory(organization=organization, unit=unit, name=f"職員{i}")


def test_search_queries_equal_for_5_and_50_rows(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    client = _client(user_with_role(Role.HR))
    url = reverse("people:search")
    counts = []
    for total in (5, 50):
        Staff.objects.filter(organization=organization).delete()
        _many(organization, tree["0101"], total)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"position": "主事"})
        assert f"{total}人" in response.content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("stored", "query"), [("髙橋 一郎", "高橋"), ("山﨑 二郎", "山崎"), ("ヤマダ タロウ", "ﾔﾏﾀﾞ")]
)
def test_search_text_finds_variants(stored, query, organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"], name=stored)
    staff.search_key = staff_search_key(staff)
    staff.save()
    client = _client(user_with_role(Role.HR))
    page = client.get(reverse("people:search"), {"q": query}).content.decode()
    assert stored in page
    assert "1人" in page


def test_search_export_has_only_visible_columns(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    StaffFactory(organization=organization, unit=tree["0101"], birth_date=dt.date(1990, 1, 1))
    client = _client(user_with_role(Role.DX_OFFICE))
    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    response = client.get(reverse("people:search_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert "氏名" in headers
    assert "生年月日" not in headers
    assert "評価" not in headers
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == before + 1


def test_search_hides_filters_the_role_may_not_use(user_with_role, tree):  # type: ignore[no-untyped-def]
    dx = _client(user_with_role(Role.DX_OFFICE)).get(reverse("people:search")).content.decode()
    assert 'name="born_from"' not in dx
    assert 'name="appraisal_text"' not in dx
    hr = _client(user_with_role(Role.HR)).get(reverse("people:search")).content.decode()
    assert 'name="born_from"' in hr


# --------------------------------------------------------------------- directory


def test_leader_directory_for_every_user(user_with_role):  # type: ignore[no-untyped-def]
    client = _client(user_with_role(Role.STAFF))
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
    page = client.get(reverse("people:leaders"))
    assert page.status_code == 200
    assert "DX推進リーダー名簿" in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == before + 1


# ---------------------------------------------------------------- job challenges


def test_job_challenge_apply_opinion_decide(organization, tree, me, user_with_role):  # type: ignore[no-untyped-def]
    _staff, client = me
    today = timezone.localdate()
    challenge = JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.JOB_CHALLENGE,
        title="窓口改革プロジェクト",
        unit=tree["0201"],
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        fiscal_year=2026,
    )
    url = reverse("people:challenge_detail", kwargs={"pk": challenge.pk})
    assert "応募する" in client.get(url).content.decode()
    client.post(
        reverse("people:challenge_apply", kwargs={"pk": challenge.pk}),
        {"motivation": "窓口を良くしたい"},
    )
    application = JobApplication.objects.get()
    head = _client(user_with_role(Role.UNIT_HEAD, unit=tree["0101"]))
    head.post(
        reverse("people:application_opinion", kwargs={"pk": application.pk}),
        {"opinion": "推薦します（本人には見せない）"},
    )
    mine = client.get(url).content.decode()
    assert "推薦します" not in mine  # the applicant never sees the 所属長意見
    hr = _client(user_with_role(Role.HR))
    assert "推薦します" in hr.get(url).content.decode()
    hr.post(
        reverse("people:application_decide", kwargs={"pk": application.pk}),
        {"decision": "reject", "confirm": "yes"},  # from the confirmation page
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    response = client.post(reverse("people:application_withdraw", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED  # decided: no withdrawal


def test_no_application_after_the_deadline(organization, tree, me):  # type: ignore[no-untyped-def]
    _staff, client = me
    today = timezone.localdate()
    challenge = JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.INTERNAL,
        title="締切済みの公募",
        unit=tree["0201"],
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
        fiscal_year=2026,
    )
    response = client.post(
        reverse("people:challenge_apply", kwargs={"pk": challenge.pk}), {"motivation": "遅れて"}
    )
    assert response.status_code == 400
    assert "締切を過ぎたため応募できません" in response.content.decode()
    assert not JobApplication.objects.exists()


# ------------------------------------------------------------ audit and refusals


def _open_challenge(organization: Any, unit: Any) -> JobChallenge:
    today = timezone.localdate()
    return JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.JOB_CHALLENGE,
        title="窓口改革プロジェクト",
        unit=unit,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
        fiscal_year=2026,
    )


def test_failed_profile_edit_writes_one_view_row(me):  # type: ignore[no-untyped-def]
    staff, client = me
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    before = views.count()
    client.get(reverse("people:my_profile"))
    one_visit = views.count() - before  # the profile and each panel, audited once
    before = views.count()
    response = client.post(
        reverse("people:my_profile"),
        {"action": "qualification", "qualification": "it-passport", "obtained_on": "いつか"},
    )
    assert response.status_code == 400
    assert "取得年月日" in response.content.decode()
    assert views.count() == before + one_visit  # like one visit of the page, not two
    assert not staff.qualifications.exists()


def test_a_people_service_refusing_is_404_in_its_view(organization, tree, me, user_with_role):  # type: ignore[no-untyped-def]
    _staff, client = me
    challenge = _open_challenge(organization, tree["0201"])
    client.post(
        reverse("people:challenge_apply", kwargs={"pk": challenge.pk}), {"motivation": "挑戦したい"}
    )
    application = JobApplication.objects.get()
    # 人事担当 may open the page, but only the applicant withdraws: the service says AccessDenied.
    hr = _client(user_with_role(Role.HR))
    url = reverse("people:application_withdraw", kwargs={"pk": application.pk})
    assert hr.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_access_denied_from_a_profile_service_is_404(me, monkeypatch):  # type: ignore[no-untyped-def]
    from hagukumi.core.errors import AccessDenied
    from hagukumi.people.views import profile

    def refuse(**_kwargs: Any) -> None:
        raise AccessDenied()

    monkeypatch.setattr(profile, "staff_career_intent_update", refuse)
    _staff, client = me
    response = client.post(
        reverse("people:my_profile"), {"action": "career_intent", "career_intent": "x"}
    )
    assert response.status_code == 404


def test_web_writes_record_where_they_came_from(organization, tree, me, user_with_role):  # type: ignore[no-untyped-def]
    staff, client = me
    where = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "HagukumiTest/1.0"}
    mine = reverse("people:my_profile")
    client.post(mine, {"action": "career_intent", "career_intent": "窓口のDX"}, **where)  # 更新
    client.post(
        mine,
        {"action": "qualification", "qualification": "it-passport", "obtained_on": "2025-06-01"},
        **where,
    )  # 登録
    hr = _client(user_with_role(Role.HR))
    detail = reverse("people:staff_detail", kwargs={"pk": staff.pk})
    hr.post(
        detail, {"action": "appraisal", "aptitude_notes": "調整", "evaluation_notes": "A"}, **where
    )
    challenge = _open_challenge(organization, tree["0201"])
    apply = reverse("people:challenge_apply", kwargs={"pk": challenge.pk})
    client.post(apply, {"motivation": "挑戦したい"}, **where)  # 登録

    writes = list(
        AuditEvent.objects.filter(
            action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
        ).order_by("id")
    )
    assert [e.path for e in writes] == [mine, mine, detail, apply]
    for event in writes:
        assert (event.ip_address, event.user_agent) == ("192.0.2.10", "HagukumiTest/1.0")
