"""利用者と役割の管理 and the new 年度 in a real browser (axe runs on every page):

the システム管理者 imports users through core's job flow, downloads the one-time
passwords once, a new user logs in and must change the password first; 人事担当
previews the 4月1日 switch.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from hagukumi.accounts.users_import import user_columns
from hagukumi.core.jobs import jobs_run_pending
from hagukumi.core.models import Role, User
from hagukumi.core.tabular_export import write_table
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.tests.factories import UnitFactory
from hagukumi.people.models import Assignment
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.e2e


def _wait_for_status(page: Any, label: str) -> None:
    page.wait_for_function(
        "(label) => (document.querySelector('#job-status') || {}).textContent === label",
        arg=label,
        timeout=15_000,
    )


def test_admin_imports_users_and_a_new_user_changes_the_password(
    page: Any,
    page_guard: Any,
    login_as: Any,
    organization: Any,
    settings: Any,
    tmp_path: Path,
    transactional_db: Any,
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    StaffFactory(organization=organization, number="000777", name="新人 花子")
    content = write_table(
        [
            {
                "username": "hanako",
                "display_name": "新人 花子",
                "staff_number": "000777",
                "roles": "職員",
            },
            {"username": "jinji", "display_name": "人事 次郎", "roles": "人事担当、職員"},
        ],
        columns=user_columns(),
        format="xlsx",
    )
    login_as(Role.SYSTEM_ADMIN, org=organization)
    page.goto(reverse("core:home"))
    with page.expect_navigation():
        page.get_by_role("link", name="利用者と役割を管理する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "利用者と役割"
    with page.expect_navigation():
        page.get_by_role("link", name="ファイルから取り込む").click()
    page.get_by_label("利用者と役割のファイル").set_input_files(
        {"name": "利用者.xlsx", "mimeType": "application/octet-stream", "buffer": content}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="試しに読み込む").click()
    list(jobs_run_pending(once=True))  # the worker (`hagukumi run_jobs`)
    _wait_for_status(page, "成功")
    assert "hanako" in page.locator("#job-lines").inner_text()
    assert not User.objects.filter(username="hanako").exists()
    with page.expect_navigation():
        page.get_by_role("button", name="取り込む").click()
    list(jobs_run_pending(once=True))
    _wait_for_status(page, "成功")
    page_guard.check_accessibility()

    with page.expect_navigation():
        page.get_by_role("link", name="新しい利用者 2名の初期パスワードを発行する").click()
    assert page.get_by_role("heading", level=1).inner_text() == "初期パスワードの発行"
    with page.expect_download() as download:
        page.get_by_role("button", name="発行してダウンロードする").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    passwords = {r[0]: r[2] for r in rows[1:]}
    assert set(passwords) == {"hanako", "jinji"}
    # Once only: the page now has nobody left to issue.
    page.goto(reverse("accounts:initial_passwords"))
    assert "発行する利用者はいません" in page.content()

    page.context.clear_cookies()
    page.goto(reverse("core:login"))
    page.get_by_label("利用者ID").fill("hanako")
    page.get_by_label("パスワード").fill(passwords["hanako"])
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    assert page.get_by_role("heading", level=1).inner_text() == "パスワードの変更"
    assert "初回ログイン" in page.content()
    page.goto(reverse("people:my_profile"))  # every page leads to the password first
    assert page.get_by_role("heading", level=1).inner_text() == "パスワードの変更"
    page.locator("#id_old_password").fill(passwords["hanako"])
    page.locator("#id_new_password1").fill("sakura-no-hana-2026")
    page.locator("#id_new_password2").fill("sakura-no-hana-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="変更する").click()
    assert "パスワードを変更しました" in page.content()
    page.goto(reverse("people:my_profile"))
    assert page.get_by_role("heading", level=1).inner_text() == "自分のプロフィール"


def test_hr_previews_the_switch(
    page: Any, login_as: Any, organization: Any, transactional_db: Any
) -> None:
    next_year = fiscal_year_of(timezone.localdate()) + 1
    old = UnitFactory(
        organization=organization, code="0105", name="広報課", valid_to_fy=next_year - 1
    )
    new = UnitFactory(
        organization=organization, code="0301", name="DX推進課", valid_from_fy=next_year
    )
    staff = StaffFactory(organization=organization, number="000004", name="広報 太郎", unit=old)
    april = dt.date(next_year, 4, 1)
    Assignment.objects.create(
        staff=staff,
        unit=old,
        position="主事",
        starts_on=dt.date(2024, 4, 1),
        ends_on=april - dt.timedelta(days=1),
    )
    Assignment.objects.create(staff=staff, unit=new, position="主事", starts_on=april)
    login_as(Role.HR, org=organization)
    page.goto(reverse("core:home"))
    with page.expect_navigation():
        page.get_by_role("link", name="異動・任用の記録を管理する").click()
    with page.expect_navigation():
        page.get_by_role("link", name="への切替を確認する").click()
    assert "への切替" in page.get_by_role("heading", level=1).inner_text()
    assert "DX推進課" in page.locator("#switch-units").inner_text()
    assert "広報課" in page.locator("#switch-units").inner_text()
    moves = page.locator("#switch-staff").inner_text()
    assert "広報 太郎" in moves
    assert "DX推進課" in moves
    # Before 4月1日 nothing can be run and nothing changed.
    assert page.get_by_role("button", name="この内容で切り替える").count() == 0
    staff.refresh_from_db()
    assert staff.unit == old
