"""The qualification catalogue and the 受験料補助 templates, as data.

Seed text is copied verbatim from `seeds/001_*` (2. デジタル人材の育成, the
資格・スキル標準 table the guidebook cites as P22, and 【参考】取得促進している自治体);
tests compare it with the seed file. 実施団体 and ITSS levels are not in the
seed: they come from IPA's 試験区分 list (情報処理技術者試験・情報処理安全確保支援士試験
「試験区分一覧」, https://www.ipa.go.jp/shiken/kubun/list.html), which also gives
the entries marked `from_seed: False`. 受験料 is in neither seed: left empty.
Data migrations 0002 (catalogue) and the subsidy templates load these lists.
"""

from __future__ import annotations

from typing import Any

SEED_FILE = "001_27b46d1c729d241d.txt"
SEED_SECTION = "2. デジタル人材の育成 資格・スキル標準（P22）"
IPA_SOURCE = "IPA 試験区分一覧 https://www.ipa.go.jp/shiken/kubun/list.html"
IPA = "独立行政法人情報処理推進機構（IPA）"

# Cost fields of StaffQualification a subsidy may cover, with their Japanese names.
COST_FIELDS: dict[str, str] = {
    "exam_fee": "受験料",
    "course_fee": "講座受講料",
    "textbook_fee": "テキスト代",
    "travel_fee": "交通費",
}

QUALIFICATIONS: list[dict[str, Any]] = [
    {
        "code": "it-passport",
        "name": "ITパスポート試験",
        "label": "国家資格",
        "note": "入り口として有用(おすすめ)",
        "audience": "主にITに携わる業務に就く前の社会人や学生",
        "content": "ITに関する基礎知識(ビジネス知識を含む。)を持っていることを証明する国家資格",
        "contact": (
            "ITパスポート試験窓口 • https://www3.jitec.ipa.go.jp/JitesCbt/index.html"
            " • 03-6631-0608(コールセンター)"
        ),
        "holdable": True,
        "provider": IPA,
        "itss_level": 1,
    },
    {
        "code": "itss",
        "name": "ITスキル標準",
        "label": "",
        "note": "専門性をより高める",
        "audience": "コンサルタント、SE、営業などIT業界に携わる人",
        "content": (
            "11の職種と35の専門分野を体系化し、各分野において個人の経験と成果に応じた"
            "7つのレベルを設定"
        ),
        "contact": (
            "ITスキル標準とは -ITスキル標準の必要性 • "
            "https://www.ipa.go.jp/jinzai/skill-standard/plus-it-ui/itss/itss1.html"
        ),
        "holdable": False,
    },
    {
        "code": "uiss",
        "name": "情報システムユーザースキル標準",
        "label": "",
        "note": "業務改善や改革を含むのなら",
        "audience": "システム利用者、発注者、企画等、全般にわたるユーザー",
        "content": (
            "基本的なITリテラシーから、効果的な利用、データ分析、情報セキュリティに関する"
            "スキルまで幅広く"
        ),
        "contact": "",
        "holdable": False,
    },
    {
        "code": "dss",
        "name": "デジタル・スキル標準",
        "label": "",
        "note": "デジタル社会の基礎",
        "audience": "全てのビジネスパーソン(経営層を含む。)",
        "content": (
            "ビジネスパーソン全体がDXに関する基礎的な知識やスキル・マインドを身に付けるための"
            "指針である「DXリテラシー標準」及び企業がDXを推進する専門性を持った人材を"
            "確保・育成するための指針"
        ),
        "contact": (
            "IPAデジタル人材センター 人材プラットフォーム部スキルトランスフォーメーション"
            "グループ • https://www.ipa.go.jp/jinzai/skill-standard/dss/about.html"
        ),
        "holdable": False,
    },
    {
        "code": "sg",
        "name": "情報セキュリティマネジメント試験",
        "label": "",
        "note": "セキュリティの入門として有用",
        "audience": (
            "・業務で個人情報を取り扱う方 ・業務部門・管理部門で情報管理を担当する方 "
            "・外部委託先に対する情報セキュリティ評価・確認を行う方 "
            "・情報セキュリティ管理の知識・スキルを身に付けたい方 "
            "・ITパスポート試験合格から更にステップアップしたい方"
        ),
        "content": "セキュリティに関する基本的な知識・技能を認定する試験",
        "contact": (
            "株式会社シー・ビー・ティ・ソリューションズ 情報処理技術者試験・"
            "情報処理安全確保支援士試験 受験サポートセンター "
            "• https://www.ipa.go.jp/shiken/kubun/sg.html "
            "• 03-4500-7862 電話受付時間：8:30～17:30 （年末年始は休業）"
        ),
        "holdable": True,
        "provider": IPA,
        "itss_level": 2,
    },
    {
        "code": "sc",
        "name": "情報処理安全確保支援士",
        "label": "国家資格",
        "note": "セキュリティ分野の人材に有用",
        "audience": "企業や組織における情報セキュリティ対策を効果的に支援する人材",
        "content": (
            "サイバーセキュリティの専門知識を有し、企業や組織における情報セキュリティ対策を"
            "効果的に支援する人材を育成・認定"
        ),
        "contact": (
            "情報処理安全確保支援士 (登録セキスペ) • https://www.ipa.go.jp/jinzai/riss/index.html"
        ),
        "holdable": True,
        "provider": IPA,
        "itss_level": 4,
    },
    {
        "code": "itc",
        "name": "ITコーディネータ制度",
        "label": "経済産業省推進資格",
        "note": "経営とITをつなげる人材として",
        "audience": "経営戦略からシステム企画、調達、運用設計まで一貫して学びたい人",
        "content": (
            "ITを効果的に活用するための戦略を立案し、業務改革を実現するプロフェッショナルを"
            "育成・認定"
        ),
        "contact": (
            "特定非営利活動法人 ITコーディネータ協会 • https://www.itc.or.jp/ • 03-3527-2177"
        ),
        "holdable": True,
        "provider": "特定非営利活動法人 ITコーディネータ協会",
    },
]

