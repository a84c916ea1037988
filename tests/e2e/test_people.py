"""職員 in a real browser, one flow per role: 人事担当 uploads a roster (dry run →
取り込む → progress → done), DX推進担当 searches and exports, 職員 edits their
キャリア志向, 所属長 sees a unit member without 生年月日, 都道府県支援担当 gets
404, and the leader directory lists the DX推進リーダー. The page guard fails a
test on an outside request, a serious axe-core violation or a console error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from hagukumi.core.jobs import jobs_run_pending
from hagukumi.core.models import Role
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.roster_import import staff_columns, staff_search_key
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def units(transactional_db: Any, organization: Any) -> dict[str, Any]:
    dept = UnitFactory(organization=organization, code="01", name="総務部", kind="部")
    sec = UnitFactory(organization=organization, code="0101", name="人事課", parent=dept)
    other = UnitFactory(organization=organization, code="0201", name="デジタル推進課")
    return {"01": dept, "0101": sec, "0201": other}


def _staff(organization: Any, unit: Any, **fields: Any) -> Any:
    staff = StaffFactory(organization=organization, unit=unit, **fields)
    staff.search_key = staff_search_key(staff)
    staff.save()
    return staff


def _wait_for_status(page: Any, label: str) -> None:
    page.wait_for_function(
        "(label) => (document.querySelector('#job-status') || {}).textContent === label",
        arg=label,
        timeout=15_000,
    )


def test_hr_uploads_a_roster(
    page: Any,
    page_guard: Any,
    login_as: Any,
    organization: Any,
    units: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    from hagukumi.core.tabular_export import write_table

    settings.HAGUKUMI_DATA_DIR = tmp_path
    row = {
        "number": "000123",
        "name": "𠮷田 花子",
        "name_kana": "ﾖｼﾀﾞ ﾊﾅｺ",
        "unit_code": "0101",
        "position": "主事",
        "grade": 1,
        "job_type": "一般事務",
        "employment": "正規",
        "recruitment": "一般",
    }
    content = write_table([row], columns=staff_columns(), format="xlsx")
    login_as(Role.HR, org=organization)
    page.goto(reverse("people:roster_upload"))
    assert page.get_by_role("heading", level=1).inner_text() == "職員名簿の取込"
    page.get_by_label("職員名簿のファイル").set_input_files(
        {"name": "職員名簿.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="試しに読み込む").click()
    assert page.locator("#job-status").inner_text() == "待機"

    list(jobs_run_pending(once=True))  # the worker (`hagukumi run_jobs`)
    _wait_for_status(page, "成功")  # htmx polled the status
    assert "新規" in page.locator("#job-counts").inner_text()
    assert "𠮷田 花子" in page.locator("#job-lines").inner_text()
    page_guard.check_accessibility()
    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    assert page.locator("#job-status").inner_text() == "待機"

    list(jobs_run_pending(once=True))
    # core's job page updates itself (no click on 「最新の状態を表示」 needed).
    _wait_for_status(page, "成功")
    assert page.locator("#job-done").inner_text() == "取込が終わりました。"
    assert page.get_by_role("link", name="最新の状態を表示").count() == 0


def test_dx_searches_and_exports(page: Any, login_as: Any, organization: Any, units: Any) -> None:
    _staff(organization, units["0101"], name="髙橋 一郎", career_intent="データ分析をしたい")
    _staff(organization, units["0201"], name="山田 太郎")
    login_as(Role.DX_OFFICE, org=organization)
    page.goto(reverse("people:search"))
    page.get_by_label("キーワード").fill("高橋")
    with page.expect_navigation():
        page.get_by_role("button", name="検索する").click()
    assert page.locator(".people-count").inner_text() == "1人"
    table = page.locator("#search-results")
    assert "髙橋 一郎" in table.inner_text()
    assert "生年月日" not in table.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel に出力").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_staff_edits_own_career_intent(
    page: Any, login_as: Any, organization: Any, units: Any
) -> None:
    user = login_as(Role.STAFF, org=organization)
    _staff(organization, units["0101"], name="髙橋 一郎", user=user, birth_date=dt.date(1990, 5, 1))
    page.goto(reverse("people:my_profile"))
    assert page.get_by_role("heading", level=1).inner_text() == "自分のプロフィール"
    assert "1990年5月1日" in page.locator("#profile-basic").inner_text()
    assert page.locator("text=評価・適性").count() == 0
    page.get_by_role("textbox", name="キャリア志向").fill("窓口のデジタル化に取り組みたい")
    with page.expect_navigation():
        page.get_by_role("button", name="キャリア志向を保存する").click()
    assert "キャリア志向を保存しました" in page.content()
    assert (
        page.get_by_role("textbox", name="キャリア志向").input_value()
        == "窓口のデジタル化に取り組みたい"
    )


def test_unit_head_sees_unit_staff_without_birth_date(
    page: Any, login_as: Any, organization: Any, units: Any
) -> None:
    member = _staff(organization, units["0101"], name="山﨑 二郎", birth_date=dt.date(1988, 3, 3))
    login_as(Role.UNIT_HEAD, org=organization, unit=units["01"])
    page.goto(reverse("people:search"))
    with page.expect_navigation():
        page.get_by_role("link", name="山﨑 二郎").click()
    basic = page.locator("#profile-basic").inner_text()
    assert "山﨑 二郎" in basic
    assert "生年月日" not in page.content()
    assert "1988" not in page.content()
    assert page.url.endswith(reverse("people:staff_detail", kwargs={"pk": member.pk}))


def test_prefecture_support_gets_404(
    page: Any, page_guard: Any, login_as: Any, organization: Any, units: Any
) -> None:
    member = _staff(organization, units["0101"], name="山﨑 二郎")
    prefecture = OrganizationFactory(kind="prefecture", name="テスト県")
    login_as(Role.PREFECTURE_SUPPORT, org=prefecture)
    page_guard.allow_console_error("404")
    for url in (
        reverse("people:staff_detail", kwargs={"pk": member.pk}),
        reverse("people:search"),
        reverse("people:my_profile"),
    ):
        response = page.goto(url)
        assert response.status == 404


def test_directory_shows_leaders(
    page: Any, login_as: Any, organization: Any, units: Any, user_with_role: Any
) -> None:
    from hagukumi.core.tenancy import Actor, actor_for
    from hagukumi.frameworks.services import (
        framework_adopt,
        framework_templates_load,
        framework_version_publish,
    )
    from hagukumi.people.code_lists import code_lists_ensure
    from hagukumi.people.designations import designation_create

    framework_templates_load(actor=Actor.system())
    dx = actor_for(user_with_role(Role.DX_OFFICE, org=organization), organization.pk)
    adopted = framework_adopt(actor=dx, template_code="mic", organization=organization)
    framework_version_publish(actor=dx, framework_version=adopted.versions.get())
    code_lists_ensure(organization=organization)
    leader = _staff(organization, units["0201"], name="𠮷田 三郎")
    designation_create(
        actor=dx,
        staff=leader,
        talent_type_code="dx-leader",
        method="appointed",
        from_fy=fiscal_year_of(dt.date.today()),
        status="certified",
    )
    login_as(Role.STAFF, org=organization)
    page.goto(reverse("people:leaders"))
    table = page.locator("table").inner_text()
    assert "デジタル推進課" in table
    assert "𠮷田 三郎" in table
    assert "1名" in page.content()
