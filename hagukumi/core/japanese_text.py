"""Japanese text for matching and search: normalisation, kana, tokens, canonical terms.

Stored text is never altered; everything here produces keys for matching.

- `normalize` folds what a reader treats as the same: NFKC width and
  compatibility forms, Latin case, hiragana vs katakana, whitespace, and a small
  table of 異体字 seen in names (髙→高, 﨑→崎, 𠮷→吉, …).
- `tokenize` runs SudachiPy (core dictionary): mode C units with their mode A
  sub-units and character offsets into the original text.
- `index_terms` / `query_terms` turn text into the terms a search index stores
  and a query looks up. Both emit the same canonical terms for numbers and
  years however they are written:

  ========================================  ===========
  written                                   term
  ========================================  ===========
  2,400 / 2400 / ２４００ / 二千四百         ``2400``
  令和5年度 / R5 / R5年度 / 2023年度         ``fy2023``
  令和5年 / 2023年 / R5.4 (year and month)   ``y2023``
  令和5年4月1日 / R5.4.1 / 2023-04-01        ``d20230401`` (and ``y2023``)
  ========================================  ===========

  A bare era year (R5, 令和5) is read as a 年度, as offices write it in plans.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from sudachipy import Dictionary, Morpheme, MorphemeList, SplitMode, Tokenizer

from hagukumi.core import wareki

__all__ = [
    "NAME_VARIANTS",
    "SUDACHI_MAX_BYTES",
    "CanonicalSpan",
    "SubToken",
    "Token",
    "canonical_number",
    "canonical_year_spans",
    "canonical_year_tokens",
    "index_terms",
    "normalize",
    "normalize_kana_name",
    "query_terms",
    "to_katakana",
    "tokenize",
]

# --- normalisation -------------------------------------------------------------

# 異体字 folded for matching only. Each maps one code point to one code point, so
# the table can also be applied before Sudachi without moving any offset.
NAME_VARIANTS: dict[str, str] = {
    "髙": "高",  # はしご高
    "﨑": "崎",  # たつさき (U+FA11, NFKC keeps it)
    "嵜": "崎",
    "𥔎": "崎",  # U+2550E
    "邊": "辺",
    "邉": "辺",
    "齋": "斎",
    "齊": "斎",  # as requested for 齊藤/齋藤/斎藤; 斉 is left alone
    "濵": "浜",
    "濱": "浜",
    "櫻": "桜",
    "𠮷": "吉",  # つちよし (U+20BB7)
    "𡈽": "土",  # U+2123D
    "澤": "沢",
    "廣": "広",
    "嶋": "島",
    "嶌": "島",
    "冨": "富",
    "峯": "峰",
    "國": "国",
    "眞": "真",
    "惠": "恵",
    "德": "徳",
    "瀨": "瀬",
    "曾": "曽",
    "槇": "槙",
    "藏": "蔵",
    "條": "条",
    "榮": "栄",
    "壽": "寿",
    "淺": "浅",
    "關": "関",
    "彌": "弥",
    "實": "実",
}

# Hiragana ぁ..ゖ and ゝゞ map to the katakana 0x60 code points above them.
_HIRAGANA_TO_KATAKANA: dict[int, int] = {cp: cp + 0x60 for cp in range(0x3041, 0x3097)}
_HIRAGANA_TO_KATAKANA.update({0x309D: 0x30FD, 0x309E: 0x30FE})

# Applied after NFKC + casefold: kana, name variants, small ヶヵ (霞ヶ関 = 霞ケ関),
# dash look-alikes, wave dash, and variation selectors (which only pick a glyph).
_MATCH_FOLD: dict[int, int | None] = {
    **_HIRAGANA_TO_KATAKANA,
    **{ord(k): ord(v) for k, v in NAME_VARIANTS.items()},
    ord("ヶ"): ord("ケ"),
    ord("ヵ"): ord("カ"),
    **dict.fromkeys(map(ord, "‐‒–—―−"), ord("-")),
    ord("〜"): ord("~"),
    **dict.fromkeys(range(0xFE00, 0xFE10)),
    **dict.fromkeys(range(0xE0100, 0xE01F0)),
}
# Resolve chains (ゕ → ヵ → カ) so that one pass is enough and normalize is idempotent.
for _source, _target in list(_MATCH_FOLD.items()):
    while _target is not None and _MATCH_FOLD.get(_target, _target) != _target:
        _target = _MATCH_FOLD[_target]
    _MATCH_FOLD[_source] = _target
_VARIANT_FOLD: dict[int, int] = {ord(k): ord(v) for k, v in NAME_VARIANTS.items()}
_VARIANT_RE = re.compile("[" + "".join(NAME_VARIANTS) + "]")


def normalize(text: str) -> str:
    """The matching key of a text: NFKC, case-folded, kana-insensitive, 異体字 folded, one space.

    ＤＸ→dx, ２４００→2400, ﾔﾏﾀﾞ/やまだ→ヤマダ, 髙﨑→高崎. Pure and fast; never stored as text.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        # casefold can leave a few non-NFKC sequences behind (e.g. ǰ); fold once more.
        folded = unicodedata.normalize("NFKC", folded).translate(_MATCH_FOLD)
    return " ".join(folded.split())


