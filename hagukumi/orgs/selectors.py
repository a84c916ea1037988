"""Reads of 団体 and 所属 that views, commands, the API and other apps share.

Two kinds of read live here:

- For an actor (views, the API): `unit_tree_for`, `access_unit_by_id`,
  `unit_versions`, `fiscal_years_of` take a required `actor` and read only
  the actor's own 団体; an actor with no 団体 (or None) sees nothing.
- Building blocks that name the 団体 or unit explicitly (`units_as_of`,
  `units_valid_in`, `unit_version_in`, `unit_descendant_ids`, `unit_path`):
  for services and other apps' selectors that have already decided whose tree
  they read (e.g. people's visibility rules, roster import, metrics). They
  never take an actor, so there is no "no actor = trusted" case.

The 団体 master (`organization_by_code`, `organization_by_code_or_name`,
`organization_search`) is public reference data and needs no actor.
"""

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


def unit_tree_for(*, actor: Actor, fiscal_year: int) -> UnitTree:
    """The 所属 tree of the actor's 団体 as of `fiscal_year`; AccessDenied without a 団体."""
    organization = getattr(actor, "organization", None)
    if organization is None:
        raise AccessDenied()
    return units_as_of(organization=organization, fiscal_year=fiscal_year)


def unit_versions(*, actor: Actor, code: str) -> list[Unit]:
    """Every version of one 所属 code of the actor's 団体, oldest first (its history of
    renames and moves); empty for an actor without a 団体."""
    organization_id = getattr(actor, "organization_id", None)
    if organization_id is None:
        return []
    return list(
        Unit.objects.filter(organization=organization_id, code=code)
        .select_related("parent")
        .prefetch_related("predecessors")
        .order_by("valid_from_fy")
    )


def access_unit_by_id(*, actor: Actor, unit_id: int) -> Unit:
    """The unit with this id if it belongs to the actor's 団体; AccessDenied (404) otherwise."""
    organization_id = getattr(actor, "organization_id", None)
    unit = (
        Unit.objects.select_related("organization", "parent")
        .filter(pk=unit_id, organization_id=organization_id)
        .first()
        if organization_id is not None
        else None
    )
    if unit is None:
        raise AccessDenied()
    return unit


def fiscal_years_of(*, actor: Actor, around: int) -> list[int]:
    """Fiscal years to offer in a 年度 selector of the actor's 団体, newest first: every
    year from the first one a version starts in (or `around`) to the year after
    `around` (or after the last change), with no gap: a tree that starts in 2024 offers
    2024, 2025, 2026, 2027 in 2026, although nothing changed in 2025."""
    years = {around, around + 1}
    organization_id = getattr(actor, "organization_id", None)
    versions = (
        Unit.objects.filter(organization=organization_id)
        if organization_id is not None
        else Unit.objects.none()
    )
    for start, end in versions.values_list("valid_from_fy", "valid_to_fy"):
        years.add(start)
        if end is not None:
            years.add(end + 1)
    return list(range(max(years), min(years) - 1, -1))


__all__ = [
    "UnitNode",
    "UnitTree",
    "access_unit_by_id",
    "fiscal_years_of",
    "organization_by_code",
    "organization_by_code_or_name",
    "organization_search",
    "unit_descendant_ids",
    "unit_path",
    "unit_tree_for",
    "unit_version_in",
    "unit_versions",
    "units_as_of",
    "units_valid_in",
]


# ---------------------------------------------------------------------------
# 所属: the 課 (or 部) a unit belongs to in a fiscal year

# 区分 of a "section": the level at which plans count coverage (各課1名以上).
SECTION_KINDS: tuple[str, ...] = ("課",)


def _nearest_of_kind(node: UnitNode | None, kinds: frozenset[str]) -> Unit | None:
    while node is not None:
        if node.unit.kind in kinds:
            return node.unit
        node = node.parent
    return None


def unit_ancestor_of_kind(
    *, unit: Unit, fiscal_year: int, kinds: tuple[str, ...] = SECTION_KINDS
) -> Unit | None:
    """The nearest unit whose 区分 is one of `kinds`, `unit` itself included, in the tree
    of `fiscal_year` (a 係 → its 課; with kinds=("部",), its 部). One query.

    `unit` may be any version of the 所属: the tree of that year decides (a 係
    moved to another 課 in April belongs to the new one from that year). None
    when the 所属 did not exist that year or has no such ancestor.
    """
    tree = units_as_of(organization=unit.organization, fiscal_year=fiscal_year)
    return _nearest_of_kind(tree.node(unit.code), frozenset(kinds))


def _sections_of_tree(tree: UnitTree, kinds: tuple[str, ...]) -> dict[str, Unit]:
    wanted = frozenset(kinds)
    found: dict[str, Unit] = {}
    for code, node in tree.by_code.items():
        section = _nearest_of_kind(node, wanted)
        if section is not None:
            found[code] = section
    return found


def section_of_units(
    *,
    organization: Organization,
    fiscal_year: int,
    kinds: tuple[str, ...] = SECTION_KINDS,
    all_versions: bool = False,
) -> dict[int, Unit]:
    """unit id → its nearest unit of `kinds` (itself included) as of `fiscal_year`, for
    every unit of the 団体 valid that year; units with no such ancestor are absent.

    One query. With `all_versions`, the ids of every other version of those
    codes map too (one more query), for records that point at an older version
    (an Assignment written before a reorganisation).
    """
    tree = units_as_of(organization=organization, fiscal_year=fiscal_year)
    by_code = _sections_of_tree(tree, kinds)
    found = {tree.by_code[code].unit.pk: section for code, section in by_code.items()}
    if all_versions and by_code:
        for unit_id, code in Unit.objects.filter(
            organization=organization, code__in=list(by_code)
        ).values_list("id", "code"):
            found[unit_id] = by_code[code]
    return found


def section_of_unit_codes(
    *, organization: Organization, fiscal_year: int, kinds: tuple[str, ...] = SECTION_KINDS
) -> dict[str, Unit]:
    """所属コード → its nearest unit of `kinds` as of `fiscal_year` (one query); the form
    for counts grouped by 所属コード (core.metrics group_by="unit")."""
    return _sections_of_tree(units_as_of(organization=organization, fiscal_year=fiscal_year), kinds)


__all__ += [
    "SECTION_KINDS",
    "section_of_unit_codes",
    "section_of_units",
    "unit_ancestor_of_kind",
]
