"""Figures a case states as targets or results (CaseFact), each with its sentence.

A fact is a number followed by a counting unit: 名/人 (人数), 時間, %/割 (割合),
円 (金額), 年間/か月 (期間), 市町村/団体/自治体 (団体数). Anything else a number
can be — a date (令和5年4月), a section (第10回, (1)), a page, a phone number —
has no such unit and is never a fact. On top of that, a few cheap rules keep
the list short enough to read: one person or one hour is not a target (各所属
1名, 1人1台), a range end (5～6名) or a population (人口92.9万人) is not one.

The head count of a 団体's staff (職員約3,600人の12.5%, 職員数3,600人) is the
base of a target, not one.

``per_year`` is set when the figure's own clause (between 、・。 and tabs) says
it recurs: 毎年, 毎年度, 年間N名, 1年あたり, 次年度以降, or a 第N期 cohort (cohorts
of a programme are yearly), with no other number between the word and the
figure (年間5回以内(2時間…) is about the 5回). A figure per session (2時間以上/回)
is never per year. ``fiscal_year`` is the 年度 written before the number in the
same clause (令和13年度までには計210名 → 2031), else right after it in that
clause (32名（令和6年度）), else the 年度 the sentence opens with
(令和6年度は、…32名が修了); a relative year (次年度以降) in between means none.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

from hagukumi.cases.models import FactKind
from hagukumi.core.japanese_text import canonical_number
from hagukumi.core.wareki import parse_fiscal_year

MAX_SENTENCE = 240

# Longest unit first: 市区町村 before 市町村, か月間 before か月.
UNITS: tuple[tuple[str, FactKind], ...] = (
    ("市区町村", FactKind.ORGANIZATIONS),
    ("市町村", FactKind.ORGANIZATIONS),
    ("自治体", FactKind.ORGANIZATIONS),
    ("都道府県", FactKind.ORGANIZATIONS),
    ("団体", FactKind.ORGANIZATIONS),
    ("パーセント", FactKind.RATIO),
    ("時間", FactKind.HOURS),
    ("年間", FactKind.PERIOD),
    ("か月間", FactKind.PERIOD),
    ("ヶ月間", FactKind.PERIOD),
    ("カ月間", FactKind.PERIOD),
    ("ケ月間", FactKind.PERIOD),
    ("か月", FactKind.PERIOD),
    ("ヶ月", FactKind.PERIOD),
    ("カ月", FactKind.PERIOD),
    ("ケ月", FactKind.PERIOD),
    ("名", FactKind.PEOPLE),
    ("人", FactKind.PEOPLE),
    ("%", FactKind.RATIO),
    ("割", FactKind.RATIO),
    ("円", FactKind.AMOUNT),
)
UNIT_KIND = dict(UNITS)
# A unit character that starts a longer word is not a unit: 名称, 人材, 人口, 割合, 円滑.
NOT_AFTER_UNIT = {
    "名": "称前簿義刺所物産目",
    "人": "材事口員間物的件権工気生格類手情前脈数",
    "割": "合引愛り振当",
    "円": "滑形卓満",
    "団体": "的",
    "時間": "外帯割",
}
MIN_VALUE = {FactKind.PEOPLE: 2, FactKind.HOURS: 2, FactKind.ORGANIZATIONS: 2}
# More people than any 団体 employs is a national statistic (約45万人不足), not a target.
MAX_VALUE = {FactKind.PEOPLE: 100_000, FactKind.ORGANIZATIONS: 1_800, FactKind.RATIO: 1000}

_KANJI_DIGITS = "〇一二三四五六七八九"
# A lone 万 or 千 is not a number (単位 万円), so a kanji number holds a digit or 十.
_KANJI_NUMBER = "[百千]?[〇一二三四五六七八九十][〇一二三四五六七八九十百千万億]*"
_ARABIC_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
_UNIT_PATTERN = "|".join(re.escape(unit) for unit, _kind in UNITS)
FACT_RE = re.compile(
    rf"(?P<number>{_ARABIC_NUMBER}(?P<mult>[万千億])?|{_KANJI_NUMBER})\s?(?P<unit>{_UNIT_PATTERN})"
)
PER_YEAR_RE = re.compile(
    r"毎年|各年度|年度ごと|年ごと|年あたり|年当たり|単年度|次年度以降|第[0-9]+期"
    r"|(?<![0-9〇一二三四五六七八九十])年間(?![0-9]*[でに])"
)
FISCAL_YEAR_RE = re.compile(
    r"(?:令和|平成)(?:[0-9]{1,2}|元)年度"
    r"|[RH][0-9]{1,2}(?:年度|(?=まで))"
    r"|(?:19|20)[0-9]{2}(?:\((?:令和|平成)(?:[0-9]{1,2}|元)\))?年度"
)
# A year stated relative to another (次年度以降): the figure has no 年度 of its own.
_YEAR_OR_RELATIVE_RE = re.compile(
    rf"(?P<absolute>{FISCAL_YEAR_RE.pattern})|(?P<relative>次年度|翌年度|来年度|前年度|昨年度)"
)
# After a figure: it is counted per session or per person (2時間以上/回), not per year.
_PER_OTHER_RE = re.compile(r"^(?:以上|以下|未満|程度|前後|まで)?\s*[/／]\s*(?:回|人|名|日|件|コマ)")
# Before a head count: the staff of the 団体 (職員約3,600人, 職員数は3,600人).
_STAFF_TOTAL_BEFORE = re.compile(r"職員(?:数|総数)[はがの:：\s（(]*(?:約|およそ|概ね)?$")
_STAFF_ABOUT_BEFORE = re.compile(r"職員[はがの:：\s（(]*(?:約|およそ|概ね)$")
_STAFF_BEFORE = re.compile(r"職員[はがの:：\s（(]*$")
_BASE_AFTER = ("の", "中", "に対", "）", ")")
# Full-width ASCII (２４００, ％, ～ stays) and the ideographic space to ASCII.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CLAUSE_BREAK = re.compile(r"[・、。;；\t]")
# Breaks between items of a list or cells of a row: a sentence's opening 年度 stops there.
_ITEM_BREAK = re.compile(r"[・。;；\t]")
_DIGIT = re.compile(r"[0-9]")
_CJK = re.compile(r"[\u3400-\u9fff々]")
_BLOCK_TAG = re.compile(r"</?(?:p|div|ul|ol|li|br|tr|td|th|table|h[1-6])\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]{0,500}>")


@dataclass(frozen=True)
class ExtractedFact:
    kind: FactKind
    value: Decimal
    unit: str
    fiscal_year: int | None
    per_year: bool
    sentence: str
    position: int


def extract_facts(body: str) -> list[ExtractedFact]:
    """Every target/result figure in the body, in order, without repeats.

    The same figure (kind, value, unit, per-year, 年度) stated twice is kept
    once, with the first sentence that states it.
    """
    facts: list[ExtractedFact] = []
    seen: set[tuple[str, Decimal, str, bool, int | None]] = set()
    for position, sentence in sentences(body):
        for fact in _facts_in(sentence, position):
            key = (fact.kind, fact.value, fact.unit, fact.per_year, fact.fiscal_year)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts


def plain_text(body: str) -> str:
    """The body without HTML tags (block tags become line breaks), full-width ASCII folded.

    Not NFKC: that would turn ③ into 3 and invent numbers.
    """
    text = _BLOCK_TAG.sub("\n", body)
    text = _ANY_TAG.sub(" ", text)
    return html.unescape(text).translate(_WIDTH_FOLD)


def sentences(body: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs of the plain text.

    Lines a PDF extraction broke mid-sentence (short lines in a block without
    tabs) are joined back; table rows stay one sentence each; very long pieces
    (HTML table cells) are cut at 。, tabs and ○ bullets.
    """
    text = plain_text(body)
    result: list[tuple[int, str]] = []
    offset = 0
    for block in re.split(r"\n\s*\n", text):
        start = text.find(block, offset)
        offset = start + len(block)
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if (
            len(lines) > 1
            and all(len(line) <= 40 and "\t" not in line for line in lines)
            and not any(line[0] in "-・◆□■○●※①②③④⑤⑥⑦⑧⑨⑩" for line in lines[1:])
        ):
            lines = ["".join(lines)]
        for line in lines:
            for piece in _cut(line):
                piece = piece.strip(" -・◆□■○●\u3000")
                if piece:
                    result.append((start, piece))
    return result


