"""Reads of 団体 and 所属 that views, commands, the API and other apps share."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.japanese_text import normalize
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.codes import validate_organization_code
from hagukumi.orgs.models import Organization, Unit

# ---------------------------------------------------------------------------
# 団体


def organization_by_code(code: str) -> Organization:
    """The 団体 with this code (5 or 6 digits, check digit validated), or ApplicationError."""
    canonical = validate_organization_code(code)
    organization = Organization.objects.select_related("prefecture").filter(code=canonical).first()
    if organization is None:
        raise ApplicationError(f"団体コード {canonical} の団体は登録されていません。")
    return organization


def organization_by_code_or_name(text: str) -> Organization:
    """The 団体 a command-line `--organization` names: a 団体コード or an exact, unique name.

    A code is 5 or 6 digits (check digit validated). A name must equal the
    団体名 (札幌市, デモ市) or the full name with its prefecture (北海道札幌市),
    compared as `normalize` does; a name that several 団体 share (府中市) is
    refused with every candidate's code, so the operator can pick one.
    """
    given = (text or "").strip()
    digits = unicodedata.normalize("NFKC", given)
    if not given:
        raise ApplicationError("団体を団体コードか団体名で指定してください。")
    if digits.isascii() and digits.isdigit():
        return organization_by_code(digits)
    key = _match_key(given)
    matches = [
        org
        for org in Organization.objects.select_related("prefecture").order_by("code", "pk")
        if key in (_match_key(org.name), _match_key(org.full_name))
    ]
    if not matches:
        raise ApplicationError(
            f"「{given}」という名前の団体は登録されていません"
            "（hagukumi find_organization で探せます）。"
        )
    if len(matches) > 1:
        listed = "、".join(f"{org.code or '(コードなし)'} {org.full_name}" for org in matches)
        raise ApplicationError(
            f"「{given}」に当てはまる団体が{len(matches)}件あります: {listed}。"
            "団体コードで指定してください。"
        )
    return matches[0]


def _match_key(text: str) -> str:
    """Matching form: `normalize` (NFKC, case, hiragana → katakana, 異体字) without spaces."""
    return normalize(text).replace(" ", "")


def organization_search(*, text: str, limit: int = 50) -> list[Organization]:
    """団体 matching `text` by name, full name (北海道札幌市), kana or code; best first.

    Text is compared in the form of `core.japanese_text.normalize` on both sides
    (spaces ignored), so さっぽろ, ｻｯﾎﾟﾛ and サッポロ all find 札幌市 and 鶴ケ島
    finds 鶴ヶ島市. Digits search codes: 6 digits must carry the right check
    digit (ApplicationError otherwise), 5 digits are completed with it, 1–4
    digits match the start of codes (13 → 東京都 and its municipalities).
    Order: exact name, name or kana starting with the text, the rest; ties by
    code. The master is small (≈1,800 rows): one query, matched in Python.
    """
    digits = unicodedata.normalize("NFKC", text).strip()
    if digits.isascii() and digits.isdigit():
        organizations = Organization.objects.select_related("prefecture").order_by("code")
        if len(digits) >= 5:
            return list(organizations.filter(code=validate_organization_code(digits)))
        return list(organizations.filter(code__startswith=digits)[:limit])
    key = _match_key(text)
    if not key:
        return []
    ranked: list[tuple[int, str, Organization]] = []
    for org in Organization.objects.select_related("prefecture"):
        name = _match_key(org.name)
        kana = _match_key(org.name_kana)
        prefecture = org.prefecture
        full_name = _match_key(org.full_name)
        full_kana = _match_key(prefecture.name_kana + org.name_kana) if prefecture else kana
        if key in (name, full_name, kana, full_kana):
            score = 0
        elif name.startswith(key) or kana.startswith(key):
            score = 1
        elif any(key in k for k in (full_name, full_kana)):
            score = 2
        else:
            continue
        ranked.append((score, org.code or "~", org))
    ranked.sort(key=lambda t: (t[0], t[1]))
    return [org for _, _, org in ranked[:limit]]


# ---------------------------------------------------------------------------
# 所属


def units_valid_in(*, organization: Organization | int, fiscal_year: int) -> QuerySet[Unit]:
    """Unit versions of the 団体 valid in the fiscal year (unordered tree, one query)."""
    return Unit.objects.filter(
        Q(valid_to_fy__isnull=True) | Q(valid_to_fy__gte=fiscal_year),
        organization=organization,
        valid_from_fy__lte=fiscal_year,
    )


@dataclass
class UnitNode:
    """A unit in the tree as of one fiscal year, with its depth (roots are 0)."""

    unit: Unit
    depth: int
    parent: UnitNode | None = None
    children: list[UnitNode] = field(default_factory=list)

    @property
    def path(self) -> list[Unit]:
        """Units from the root down to this one."""
        units: list[Unit] = []
        node: UnitNode | None = self
        while node is not None:
            units.append(node.unit)
            node = node.parent
        return units[::-1]

    def subtree(self) -> list[UnitNode]:
        """This node and every node below it."""
        nodes, stack = [], [self]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(node.children)
        return nodes


@dataclass
class UnitTree:
    """The 所属 tree of one 団体 as of one fiscal year."""

    organization: Organization
    fiscal_year: int
    roots: list[UnitNode]
    by_code: dict[str, UnitNode]

    def __iter__(self) -> Iterator[UnitNode]:
        """Every node in display order (depth first, siblings by 表示順 then code)."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def __len__(self) -> int:
        return len(self.by_code)

    def node(self, code: str) -> UnitNode | None:
        return self.by_code.get(code)