# Not from the seeds: IPA 試験区分一覧 (情報処理技術者試験 レベル2–4).
IPA_EXAMS: list[tuple[str, str, int]] = [
    ("fe", "基本情報技術者試験", 2),
    ("ap", "応用情報技術者試験", 3),
    ("st", "ITストラテジスト試験", 4),
    ("sa", "システムアーキテクト試験", 4),
    ("pm", "プロジェクトマネージャ試験", 4),
    ("nw", "ネットワークスペシャリスト試験", 4),
    ("db", "データベーススペシャリスト試験", 4),
    ("es", "エンベデッドシステムスペシャリスト試験", 4),
    ("sm", "ITサービスマネージャ試験", 4),
    ("au", "システム監査技術者試験", 4),
]


def catalogue_rows() -> list[dict[str, Any]]:
    """Every catalogue entry as Qualification field values, in display order."""
    rows: list[dict[str, Any]] = []
    for order, item in enumerate(QUALIFICATIONS, start=1):
        rows.append(
            {
                "provider": "",
                "itss_level": None,
                **item,
                "order": order * 10,
                "from_seed": True,
                "source": f"seeds/{SEED_FILE} {SEED_SECTION}"
                + (f"; 実施団体・ITSSレベル: {IPA_SOURCE}" if item.get("itss_level") else ""),
            }
        )
    for order, (code, name, level) in enumerate(IPA_EXAMS, start=len(QUALIFICATIONS) + 1):
        rows.append(
            {
                "code": code,
                "name": name,
                "label": "国家資格",
                "note": "",
                "audience": "",
                "content": "",
                "contact": "",
                "holdable": True,
                "provider": IPA,
                "itss_level": level,
                "order": order * 10,
                "from_seed": False,
                "source": f"資料（seeds）にはない。{IPA_SOURCE}",
            }
        )
    return rows


SUBSIDY_SECTION = "2. デジタル人材の育成 【参考】取得促進している自治体"

# 受験料補助 templates (issue [職員] table). rate None = 未設定 (the seed gives none).
SUBSIDY_TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "kasama",
        "name": "笠間市型（DX推進リーダー限定）",
        "eligibility": "talent_type",
        "eligibility_text": "DX推進リーダー",
        "talent_type_code": "dx-leader",
        "qualification_codes": ["it-passport"],
        "costs": ["course_fee", "exam_fee"],  # 民間eラーニング受講料, 受験料
        "rate_percent": None,
        "quote": (
            "DX推進リーダー限定でITパスポートの資格取得支援(民間eラーニング受講料及び"
            "ITパスポート受験料)を実施"
        ),
        "source": f"seeds/{SEED_FILE} {SUBSIDY_SECTION} 茨城県笠間市",
    },
    {
        "code": "ibara",
        "name": "井原市型（受講料・受験料の半額）",
        "eligibility": "staff_program",
        "eligibility_text": "職員（「業務に必要な資格取得」制度）",
        "talent_type_code": "",
        "qualification_codes": ["it-passport"],
        "costs": ["course_fee", "exam_fee"],
        "rate_percent": 50,
        "quote": "ITパスポート取得のための講座等に係る受講料及び受験料の半額を支援",
        "source": f"seeds/{SEED_FILE} {SUBSIDY_SECTION} 岡山県井原市",
    },
    {
        "code": "gotsu",
        "name": "江津市型（全額市負担）",
        "eligibility": "all_staff",
        "eligibility_text": "全職員",
        "talent_type_code": "",
        "qualification_codes": ["it-passport"],
        "costs": ["exam_fee", "textbook_fee", "travel_fee"],
        "rate_percent": 100,
        "quote": "受験料・テキスト代・試験地までの交通費を市の負担とする",
        "source": f"seeds/{SEED_FILE} {SUBSIDY_SECTION} 島根県江津市",
    },
]