def _cut(line: str) -> list[str]:
    out: list[str] = []
    for piece in re.split(r"(?<=。)", line):
        if len(piece) > MAX_SENTENCE:
            out.extend(re.split(r"\t|(?=○)|(?=\s・)", piece))
        else:
            out.append(piece)
    return [piece for piece in out if piece.strip()]


def _facts_in(sentence: str, position: int) -> list[ExtractedFact]:
    found: list[ExtractedFact] = []
    for match in FACT_RE.finditer(sentence):
        unit = match["unit"]
        kind = UNIT_KIND[unit]
        start, end = match.span()
        before = sentence[:start]
        after = sentence[end : end + 1]
        if after and after in NOT_AFTER_UNIT.get(unit, ""):
            continue
        if before.endswith(("～", "~", "〜", "-", "−", "/", ".", "第")):
            continue  # a range end (5～6名), a date or a numbering
        number = match["number"]
        if number[0] in _KANJI_DIGITS + "十百千万億" and before and _CJK.match(before[-1]):
            continue  # part of a word: 統一人材, 数千円
        if kind == FactKind.PEOPLE and "人口" in sentence:
            continue
        if re.search(r"各[^\s、。0-9]{1,4}$", before) or sentence.startswith("ずつ", end):
            continue  # a per-unit rule (各所属1名, 二人ずつ), not a count
        if kind == FactKind.PEOPLE and _is_staff_total(before, sentence[end:]):
            continue  # the 団体's staff, the base a target is a share of
        value = parse_number(number)
        if value is None or value == 0 or value < MIN_VALUE.get(kind, 0):
            continue
        if kind in MAX_VALUE and value > MAX_VALUE[kind]:
            continue
        found.append(
            ExtractedFact(
                kind=kind,
                value=value,
                unit=unit,
                fiscal_year=_fiscal_year_of(sentence, start, end),
                per_year=_is_per_year(sentence, start, end),
                sentence=_clip(sentence, start),
                position=position + start,
            )
        )
    return found


