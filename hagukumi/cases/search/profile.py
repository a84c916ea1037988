"""What the library knows about a case beyond its words: topic, kind of 団体, region.

Computed once per case by the indexer (``case_profile``, pure) and stored in
``CaseSearchProfile``; read by the search for its candidate cases (one query) to
apply the topical prior and the 団体の属性 / region boosts (``ranking.py``).

- ``topic`` (0..1): how much the case is about the library's theme, the 確保 and
  育成 of *digital* talent. Measured on the case's own index terms: the share of
  digital words (デジタル, DX, ICT, 情報, システム, データ …) and the share of
  talent words (人材, 育成, 研修, 採用, 資格, スキル …); both must be present, so a
  保育士資格 page (talent words, no digital ones) and an RPA page (digital words, no
  talent ones) score low. The record field 事例種類 「人材育成・確保」 adds a little
  when the text has digital words at all (such records also cover 保育士 or 介護).
- ``org_kind``: the 団体's kind (``KINDS``), from the resolved 団体 when there is one,
  else from 団体の属性 as written.
- ``prefecture`` (JIS code, 01–47) and ``region`` (``REGION_OF``): from the 団体's code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from hagukumi.cases.search.terms import encode_term

# Kinds of 団体 (the family names the query intent uses).
NATIONAL, PREFECTURE, DESIGNATED, CITY, WARD, TOWN, VILLAGE, MUNICIPALITY = (
    "nat",
    "pref",
    "desig",
    "city",
    "ward",
    "town",
    "village",
    "muni",
)
KINDS = (NATIONAL, PREFECTURE, DESIGNATED, CITY, WARD, TOWN, VILLAGE, MUNICIPALITY)
_ORGANIZATION_KINDS = {  # orgs.OrganizationKind values
    "national": NATIONAL,
    "prefecture": PREFECTURE,
    "designated_city": DESIGNATED,
    "core_city": CITY,
    "city": CITY,
    "special_ward": WARD,
    "town": TOWN,
    "village": VILLAGE,
}
_WRITTEN_KINDS = {  # 団体の属性 as records write it
    "国": NATIONAL,
    "都道府県": PREFECTURE,
    "政令指定都市": DESIGNATED,
    "政令市": DESIGNATED,
    "指定都市": DESIGNATED,
    "中核市": CITY,
    "市": CITY,
    "特別区": WARD,
    "区": WARD,
    "町": TOWN,
    "村": VILLAGE,
    "市区町村": MUNICIPALITY,
    "市町村": MUNICIPALITY,
}

# The eight regions of the usual 地方区分, by prefecture code.
REGIONS: dict[str, tuple[str, ...]] = {
    "北海道": ("01",),
    "東北": ("02", "03", "04", "05", "06", "07"),
    "関東": ("08", "09", "10", "11", "12", "13", "14"),
    "中部": ("15", "16", "17", "18", "19", "20", "21", "22", "23"),
    "近畿": ("24", "25", "26", "27", "28", "29", "30"),
    "中国": ("31", "32", "33", "34", "35"),
    "四国": ("36", "37", "38", "39"),
    "九州": ("40", "41", "42", "43", "44", "45", "46", "47"),
}
REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes}

TOPIC_DIGITAL = frozenset(
    encode_term(word)
    for word in (
        "デジタル",
        "dx",
        "ict",
        "it",
        "ai",
        "生成ai",
        "情報セキュリティ",
        "情報システム",
        "情報処理",
        "データ",
        "クラウド",
        "ノーコード",
        "ローコード",
        "rpa",
        "セキュリティー",
        "プログラミング",
        "情シス",
        "cio",
        "cdo",
        "ebpm",
    )
)
TOPIC_TALENT = frozenset(
    encode_term(word)
    for word in (
        "人材",
        "育成",
        "研修",
        "採用",
        "資格",
        "スキル",
        "リスキリング",
        "学び直し",
        "養成",
        "任用",
        "キャリア",
        "講座",
        "研鑽",
        "リーダー",
        "受講",
    )
)
TOPIC_SHARE = 0.03  # geometric mean of the two shares at which a case counts as fully on topic
TOPIC_CASE_TYPE = 0.15  # added for 事例種類 人材育成・確保 when there are digital words
TALENT_CASE_TYPES = ("人材育成", "人材確保")


@dataclass(frozen=True, slots=True)
class CaseProfile:
    case_id: int
    topic: float = 0.0
    org_kind: str = ""
    prefecture: str = ""
    region: str = ""


def topic_of(unit_terms: Iterable[str], case_type: str = "") -> float:
    """The topical degree of a case from its units' stored terms (``terms.join_terms``)."""
    total = digital = talent = 0
    for text in unit_terms:
        for term in text.split():
            total += 1
            if term in TOPIC_DIGITAL:
                digital += 1
            elif term in TOPIC_TALENT:
                talent += 1
    if not total or not digital:
        return 0.0
    share = math.sqrt((digital / total) * (talent / total))
    topic = min(1.0, share / TOPIC_SHARE)
    if any(kind in case_type for kind in TALENT_CASE_TYPES):
        topic = min(1.0, topic + TOPIC_CASE_TYPE)
    return round(topic, 4)


def kind_of(org_type: str, organization_kind: str = "") -> str:
    """The 団体's kind: the resolved 団体's, else 団体の属性 as written (or "")."""
    if organization_kind in _ORGANIZATION_KINDS:
        return _ORGANIZATION_KINDS[organization_kind]
    return _WRITTEN_KINDS.get(org_type.strip(), "")


def case_profile(
    *,
    case_id: int,
    unit_terms: Iterable[str],
    case_type: str = "",
    org_type: str = "",
    organization_kind: str = "",
    organization_code: str | None = None,
) -> CaseProfile:
    """The profile of one case (pure: the caller reads the case and its 団体)."""
    prefecture = (organization_code or "")[:2]
    if prefecture not in REGION_OF:
        prefecture = ""
    return CaseProfile(
        case_id=case_id,
        topic=topic_of(unit_terms, case_type),
        org_kind=kind_of(org_type, organization_kind),
        prefecture=prefecture,
        region=REGION_OF.get(prefecture, ""),
    )


def stored_profiles(case_ids: Iterable[int]) -> dict[int, CaseProfile]:
    """The stored profiles of some cases (one query per 900 ids); a case without one is
    left out (ranking treats it as neutral)."""
    from django.db import connection

    from hagukumi.cases.search.models import CaseSearchProfile

    ids = sorted(set(case_ids))
    table = CaseSearchProfile._meta.db_table
    found: dict[int, CaseProfile] = {}
    with connection.cursor() as cursor:
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            cursor.execute(
                f"SELECT case_id, topic, org_kind, prefecture, region FROM {table} "  # noqa: S608
                f"WHERE case_id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for case_id, topic, org_kind, prefecture, region in cursor.fetchall():
                found[case_id] = CaseProfile(case_id, float(topic), org_kind, prefecture, region)
    return found