_HALFWIDTH_KANA_RE = re.compile("[\uff61-\uff9f]+")


def to_katakana(text: str) -> str:
    """Hiragana and half-width katakana to full-width katakana; everything else unchanged."""
    widened = _HALFWIDTH_KANA_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return widened.translate(_HIRAGANA_TO_KATAKANA)


def _is_name_kana(char: str) -> bool:
    """Full-width katakana, ー ヽ ヾ and ・ (for names such as ジョン・スミス)."""
    return "\u30a1" <= char <= "\u30fa" or "\u30fb" <= char <= "\u30fe"


def _char_kind(char: str) -> str:
    name = unicodedata.name(char, "")
    if (name.startswith("CJK") and "IDEOGRAPH" in name) or char in "々〆ヶ":
        return "漢字"
    if (char.isascii() and char.isalpha()) or "LATIN" in name:
        return "英字"
    if char.isdigit():
        return "数字"
    return "記号など"


def normalize_kana_name(text: str) -> str:
    """A 氏名カナ in full-width katakana with one full-width space between parts.

    ﾔﾏﾀﾞ ﾀﾛｳ / やまだ　たろう → ヤマダ　タロウ. Kanji, Latin letters, digits or symbols raise
    ValueError naming them (カナ以外の文字（漢字「山田」）が含まれています). "" stays "".
    """
    kana = to_katakana(unicodedata.normalize("NFKC", text))
    parts = kana.split()
    offending: dict[str, list[str]] = {}
    for char in "".join(parts):
        if not _is_name_kana(char):
            chars = offending.setdefault(_char_kind(char), [])
            if char not in chars:
                chars.append(char)
    if offending:
        listed = "、".join(f"{kind}「{''.join(chars)}」" for kind, chars in offending.items())
        raise ValueError(f"カナ以外の文字（{listed}）が含まれています")
    return "\u3000".join(parts)


# --- numbers -------------------------------------------------------------------

_KANJI_DIGITS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壱": "1",
    "二": "2",
    "弐": "2",
    "三": "3",
    "参": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "千": 1000, "阡": 1000}
_LARGE_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12}
_THOUSANDS_COMMA_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _parse_number(text: str) -> Decimal | None:
    """Digits, kanji numerals and 十百千万億兆 units, mixed (3億5000万, 1.5万, 二〇二三)."""
    total = Decimal(0)
    section = Decimal(0)
    digits = ""
    last_small = 10**5
    last_large = 10**13
    try:
        for char in text:
            if "0" <= char <= "9" or char == ".":
                digits += char
            elif char in _KANJI_DIGITS:
                digits += _KANJI_DIGITS[char]
            elif char in _SMALL_UNITS:
                unit = _SMALL_UNITS[char]
                if unit >= last_small:
                    return None
                section += (Decimal(digits) if digits else 1) * unit
                digits, last_small = "", unit
            elif char in _LARGE_UNITS:
                unit = _LARGE_UNITS[char]
                section += Decimal(digits) if digits else 0
                if unit >= last_large or section == 0:
                    return None
                total += section * unit
                section, digits, last_small, last_large = Decimal(0), "", 10**5, unit
            else:
                return None
        return total + section + (Decimal(digits) if digits else 0)
    except InvalidOperation:
        return None


