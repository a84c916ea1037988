"""From what a document says to the case's metadata: 団体, 団体の属性, 公表年度, title.

``OrganizationDirectory`` holds the 団体 master in memory for one import run
and finds 団体 in text. A name that two 団体 share (府中市, 伊達市) only counts
when its prefecture is written with it (東京都府中市); a name inside a longer
one (京都市 in 東京都市…) is never matched because the scan is leftmost-longest.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from hagukumi.cases.documents import CaseDocument, CaseDocumentError
from hagukumi.core.wareki import fiscal_year_of, parse_fiscal_year, to_western_year
from hagukumi.orgs.models import Organization, OrganizationKind

# How far below the title the issuing 団体 and the issue date are looked for.
HEADER_LINES = 10
NATIONAL_ALIASES = ("国", "総務省")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]")


class OrganizationDirectory:
    """The 団体 master, indexed for lookup by name and for scanning text."""

    def __init__(self, organizations: list[Organization]) -> None:
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        self.by_full_name: dict[str, Organization] = {}
        self.national: Organization | None = None
        for org in organizations:
            if org.kind == OrganizationKind.NATIONAL:
                self.national = self.national or org
                continue
            if org.is_demo:
                continue
            self.by_name[org.name].append(org)
            if org.prefecture_id and org.kind != OrganizationKind.PREFECTURE:
                self.by_full_name[org.full_name] = org
        # First character → candidate names, longest first (leftmost-longest scan).
        self._starts: dict[str, list[tuple[str, Organization | None]]] = defaultdict(list)
        for name, orgs in self.by_name.items():
            self._starts[name[0]].append((name, orgs[0] if len(orgs) == 1 else None))
        for full_name, org in self.by_full_name.items():
            self._starts[full_name[0]].append((full_name, org))
        for candidates in self._starts.values():
            candidates.sort(key=lambda item: -len(item[0]))

    @classmethod
    def load(cls) -> OrganizationDirectory:
        return cls(list(Organization.objects.select_related("prefecture")))

    def lookup(self, name: str, *, org_type: str = "") -> Organization | None:
        """The one 団体 a written name means (full name, unique name, 国), else None."""
        name = unicodedata.normalize("NFKC", name).strip().replace(" ", "")
        if not name:
            return None
        if name in NATIONAL_ALIASES:
            return self.national
        if name in self.by_full_name:
            return self.by_full_name[name]
        candidates = self.by_name.get(name, [])
        if org_type and len(candidates) > 1:
            candidates = [org for org in candidates if org.get_kind_display() == org_type]
        return candidates[0] if len(candidates) == 1 else None

    def scan(self, text: str) -> list[tuple[int, str, Organization]]:
        """Every unambiguous 団体 named in ``text``: (offset, name as written, 団体).

        Skipped: names shared by several 団体 without their prefecture, names
        glued to a preceding kanji (本市, 同市 are not names; 新札幌市 is not 札幌市)
        and a ward right after its city (札幌市中央区 is not 東京都中央区).
        """
        found: list[tuple[int, str, Organization]] = []
        position = 0
        previous_end = -1
        length = len(text)
        while position < length:
            candidates = self._starts.get(text[position])
            matched = None
            if candidates:
                for name, org in candidates:
                    if text.startswith(name, position):
                        matched = (name, org)
                        break
            if matched is None:
                position += 1
                continue
            name, org = matched
            end = position + len(name)
            glued = position > 0 and _CJK.match(text[position - 1]) is not None
            after_city = position == previous_end
            if org is not None and not glued and not after_city:
                found.append((position, name, org))
            previous_end = end
            position = end
        return found

    def mentioned(self, text: str) -> list[Organization]:
        """Distinct 団体 named in the text, in order of first mention."""
        seen: dict[int, Organization] = {}
        for _offset, _name, org in self.scan(text):
            seen.setdefault(org.pk, org)
        return list(seen.values())


@dataclass(frozen=True)
class ResolvedMetadata:
    """Metadata ready to store on a Case (org_name/org_type as written or derived)."""

    case_no: str
    title: str
    fiscal_year: int | None
    org_type: str
    org_name: str
    organization: Organization | None
    category_major: str
    category_minor: str
    case_type: str
    source: str
    url: str


def resolve_metadata(document: CaseDocument, directory: OrganizationDirectory) -> ResolvedMetadata:
    """Metadata as written where the file gives it; detected from the text otherwise.

    Detection (plain text, PDF, Word): title = first heading or line; 団体 from
    【県市】 in the title, a name the title starts with, or a line naming it
    under the title (総務省 → 国); 公表年度 from an issue date on its own line
    under the title (令和6年2月 → 2023).
    """
    fields = document.fields
    body_head = _head_lines(document.body)
    title = fields.get("title", "").strip() or detect_title(body_head)
    if not title:
        raise CaseDocumentError(
            "タイトルがありません（1 行目に見出しを書くか、title を指定してください）。"
        )
    title = title[:500]

    org_name = fields.get("org_name", "").strip()
    org_type = fields.get("org_type", "").strip()
    organization = directory.lookup(org_name, org_type=org_type) if org_name else None
    if not org_name and document.detect:
        organization = detect_organization(title, body_head, directory)
        if organization is not None:
            org_name = organization.name
    if organization is not None and not org_type:
        org_type = organization.get_kind_display()

    fiscal_year: int | None = None
    written_year = fields.get("fiscal_year", "").strip()
    if written_year:
        try:
            fiscal_year = parse_fiscal_year(written_year)
        except ValueError as exc:
            raise CaseDocumentError(
                f"公表年度「{written_year}」を読み取れません（{exc}）。"
            ) from exc
    elif document.detect:
        fiscal_year = detect_fiscal_year(body_head)

    return ResolvedMetadata(
        case_no=fields.get("case_no", "").strip()[:40],
        title=title,
        fiscal_year=fiscal_year,
        org_type=org_type[:30],
        org_name=org_name[:100],
        organization=organization,
        category_major=fields.get("category_major", "").strip()[:100],
        category_minor=fields.get("category_minor", "").strip()[:100],
        case_type=fields.get("case_type", "").strip()[:100],
        source=fields.get("source", "").strip(),
        url=fields.get("url", "").strip()[:1000],
    )


def _head_lines(body: str) -> list[str]:
    lines: list[str] = []
    for raw in body.split("\n"):
        line = raw.strip()
        if line:
            lines.append(line)
        if len(lines) > HEADER_LINES:
            break
    return lines


_LEADING_NUMBER = re.compile(r"^\d{1,4}[\s.．、]+")
_LEADING_LABEL = re.compile(r"^[（(][^）)]{1,40}[）)]\s*")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def detect_title(head: list[str]) -> str:
    """The first markdown heading, else the first line that has words in it.

    A leading item number (「13 …」 of a 事例集) and a leading series label in
    brackets (「（自治体DX全体手順書・別冊） …」) are not part of the title.
    """
    heading = next((line for line in head if _MARKDOWN_HEADING.match(line)), None)
    candidates = [heading] if heading else head
    for line in candidates:
        title = _MARKDOWN_HEADING.sub("", line).strip()
        if not re.search(r"[^\d\s\W]", title):
            continue  # page numbers, rules
        title = _LEADING_NUMBER.sub("", title)
        without_label = _LEADING_LABEL.sub("", title)
        return (without_label or title).strip()
    return ""


_TITLE_TAG = re.compile(r"【([^】]{2,20})】")


def detect_organization(
    title: str, head: list[str], directory: OrganizationDirectory
) -> Organization | None:
    """The 団体 a document comes from, read off its title and the lines under it."""
    for tag in _TITLE_TAG.findall(title):
        org = directory.lookup(tag)
        if org is not None:
            return org
    found = directory.scan(title)
    if found and found[0][0] == 0:
        return found[0][2]
    for line in head[1:]:
        org = directory.lookup(line) if len(line) <= 12 else None
        if org is not None:
            return org
    return None


_ISSUE_DATE = re.compile(
    r"^(?:(?P<era>令和|平成|[RH])\s*(?P<era_year>\d{1,2}|元)|(?P<year>(?:19|20)\d{2}))"
    r"\s*年\s*(?P<month>\d{1,2})\s*月"
)


def detect_fiscal_year(head: list[str]) -> int | None:
    """公表年度 from an issue date that starts a short line under the title (令和8年2月 → 2025)."""
    for line in head[1:]:
        normalised = unicodedata.normalize("NFKC", line)
        if len(normalised) > 40:
            continue
        match = _ISSUE_DATE.match(normalised)
        if not match:
            continue
        month = int(match["month"])
        if not 1 <= month <= 12:
            continue
        if match["year"]:
            year = int(match["year"])
        else:
            era_year = 1 if match["era_year"] == "元" else int(match["era_year"])
            year = to_western_year(match["era"], era_year)
        return fiscal_year_of(date(year, month, 1))
    return None