def units_as_of(*, organization: Organization, fiscal_year: int) -> UnitTree:
    """The 所属 tree of `organization` as of `fiscal_year`, in one query.

    Parents are resolved by code among the versions valid in that year (see
    `Unit`). A unit whose parent is not valid that year (inconsistent data
    written outside the services) is shown as a root rather than hidden.
    """
    units = list(
        units_valid_in(organization=organization, fiscal_year=fiscal_year)
        .annotate(parent_code=F("parent__code"))
        .order_by("position", "code")
    )
    by_code = {u.code: UnitNode(unit=u, depth=0) for u in units}
    roots: list[UnitNode] = []
    for unit in units:
        node = by_code[unit.code]
        parent = by_code.get(unit.parent_code) if unit.parent_code else None
        if parent is None or parent is node:
            roots.append(node)
        else:
            node.parent = parent
            parent.children.append(node)
    # Depth from the roots down; nodes on a cycle (never reached) become roots.
    reached: set[str] = set()
    stack = [(n, 0) for n in roots]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        reached.add(node.unit.code)
        stack.extend((c, depth + 1) for c in node.children)
    for code, node in by_code.items():
        if code not in reached:
            node.parent = None
            roots.append(node)
    return UnitTree(
        organization=organization, fiscal_year=fiscal_year, roots=roots, by_code=by_code
    )


def unit_version_in(*, unit: Unit, fiscal_year: int) -> Unit | None:
    """The version of `unit`'s code valid in `fiscal_year` (None when it did not exist).

    Always read from the database: an instance in memory may predate a revision."""
    return (
        units_valid_in(organization=unit.organization_id, fiscal_year=fiscal_year)
        .filter(code=unit.code)
        .first()
    )


def unit_descendant_ids(*, unit: Unit, fiscal_year: int, all_versions: bool = False) -> set[int]:
    """Ids of `unit` and every unit below it as of `fiscal_year` (所属長: "unit and below").

    `unit` may be any version of the 所属 (e.g. the one a Membership points
    to); the tree is that of `fiscal_year`. Empty when the 所属 did not exist
    that year. With `all_versions`, the ids of every version (past and future)
    of those codes, for records that point to an older version of a unit.
    """
    tree = units_as_of(organization=unit.organization, fiscal_year=fiscal_year)
    top = tree.node(unit.code)
    if top is None:
        return set()
    codes: set[str] = set()
    stack = [top]
    while stack:
        node = stack.pop()
        codes.add(node.unit.code)
        stack.extend(node.children)
    if all_versions:
        return set(
            Unit.objects.filter(organization=unit.organization_id, code__in=codes).values_list(
                "id", flat=True
            )
        )
    return {tree.by_code[c].unit.pk for c in codes}


def unit_path(*, unit: Unit, fiscal_year: int | None = None) -> list[Unit]:
    """Units from the root down to `unit` as of `fiscal_year` (default: the unit's own
    last valid year, or its first if it is still open): e.g. [企画部, デジタル推進課]."""
    if fiscal_year is None:
        fiscal_year = unit.valid_to_fy if unit.valid_to_fy is not None else unit.valid_from_fy
    tree = units_as_of(organization=unit.organization, fiscal_year=fiscal_year)
    node = tree.node(unit.code)
    return node.path if node is not None else [unit]


def unit_versions(*, organization: Organization, code: str) -> list[Unit]:
    """Every version of one 所属 code, oldest first (its history of renames and moves)."""
    return list(
        Unit.objects.filter(organization=organization, code=code)
        .select_related("parent")
        .prefetch_related("predecessors")
        .order_by("valid_from_fy")
    )


def access_unit_by_id(*, actor: Actor, unit_id: int) -> Unit:
    """The unit with this id if it belongs to the actor's 団体; AccessDenied (404) otherwise."""
    unit = (
        Unit.objects.select_related("organization", "parent")
        .filter(pk=unit_id, organization_id=actor.organization_id)
        .first()
        if actor.organization_id is not None
        else None
    )
    if unit is None:
        raise AccessDenied()
    return unit


def fiscal_years_of(*, organization: Organization, around: int) -> list[int]:
    """Fiscal years worth offering in a 年度 selector: every year a version starts or
    ends, plus `around` and the year after it, newest first."""
    years = {around, around + 1}
    for start, end in Unit.objects.filter(organization=organization).values_list(
        "valid_from_fy", "valid_to_fy"
    ):
        years.add(start)
        if end is not None:
            years.add(end + 1)
    return sorted(years, reverse=True)


__all__ = [
    "UnitNode",
    "UnitTree",
    "access_unit_by_id",
    "fiscal_years_of",
    "organization_by_code",
    "organization_search",
    "unit_descendant_ids",
    "unit_path",
    "unit_version_in",
    "unit_versions",
    "units_as_of",
    "units_valid_in",
]