@lru_cache(maxsize=8192)
def canonical_number(text: str) -> str | None:
    """The canonical form of a written number, or None: 2,400 / ２４００ / 二千四百 → "2400".

    Handles thousands commas, full-width digits, kanji numerals with 十百千万億兆 and
    decimals (1.5万 → "15000", 0.50 → "0.5").
    """
    prepared = _THOUSANDS_COMMA_RE.sub("", unicodedata.normalize("NFKC", text).strip())
    if not prepared:
        return None
    value = _parse_number(prepared)
    if value is None:
        return None
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- years, fiscal years and dates -----------------------------------------------


@dataclass(frozen=True, slots=True)
class CanonicalSpan:
    """A year, 年度 or date in the text, its offsets and its canonical terms."""

    start: int
    end: int
    terms: tuple[str, ...]


_ERA_SYMBOLS = {"㍾": "明治", "㍽": "大正", "㍼": "昭和", "㍻": "平成", "㋿": "令和"}
_KANJI_ERA = "|".join([era.name for era in wareki.ERAS] + list(_ERA_SYMBOLS))
_LETTERS = "".join(era.letter.lower() for era in wareki.ERAS)
_FW_LETTERS = "".join(chr(ord(c) + 0xFEE0) for c in _LETTERS)
# A letter era must not sit inside a word or an HTML tag (<h2>).
_LETTER_ERA = rf"(?<![a-z0-9_<>/ａ-ｚ０-９])[{_LETTERS}{_FW_LETTERS}]"
_YEAR_NUM = r"(?:\d{1,2}|元|[〇一二三四五六七八九十]{1,3})(?!\d)"
_SEP = r"[./\-．／－]"
_RANGE = r"[~〜～\-－–―]"
_S = r"\s?"


def _era_alt(tag: str) -> str:
    return rf"(?P<{tag}>{_KANJI_ERA}|{_LETTER_ERA})"


_YEAR_RE = re.compile(
    "|".join(
        [
            # 令和5年4月1日, R5.4.1
            rf"{_era_alt('de')}{_S}(?P<dy>{_YEAR_NUM}){_S}"
            rf"(?:年{_S}(?P<dm>\d{{1,2}}){_S}月{_S}(?P<dd>\d{{1,2}}){_S}日"
            rf"|(?P<ds>{_SEP})(?P<dm2>\d{{1,2}})(?P=ds)(?P<dd2>\d{{1,2}})(?!\d))",
            # 2023年4月1日, 2023-04-01, 2023/4/1
            rf"(?<![\d.,])(?P<wy>\d{{4}})"
            rf"(?:年{_S}(?P<wm>\d{{1,2}}){_S}月{_S}(?P<wd>\d{{1,2}}){_S}日"
            rf"|(?P<ws>{_SEP})(?P<wm2>\d{{1,2}})(?P=ws)(?P<wd2>\d{{1,2}})(?!\d))",
            # 2023年度, 2023年, 2024（令和6）年度
            rf"(?<![\d.,])(?P<yy>\d{{4}})(?!\d){_S}"
            rf"(?:[(（]{_S}{_era_alt('ye')}{_S}{_YEAR_NUM}{_S}[)）]{_S})?(?P<ys>年度|年)",
            # FY2023
            r"(?<![a-zａ-ｚ])[fｆ][yｙ]\s?(?P<fy>\d{4})(?!\d)",
            # 令和5年度, R5, 令和5年, R5.4, R5～R7, 令和6～10年度
            rf"{_era_alt('ee')}{_S}(?P<ey>{_YEAR_NUM}){_S}"
            rf"(?:(?P<es>年度|年)|{_SEP}(?P<em>\d{{1,2}})(?!\d|{_SEP}\d)月?)?"
            rf"(?:{_S}{_RANGE}{_S}{_era_alt('re')}?{_S}(?P<ry>{_YEAR_NUM}){_S}(?P<rs>年度|年)?)?"
            r"(?![a-zａ-ｚ])",
        ]
    ),
    re.IGNORECASE,
)
_BARE_UNLIKELY = frozenset("mts")
_YEAR_HINT_RE = re.compile(r"[\d〇一二三四五六七八九十元]")


