"""The six templates: each must-contain item of issue [フレームワーク], checked in the seeds."""

from __future__ import annotations

from typing import Any

from hagukumi.frameworks.tests.conftest import TEMPLATE_CODES, assert_in_seed

MIC = "001_27b46d1c729d241d.txt"
HOKKAIDO = "000_ed3477084cc589e5.txt"
SAPPORO = "002_4d04818ec15f2553.txt"
KITAKYUSHU = "003_7c1bdbfa22e4fb34.txt"
AOMORI = "004_bbc9afb52334891c.txt"


def _type(content: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for t in content["talent_types"] if t["code"] == code)


def _texts(content: dict[str, Any]):  # type: ignore[no-untyped-def]
    """(text, cited seed files) for every seed-derived text of a template."""
    for t in content["talent_types"]:
        src = t["source"]["file"]
        for field in ("name", "description", "expected_role", "development_direction"):
            yield t[field], src
        for r in t["roles"]:
            for text in [r["name"], r["unit"], r["summary"], *r["duties"]]:
                yield text, r["source"]["file"]
        for d in t["details"]:
            yield d["label"], d["source"]["file"]
            yield d["text"], d["source"]["file"]
        for lv in t["individual_levels"]:
            for field in (
                "name",
                "label",
                "description",
                "role_image",
                "development_direction",
                "criteria",
            ):
                yield lv[field], lv["source"]["file"]
            for d in lv["details"]:
                yield d["label"], d["source"]["file"]
                yield d["text"], d["source"]["file"]
        for s in t["development_steps"]:
            for field in ("name", "target_levels", "text"):
                yield s[field], s["source"]["file"]
    for m in content["maturity_levels"]:
        yield m["name"], m["source"]["file"]
        for statement in m["statements"].values():
            yield statement, m["source"]["file"]
    for c in content["competencies"]:
        yield c["name"], c["source"]["file"]
        yield c["description"], c["source"]["file"]
        for cl in c["levels"]:
            yield cl["label"], cl["source"]["file"]
            for b in cl["behaviours"]:
                yield b, cl["source"]["file"]
    for r in content["responsibilities"]:
        yield r["unit"], r["source"]["file"]
        yield r["text"], r["source"]["file"]


def test_every_text_occurs_in_its_cited_seed(templates):
    assert sorted(templates) == TEMPLATE_CODES
    count = 0
    for content in templates.values():
        for text, files in _texts(content):
            assert files, f"出典ファイルがない: {text!r}"
            assert_in_seed(text, files)
            count += 1
    assert count > 300


def test_every_item_cites_a_section(templates):
    for content in templates.values():
        for t in content["talent_types"]:
            for item in [t, *t["individual_levels"], *t["development_steps"]]:
                assert item["source"]["file"], item
            assert item["source"]["section"], item
        for item in [
            *content["maturity_levels"],
            *content["competencies"],
            *content["responsibilities"],
        ]:
            assert item["source"]["file"], item
            assert item["source"]["section"], item


def test_no_pdf_spaces_left_inside_words(templates):
    # e.g. 「デジタル推進 リーダー人材」, 「学習機 会」 in the seeds.
    for content in templates.values():
        for text, _files in _texts(content):
            for bad in (
                "推進 リーダー",
                "学習機 会",
                "デザイン 人材",
                "デジタル マネジメント",
                "D X",
            ):
                assert bad not in text


def test_mic(templates):
    mic = templates["mic"]
    types = [(t["code"], t["name"], t["mic_type"]) for t in mic["talent_types"]]
    assert types == [
        ("advanced-expert", "高度専門人材", "advanced-expert"),
        ("dx-leader", "DX推進リーダー", "dx-leader"),
        ("general-staff", "一般行政職員", "general-staff"),
    ]
    levels = mic["maturity_levels"]
    assert [m["level"] for m in levels] == [1, 2, 3, 4, 5]
    assert [m["name"] for m in levels] == [
        "属人的対応",
        "業務課題の把握・改善案の提案",
        "デジタルによる業務改善",
        "BPRを基に新たなデジタルサービスの開始",
        "継続的なサービスの見直し",
    ]
    cells = [m["statements"][code] for m in levels for code, _n, _m in types]
    assert len(cells) == 15
    assert all(cells)
    assert levels[0]["statements"]["dx-leader"] == "業務改善のけん引は個人任せ。"
    assert levels[4]["statements"]["general-staff"] == (
        "ほぼ全ての者は、業務の見直しと、経験を基にDX推進リーダーへのステップアップを目指すことができる。"
    )
    assert levels[3]["statements"]["advanced-expert"] == (
        "ほぼ全ての者は、より高度な住民サービスの構想を基に事業化ができる。"
    )
    for t in mic["talent_types"]:
        steps = t["development_steps"]
        assert [(s["name"], s["target_levels"]) for s in steps] == [
            ("ステップ1", "レベル1～2"),
            ("ステップ2", "レベル3～4"),
            ("ステップ3", "レベル5"),
        ]
    leader_steps = _type(mic, "dx-leader")["development_steps"]
    assert leader_steps[0]["text"].splitlines() == [
        "●知識面の強化",
        "・システム企画・導入・運用の知識とプロジェクト管理の研修",
        "・業務可視化や改善の手法研修等",
    ]
    for content_check in [m["statements"][c] for m in levels for c in m["statements"]]:
        assert_in_seed(content_check, MIC)