def _is_staff_total(before: str, after: str) -> bool:
    """職員約3,600人 / 職員数3,600人 / 職員3,600名のうち: the staff, not people to train."""
    if _STAFF_TOTAL_BEFORE.search(before) or _STAFF_ABOUT_BEFORE.search(before):
        return True
    return _STAFF_BEFORE.search(before) is not None and after.startswith(_BASE_AFTER)


def _is_per_year(sentence: str, start: int, end: int) -> bool:
    """A recurrence word in the figure's own clause, with no other number in between."""
    if _PER_OTHER_RE.match(sentence[end:]):
        return False
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    next_break = _CLAUSE_BREAK.search(sentence, end)
    clause_end = next_break.start() if next_break else len(sentence)
    for marker in PER_YEAR_RE.finditer(sentence, clause_start, clause_end):
        if marker.end() <= start:
            between = sentence[marker.end() : start]
        elif marker.start() >= end:
            between = sentence[end : marker.start()]
        else:
            continue
        if not _DIGIT.search(between):
            return True
    return False


def _fiscal_year_of(sentence: str, start: int, end: int) -> int | None:
    """The 年度 a figure is for (see the module docstring for where it is looked for)."""
    before = sentence[:start]
    clause = _CLAUSE_BREAK.split(before)[-1]
    found = _last_year(clause)
    if found is not None:
        return found or None
    after = _CLAUSE_BREAK.split(sentence[end:])[0]
    next_figure = FACT_RE.search(after)
    year = FISCAL_YEAR_RE.search(after[: next_figure.start()] if next_figure else after)
    if year is not None:
        return _parse_year(year.group(0))
    return _last_year(_ITEM_BREAK.split(before)[-1]) or None


def _last_year(text: str) -> int | None:
    """The last 年度 stated in ``text``: its year, 0 for a relative one, None for none."""
    matches = list(_YEAR_OR_RELATIVE_RE.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    if last.group("relative"):
        return 0
    return _parse_year(last.group(0)) or 0


def _parse_year(written: str) -> int | None:
    try:
        return parse_fiscal_year(written.replace("年度", "") + "年度")
    except ValueError:
        return None


def _clip(sentence: str, at: int) -> str:
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    start = max(0, min(at - MAX_SENTENCE // 2, len(sentence) - MAX_SENTENCE))
    clipped = sentence[start : start + MAX_SENTENCE]
    return ("…" if start else "") + clipped + ("…" if start + MAX_SENTENCE < len(sentence) else "")


def parse_number(text: str) -> Decimal | None:
    """2,400 / 2400 / ２４００ / 二千四百 / 92.9万 → Decimal (via core.japanese_text), else None."""
    canonical = canonical_number(text)
    return Decimal(canonical) if canonical is not None else None
