"""The page shell: base layout, partials (field, messages, pagination), navigation, home."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from hagukumi.core import registries
from hagukumi.core.apps import check_nav_urls
from hagukumi.core.models import Role
from hagukumi.core.registries import NavItem
from hagukumi.core.selectors import HOME_NAV_KEY, ROLE_TASKS, home_for
from hagukumi.core.templatetags.shell import nav_link
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests.factories import MembershipFactory
from hagukumi.orgs.tests.factories import OrganizationFactory


class SampleForm(forms.Form):
    name = forms.CharField(label="氏名", help_text="戸籍上の氏名を入力してください。")
    note = forms.CharField(label="備考", required=False)
    agree = forms.BooleanField(label="同意する")
    kind = forms.ChoiceField(
        label="区分", choices=[("a", "正規"), ("b", "会計年度")], widget=forms.RadioSelect
    )


def render_field(form: forms.Form, name: str) -> str:
    return render_to_string("includes/field.html", {"field": form[name]})


# Form fields ------------------------------------------------------------------


def test_field_with_error_is_described_by_support_and_error_text() -> None:
    form = SampleForm(data={})
    assert not form.is_valid()

    html = render_field(form, "name")

    assert '<label class="field__label" for="id_name">' in html
    assert "※必須" in html
    assert 'id="id_name_support"' in html
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_support id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'class="input"' in html
    assert "このフィールドは必須です。" in html


def test_valid_optional_field_has_no_error_wiring() -> None:
    form = SampleForm(data={"name": "山田", "agree": "on", "kind": "a"})
    assert form.is_valid()

    html = render_field(form, "note")

    assert "※必須" not in html
    assert "aria-invalid" not in html
    assert "aria-describedby" not in html
    assert "field__error" not in html


def test_radio_group_is_a_fieldset_with_legend() -> None:
    form = SampleForm(data={})
    form.is_valid()

    html = render_field(form, "kind")

    assert html.count("<fieldset") == 1
    assert '<legend class="field__label">' in html
    assert 'aria-describedby="id_kind_error"' in html
    assert '<label for="id_kind_0">正規</label>' in html


def test_checkbox_has_its_label_after_it() -> None:
    html = render_field(SampleForm(), "agree")

    assert html.index('type="checkbox"') < html.index('<label for="id_agree">')


def test_form_errors_summary_links_to_fields() -> None:
    form = SampleForm(data={})
    form.is_valid()
    form.add_error(None, "ログインできませんでした。")

    html = render_to_string("includes/form_errors.html", {"form": form})

    assert 'role="alert"' in html
    assert "ログインできませんでした。" in html
    assert '<a href="#id_name">氏名：このフィールドは必須です。</a>' in html


# Notifications and pagination ---------------------------------------------------


@pytest.mark.parametrize(
    ("level", "kind", "role", "label"),
    [
        (constants.SUCCESS, "success", "status", "完了"),
        (constants.INFO, "info", "status", "お知らせ"),
        (constants.DEBUG, "info", "status", "お知らせ"),
        (constants.WARNING, "warning", "status", "注意"),
        (constants.ERROR, "error", "alert", "エラー"),
    ],
)
def test_messages_become_notices(level: int, kind: str, role: str, label: str) -> None:
    html = render_to_string(
        "includes/messages.html", {"messages": [Message(level, "保存しました。")]}
    )

    assert f'data-type="{kind}"' in html
    assert f'role="{role}"' in html
    assert f"{label}：</span>保存しました。" in html


def test_pagination_keeps_the_query_and_marks_the_current_page() -> None:
    request = RequestFactory().get("/cases/", {"q": "人材", "page": "5"})
    page_obj = Paginator(range(200), 10).page(5)

    html = render_to_string("includes/pagination.html", {"page_obj": page_obj, "request": request})

    assert re.search(r'href="\?q=%E4%BA%BA%E6%9D%90&amp;page=4"\s+rel="prev"', html)
    assert re.search(r'href="\?q=%E4%BA%BA%E6%9D%90&amp;page=6"\s+rel="next"', html)
    assert 'aria-current="page">5<' in html
    assert "…" in html
    assert "全200件中 41〜50件を表示" in html


def test_pagination_is_absent_for_one_page() -> None:
    page_obj = Paginator(range(5), 10).page(1)

    assert render_to_string("includes/pagination.html", {"page_obj": page_obj}).strip() == ""


def test_breadcrumbs_mark_the_last_entry_current() -> None:
    html = render_to_string(
        "includes/breadcrumbs.html", {"crumbs": [("ホーム", "/"), ("監査ログ", "")]}
    )

    assert '<a href="/">ホーム</a>' in html
    assert '<li class="breadcrumbs__item" aria-current="page">監査ログ</li>' in html


# Navigation ---------------------------------------------------------------------


def test_nav_link_is_current_on_its_page_only() -> None:
    request = RequestFactory().get("/")
    request.resolver_match = type("Match", (), {"view_name": "core:home"})()  # type: ignore[attr-defined]
    home = NavItem(key="core-home", label="ホーム", url_name="core:home")
    audit = NavItem(key="core-audit", label="監査ログ", url_name="core:audit")

    assert nav_link(home, request).current == "page"
    assert nav_link(audit, request).current == ""
    below = RequestFactory().get(reverse("core:audit") + "export.csv")
    below.resolver_match = None
    assert nav_link(audit, below).current == "true"
    assert nav_link(home, below).current == ""


def test_every_registered_nav_entry_has_a_url() -> None:
    assert check_nav_urls() == []


def test_nav_entry_with_unknown_url_is_a_check_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        registries._nav, "broken", NavItem(key="broken", label="壊れ", url_name="x:y")
    )

    assert [e.id for e in check_nav_urls()] == ["hagukumi.E001"]


def test_core_registers_home_for_everyone_and_audit_for_administrators(db: None) -> None:
    org = OrganizationFactory()
    staff = MembershipFactory(organization=org, role=Role.STAFF).user
    admin = MembershipFactory(organization=org, role=Role.SYSTEM_ADMIN).user

    staff_keys = [i.key for i in registries.nav_items_for(actor_for(staff))]
    admin_keys = [i.key for i in registries.nav_items_for(actor_for(admin))]

    assert staff_keys[0] == admin_keys[0] == HOME_NAV_KEY
    assert "core-audit" not in staff_keys
    assert "core-audit" in admin_keys


# Home page ------------------------------------------------------------------------


def test_home_for_lists_destinations_and_tasks_of_each_role(db: None) -> None:
    org = OrganizationFactory(name="テスト町")
    user = MembershipFactory(organization=org, role=Role.SYSTEM_ADMIN).user
    MembershipFactory(user=user, organization=org, role=Role.STAFF)

    home = home_for(actor=actor_for(user), today=date(2027, 3, 31))

    assert home.organization == org
    assert home.fiscal_year == 2026
    assert home.role_labels == ["職員", "システム管理者"]
    assert HOME_NAV_KEY not in [d.key for d in home.destinations]
    assert "core-audit" in [d.key for d in home.destinations]
    assert [g.role_label for g in home.role_tasks] == ["職員", "システム管理者"]
    admin_tasks = {t.label: t.url for t in home.role_tasks[1].tasks}
    assert admin_tasks["監査ログを確認する"] == reverse("core:audit")
    # Built by accounts (issue 13): the task is a link.
    assert admin_tasks["利用者と役割を管理する"] == reverse("accounts:users")


def test_task_becomes_a_link_once_its_nav_entry_exists(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = MembershipFactory(role=Role.STAFF).user
    monkeypatch.setitem(
        registries._nav,
        "cases-search",
        NavItem(key="cases-search", label="事例検索", url_name="core:home"),
    )

    home = home_for(actor=actor_for(user))

    tasks = {t.label: t.url for t in home.role_tasks[0].tasks}
    assert tasks["先進事例を探す"] == reverse("core:home")


def test_every_role_has_tasks() -> None:
    assert set(ROLE_TASKS) == set(Role.values)


def test_home_page_shows_organization_year_roles_and_menu(client, db: None) -> None:  # type: ignore[no-untyped-def]
    org = OrganizationFactory(name="デモ市", is_demo=True, code=None)
    user = MembershipFactory(
        organization=org, role=Role.SYSTEM_ADMIN, user__display_name="山田 花子"
    ).user
    client.force_login(user)

    html = client.get(reverse("core:home")).content.decode()

    assert "ようこそ、山田 花子 さん" in html
    # The 団体's one display name carries （デモ） (Organization.display_name).
    assert "デモ市（デモ）" in html
    assert "年度 (" in html
    assert "システム管理者" in html
    assert f'href="{reverse("core:audit")}"' in html
    # Both tasks of the システム管理者 are built (監査ログ, 利用者と役割 of issue 13).
    assert f'href="{reverse("accounts:users")}"' in html


def test_base_layout_loads_only_local_assets(client, db: None) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("core:login")).content.decode()

    assert '<html lang="ja">' in html
    assert '<a class="skip-link" href="#main">本文へ移動</a>' in html
    assert '<main id="main"' in html
    for asset in (
        "vendor/design-tokens/tokens",
        "vendor/noto-sans-jp/noto-sans-jp",
        "hagukumi/css/app",
        "vendor/htmx/htmx.min",
    ):
        assert asset in html
    assert "http://" not in html
    assert "https://" not in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    # htmx must not inject inline styles or evaluate code: the CSP forbids both.
    assert '"includeIndicatorStyles": false' in html
    assert 'nav aria-label="メインメニュー"' not in html


def test_header_offers_organization_switch_to_users_of_several(client, db: None) -> None:  # type: ignore[no-untyped-def]
    first, second = OrganizationFactory(), OrganizationFactory()
    user = MembershipFactory(organization=first, role=Role.STAFF).user
    MembershipFactory(user=user, organization=second, role=Role.HR)
    client.force_login(user)
    switch = reverse("core:organization_switch")

    html = client.get(switch).content.decode()

    assert f'<a href="{switch}">団体を切り替える</a>' in html
    assert f'action="{reverse("core:logout")}"' in html