def test_hokkaido(templates):
    hokkaido = templates["hokkaido"]
    digital = _type(hokkaido, "digital")
    levels = [(lv["label"], lv["name"]) for lv in digital["individual_levels"]]
    assert levels == [
        ("レベル1", "デジタル推進リーダー人材"),
        ("レベル2", "デジタル活用人材"),
        ("レベル3", "デジタルデザイン人材"),
        ("レベル4", "エキスパート人材"),
    ]
    by_name = {lv["name"]: lv for lv in digital["individual_levels"]}
    assert by_name["デジタル推進リーダー人材"]["role_image"] == (
        "各所属で選定し、各職場で率先してデジタルを活用・意識を醸成"
    )
    assert by_name["エキスパート人材"]["role_image"] == (
        "全庁の司令塔としてICT・デジタル技術の導入・活用を支援"
    )
    assert all(lv["role_image"] for lv in digital["individual_levels"])
    merged_1_2 = "本計画の重点育成層\n全庁で研修・学習機会の提供等により育成"
    merged_3_4 = "育成のほか、適宜外部人材を補完\n次世代社会戦略局が中心となり育成"
    directions = [lv["development_direction"] for lv in digital["individual_levels"]]
    assert directions == [merged_1_2, merged_1_2, merged_3_4, merged_3_4]
    management = _type(hokkaido, "digital-management")
    assert management["name"] == "デジタルマネジメント人材"
    (span,) = management["individual_levels"]
    assert span["label"] == "レベル2～レベル4"
    assert span["role_image"] == (
        "デジタルを活用した施策・業務効率化に向け、職員を管理・監督。プロジェクトの推進・進捗管理を行う"
    )
    assert (
        span["development_direction"]
        == "管理職がデジタル人材の管理・監督に必要なスキルの育成を図る"
    )
    for text in [merged_1_2, merged_3_4, span["label"], span["role_image"]]:
        assert_in_seed(text, HOKKAIDO)


SAPPORO_MINDS = ["当事者意識", "課題解決思考", "全体最適の視点", "継続的な学習意欲"]


def test_sapporo(templates):
    sapporo = templates["sapporo"]
    assert [(t["code"], t["name"]) for t in sapporo["talent_types"]] == [
        ("general-staff", "①デジタル技術を活用する一般行政職員"),
        ("dx-leader", "②DX推進リーダー"),
        ("advanced-digital", "③高度デジタル人材"),
    ]
    comps = sapporo["competencies"]
    for type_code in ("dx-leader", "advanced-digital"):
        minds = [c for c in comps if c["talent_type"] == type_code and c["kind"] == "mind"]
        assert [c["name"] for c in minds] == SAPPORO_MINDS
        assert all(c["description"] for c in minds)
        assert len({c["description"] for c in minds}) == 4
    leader_mind = {c["name"]: c["description"] for c in comps if c["talent_type"] == "dx-leader"}
    expert_mind = {
        c["name"]: c["description"] for c in comps if c["talent_type"] == "advanced-digital"
    }
    assert leader_mind["当事者意識"].startswith("所属部署のDXを自らが牽引する")
    assert expert_mind["当事者意識"].startswith(
        "担当システムやプロジェクトを「自分ごと」として捉え"
    )
    for name in SAPPORO_MINDS:
        assert leader_mind[name] != expert_mind[name]
    leader_skills = [
        (c["name"], len(c["description"].splitlines()))
        for c in comps
        if c["talent_type"] == "dx-leader" and c["kind"] == "skill"
    ]
    assert leader_skills == [("ITリテラシー", 3), ("業務改善能力", 2), ("プロジェクト遂行力", 2)]
    expert_skills = [
        (c["name"], len(c["description"].splitlines()))
        for c in comps
        if c["talent_type"] == "advanced-digital" and c["kind"] == "skill"
    ]
    assert expert_skills == [
        ("ITリテラシー・技術理解力", 2),
        ("プロジェクトマネジメント", 1),
        ("業務分析・コミュニケーション", 1),
        ("行政・調達スキル", 1),
    ]
    for c in comps:
        assert_in_seed(c["description"], SAPPORO)
    phases = _type(sapporo, "advanced-digital")["individual_levels"]
    assert [(p["order"], p["name"]) for p in phases] == [
        (1, "見習い"),
        (2, "修行中"),
        (3, "一人前"),
        (4, "熟練者"),
    ]
    assert_in_seed("見習い→修行中→一人前→熟練者", SAPPORO)
    roles = _type(sapporo, "dx-leader")["roles"]
    assert [r["name"] for r in roles] == [
        "DX推進リーダー（行政DX支援）",
        "DX推進リーダー（地域DX支援・人材育成）",
        "DX推進リーダー（定数内）",
        "DX推進リーダー（DX推進枠）",
    ]
    assert [len(r["duties"]) for r in roles] == [3, 3, 3, 2]


