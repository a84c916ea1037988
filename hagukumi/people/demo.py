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
- ages fit: hired at 18 or older, no 正規 past 定年 (62), each 職位 at a plausible age
  (部長 ≥ 52, 課長 ≥ 45, 係長 ≥ 33 … on 2026-04-01), no qualification before 18

Birth and hire dates come from their own random stream (`_plausible_dates`), after
every other draw, so the 職員番号, names, units and 職位 are those of the first demo
and the demos that pick staff by rule pick the same people.

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
AGE_SEED = SEED + 1  # the stream of birth and hire dates only
# Age on SECOND_DAY (2026-04-01) per 職位 (as of that day), as (youngest, oldest).
AGE_RANGES = {
    "部長": (52, 60),
    "課長": (45, 59),
    "課長補佐": (40, 58),
    "係長": (33, 57),
    "主査": (31, 57),
    "主任": (26, 50),
    "主事": (19, 38),
}
OLDEST_REGULAR = 61  # 定年 is 62 in FY2025–FY2026: nobody 正規 is 62 on 2026-04-01
OLDEST_OTHER = 64  # 会計年度任用, 任期付, 派遣受入 …
YOUNGEST_HOLDER = 18  # no qualification obtained before this age
# Age at 採用 per 採用区分 (正規), and for the other 任用形態.
HIRE_AGES = {
    "一般": (18, 18, 20, 22, 22, 22, 22, 23, 23, 24, 25, 26, 27, 28, 29),
    "経験者採用": tuple(range(28, 46)),
    "デジタル採用": tuple(range(22, 36)),
}
OTHER_HIRE_AGES = tuple(range(22, 59))
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
    # The years drawn here are replaced by `_plausible_dates`; the draws stay so that
    # every later draw (employment, recruitment, career model …) is unchanged.
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


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _plausible_dates(people: list[_Person], qualification_rows: list[dict[str, Any]]) -> None:
    """Birth and hire dates that fit each person's 職位, 採用区分 and qualifications.

    An age on 2026-04-01 in the 職位's range (old enough for the first qualification),
    an age at 採用 by 採用区分, and the hire year that follows (never FY2024 or FY2026:
    those are the fixed 主事 hires, whose age at 採用 is drawn alone). The month and
    day of birth are those first drawn.
    """
    rng = random.Random(AGE_SEED)  # noqa: S311 - fixed seed: the same demo every time
    first_obtained: dict[str, dt.date] = {}
    for row in qualification_rows:
        day = row["obtained_on"]
        first_obtained[row["number"]] = min(day, first_obtained.get(row["number"], day))
    fixed_hires = {SECOND_DAY, dt.date(2024, 4, 1)}
    for p in people:
        regular = p.employment == "正規"
        hire_ages = HIRE_AGES.get(p.recruitment, HIRE_AGES["一般"]) if regular else OTHER_HIRE_AGES
        hire_age = rng.choice(hire_ages)
        # Old enough for the first qualification (one more year: birthdays fall in any month).
        holder = 0
        if p.number in first_obtained:
            holder = YOUNGEST_HOLDER + 1 + SECOND_DAY.year - first_obtained[p.number].year
        if p.hired in fixed_hires:
            age = max(hire_age + SECOND_DAY.year - p.hired.year, holder)
        else:
            youngest, oldest = AGE_RANGES[p.position]
            oldest = min(oldest, OLDEST_REGULAR) if regular else OLDEST_OTHER
            youngest = max(youngest, holder)
            oldest = max(youngest, oldest)
            if hire_age >= oldest:  # e.g. 経験者採用 as a young 主事: hired later in life
                hire_age = rng.randint(18, oldest - 1)
            age = rng.randint(max(youngest, hire_age + 1), oldest)
            service = age - hire_age  # whole years from 採用 (1 April) to 2026-04-01
            if service == 2:  # FY2024 is for the fixed hires only
                service = rng.choice((1, 3)) if age - 3 >= 18 else 1
            p.hired = dt.date(SECOND_DAY.year - service, 4, 1)
        month, day = p.birth.month, p.birth.day
        year = SECOND_DAY.year - age - (1 if (month, day) > (4, 1) else 0)
        p.birth = dt.date(year, month, day)


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
    # Drawn before the imports (which draw nothing): the ages must fit the holders.
    qualification_rows = _qualification_rows(people, rng)
    _plausible_dates(people, qualification_rows)
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
    quals = write_table(qualification_rows, columns=QUALIFICATION_COLUMNS, format="csv")
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
