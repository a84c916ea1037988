"""Japanese text for matching: normalisation, kana names, Sudachi tokens, canonical terms."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from hagukumi.core import japanese_text as jt

SEEDS = Path(__file__).resolve().parents[3] / "data" / "seeds"


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


# --- normalize ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ＤＸ推進", "dx推進"),
        ("DX推進", "dx推進"),
        ("２４００", "2400"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("やまだ", "ヤマダ"),
        ("ヤマダ", "ヤマダ"),
        ("  人材\u3000\u3000育成 \n 計画  ", "人材 育成 計画"),
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斎藤"),
        ("濵田", "浜田"),
        ("櫻井", "桜井"),
        ("𠮷田", "吉田"),
        ("霞ヶ関", "霞ケ関"),
        ("葛\U000e0100城", "葛城"),  # a variation selector only picks a glyph
        ("①人材像", "1人材像"),
        ("", ""),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert jt.normalize(text) == key


def test_normalize_makes_kana_and_width_insensitive_keys() -> None:
    assert jt.normalize("ﾃﾞｼﾞﾀﾙ人材") == jt.normalize("でじたる人材") == jt.normalize("デジタル人材")


def test_normalize_is_idempotent_on_the_seeds() -> None:
    for path in sorted(SEEDS.glob("[0-9]*_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            once = jt.normalize(line)
            assert jt.normalize(once) == once


def test_normalize_is_idempotent_on_every_bmp_character() -> None:
    for code_point in range(0x20, 0x10000):
        if 0xD800 <= code_point <= 0xDFFF:
            continue
        once = jt.normalize(chr(code_point))
        assert jt.normalize(once) == once, hex(code_point)


def test_name_variants_are_single_code_points() -> None:
    # Required so the table can be applied before Sudachi without moving offsets.
    for variant, standard in jt.NAME_VARIANTS.items():
        assert len(variant) == 1
        assert len(standard) == 1


# --- kana ----------------------------------------------------------------------------


def test_to_katakana() -> None:
    assert jt.to_katakana("やまだ ﾀﾛｳ 山田") == "ヤマダ タロウ 山田"
    assert jt.to_katakana("ゔぁいおりん") == "ヴァイオリン"


@pytest.mark.parametrize(
    ("text", "kana"),
    [
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
        ("やまだ　たろう", "ヤマダ\u3000タロウ"),
        ("  ヤマダ   タロウ ", "ヤマダ\u3000タロウ"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
        ("ヤマダ", "ヤマダ"),
        ("", ""),
    ],
)
def test_normalize_kana_name(text: str, kana: str) -> None:
    assert jt.normalize_kana_name(text) == kana


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("山田 タロウ", "カナ以外の文字（漢字「山田」）が含まれています"),
        ("Yamada", "カナ以外の文字（英字「Yamd」）が含まれています"),
        ("ＹＡＭＡＤＡ", "英字"),
        ("ヤマダ1", "数字「1」"),
        ("ヤマダ-タロウ", "記号など「-」"),
        ("佐々木 ケン", "漢字「佐々木」"),
    ],
)
def test_normalize_kana_name_rejects_non_kana(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        jt.normalize_kana_name(text)


# --- numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2,400", "2400", "２４００", "２，４００", "二千四百", "2千4百"])
def test_canonical_number_2400(text: str) -> None:
    assert jt.canonical_number(text) == "2400"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", "10"),
        ("二十", "20"),
        ("百二十三", "123"),
        ("千", "1000"),
        ("一万", "10000"),
        ("1万2千", "12000"),
        ("3億5000万", "350000000"),
        ("一億二千三百四十五万六千七百八十九", "123456789"),
        ("二〇二三", "2023"),
        ("1.5万", "15000"),
        ("0.50", "0.5"),
        ("45万", "450000"),
        ("1,000,000", "1000000"),
        ("壱万弐千", "12000"),
    ],
)
def test_canonical_number(text: str, value: str) -> None:
    assert jt.canonical_number(text) == value


@pytest.mark.parametrize("text", ["", "万", "千葉", "1,23", "十百", "万億", "1.2.3", "abc"])
def test_canonical_number_rejects_what_is_not_a_number(text: str) -> None:
    assert jt.canonical_number(text) is None


def test_canonical_number_agrees_with_int_for_digit_strings() -> None:
    for value in [*range(0, 2000), 10**6, 123456789, 10**12 + 7]:
        assert jt.canonical_number(str(value)) == str(value)
        assert jt.canonical_number(f"{value:,}") == str(value)


def _kanji(value: int) -> str:
    """Write 0 < value < 10**16 in kanji numerals the way a person would."""
    digits = "〇一二三四五六七八九"
    out = ""
    for big, big_name in ((10**12, "兆"), (10**8, "億"), (10**4, "万"), (1, "")):
        section, value = divmod(value, big)
        if not section:
            continue
        for small, small_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit, section = divmod(section, small)
            if digit:
                out += ("" if digit == 1 and small_name else digits[digit]) + small_name
        out += big_name
    return out


def test_canonical_number_reads_kanji_numerals() -> None:
    samples = [*range(1, 3000), 10000, 10001, 21000, 99999999, 100000000, 120003456789]
    for value in samples:
        assert jt.canonical_number(_kanji(value)) == str(value), _kanji(value)


# --- years -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["令和5年度", "R5", "R5年度", "2023年度", "令和５年度", "ｒ５", "令和五年度", "FY2023"]
)
def test_fiscal_year_2023_written_any_way(text: str) -> None:
    assert jt.canonical_year_tokens(text) == ["fy2023"]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("令和元年度", ["fy2019"]),
        ("平成31年度", ["fy2019"]),
        ("令和元年", ["y2019"]),
        ("平成31年", ["y2019"]),
        ("2019年", ["y2019"]),
        ("平成32年度", ["fy2020"]),  # old plans wrote it before the change of era
        ("令和2年4月1日", ["d20200401", "y2020"]),
        ("R2.4.1", ["d20200401", "y2020"]),
        ("2020-04-01", ["d20200401", "y2020"]),
        ("2020年4月1日", ["d20200401", "y2020"]),
        ("R4.6月", ["y2022"]),
        ("R5～R7（3年間）", ["fy2023", "fy2025"]),
        ("令和6～10年度", ["fy2024", "fy2028"]),
        ("2024（令和6）年度", ["fy2024"]),
        ("S63年度", ["fy1988"]),
        ("S3バケット", []),
        ("<h2>見出し</h2>", []),
        ("H2O", []),
        ("R2.2.30", []),
        ("1000年", []),
        ("10年度", []),
    ],
)
def test_canonical_year_tokens(text: str, terms: list[str]) -> None:
    assert jt.canonical_year_tokens(text) == terms


def test_canonical_year_spans_point_into_the_text() -> None:
    text = "本市は令和５年度から2,400人を育成する。"
    (span,) = jt.canonical_year_spans(text)
    assert text[span.start : span.end] == "令和５年度"
    assert span.terms == ("fy2023",)


# --- tokenize ------------------------------------------------------------------------


def test_mode_c_keeps_compounds_and_mode_a_splits_them() -> None:
    (token,) = [t for t in jt.tokenize("人材育成を進める") if t.surface == "人材育成"]
    assert (token.start, token.end) == (0, 4)
    assert [s.surface for s in token.sub_tokens] == ["人材", "育成"]
    assert [(s.start, s.end) for s in token.sub_tokens] == [(0, 2), (2, 4)]


def test_sudachi_normalized_forms() -> None:
    tokens = {t.surface: t for t in jt.tokenize("ＤＸを取組む")}
    assert tokens["ＤＸ"].normalized == "DX"
    assert tokens["取組む"].normalized == "取り組む"
    assert tokens["取組む"].pos[0] == "動詞"


def test_unsplit_unit_is_its_own_sub_token() -> None:
    token = jt.tokenize("推進")[0]
    assert len(token.sub_tokens) == 1
    assert token.sub_tokens[0].surface == "推進"


def test_content_words() -> None:
    tokens = jt.tokenize("DXを推進することが必要です。2,400人")
    content = [t.surface for t in tokens if t.is_content_word]
    assert content == ["DX", "推進", "必要", "2,400"]
    assert next(t for t in tokens if t.surface == "2,400").is_number


def test_name_variants_tokenize_like_the_standard_form() -> None:
    (yoshida,) = jt.tokenize("𠮷田")
    assert yoshida.surface == "𠮷田"
    assert yoshida.normalized == "吉田"
    assert yoshida.pos[:2] == ("名詞", "固有名詞")


def _assert_offsets(text: str, tokens: list[jt.Token]) -> None:
    position = 0
    for token in tokens:
        assert text[token.start : token.end] == token.surface
        assert not text[position : token.start].strip(), "only whitespace between tokens"
        for sub in token.sub_tokens:
            assert text[sub.start : sub.end] == sub.surface
            assert token.start <= sub.start < sub.end <= token.end
        position = token.end
    assert not text[position:].strip()


def test_offsets_on_every_seed() -> None:
    for path in sorted(SEEDS.glob("[0-9]*_*.txt")):
        text = path.read_text(encoding="utf-8")
        _assert_offsets(text, jt.tokenize(text))


def test_text_over_sudachi_limit_is_chunked_with_correct_offsets() -> None:
    seed = _seed("001")
    text = seed * 3
    assert len(text.encode()) > 3 * jt.SUDACHI_MAX_BYTES
    tokens = jt.tokenize(text)
    _assert_offsets(text, tokens)
    single = [t.surface for t in jt.tokenize(seed)]
    assert len(tokens) == 3 * len(single)
    assert [t.surface for t in tokens] == single * 3


def test_a_sentence_over_the_limit_is_cut_anywhere() -> None:
    text = "人材育成" * 20_000 + "。終わり"  # 240 kB without a sentence end
    _assert_offsets(text, jt.tokenize(text))
    text = "a" * 120_000
    _assert_offsets(text, jt.tokenize(text))


@pytest.mark.parametrize("max_bytes", [16, 50, 100, 1000])
def test_chunks_cover_the_text_and_respect_the_limit(max_bytes: int) -> None:
    text = _seed("003")
    chunks = list(jt._chunks(text, max_bytes=max_bytes))
    assert "".join(chunk for _, chunk in chunks) == text
    position = 0
    for offset, chunk in chunks:
        assert offset == position
        assert len(chunk.encode()) <= max_bytes
        position += len(chunk)


def test_chunks_cut_after_sentence_ends() -> None:
    text = "一文目です。二文目です！三文目？\n四文目"
    chunks = [chunk for _, chunk in jt._chunks(text, max_bytes=20)]
    assert chunks == ["一文目です。", "二文目です！", "三文目？\n", "四文目"]


def test_tokenize_from_several_threads() -> None:
    results: list[list[str]] = []

    def work() -> None:
        results.append([t.surface for t in jt.tokenize("人材育成と確保")])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [["人材育成", "と", "確保"]] * 8


# --- index and query terms ---------------------------------------------------------------


def test_index_terms_have_mode_c_and_mode_a_units() -> None:
    terms = jt.index_terms("人材育成を推進する")
    assert terms[:3] == ["人材育成", "人材", "育成"]
    assert "推進" in terms
    assert "を" not in terms


def test_index_terms_are_normalised() -> None:
    terms = jt.index_terms("ＤＸを取組む")
    assert "dx" in terms
    assert jt.normalize("取り組む") in terms


@pytest.mark.parametrize("written", ["2,400人", "2400人", "２４００人", "二千四百人"])
def test_the_same_number_gives_the_same_term(written: str) -> None:
    assert "2400" in jt.index_terms(f"3年間で{written}を育成")
    assert jt.query_terms(written) == ["2400"]


@pytest.mark.parametrize("written", ["令和5年度", "R5", "R5年度", "2023年度", "令和５年度"])
def test_the_same_fiscal_year_gives_the_same_term(written: str) -> None:
    assert "fy2023" in jt.index_terms(f"{written}に研修を開始")
    assert jt.query_terms(f"{written} 研修") == ["fy2023", "研修"]


def test_index_terms_place_year_terms_in_text_order() -> None:
    terms = jt.index_terms("研修を令和5年度に開始")
    assert terms.index("研修") < terms.index("fy2023") < terms.index("開始")


def test_query_terms_keep_content_words_only() -> None:
    assert jt.query_terms("デジタル人材を確保するためにはどうすればよいか") == [
        "デジタル",
        "人材",
        "確保",
    ]
    assert jt.query_terms("ＤＸ推進リーダーの育成") == ["dx", "推進", "リーダー", "育成"]


def test_query_terms_match_index_terms() -> None:
    passage = "北九州市は、令和5年度から3年間で2,400人のDX推進リーダーを育成する。"
    index = set(jt.index_terms(passage))
    for query in ["R5 DX推進", "２４００人 育成", "北九州市", "人材 育成 2023年度", "髙橋"]:
        missing = set(jt.query_terms(query)) - index
        if query in {"人材 育成 2023年度", "髙橋"}:
            assert missing  # words that are not in the passage stay unmatched
        else:
            assert not missing, (query, missing)


def test_query_terms_are_distinct_and_capped() -> None:
    words = " ".join(f"語{i}" for i in range(200))
    terms = jt.query_terms(words + " 研修 研修")
    assert len(terms) == jt.MAX_QUERY_TERMS
    assert len(terms) == len(set(terms))


def test_query_terms_fold_name_variants() -> None:
    assert jt.query_terms("髙橋") == jt.query_terms("高橋")
    assert jt.query_terms("𠮷田") == jt.query_terms("吉田")


def test_index_terms_on_a_long_document() -> None:
    text = _seed("001") * 2
    terms = jt.index_terms(text)
    assert terms.count("人材育成") >= 2
    assert all(terms)
    assert not any(" " in term for term in terms)
