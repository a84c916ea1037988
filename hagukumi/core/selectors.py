"""Reads of core that views and the API share: the home page and the current user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from hagukumi.core.models import Role
from hagukumi.core.registries import NavItem, nav_items_for
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of

# Navigation key of the home page itself: never shown as a card on the home page.
HOME_NAV_KEY = "core-home"


@dataclass(frozen=True)
class Task:
    """Something a role does in Hagukumi. It links to the nav entry `nav_key` once an
    app registers that entry; until then it is listed as 準備中 without a link."""

    label: str
    nav_key: str = ""


# What each role can do here (DESIGN.md "Who uses it"). Navigation keys are
# "<app>-<page>"; an app that builds the feature registers its nav entry under the
# key named here, and the task becomes a link for the roles that can see it.
ROLE_TASKS: dict[str, tuple[Task, ...]] = {
    Role.DX_OFFICE: (
        Task("人材類型・スキルの枠組みを整える", "frameworks-list"),
        Task("研修・育成プログラムを運営する", "training-courses"),
        Task("基本方針・育成計画と目標を管理する", "plans-list"),
        Task("先進事例を探す", "cases-search"),
        Task("DX推進リーダー等を指定・管理する", "people-designations"),
    ),
    Role.HR: (
        Task("職員名簿を取り込む", "people-import"),
        Task("所属（組織図）を管理する", "orgs-units"),
        Task("職員の情報を検索・出力する", "people-search"),
        Task("異動・任用の記録を管理する", "people-assignments"),
    ),
    Role.UNIT_HEAD: (
        Task("所属職員の育成状況を確認する", "people-search"),
        Task("DX推進リーダーを推薦する", "training-recommend"),
        Task("上司評価を確認する", "assessments-confirm"),
    ),
    Role.STAFF: (
        Task("自分のプロフィールを確認する", "people-my-profile"),
        Task("自己評価を入力する", "assessments-self"),
        Task("研修に申し込む", "training-apply"),
        Task("先進事例を探す", "cases-search"),
    ),
    Role.PREFECTURE_SUPPORT: (
        Task("市町村の集計を見る", "support-municipalities"),
        Task("人材バンク・アドバイザーを管理する", "support-experts"),
        Task("相談記録をつける", "support-consultations"),
    ),
    Role.SYSTEM_ADMIN: (
        Task("監査ログを確認する", "core-audit"),
        Task("利用者と役割を管理する", "accounts-users"),
    ),
}


@dataclass(frozen=True)
class TaskEntry:
    label: str
    # URL of the feature, or "" while it is not built yet.
    url: str


@dataclass(frozen=True)
class RoleTasks:
    role_label: str
    tasks: list[TaskEntry]


@dataclass(frozen=True)
class HomePage:
    display_name: str
    organization: object | None
    fiscal_year: int
    role_labels: list[str]
    # Navigation entries the actor can use, except the home page itself.
    destinations: list[NavItem]
    role_tasks: list[RoleTasks]


def home_for(*, actor: Actor, today: date | None = None) -> HomePage:
    """What the home page shows `actor`: who and where they are, and where they can go."""
    today = today or timezone.localdate()
    visible = nav_items_for(actor)
    urls = {item.key: reverse(item.url_name) for item in visible}
    role_tasks = [
        RoleTasks(
            role_label=label,
            tasks=[TaskEntry(label=t.label, url=urls.get(t.nav_key, "")) for t in ROLE_TASKS[role]],
        )
        for role, label in Role.choices
        if role in actor.roles
    ]
    return HomePage(
        display_name=str(actor.user),
        organization=actor.organization,
        fiscal_year=fiscal_year_of(today),
        role_labels=actor.role_labels,
        destinations=[item for item in visible if item.key != HOME_NAV_KEY],
        role_tasks=role_tasks,
    )


@dataclass(frozen=True)
class RoleSummary:
    value: str
    label: str


@dataclass(frozen=True)
class OrganizationSummary:
    id: int
    code: str | None
    name: str
    full_name: str
    is_demo: bool


@dataclass(frozen=True)
class CurrentUser:
    username: str
    display_name: str
    organization: OrganizationSummary | None
    roles: list[RoleSummary]


def current_user_for(*, actor: Actor) -> CurrentUser:
    """The calling user, their active 団体 and their roles in it (for `GET /api/v1/me`)."""
    org = actor.organization
    return CurrentUser(
        username=actor.audit_username,
        display_name=str(actor.user) if actor.user is not None else actor.display_name,
        organization=(
            OrganizationSummary(
                id=org.pk,
                code=org.code,
                name=org.name,
                full_name=org.full_name,
                is_demo=org.is_demo,
            )
            if org is not None
            else None
        ),
        roles=[RoleSummary(value=v, label=label) for v, label in Role.choices if v in actor.roles],
    )
