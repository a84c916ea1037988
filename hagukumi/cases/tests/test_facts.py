"""CaseFact extraction: what counts as a stated figure, and what does not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hagukumi.cases.facts import extract_facts, parse_number, sentences
from hagukumi.cases.models import FactKind


def _facts(text: str) -> list[tuple[str, Decimal, bool, int | None]]:
    return [(f.kind, f.value, f.per_year, f.fiscal_year) for f in extract_facts(text)]


@pytest.mark.parametrize("written", ["2,400", "2400", "２４００", "２，４００", "二千四百"])
def test_number_forms(written: str) -> None:
    assert parse_number(written) == Decimal(2400)
    assert _facts(f"3年間で{written}名を育成する。")[-1][:2] == (FactKind.PEOPLE, Decimal(2400))


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("研修は合計38時間。", FactKind.HOURS, 38),
        ("受講率を80%にする。", FactKind.RATIO, 80),
        ("受講率を８０％にする。", FactKind.RATIO, 80),
        ("職員の3割が受講した。", FactKind.RATIO, 3),
        ("受験料5,000円を補助する。", FactKind.AMOUNT, 5000),
        ("予算は1.5万円。", FactKind.AMOUNT, 15000),
        ("取組期間は3年間とする。", FactKind.PERIOD, 3),
        ("支援対象は59市町村。", FactKind.ORGANIZATIONS, 59),
    ],
)
def test_kinds(text: str, kind: str, value: int) -> None:
    assert (kind, Decimal(value)) in [(k, v) for k, v, _p, _f in _facts(text)]


@pytest.mark.parametrize(
    "text",
    [
        "令和5年4月1日に策定した。",  # a date
        "第10回 研究会（2026年）",  # a numbering and a year
        "P 3",  # a page
        "電話：093-582-3557",  # a phone number
        "各所属1名を推薦する。",  # a per-unit rule
        "全50課へ二人ずつ配置する。",  # per unit again (50課 has no counting unit)
        "公用スマホ1人1台配付",  # one person is no target
        "グループ（5～6名）で演習",  # a range
        "人口：92.9万人",  # a population
        "③ 都道府県のご担当者においては",  # a circled numeral is not a count
        "単位 万円",  # a unit heading
        "人材育成の3人材類型",  # 人材 is not 人
        "2040年のめざす姿",
    ],
)
def test_numbers_that_are_not_facts(text: str) -> None:
    assert _facts(text) == []


def test_per_year_and_fiscal_year() -> None:
    # 令和6年度の200名 is that year's figure; only 次年度以降 says it recurs (its own clause).
    facts = _facts("令和6年度：新規200名・次年度以降：新規200名＋希望者")
    assert (FactKind.PEOPLE, Decimal(200), False, 2024) in facts
    assert (FactKind.PEOPLE, Decimal(200), True, None) in facts
    assert _facts("毎年20名、5年で100名を育成する。")[0][:3] == (FactKind.PEOPLE, Decimal(20), True)
    assert _facts("年間100名を育成する。")[0][2] is True
    assert _facts("3年間で2400名を育成する。")[-1][2] is False  # over 3 years, not per year
    assert _facts("第1期（35名）\t研修")[0][2] is True
    assert _facts("R10までに105名育成")[0][3] == 2028


def test_html_is_stripped_and_lines_rejoined() -> None:
    (fact,) = [
        f for f in extract_facts("<ul><li>DXの推進</li><li>2400名を育成</li></ul>") if f.value
    ]
    assert fact.sentence == "2400名を育成"
    joined = [s for _at, s in sentences("5年間で\n1,000名以上を\n育成")]
    assert joined == ["5年間で1,000名以上を育成"]


def test_same_figure_is_listed_once() -> None:
    facts = extract_facts("目標は2400名。\n\n再掲: 目標は2,400名。")
    assert len([f for f in facts if f.value == 2400]) == 1


# Sentences a new user found mislabelled (issue #14, defect 10).


def test_per_year_belongs_to_its_own_clause() -> None:
    facts = _facts("「デジタル行政推進リーダー」として毎年20名、5年で100名の育成を開始。")
    assert (FactKind.PEOPLE, Decimal(20), True, None) in facts
    assert (FactKind.PEOPLE, Decimal(100), False, None) in facts


def test_a_figure_per_session_is_not_per_year() -> None:
    facts = _facts("専門家によるアドバイスを年間原則5回以内(2時間以上/回)受けられる。")
    assert facts == [(FactKind.HOURS, Decimal(2), False, None)]


@pytest.mark.parametrize(
    "text",
    [
        "令和6年度は、DX推進リーダー研修を3回開催し、32名が修了した。",
        "DX推進リーダー研修の修了者は32名（令和6年度）。",
        "DX推進リーダー研修の修了者（令和6年度）は32名。",
    ],
)
def test_the_fiscal_year_of_the_sentence_is_kept(text: str) -> None:
    assert (FactKind.PEOPLE, Decimal(32), False, 2024) in _facts(text)


def test_a_relative_year_is_not_the_earlier_fiscal_year() -> None:
    facts = _facts("令和6年度：新規200名・次年度以降：新規200名＋希望者")
    assert (FactKind.PEOPLE, Decimal(200), False, 2024) in facts
    assert (FactKind.PEOPLE, Decimal(200), True, None) in facts


@pytest.mark.parametrize(
    "text",
    [
        "「DX推進チャレンジャー」を一般行政部門等の職員約3,600人の12.5%に相当する450人を募集。",
        "職員数は3,600人です。",
        "全職員（約3,600人）を対象に研修を行う。",
        "本市の職員3,600名のうち、450名を育成する。",
    ],
)
def test_staff_counts_are_not_targets(text: str) -> None:
    values = [value for kind, value, _p, _f in _facts(text) if kind == FactKind.PEOPLE]
    assert Decimal(3600) not in values
    assert values in ([], [Decimal(450)])


def test_staff_to_be_assigned_are_still_targets() -> None:
    facts = _facts("各業務担当部局における係長級職員20名を業務担当DX推進リーダーとして配置")
    assert (FactKind.PEOPLE, Decimal(20), False, None) in facts
