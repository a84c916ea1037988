"""Demo data of orgs: デモ市 (fictitious, under 北海道), its unit tree and one user per role.

`hagukumi load_demo` calls `load()` (idempotent) before the other apps' demo
modules; `hagukumi demo_logins` prints `logins()`. The tree has exactly 6 部
and 60 課 (10 per 部) plus some 係, valid from FY2024 (DEMO_TREE_FROM_FY, where
the demo roster's history begins) on. It is written through the services as
the command line of デモ市 (`Actor.command_line`), so the audit log shows
「コマンドライン」. Nothing here is real: デモ市 has no 団体コード and is shown
as （デモ）.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hagukumi.core.models import Membership, Role, User
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import Organization, OrganizationKind, Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.orgs.services import unit_create

# Published on purpose: the demo logins are printed by `hagukumi demo_logins`.
DEMO_PASSWORD = "hagukumi-demo"
DEMO_ORGANIZATION_NAME = "デモ市"
HOKKAIDO_CODE = "010006"
# The first fiscal year of the demo tree: the demo roster (people.demo) starts then.
DEMO_TREE_FROM_FY = 2024

# 部 → 課 (code suffix, name, 機能 tags, [係 (name, 機能 tags)]).
DemoSection = tuple[str, list[str], list[tuple[str, list[str]]]]
DEMO_TREE: list[tuple[str, list[DemoSection]]] = [
    (
        "総務部",
        [
            ("秘書課", [], []),
            ("総務課", ["総務"], [("文書法制係", []), ("庶務係", [])]),
            ("人事課", ["人事"], [("人事係", ["人事"]), ("給与係", []), ("研修係", ["研修"])]),
            ("財政課", ["財政"], []),
            ("契約管財課", [], []),
            ("税務課", [], []),
            ("市民税課", [], []),
            ("資産税課", [], []),
            ("納税課", [], []),
            ("危機管理課", [], []),
        ],
    ),
    (
        "企画部",
        [
            ("企画政策課", ["企画"], []),
            (
                "デジタル推進課",
                ["情報政策", "DX推進"],
                [("DX推進係", ["DX推進"]), ("情報政策係", ["情報政策"])],
            ),
            ("情報システム課", ["情報政策"], [("システム管理係", ["情報政策"])]),
            ("広報広聴課", [], []),
            ("行政改革推進課", [], []),
            ("地域振興課", [], []),
            ("交通政策課", [], []),
            ("国際交流課", [], []),
            ("男女共同参画課", [], []),
            ("文化振興課", [], []),
        ],
    ),
    (
        "市民部",
        [
            ("市民課", ["窓口"], [("住民記録係", ["窓口"]), ("証明発行係", ["窓口"])]),
            ("保険年金課", ["窓口"], []),
            ("市民協働課", [], []),
            ("生活安全課", [], []),
            ("環境政策課", [], []),
            ("廃棄物対策課", [], []),
            ("消費生活課", [], []),
            ("人権推進課", [], []),
            ("スポーツ振興課", [], []),
            ("支所総務課", ["窓口"], []),
        ],
    ),
    (
        "保健福祉部",
        [
            ("福祉総務課", ["福祉"], []),
            ("障がい福祉課", ["福祉"], []),
            ("高齢福祉課", ["福祉"], []),
            ("介護保険課", ["福祉"], []),
            ("生活支援課", ["福祉"], []),
            ("子育て支援課", ["福祉"], [("子育て給付係", []), ("相談支援係", [])]),
            ("保育課", ["福祉"], []),
            ("こども家庭課", ["福祉"], []),
            ("健康推進課", [], []),
            ("地域医療課", [], []),
        ],
    ),
    (
        "建設部",
        [
            ("土木管理課", [], []),
            ("道路課", [], []),
            ("河川課", [], []),
            ("都市計画課", [], []),
            ("建築指導課", [], []),
            ("住宅課", [], []),
            ("公園緑地課", [], []),
            ("下水道課", [], []),
            ("水道課", [], []),
            ("用地課", [], []),
        ],
    ),
    (
        "教育委員会事務局",
        [
            ("教育総務課", ["教育"], []),
            ("学校教育課", ["教育"], []),
            ("教育指導課", ["教育", "研修"], []),
            ("学務課", ["教育"], []),
            ("学校施設課", ["教育"], []),
            ("学校給食課", ["教育"], []),
            ("生涯学習課", ["教育"], []),
            ("青少年教育課", ["教育"], []),
            ("文化財課", ["教育"], []),
            ("図書館管理課", ["教育"], []),
        ],
    ),
]

# The 課 the demo 所属長 heads.
HEAD_UNIT_NAME = "デジタル推進課"

# username, display name, role, description for the login list.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("dx", "デモ 推進太郎", Role.DX_OFFICE, "DX推進担当（デモ市）"),
    ("hr", "デモ 人事花子", Role.HR, "人事担当（デモ市）"),
    ("head", "デモ 課長一郎", Role.UNIT_HEAD, f"所属長（デモ市 {HEAD_UNIT_NAME}）"),
    ("staff", "デモ 職員次郎", Role.STAFF, "職員（デモ市）"),
    ("pref", "デモ 支援三郎", Role.PREFECTURE_SUPPORT, "都道府県支援担当（北海道）"),
    ("admin", "デモ 管理者", Role.SYSTEM_ADMIN, "システム管理者（デモ市）"),
]


def demo_organization() -> Organization | None:
    return Organization.objects.filter(is_demo=True, name=DEMO_ORGANIZATION_NAME).first()


def _ensure_organization() -> Organization:
    hokkaido = Organization.objects.get(code=HOKKAIDO_CODE)
    org, _ = Organization.objects.get_or_create(
        is_demo=True,
        name=DEMO_ORGANIZATION_NAME,
        defaults={
            "code": None,
            "name_kana": "デモシ",
            "kind": OrganizationKind.CITY,
            "prefecture": hokkaido,
        },
    )
    return org


def _ensure_units(org: Organization, fiscal_year: int) -> int:
    """Create the tree unless the 団体 already has units; returns how many were created."""
    if Unit.objects.filter(organization=org).exists():
        return 0
    actor = Actor.command_line(org)
    created = 0
    for i, (department, sections) in enumerate(DEMO_TREE, start=1):
        dept = unit_create(
            actor=actor,
            organization=org,
            fiscal_year=fiscal_year,
            code=f"{i:02d}",
            name=department,
            kind="部",  # 教育委員会事務局 is ranked as a 部 in the tree
        )
        created += 1
        for j, (section, tags, groups) in enumerate(sections, start=1):
            sec = unit_create(
                actor=actor,
                organization=org,
                fiscal_year=fiscal_year,
                code=f"{i:02d}{j:02d}",
                name=section,
                kind="課",
                functions=tags,
                parent=dept,
            )
            created += 1
            for k, (group, group_tags) in enumerate(groups, start=1):
                unit_create(
                    actor=actor,
                    organization=org,
                    fiscal_year=fiscal_year,
                    code=f"{i:02d}{j:02d}{k:02d}",
                    name=group,
                    kind="係",
                    functions=group_tags,
                    parent=sec,
                )
                created += 1
    return created


def _ensure_users(org: Organization, fiscal_year: int) -> int:
    hokkaido = Organization.objects.get(code=HOKKAIDO_CODE)
    tree = units_as_of(organization=org, fiscal_year=fiscal_year)
    head_unit = next(n.unit for n in tree if n.unit.name == HEAD_UNIT_NAME)
    created = 0
    for username, display_name, role, _ in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        Membership.objects.get_or_create(
            user=user,
            organization=hokkaido if role == Role.PREFECTURE_SUPPORT else org,
            role=role,
            unit=head_unit if role == Role.UNIT_HEAD else None,
        )
    return created


@transaction.atomic
def load() -> str:
    """Create デモ市, its tree from FY2024 on and the demo users (idempotent)."""
    fiscal_year = fiscal_year_of(timezone.localdate())
    org = _ensure_organization()
    units = _ensure_units(org, min(DEMO_TREE_FROM_FY, fiscal_year))
    users = _ensure_users(org, fiscal_year)
    if not units and not users:
        return f"{org.display_full_name}: 作成済みです（変更なし）。"
    return f"{org.display_full_name}: 所属 {units}件、利用者 {users}名を作成しました。"


def logins() -> list[tuple[str, str, str]]:
    """(username, password, description) of every demo login, for `hagukumi demo_logins`."""
    return [(username, DEMO_PASSWORD, description) for username, _, _, description in DEMO_USERS]
