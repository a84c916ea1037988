"""The five seed documents import with exactly the metadata of issue 6."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest

from hagukumi.cases import demo
from hagukumi.cases.models import Case, FactKind, Visibility

EXPECTED = {
    "000": {
        "org_name": "北海道",
        "code": "010006",
        "org_type": "都道府県",
        "fiscal_year": 2022,
        "case_no": "1627",
        "category_major": "行政改革",
        "category_minor": "組織改革",
        "case_type": "人材育成・確保",
        "title": "北海道職員のデジタル人材育成に関する計画",
        "source": "ポスト・コロナ期における地方公務員のあり方に関する研究会説明資料",
    },
    "001": {
        "org_name": "総務省",
        "code": None,
        "org_type": "国",
        "fiscal_year": None,
        "case_no": "",
        "category_major": "",
        "category_minor": "",
        "case_type": "",
        "title": "デジタル人材の育成ガイドブック",
        "source": "",
    },
    "002": {
        "org_name": "札幌市",
        "code": "011002",
        "org_type": "政令指定都市",
        "fiscal_year": 2025,
        "case_no": "",
        "category_major": "",
        "category_minor": "",
        "case_type": "",
        "title": "札幌市デジタル人材育成方針",
        "source": "",
    },
    "003": {
        "org_name": "北九州市",
        "code": "401005",
        "org_type": "政令指定都市",
        "fiscal_year": None,
        "case_no": "",
        "category_major": "",
        "category_minor": "",
        "case_type": "",
        "title": "DX推進計画に基づき、デジタル人材に係る様々な取組を推進【福岡県北九州市】",
        "source": "",
    },
    "004": {
        "org_name": "青森県",
        "code": "020001",
        "org_type": "都道府県",
        "fiscal_year": 2023,
        "case_no": "",
        "category_major": "",
        "category_minor": "",
        "case_type": "",
        "title": "青森県デジタル人材育成方針",
        "source": "",
    },
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_metadata(seeded: dict[str, Case], seed: str) -> None:
    case = seeded[seed]
    expected = EXPECTED[seed]
    assert case.organization is not None
    assert case.organization.code == expected["code"]
    assert case.organization.name == expected["org_name"]
    if seed == "001":
        assert case.organization.kind == "national"
    for name in (
        "org_name",
        "org_type",
        "fiscal_year",
        "case_no",
        "category_major",
        "category_minor",
        "case_type",
        "title",
        "source",
    ):
        assert getattr(case, name) == expected[name], name
    assert case.url == ""
    assert case.visibility == Visibility.PUBLIC
    assert case.owner is None
    assert len(case.content_hash) == 64
    assert case.body.strip()
    assert case.passages.exists()


def test_record_body_starts_after_the_header(seeded: dict[str, Case]) -> None:
    body = seeded["000"].body
    assert not body.startswith(("先進事例検索システム", "事例No."))
    assert "デジタル相談員" in body
    assert "事例区分" not in body


def test_passages_cover_the_body_in_order(seeded: dict[str, Case]) -> None:
    for case in seeded.values():
        passages = list(case.passages.all())
        assert [p.order for p in passages] == list(range(len(passages)))
        for passage in passages:
            assert case.body[passage.start : passage.end] == passage.text
        assert all(a.end <= b.start for a, b in itertools.pairwise(passages))
    assert seeded["001"].passages.count() >= 10  # the 51 KB guidebook is cut into passages


def test_mentioned_organizations(seeded: dict[str, Case]) -> None:
    guidebook = set(seeded["001"].mentioned_organizations.values_list("name", flat=True))
    assert {"金沢市", "滋賀県", "掛川市"} <= guidebook
    assert "総務省" not in guidebook  # 国 is the publisher, not a peer
    kitakyushu = set(seeded["003"].mentioned_organizations.values_list("code", flat=True))
    assert "401005" in kitakyushu


def test_demo_load_is_idempotent(db: None) -> None:
    first = demo.load()
    assert "登録 5件" in first
    hashes = dict(Case.objects.values_list("source_file", "content_hash"))
    second = demo.load()
    assert "変更なし 5件" in second
    assert "登録 0件" in second
    assert "更新 0件" in second
    assert dict(Case.objects.values_list("source_file", "content_hash")) == hashes
    assert Case.objects.count() == 5


# Facts the issue requires per seed: (kind, value, per_year or None for "either").
REQUIRED_FACTS = {
    "000": [(FactKind.ORGANIZATIONS, 59, None), (FactKind.PEOPLE, 7, None)],
    "002": [(FactKind.PEOPLE, 35, True), (FactKind.PEOPLE, 210, None), (FactKind.HOURS, 38, None)],
    "003": [(FactKind.PEOPLE, 2400, None)],
    "004": [(FactKind.PEOPLE, 200, True), (FactKind.PEOPLE, 1000, None)],
    "001": [(FactKind.PEOPLE, 2400, None), (FactKind.PEOPLE, 20, True)],
}
# Upper bounds: precision matters, a case page must not list every number.
MAX_FACTS = {"000": 8, "001": 30, "002": 20, "003": 4, "004": 8}


@pytest.mark.parametrize("seed", sorted(REQUIRED_FACTS))
def test_seed_facts(seeded: dict[str, Case], seed: str) -> None:
    facts = list(seeded[seed].facts.all())
    for kind, value, per_year in REQUIRED_FACTS[seed]:
        matching = [
            f
            for f in facts
            if f.kind == kind
            and f.value == Decimal(value)
            and (per_year is None or f.per_year == per_year)
        ]
        assert matching, f"{seed}: no {kind} {value} (per_year={per_year}) in {facts}"
        assert str(value) in matching[0].sentence.replace(",", "")
    assert len(facts) <= MAX_FACTS[seed]
    for fact in facts:
        assert fact.sentence.strip()
        assert str(int(fact.value)) in fact.sentence.replace(",", "") or re.search(
            "[一二三四五六七八九十百千万]", fact.sentence
        )
        if fact.kind == FactKind.PEOPLE:
            assert not 1900 <= fact.value <= 2100, fact  # a year is not a head count
            assert 2 <= fact.value <= 100_000, fact
        if fact.kind == FactKind.ORGANIZATIONS:
            assert fact.value <= 1800, fact
        if fact.fiscal_year is not None:
            assert 2000 <= fact.fiscal_year <= 2040


def test_seed_fact_details(seeded: dict[str, Case]) -> None:
    sapporo = seeded["002"].facts
    # 令和13年度までには計210名: the target year is kept with the figure.
    assert sapporo.filter(kind=FactKind.PEOPLE, value=210, fiscal_year=2031).exists()
    assert "38時間" in sapporo.get(kind=FactKind.HOURS, value=38).sentence
    hokkaido = {int(f.value): f for f in seeded["000"].facts.all()}
    assert "アドバイザー" in hokkaido[7].sentence or "確保" in hokkaido[7].sentence
    kitakyushu = seeded["003"].facts.get(kind=FactKind.PEOPLE, value=2400)
    assert "KPI" in kitakyushu.sentence
    assert not seeded["003"].facts.filter(value=929000).exists()  # 人口92.9万人 is no target