def test_aomori(templates):
    aomori = templates["aomori"]
    assert [(t["code"], t["name"]) for t in aomori["talent_types"]] == [
        ("all-staff", "全職員"),
        ("dx-promoter", "DX推進員"),
    ]
    stages = _type(aomori, "dx-promoter")["individual_levels"]
    assert [(s["label"], s["name"]) for s in stages] == [
        ("①", "業務効率化"),
        ("②", "業務改善"),
        ("③", "業務改革"),
        ("④", "データ利活用"),
        ("⑤", "AI等活用"),
    ]
    assert stages[0]["description"] == "業務効率化を中心としたカリキュラム"
    for s in stages[1:]:
        assert s["description"] == (
            "変革意欲の高い職員には、2年目以降も育成年数や目指すキャリアプラン等に応じたカリキュラム"
        )
    years = [next(d["text"] for d in s["details"] if d["label"] == "育成年数") for s in stages]
    assert years == ["1年", "2年", "3年", "4年", "5年"]
    assert_in_seed("①業務効率化", AOMORI)
    assert_in_seed("⑤AI等活用", AOMORI)
    units = [r["unit"] for r in aomori["responsibilities"]]
    assert units == [
        "DX推進担当部門",
        "情報政策担当部門",
        "人財育成・人事担当部門",
        "DX推進担当部局（DX推進担当部門及び情報政策担当部門）",
    ]
    assert all(r["text"] for r in aomori["responsibilities"])


def test_kitakyushu(templates):
    (dx_talent,) = templates["kitakyushu"]["talent_types"]
    levels = dx_talent["individual_levels"]
    assert [lv["name"] for lv in levels] == [
        "ブロンズ(DX活用人材)",
        "シルバー(DX実行人材)",
        "ゴールド(DX戦略人材)",
    ]
    for lv in levels:
        assert_in_seed(lv["name"], MIC)
        assert_in_seed(lv["description"], KITAKYUSHU)
    assert (
        levels[2]["description"]
        == "IT企業への派遣や専門的な研修の受講などにより、高度専門人材を育成"
    )
    assert levels[0]["description"] == "オンラインセミナーの受講等により、DXリテラシーの底上げ"


def test_kakegawa(templates):
    comps = {c["code"]: c for c in templates["kakegawa"]["competencies"]}
    expected = {
        "information-gathering": ("情報収集力", 3, "LV3", 2),
        "learning-motivation": ("学習意欲", 2, "LV2", 2),
        "ownership": ("自分ごと化", 1, "LV1", 2),
    }
    for code, (name, level, label, count) in expected.items():
        c = comps[code]
        (only,) = c["levels"]
        assert (c["name"], only["level"], only["label"], len(only["behaviours"])) == (
            name,
            level,
            label,
            count,
        )
        for b in only["behaviours"]:
            assert_in_seed(b, MIC)
    assert comps["information-gathering"]["levels"][0]["behaviours"][0] == (
        "DX推進に活用できる補助金や助成金について詳しく知っている。"
    )
    appraisal = comps["appraisal-knowledge-skill"]
    assert appraisal["name"] == "(6) 知識・技能"
    assert "⑥ICT技能" in appraisal["description"].splitlines()
    rows = sorted(appraisal["levels"], key=lambda cl: -cl["level"])
    assert [r["label"] for r in rows] == ["S", "C", "b", "C"]
    assert [len(r["behaviours"]) for r in rows] == [10, 10, 0, 7]
    assert rows[2]["note"]
    assert rows[1]["note"]
    assert "「C」" in appraisal["note"]
    assert "「b」" in appraisal["note"]
    assert rows[0]["behaviours"][-1] == (
        "RPAでできることを理解し、自身の業務の中で実際に活用し、業務改善につなげることができる。"
    )