def _era_year_value(text: str) -> int | None:
    if text == "元":
        return 1
    value = canonical_number(text)
    return int(value) if value is not None and value.isdigit() else None


def _western_from_era(era_text: str, era_year_text: str) -> int | None:
    era_year = _era_year_value(era_year_text)
    if era_year is None:
        return None
    try:
        return wareki.to_western_year(_ERA_SYMBOLS.get(era_text, era_text), era_year)
    except ValueError:
        return None


def _plausible(year: int) -> bool:
    return 1868 <= year <= 2999


def _date_terms(year: int | None, month: str, day: str) -> tuple[str, ...]:
    if year is None or not _plausible(year):
        return ()
    try:
        value = date(year, int(month), int(day))
    except ValueError:
        return ()
    return (f"d{value:%Y%m%d}", f"y{year}")


def _span_terms(match: re.Match[str]) -> tuple[str, ...]:
    """Terms of one match of _YEAR_RE; ambiguous or impossible values give none."""
    group = match.group
    if group("de"):
        year = _western_from_era(group("de"), group("dy"))
        return _date_terms(year, group("dm") or group("dm2"), group("dd") or group("dd2"))
    if group("wy"):
        return _date_terms(
            int(group("wy")), group("wm") or group("wm2"), group("wd") or group("wd2")
        )
    if group("yy"):
        year = int(group("yy"))
        prefix = "fy" if group("ys") == "年度" else "y"
        return (f"{prefix}{year}",) if _plausible(year) else ()
    if group("fy"):
        year = int(group("fy"))
        return (f"fy{year}",) if _plausible(year) else ()
    suffix = group("es") or group("rs") or ""
    if not (suffix or group("em")) and normalize(group("ee")) in _BARE_UNLIKELY:
        return ()  # S3, T1, M2 are product names far more often than 年度
    first = _western_from_era(group("ee"), group("ey"))
    if first is None:
        return ()
    first_prefix = "y" if group("em") or suffix == "年" else "fy"
    terms = [f"{first_prefix}{first}"]
    if group("ry"):
        last = _western_from_era(group("re") or group("ee"), group("ry"))
        if last is not None and last > first:
            terms.append(f"{'y' if (group('rs') or suffix) == '年' else 'fy'}{last}")
    return tuple(terms)


def canonical_year_spans(text: str) -> list[CanonicalSpan]:
    """Years, 年度 and dates in a text with their canonical terms (see the module table)."""
    if not _YEAR_HINT_RE.search(text):
        return []
    spans = []
    for match in _YEAR_RE.finditer(text):
        terms = _span_terms(match)
        if terms:
            spans.append(CanonicalSpan(match.start(), match.end(), terms))
    return spans


def canonical_year_tokens(text: str) -> list[str]:
    """Canonical terms of the years, 年度 and dates in a text (R5 / 2023年度 → fy2023)."""
    return [term for span in canonical_year_spans(text) for term in span.terms]


# --- Sudachi -------------------------------------------------------------------

SUDACHI_MAX_BYTES = 49_149  # SudachiPy refuses longer input (UTF-8 bytes)

_dictionary: Dictionary | None = None
_dictionary_lock = threading.Lock()
_local = threading.local()


def _tokenizer() -> Tokenizer:
    """One dictionary per process, loaded on first use; one tokenizer per thread (cheap)."""
    global _dictionary
    tokenizer: Tokenizer | None = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        if _dictionary is None:
            with _dictionary_lock:
                if _dictionary is None:
                    _dictionary = Dictionary(dict="core")
        tokenizer = _dictionary.create(mode=SplitMode.C)
        _local.tokenizer = tokenizer
    return tokenizer


_SENTENCE_RE = re.compile(r"[^。！？!?\n]*(?:[。！？!?\n]+|$)")


