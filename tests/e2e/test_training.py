"""研修 in a real browser, one flow: DX推進担当 adopts the 札幌 programme template onto the
団体's framework, creates 第1期; the 所属長 follows the home task 「DX推進リーダーを推薦する」
and recommends two staff members (htmx swaps the list); DX推進担当 starts the 期,
records one session on the attendance sheet, uploads an attendance CSV (dry run →
取り込む on core's job page) with the completion day, and the cohort page shows 修了.
The page guard fails the test on an outside request, an axe violation or a console error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.jobs import jobs_run_pending
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_templates_load,
    framework_version_publish,
)
from hagukumi.orgs.models import Organization, OrganizationKind
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.models import Cohort, Enrollment, EnrollmentStatus, Session

pytestmark = pytest.mark.e2e


@pytest.fixture
def training_world(transactional_db: Any, organization: Any) -> dict[str, Any]:
    if not Organization.objects.filter(kind=OrganizationKind.NATIONAL).exists():
        Organization.objects.create(name="国", kind=OrganizationKind.NATIONAL)
    framework_templates_load(actor=Actor.system())
    operator = Actor.command_line(organization)
    framework = framework_adopt(actor=operator, template_code="sapporo", organization=organization)
    framework_version_publish(actor=operator, framework_version=framework.versions.get())
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    section = UnitFactory(organization=organization, code="0101", name="人事課", parent=dept)
    team = UnitFactory(
        organization=organization, code="010101", name="人事係", kind="係", parent=section
    )
    people = [
        StaffFactory(organization=organization, unit=team, number="000101", name="𠮷田 花子"),
        StaffFactory(organization=organization, unit=section, number="000102", name="髙橋 一郎"),
    ]
    return {"framework": framework, "section": section, "people": people}


def _named(visible: str, hidden: str) -> re.Pattern[str]:
    """An accessible name with a visually hidden part (Chromium may put a space before it)."""
    return re.compile(rf"^{re.escape(visible)}\s*{re.escape(hidden)}$")


def _log_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()


def _wait_for_status(page: Any, label: str) -> None:
    page.wait_for_function(
        "(label) => (document.querySelector('#job-status') || {}).textContent === label",
        arg=label,
        timeout=15_000,
    )


def test_sapporo_programme_from_template_to_completion(
    page: Any,
    page_guard: Any,
    login_as: Any,
    organization: Any,
    training_world: dict[str, Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    framework = training_world["framework"]
    first, second = training_world["people"]

    # DX推進担当: adopt the 札幌 template, create 第1期.
    login_as(Role.DX_OFFICE, org=organization)
    page.goto(reverse("training:index"))
    with page.expect_navigation():
        page.get_by_role(
            "link", name=_named("採用する", "（札幌市【②DX推進リーダー】育成）")
        ).click()
    page.get_by_label("対応付けるフレームワーク").select_option(str(framework.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="採用する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "【②DX推進リーダー】育成"
    assert page.locator("#required-hours").inner_text() == "38時間"
    assert page.locator("#in-person-sessions").inner_text() == "10回"
    with page.expect_navigation():
        page.get_by_role("link", name="期を作成する").click()
    page.get_by_label("年度（西暦）").fill("2026")
    page.get_by_label("開始日").fill("2026-06-01")
    page.get_by_label("終了日").fill("2027-03-31")
    page.get_by_label("定員").fill("35")
    with page.expect_navigation():
        page.get_by_role("button", name="作成する").click()
    assert "第1期（2026年度）" in page.get_by_role("heading", level=1).inner_text()
    cohort = Cohort.objects.get(organization=organization)
    _log_out(page)

    # 所属長: the home task leads to the 推薦 page; recommend both (htmx swaps the list).
    login_as(Role.UNIT_HEAD, org=organization, unit=training_world["section"])
    with page.expect_navigation():
        page.get_by_role("link", name="DX推進リーダーを推薦する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "DX推進リーダー等の推薦"
    for person in (first, second):
        page.get_by_role(
            "button", name=_named("推薦する", f"（{person.number} {person.name}）")
        ).click()
        page.locator("#recommend-table", has_text=f"{person.name}").wait_for()
        page.get_by_text(f"{person.number} {person.name} さんを").first.wait_for()
        page_guard.check_accessibility()
    assert Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.APPROVED).count() == 2
    _log_out(page)

    # DX推進担当: start, record the first session by hand, upload the rest, see 修了.
    login_as(Role.DX_OFFICE, org=organization)
    page.goto(reverse("training:cohort_detail", kwargs={"pk": cohort.pk}))
    with page.expect_navigation():
        page.get_by_role("link", name="期を開始する").click()
    with page.expect_navigation():
        page.get_by_role("button", name="開始する").click()
    assert page.locator("#cohort-status").inner_text() == "実施中"
    sessions = list(Session.objects.filter(cohort=cohort).select_related("course").order_by("id"))
    manual, rest = sessions[0], sessions[1:]
    page.get_by_role(
        "link", name=_named("出欠を記録", f"（{manual.course.title} 第{manual.number}回）")
    ).click()
    page.wait_for_url(f"**{reverse('training:attendance_sheet', kwargs={'pk': manual.pk})}")
    page.get_by_label(f"{first.name}の出欠").select_option("present")
    page.get_by_label(f"{second.name}の出欠").select_option("waived")
    page.get_by_label(f"{second.name}の免除の理由").fill("既に同等の研修を修了")
    with page.expect_navigation():
        page.get_by_role("button", name="出欠を保存する").click()
    assert "出欠を保存しました（新規 2件" in page.get_by_role("status").first.inner_text()

    lines = ["職員番号,研修コード,回,出欠,受講時間"]
    for session in rest:
        for person in (first, second):
            hours = f"{session.hours.normalize():f}" if session.hours else ""
            lines.append(f"{person.number},{session.course.code},{session.number},出席,{hours}")
    page.goto(reverse("training:attendance_upload"))
    page.get_by_label("出欠のファイル").set_input_files(
        {
            "name": "出欠.csv",
            "mimeType": "text/csv",
            "buffer": ("\ufeff" + "\n".join(lines) + "\n").encode(),
        }
    )
    page.get_by_label("修了判定の基準日").fill("2027-03-31")
    with page.expect_navigation():
        page.get_by_role("button", name="試しに読み込む").click()
    list(jobs_run_pending(once=True))
    _wait_for_status(page, "成功")
    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    list(jobs_run_pending(once=True))
    _wait_for_status(page, "成功")

    page.goto(reverse("training:cohort_detail", kwargs={"pk": cohort.pk}))
    # The file's runs were judged by the import; the session recorded by hand is judged here.
    page.get_by_label("判定の基準日").fill("2027-03-31")
    with page.expect_navigation():
        page.get_by_role("button", name="修了を判定する").click()
    assert "プログラム修了 2名" in page.get_by_role("status").first.inner_text()
    members = page.locator("#member-list")
    assert members.get_by_text("修了", exact=True).count() == 2
    assert set(Enrollment.objects.filter(cohort=cohort).values_list("status", flat=True)) == {
        EnrollmentStatus.COMPLETED
    }
