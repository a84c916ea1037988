"""Who the query asks about: kinds of 団体 and regions named in it.

「DX推進リーダーを育成している県はどこか」 names 県, 「九州の市町村で…」 names 九州 and
市町村: words a facet would express better than a term. ``query_intent`` reads them
off the query's content words (``core.japanese_text`` terms as typed, so 県庁 or
市役所 inside other words never count); the ranking then boosts cases whose 団体
is of that kind or in that region (``ranking.py``, from ``CaseSearchProfile``), and
the result offers the matching 団体の属性 filter (``suggestions``).

The words themselves still score as terms, lightly (``query.INTENT_WEIGHT``), and do
not count towards coverage: most 東北 cases never write 東北.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hagukumi.cases.search.profile import (
    CITY,
    DESIGNATED,
    MUNICIPALITY,
    NATIONAL,
    PREFECTURE,
    REGIONS,
    TOWN,
    VILLAGE,
    WARD,
)

_LOCAL = frozenset({MUNICIPALITY, CITY, TOWN, VILLAGE, WARD, DESIGNATED})
# Query word (its index term) → the kinds of 団体 it asks for.
KIND_WORDS: dict[str, frozenset[str]] = {
    "都道府県": frozenset({PREFECTURE}),
    "県": frozenset({PREFECTURE}),
    "府県": frozenset({PREFECTURE}),
    "道府県": frozenset({PREFECTURE}),
    "県庁": frozenset({PREFECTURE}),
    "府": frozenset({PREFECTURE}),
    "市町村": _LOCAL,
    "市区町村": _LOCAL,
    "基礎自治体": _LOCAL,
    "市町": frozenset({MUNICIPALITY, CITY, TOWN, DESIGNATED}),
    "市": frozenset({MUNICIPALITY, CITY, DESIGNATED}),
    "町": frozenset({MUNICIPALITY, TOWN}),
    "村": frozenset({MUNICIPALITY, VILLAGE}),
    "特別区": frozenset({WARD}),
    "区": frozenset({WARD}),
    "中核市": frozenset({CITY}),
    "政令市": frozenset({DESIGNATED}),
    "政令指定都市": frozenset({DESIGNATED}),
    "指定都市": frozenset({DESIGNATED}),
    "国": frozenset({NATIONAL}),
    "省庁": frozenset({NATIONAL}),
    "中央省庁": frozenset({NATIONAL}),
}

_CODES = dict(REGIONS)
# Region word → prefecture codes. 中国 only as 中国地方 (see ``query_intent``).
REGION_WORDS: dict[str, tuple[str, ...]] = {
    **{name: codes for name, codes in _CODES.items() if name != "中国"},  # 中国語, 中国人
    "関西": _CODES["近畿"],
    "首都圏": ("11", "12", "13", "14"),
    "北関東": ("08", "09", "10"),
    "南関東": ("11", "12", "13", "14"),
    "甲信越": ("15", "19", "20"),
    "北陸": ("15", "16", "17", "18"),
    "東海": ("21", "22", "23", "24"),
    "山陰": ("31", "32"),
    "山陽": ("33", "34", "35"),
    "中四国": _CODES["中国"] + _CODES["四国"],
    "沖縄": ("47",),
}
PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)  # in code order (01 北海道 … 47 沖縄県)
PREFECTURE_CODES = {name: f"{i:02d}" for i, name in enumerate(PREFECTURES, start=1)}

# The 団体の属性 filter a kind word offers: its label and the values (as stored) it covers.
_PREFECTURE_FILTER = ("都道府県", ("都道府県",))
_DESIGNATED_FILTER = ("政令指定都市", ("政令指定都市",))
_LOCAL_FILTER = ("市区町村", ("市区町村", "中核市", "市", "特別区", "町", "村"))
_NATIONAL_FILTER = ("国", ("国",))
FILTER_OF_WORD: dict[str, tuple[str, tuple[str, ...]]] = {
    **{word: _PREFECTURE_FILTER for word in ("都道府県", "県", "府県", "道府県", "県庁", "府")},
    **{word: _DESIGNATED_FILTER for word in ("政令市", "政令指定都市", "指定都市")},
    **{
        word: _LOCAL_FILTER
        for word in ("市町村", "市区町村", "基礎自治体", "市町", "市", "町", "村", "特別区", "区")
    },
    "中核市": _LOCAL_FILTER,
    **{word: _NATIONAL_FILTER for word in ("国", "省庁", "中央省庁")},
}


@dataclass(frozen=True, slots=True)
class QueryIntent:
    kinds: frozenset[str] = frozenset()  # profile kinds the query asks for
    prefectures: frozenset[str] = frozenset()  # prefecture codes (from regions and names)
    words: frozenset[str] = frozenset()  # the query terms that expressed it
    labels: tuple[str, ...] = ()  # what was understood, for the explanation

    def __bool__(self) -> bool:
        return bool(self.kinds or self.prefectures)


def query_intent(terms: Sequence[str]) -> QueryIntent:
    """The intent of a query's content-word terms, in the order typed."""
    kinds: set[str] = set()
    prefectures: set[str] = set()
    words: set[str] = set()
    labels: list[str] = []
    for i, term in enumerate(terms):
        following = terms[i + 1] if i + 1 < len(terms) else ""
        if term in KIND_WORDS:
            kinds |= KIND_WORDS[term]
            words.add(term)
            labels.append(term)
        elif term == "中国" and following in ("地方", "四国"):
            prefectures |= set(REGIONS["中国"])
            words.update({term, "地方"} if following == "地方" else {term})
            labels.append("中国地方")
        elif term in REGION_WORDS:
            prefectures |= set(REGION_WORDS[term])
            words.add(term)
            labels.append(term)
        elif term in PREFECTURE_CODES:
            prefectures.add(PREFECTURE_CODES[term])
            words.add(term)
            labels.append(term)
    if PREFECTURE in kinds and kinds & _LOCAL:
        # 「県と市町村で…」「県が市町村を支援…」: a relation between kinds, not a filter;
        # the words stay ordinary content words.
        kind_words = {term for term in words if term in KIND_WORDS}
        words -= kind_words
        labels = [label for label in labels if label not in kind_words]
        kinds = set()
    return QueryIntent(
        kinds=frozenset(kinds),
        prefectures=frozenset(prefectures),
        words=frozenset(words),
        labels=tuple(dict.fromkeys(labels)),
    )