def _chunks(text: str, max_bytes: int = SUDACHI_MAX_BYTES) -> Iterator[tuple[int, str]]:
    """Pieces of at most max_bytes UTF-8 bytes with their offsets, cut after 。！？ or a newline.

    A single sentence that is still too long is cut at any character.
    """
    if len(text) * 4 <= max_bytes or len(text.encode()) <= max_bytes:
        yield 0, text
        return
    chunk_start = 0
    chunk_bytes = 0
    position = 0
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group()
        if not sentence:
            continue
        size = len(sentence.encode())
        if chunk_bytes + size > max_bytes and position > chunk_start:
            yield chunk_start, text[chunk_start:position]
            chunk_start, chunk_bytes = position, 0
        if size > max_bytes:
            yield from _hard_cut(sentence, position, max_bytes)
            chunk_start, chunk_bytes = position + len(sentence), 0
        else:
            chunk_bytes += size
        position += len(sentence)
    if position > chunk_start:
        yield chunk_start, text[chunk_start:position]


def _hard_cut(sentence: str, offset: int, max_bytes: int) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(sentence):
        end = min(len(sentence), start + max_bytes // 4)
        # Grow while it still fits: ASCII-heavy text would otherwise be cut 4x too often.
        while end < len(sentence) and len(sentence[start : end + 1024].encode()) <= max_bytes:
            end = min(len(sentence), end + 1024)
        yield offset + start, sentence[start:end]
        start = end


def _morphemes(text: str) -> Iterator[tuple[int, MorphemeList]]:
    """Mode C morphemes of each chunk; 異体字 are folded first (same length, same offsets)."""
    analysed = text.translate(_VARIANT_FOLD) if _VARIANT_RE.search(text) else text
    tokenizer = _tokenizer()
    for offset, chunk in _chunks(analysed):
        yield offset, tokenizer.tokenize(chunk)


@dataclass(frozen=True, slots=True)
class _PosInfo:
    pos: tuple[str, ...]
    indexed: bool  # worth a term in the index
    content: bool  # worth a term in a query
    number: bool


_FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞"})
# Formal nouns that carry no meaning of their own when written in hiragana.
_FORMAL_NOUNS = frozenset(
    {"こと", "もの", "ため", "ところ", "とき", "ほか", "うち", "はず", "わけ"}
)
_pos_cache: dict[int, _PosInfo] = {}


def _pos_info(morpheme: Morpheme) -> _PosInfo:
    pos_id = morpheme.part_of_speech_id()
    info = _pos_cache.get(pos_id)
    if info is None:
        pos = tuple(morpheme.part_of_speech())
        info = _PosInfo(
            pos=pos,
            indexed=pos[0] not in _FUNCTION_POS,
            content=pos[0] in _CONTENT_POS and pos[1] != "非自立可能",
            number=pos[1] == "数詞",
        )
        _pos_cache[pos_id] = info
    return info


def _is_unknown_word(morpheme: Morpheme) -> bool:
    """An out-of-vocabulary unit made of letters or digits (a rare kanji, a product name)."""
    return morpheme.is_oov() and any(char.isalnum() for char in morpheme.surface())


@lru_cache(maxsize=65_536)
def _term(normalized_form: str) -> str:
    return normalize(normalized_form)


def _number_term(surface: str, normalized_form: str) -> str:
    return canonical_number(surface) or canonical_number(normalized_form) or _term(normalized_form)


@dataclass(frozen=True, slots=True)
class SubToken:
    """A mode A unit inside a Token; offsets are into the original text."""

    surface: str
    normalized: str
    pos: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A mode C unit: surface as written, Sudachi's normalized form (ＤＸ→DX, 取組む→取り組む).

    start/end are character offsets into the original text (text[start:end] == surface).
    sub_tokens are its mode A units, never empty: an unsplit unit is its own only sub-token.
    is_content_word follows the query rule: nouns, verbs, adjectives, 形状詞, numbers
    and unknown words; not particles, auxiliaries, symbols or light verbs (する, なる).
    """

    surface: str
    normalized: str
    pos: tuple[str, ...]
    start: int
    end: int
    is_content_word: bool
    is_number: bool
    is_oov: bool
    sub_tokens: tuple[SubToken, ...]

    @property
    def term(self) -> str:
        """The index/query term of this unit (canonical for numbers)."""
        if self.is_number:
            return _number_term(self.surface, self.normalized)
        return _term(self.normalized)


def _is_content(info: _PosInfo, morpheme: Morpheme, surface: str) -> bool:
    if info.content:
        return not (surface in _FORMAL_NOUNS and info.pos[0] == "名詞")
    return _is_unknown_word(morpheme)


def tokenize(text: str) -> list[Token]:
    """Mode C tokens of a text of any length (whitespace units left out)."""
    tokens = []
    for offset, morphemes in _morphemes(text):
        for morpheme in morphemes:
            info = _pos_info(morpheme)
            if info.pos[0] == "空白":
                continue
            start, end = offset + morpheme.begin(), offset + morpheme.end()
            surface = text[start:end]
            normalized = morpheme.normalized_form()
            parts = morpheme.split(SplitMode.A)
            if len(parts) > 1:
                sub_tokens = tuple(
                    SubToken(
                        surface=text[offset + part.begin() : offset + part.end()],
                        normalized=part.normalized_form(),
                        pos=_pos_info(part).pos,
                        start=offset + part.begin(),
                        end=offset + part.end(),
                    )
                    for part in parts
                )
            else:
                sub_tokens = (SubToken(surface, normalized, info.pos, start, end),)
            tokens.append(
                Token(
                    surface=surface,
                    normalized=normalized,
                    pos=info.pos,
                    start=start,
                    end=end,
                    is_content_word=_is_content(info, morpheme, surface),
                    is_number=info.number,
                    is_oov=morpheme.is_oov(),
                    sub_tokens=sub_tokens,
                )
            )
    return tokens


def index_terms(text: str) -> list[str]:
    """Terms to index a passage by, in text order with repeats (for BM25).

    Each mode C unit that is not a particle, auxiliary or symbol gives its normalised
    Sudachi normalized form (numbers their canonical_number); a unit that mode A splits
    adds its parts the same way (人材育成 → 人材育成, 人材, 育成); each year, 年度 or
    date adds its canonical terms (fy2023, y2023, d20230401).
    """
    spans = canonical_year_spans(text)
    terms: list[str] = []
    next_span = 0
    pos_cache = _pos_cache  # hot loop: runs on every indexed passage
    for offset, morphemes in _morphemes(text):
        for morpheme in morphemes:
            info = pos_cache.get(morpheme.part_of_speech_id()) or _pos_info(morpheme)
            if not info.indexed and not _is_unknown_word(morpheme):
                continue
            start = offset + morpheme.begin()
            while next_span < len(spans) and spans[next_span].start <= start:
                terms.extend(spans[next_span].terms)
                next_span += 1
            terms.append(_morpheme_term(morpheme, info))
            parts = morpheme.split(SplitMode.A)
            if len(parts) > 1:
                for part in parts:
                    part_info = pos_cache.get(part.part_of_speech_id()) or _pos_info(part)
                    if part_info.indexed:
                        terms.append(_morpheme_term(part, part_info))
    for span in spans[next_span:]:
        terms.extend(span.terms)
    return [term for term in terms if term]


def _morpheme_term(morpheme: Morpheme, info: _PosInfo) -> str:
    if info.number:
        return _number_term(morpheme.surface(), morpheme.normalized_form())
    return _term(morpheme.normalized_form())


MAX_QUERY_TERMS = 64


def query_terms(text: str) -> list[str]:
    """Distinct content-word terms of a query, in order, at most MAX_QUERY_TERMS.

    Uses the same terms as index_terms for nouns, verbs, adjectives, numbers and unknown
    words; a year, 年度 or date replaces the units it covers by its canonical terms, so
    令和5年度 and 2023年度 both query fy2023. A search that needs looser matching can
    also look up each token's sub_tokens.
    """
    spans = canonical_year_spans(text)
    span_starts = [span.start for span in spans]
    found: list[tuple[int, tuple[str, ...]]] = [(span.start, span.terms) for span in spans]
    for token in tokenize(text):
        if not token.is_content_word:
            continue
        index = bisect.bisect_right(span_starts, token.start) - 1
        if index >= 0 and token.start < spans[index].end:
            continue  # inside a year/date: represented by its canonical terms
        if index + 1 < len(spans) and spans[index + 1].start < token.end:
            continue  # straddles the start of a year/date
        found.append((token.start, (token.term,)))
    found.sort(key=lambda item: item[0])
    terms: list[str] = []
    seen: set[str] = set()
    for _, item_terms in found:
        for term in item_terms:
            if term and term not in seen:
                seen.add(term)
                terms.append(term)
    return terms[:MAX_QUERY_TERMS]
