"""Demo roster of デモ市: 2,000 fictitious staff, loaded through the import services.

Fixed seed and committed name lists (hagukumi/people/data/), so every load gives
the same roster. The counts are those of issue [職員] (tests assert them):

- 職員番号 000001–002000; 任用形態 正規 1,900, 会計年度任用 80, 任期付 12,
  派遣受入 5, 地域活性化起業人 2, CIO補佐官 1; 採用区分 デジタル採用 10, 経験者採用 40
- hired 1 April: 60 in FY2026, 55 in FY2024 (no other hire falls in those years)
- two roster imports: as of 2025-04-01 (without the FY2026 hires), then as of
  2026-04-01, which promotes 8 staff to 部長・課長 (新任) and adds the 60 hires
- ITパスポート 400, 情報セキュリティマネジメント 60, 基本情報 40, 応用情報 12, 支援士 2
- 60 dx-leader 認定 from FY2024, open-ended, one per 課 (the leader directory)
- exactly 5 係長 with キャリアモデル エキスパート and ITSS ≥ 3
- names include 𠮷田, 髙橋, 山﨑

デモ市 adopts (and publishes) the `mic` framework. Its unit tree (orgs.demo) starts
in the year it was loaded; the roster's history begins in FY2024, so this
loader moves the first version of each demo unit back to FY2024.
The demo users `staff` and `head` are linked to staff of デジタル推進課.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hagukumi.core.models import User
from hagukumi.core.tabular_export import write_table
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks.models import Framework, VersionStatus
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_templates_load,
    framework_version_publish,
)
from hagukumi.orgs.demo import HEAD_UNIT_NAME, demo_organization
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.people.code_lists import code_lists_ensure
from hagukumi.people.models import (
    CareerModel,
    DesignationMethod,
    DesignationStatus,
    SpecialDepartment,
    Staff,
    SubsidyRule,
)
from hagukumi.people.roster_import import (
    QUALIFICATION_COLUMNS,
    qualifications_import,
    staff_columns,
    staff_import,
)
from hagukumi.people.services import designation_create, staff_user_link, subsidy_rule_adopt

SEED = 20260401
TOTAL = 2000
FIRST_DAY = dt.date(2025, 4, 1)
SECOND_DAY = dt.date(2026, 4, 1)
HISTORY_FROM_FY = 2024
DATA_DIR = Path(__file__).resolve().parent / "data"
EMPLOYMENT_COUNTS = {
    "会計年度任用": 80,
    "任期付": 12,
    "派遣受入": 5,
    "地域活性化起業人": 2,
    "CIO補佐官": 1,
}
QUALIFICATION_COUNTS = {"it-passport": 400, "sg": 60, "fe": 40, "ap": 12, "sc": 2}
NEW_HEADS = 8  # 2 部長 + 6 課長 from 2026-04-01
EXPERT_KAKARICHO_ITSS3 = 5
GRADES = {
    "部長": 8,
    "次長": 7,
    "課長": 6,
    "課長補佐": 5,
    "係長": 4,
    "主査": 4,
    "主任": 3,
    "主事": 1,
}


def _names(file: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA_DIR / file).read_text(encoding="utf-8").splitlines():
        if line.strip():
            kanji, kana = line.split("\t")
            rows.append((kanji, kana))
    return rows


@dataclass
class _Person:
    number: str
    name: str
    kana: str
    birth: dt.date
    unit: Unit
    position: str
    employment: str = "正規"
    recruitment: str = "一般"
    job_type: str = "一般事務"
    hired: dt.date = dt.date(2000, 4, 1)
    term_ends: dt.date | None = None
    career_model: str = ""
    department: str = ""
    first_position: str = ""  # 職位 as of 2025-04-01 when promoted in 2026
    new_in_2026: bool = False

    def row(self, *, first: bool) -> dict[str, Any]:
        position = self.first_position if first and self.first_position else self.position
        return {
            "number": self.number,
            "name": self.name,
            "name_kana": self.kana,
            "birth_date": self.birth,
            "unit_code": self.unit.code,
            "position": position,
            "grade": GRADES[position],
            "job_type": self.job_type,
            "employment": self.employment,
            "recruitment": self.recruitment,
            "hired_on": self.hired,
            "term_ends_on": self.term_ends,
            "career_model": self.career_model,
            "special_department": self.department,
        }


def _backdate_tree(org: Organization) -> None:
    """Open the demo tree from FY2024 so that the roster history has units."""
    earliest: dict[str, Unit] = {}
    for unit in Unit.objects.filter(organization=org).order_by("valid_from_fy"):
        earliest.setdefault(unit.code, unit)
    ids = [u.pk for u in earliest.values() if u.valid_from_fy > HISTORY_FROM_FY]
    Unit.objects.filter(pk__in=ids).update(valid_from_fy=HISTORY_FROM_FY)


def _roster(org: Organization, rng: random.Random) -> list[_Person]:
    tree = units_as_of(organization=org, fiscal_year=fiscal_year_of(SECOND_DAY))
    departments = [n.unit for n in tree if n.depth == 0]
    sections = [n.unit for n in tree if n.depth == 1]
    groups = [n.unit for n in tree if n.depth == 2]
    surnames, given = _names("surnames.tsv"), _names("given_names.tsv")
    people: list[_Person] = []

    def person(unit: Unit, position: str) -> _Person:
        surname, s_kana = rng.choice(surnames)
        first, f_kana = rng.choice(given)
        number = f"{len(people) + 1:06d}"
        p = _Person(
            number=number,
            name=f"{surname} {first}",
            kana=f"{s_kana}\u3000{f_kana}",
            birth=dt.date(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28)),
            unit=unit,
            position=position,
        )
        people.append(p)
        return p

    for unit in departments:
        person(unit, "部長")
    for unit in sections:
        person(unit, "課長")
    workplaces = sections + groups
    plan = ["課長補佐"] * 120 + ["係長"] * 300 + ["主査"] * 200 + ["主任"] * 400
    plan += ["主事"] * (TOTAL - len(people) - len(plan))
    for position in plan:
        person(rng.choice(workplaces), position)
    # 𠮷田, 髙橋 and 山﨑 are in the lists; make sure each occurs.
    for p, (surname, kana) in zip(
        people[100:103],
        [("𠮷田", "ヨシダ"), ("髙橋", "タカハシ"), ("山﨑", "ヤマザキ")],
        strict=True,
    ):
        p.name = f"{surname} {p.name.split(' ')[1]}"
        p.kana = f"{kana}\u3000{p.kana.split(chr(0x3000))[1]}"
    heads = len(departments) + len(sections)
    rest = people[heads:]
    juniors = [p for p in rest if p.position == "主事"]
    rng.shuffle(juniors)
    # Hires: 60 in FY2026, 55 in FY2024 (主事); everyone else outside those years.
    years = [y for y in range(1985, 2026) if y != 2024]
    for p in people:
        p.hired = dt.date(rng.choice(years), 4, 1)
    for p in juniors[:60]:
        p.hired = SECOND_DAY
        p.new_in_2026 = True
    for p in juniors[60:115]:
        p.hired = dt.date(2024, 4, 1)
    # Non-regular staff among the other 主事 (not hired in FY2024/2026).
    others = juniors[115:]
    cursor = 0
    for employment, count in EMPLOYMENT_COUNTS.items():
        for p in others[cursor : cursor + count]:
            p.employment = employment
            if employment == "任期付":
                p.term_ends = dt.date(2028, 3, 31)
            if employment == "CIO補佐官":
                p.position = "主査"
        cursor += count
    regular_rest = [p for p in rest if p.employment == "正規" and not p.new_in_2026]
    rng.shuffle(regular_rest)
    for p in regular_rest[:10]:
        p.recruitment = "デジタル採用"
        p.job_type = "一般事務(デジタルコース)"
    for p in regular_rest[10:50]:
        p.recruitment = "経験者採用"
    for p in people:
        if p.employment != "正規":
            continue
        roll = rng.random()
        if roll < 0.55:
            p.career_model = CareerModel.GENERALIST
        elif roll < 0.85:
            p.career_model = CareerModel.EXPERT
        else:
            p.career_model = CareerModel.DEPARTMENT_EXPERT
            p.department = rng.choice(SpecialDepartment.values)
    # 新任 部長・課長 from 2026-04-01: as of 2025 they were 次長 / 課長補佐.
    for p in people[: len(departments)][:2]:
        p.first_position = "次長"
    for p in rng.sample(people[len(departments) : heads], NEW_HEADS - 2):
        p.first_position = "課長補佐"
    return people


def _qualification_rows(people: list[_Person], rng: random.Random) -> list[dict[str, Any]]:
    regular = [p for p in people if p.employment == "正規" and not p.new_in_2026]
    experts = [p for p in regular if p.position == "係長" and p.career_model == CareerModel.EXPERT]
    not_expert_kakaricho = [
        p for p in regular if not (p.position == "係長" and p.career_model == CareerModel.EXPERT)
    ]
    holders: dict[str, list[_Person]] = {}
    chosen_experts = rng.sample(experts, EXPERT_KAKARICHO_ITSS3)
    high_others = rng.sample(not_expert_kakaricho, 12 - EXPERT_KAKARICHO_ITSS3 + 2)
    holders["ap"] = chosen_experts + high_others[:7]
    holders["sc"] = high_others[7:]
    holders["fe"] = rng.sample(regular, QUALIFICATION_COUNTS["fe"])
    holders["sg"] = rng.sample(regular, QUALIFICATION_COUNTS["sg"])
    holders["it-passport"] = rng.sample(regular, QUALIFICATION_COUNTS["it-passport"])
    rows = []
    for code, persons in holders.items():
        for p in persons:
            obtained = dt.date(rng.randint(2016, 2025), rng.choice((5, 6, 10, 11)), 1)
            row: dict[str, Any] = {
                "number": p.number,
                "qualification": code,
                "obtained_on": obtained,
            }
            if code == "it-passport":
                row["exam_fee"] = 7500
                row["course_fee"] = rng.choice((None, 10000))
            rows.append(row)
    return rows


def _framework(org: Organization) -> None:
    dx_user = User.objects.filter(username="dx").first()
    if dx_user is None:
        return
    actor = actor_for(dx_user, org.pk)
    framework = Framework.objects.filter(owner=org, code="mic", is_template=False).first()
    if framework is None:
        if not Framework.objects.filter(is_template=True, code="mic").exists():
            framework_templates_load(actor=Actor.command_line(org))
        framework = framework_adopt(actor=actor, template_code="mic", organization=org)
    if not framework.versions.filter(status=VersionStatus.PUBLISHED).exists():
        draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            framework_version_publish(actor=actor, framework_version=draft)


def load() -> str:
    """Load the demo roster into デモ市 once (idempotent: skipped when staff exist)."""
    org = demo_organization()
    if org is None:
        return "デモ市がありません（orgs のデモを先に読み込んでください）。"
    if Staff.objects.filter(organization=org).exists():
        return f"{org.display_full_name}: 職員は作成済みです（変更なし）。"
    rng = random.Random(SEED)  # noqa: S311 - fixed seed: the same demo every time
    _backdate_tree(org)
    code_lists_ensure(organization=org)
    _framework(org)
    people = _roster(org, rng)
    operator = Actor.command_line(org)
    columns = staff_columns(organization=org)
    first = write_table(
        [p.row(first=True) for p in people if not p.new_in_2026], columns=columns, format="csv"
    )
    staff_import(
        actor=operator,
        organization=org,
        source=first,
        filename="demo.csv",
        effective_date=FIRST_DAY,
    )
    second = write_table([p.row(first=False) for p in people], columns=columns, format="csv")
    staff_import(
        actor=operator,
        organization=org,
        source=second,
        filename="demo.csv",
        effective_date=SECOND_DAY,
    )
    Staff.objects.filter(organization=org).update(is_demo=True)
    quals = write_table(
        _qualification_rows(people, rng), columns=QUALIFICATION_COLUMNS, format="csv"
    )
    qualifications_import(actor=operator, organization=org, source=quals, filename="demo.csv")
    _leaders(org, people, rng)
    _link_users(org, people)
    if not SubsidyRule.objects.filter(organization=org).exists():
        subsidy_rule_adopt(actor=operator, organization=org, template_code="ibara")
    return f"{org.display_full_name}: 職員 {len(people)}名を作成しました。"


def _leaders(org: Organization, people: list[_Person], rng: random.Random) -> None:
    """One dx-leader 認定 per 課 from FY2024 (open-ended)."""
    framework = Framework.objects.filter(owner=org, code="mic", is_template=False).first()
    if framework is None:
        return
    operator = Actor.command_line(org)
    staff = {
        s.number: s for s in Staff.objects.filter(organization=org).select_related("organization")
    }
    roles = ["行政DX支援", "地域DX支援・人材育成"]
    by_unit: dict[int, list[_Person]] = {}
    for p in people:
        if (
            p.unit.kind == "課"
            and p.position in ("係長", "主査", "主任")
            and p.employment == "正規"
        ):
            by_unit.setdefault(p.unit.pk, []).append(p)
    for unit_id in sorted(by_unit):
        chosen = rng.choice(by_unit[unit_id])
        designation_create(
            actor=operator,
            staff=staff[chosen.number],
            framework=framework,
            talent_type_code="dx-leader",
            method=rng.choice([DesignationMethod.RECOMMENDED, DesignationMethod.APPOINTED]),
            from_fy=2024,
            role=rng.choice(roles),
            status=DesignationStatus.CERTIFIED,
            effective_on=dt.date(2024, 4, 1),
            note="デモデータ",
        )


def _link_users(org: Organization, people: list[_Person]) -> None:
    """`head` is the 課長 of デジタル推進課; `staff` one of its members."""
    unit = (
        Unit.objects.filter(organization=org, name=HEAD_UNIT_NAME)
        .order_by("-valid_from_fy")
        .first()
    )
    if unit is None:
        return
    members = Staff.objects.filter(organization=org, unit__code=unit.code).order_by("number")
    head = members.filter(position="課長").first()
    member = members.exclude(position="課長").filter(employment="正規").first()
    for username, record in (("head", head), ("staff", member)):
        user = User.objects.filter(username=username).first()
        if user is not None and record is not None and not Staff.objects.filter(user=user).exists():
            staff_user_link(actor=Actor.command_line(org), staff=record, user=user)