def kind_filters(intent: QueryIntent) -> list[tuple[str, tuple[str, ...]]]:
    """(label, 団体の属性 values) of the filter each kind word of the query names, once each,
    in the order typed."""
    found: dict[str, tuple[str, ...]] = {}
    for word in intent.labels:
        if word in FILTER_OF_WORD:
            label, values = FILTER_OF_WORD[word]
            found.setdefault(label, values)
    return list(found.items())


@dataclass(frozen=True, slots=True)
class FacetSuggestion:
    """A filter the query's words ask for: 「都道府県の事例に絞り込む（12件）」."""

    label: str  # 「都道府県の事例に絞り込む」
    field: str  # the filter field (``facets.FILTER_FIELDS``)
    values: tuple[str, ...]  # its values (alternatives), those the result holds
    count: int  # cases of the result it keeps


def facet_suggestions(
    intent: QueryIntent,
    facets: Mapping[str, Mapping[str, int]],
    filters: Mapping[str, object] | None = None,
) -> tuple[FacetSuggestion, ...]:
    """The 団体の属性 filters the query names, with the result's counts; none once the
    search is already filtered by 団体の属性, nor one that would keep nothing."""
    if (filters or {}).get("org_type"):
        return ()
    counts = facets.get("org_type", {})
    suggestions = []
    for label, values in kind_filters(intent):
        held = tuple(value for value in values if counts.get(value))
        if held:
            suggestions.append(
                FacetSuggestion(
                    label=f"{label}の事例に絞り込む",
                    field="org_type",
                    values=held,
                    count=sum(counts[value] for value in held),
                )
            )
    return tuple(suggestions)
