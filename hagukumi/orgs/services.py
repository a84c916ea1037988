"""Writes and rules for 所属 (units): create, revise per fiscal year, close, import.

Who may write: 人事担当, DX推進担当 or システム管理者 of the same 団体
(`UNIT_EDITOR_ROLES`). Every service takes a required `actor` and checks it:
a web user, or `Actor.command_line(organization)` for the server's command
line (`hagukumi import_units`, `hagukumi load_demo`), which holds those roles
in its one 団体. There is no trusted "no actor": None is refused (AccessDenied).
Where a write came from (IP, browser, screen) is the audit context's business
(`core.audit`), not a parameter.

Versioning (see `Unit`): a change for FY N to a version that began before N
closes it at N-1 and opens a new version at N with the same code; a change to
a version that began in N is made in place.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import mass_change
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.registries import unit_occupants
from hagukumi.core.tabular_import import (
    MSG_LEADING_ZERO,
    CodeIndex,
    Column,
    ImportSummary,
    ParsedRow,
    RowError,
    RowOutcome,
    Source,
    TabularImportError,
    read_table,
    run_import,
)
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.codes import validate_organization_code
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import UnitTree, units_as_of

__all__ = [
    "UNIT_COLUMNS",
    "UNIT_EDITOR_ROLES",
    "MassClosure",
    "mass_closure",
    "mass_closure_of",
    "parse_functions",
    "unit_close",
    "unit_create",
    "unit_update",
    "units_import",
    "validate_organization_code",
]

UNIT_EDITOR_ROLES: tuple[str, ...] = (Role.HR, Role.DX_OFFICE, Role.SYSTEM_ADMIN)

# 機能 tags in one cell are separated by 、 or , (full-width ， and ､ too, and
# line breaks). Not by ・, which belongs inside tags such as 広報・広聴.
FUNCTION_SEPARATORS = re.compile(r"[、,，､;；\n]+")
FUNCTION_MAX_LENGTH = 30

# Text typed in a form that starts with = is a formula pasted by mistake; the
# import reader refuses such cells the same way (tabular_import.MSG_FORMULA).
FORMULA_PREFIX = "="

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "所属コード", kind="code", required=True, max_length=30, aliases=("コード",)),
    Column("name", "所属名", required=True, max_length=100, aliases=("名称",)),
    Column(
        "parent_code",
        "上位所属コード",
        kind="code",
        max_length=30,
        aliases=("親所属コード", "上位コード"),
    ),
    Column("kind", "区分", max_length=20),
    Column("functions", "機能"),
)

# Columns that may be left out of a file; see _UnitsImport.
OPTIONAL_VALUE_FIELDS = ("kind", "functions")

_FIELD_LABELS = {
    "name": "所属名",
    "kind": "区分",
    "functions": "機能",
    "parent_code": "上位所属コード",
}


# ---------------------------------------------------------------------------
# Access and audit


def _require_editor(actor: Actor, organization: Organization) -> None:
    """Unit writes need an editor role in the same 団体 (the command line holds them)."""
    require_role(actor, *UNIT_EDITOR_ROLES)
    if actor.organization_id != organization.pk:
        raise AccessDenied()


def _audit(
    actor: Actor,
    action: str,
    *,
    organization: Organization,
    target: Unit | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    # The command line is logged as actor.audit_username (「コマンドライン」).
    audit_record(
        actor=actor, action=action, organization=organization, target=target, detail=detail or {}
    )


# ---------------------------------------------------------------------------
# Values


def parse_functions(value: str | Iterable[str] | None) -> list[str]:
    """機能 tags from a cell or a list: split on 、 or ,; trimmed, NFKC, duplicates dropped."""
    if value is None:
        return []
    parts = FUNCTION_SEPARATORS.split(value) if isinstance(value, str) else list(value)
    tags: list[str] = []
    for part in parts:
        tag = unicodedata.normalize("NFKC", part).strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _shown(value: Any) -> Any:
    """A value as an import summary shows it (機能 tags joined with 、)."""
    return "、".join(value) if isinstance(value, list) else value


def _clean_code(code: str) -> str:
    return unicodedata.normalize("NFKC", code or "").strip()


def _check_functions(tags: Sequence[str]) -> None:
    for tag in tags:
        if len(tag) > FUNCTION_MAX_LENGTH:
            raise ApplicationError(f"機能「{tag}」が長すぎます（{FUNCTION_MAX_LENGTH}文字以内）。")


def _check_text(value: str, label: str) -> None:
    if value.startswith(FORMULA_PREFIX):
        raise ApplicationError(
            f"{label}「{value}」は = で始まるため数式とみなされます。値を入力してください。"
        )


def _next_start(organization: Organization, code: str, fiscal_year: int) -> int | None:
    """First year of a later version of `code` (planned reorganisation), if any."""
    later = (
        Unit.objects.filter(organization=organization, code=code, valid_from_fy__gt=fiscal_year)
        .order_by("valid_from_fy")
        .values_list("valid_from_fy", flat=True)
        .first()
    )
    return later


# ---------------------------------------------------------------------------
# Core writes (no access check, no audit: callers do both)


def _open_version(
    *,
    organization: Organization,
    code: str,
    fiscal_year: int,
    name: str,
    kind: str,
    functions: list[str],
    parent: Unit | None,
    position: int,
    valid_to_fy: int | None = None,
) -> Unit:
    unit = Unit(
        organization=organization,
        code=code,
        name=name,
        kind=kind,
        functions=functions,
        parent=parent,
        position=position,
        valid_from_fy=fiscal_year,
        valid_to_fy=valid_to_fy,
    )
    unit.full_clean()
    unit.save()
    return unit


def _revise(
    current: Unit,
    *,
    fiscal_year: int,
    values: dict[str, Any],
) -> Unit:
    """Apply `values` to the 所属 from `fiscal_year` on: in place if `current` began
    that year, else close it at FY-1 and open a new version (same code)."""
    if current.valid_from_fy == fiscal_year:
        revised, _ = model_update(instance=current, fields=list(values), data=values)
        return revised
    carried: dict[str, Any] = {
        "name": current.name,
        "kind": current.kind,
        "functions": list(current.functions),
        "parent": current.parent,
        "position": current.position,
    }
    new = Unit(
        organization=current.organization,
        code=current.code,
        valid_from_fy=fiscal_year,
        valid_to_fy=current.valid_to_fy,
        **{**carried, **values},
    )
    current.valid_to_fy = fiscal_year - 1
    current.full_clean()
    current.save(update_fields=["valid_to_fy", "updated_at"])
    new.full_clean()
    new.save()
    return new


def _retire(current: Unit, *, fiscal_year: int) -> None:
    """The 所属 no longer exists from `fiscal_year`: close `current` at FY-1, or delete
    it when it began in that very year (it then never existed)."""
    if current.valid_from_fy >= fiscal_year:
        try:
            with transaction.atomic():
                current.delete()
        except ProtectedError as exc:
            raise ApplicationError(
                f"所属「{current.name}」（{current.code}）は他の記録から参照されているため、"
                f"{fiscal_year}年度から廃止できません。"
            ) from exc
        return
    current.valid_to_fy = fiscal_year - 1
    current.save(update_fields=["valid_to_fy", "updated_at"])


def _differences(current: Unit, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `wanted` (name, kind, functions) that differ from `current`."""
    return {name: value for name, value in wanted.items() if getattr(current, name) != value}


def _parent_in(tree: UnitTree, parent: Unit | None, organization: Organization) -> Unit | None:
    """The version of `parent` valid in the tree's year (ApplicationError if none)."""
    if parent is None:
        return None
    if parent.organization_id != organization.pk:
        raise ApplicationError("上位所属は同じ団体の所属を選んでください。")
    node = tree.node(parent.code)
    if node is None:
        raise ApplicationError(
            f"上位所属「{parent.name}」は{tree.fiscal_year}年度には存在しません。"
        )
    return node.unit


def _next_position(tree: UnitTree, parent_code: str | None) -> int:
    siblings = (
        tree.node(parent_code).children if parent_code and tree.node(parent_code) else tree.roots  # type: ignore[union-attr]
    )
    return max((n.unit.position for n in siblings), default=0) + 1


# ---------------------------------------------------------------------------
# Services


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    organization: Organization,
    fiscal_year: int,
    code: str,
    name: str,
    kind: str = "",
    functions: Iterable[str] = (),
    parent: Unit | None = None,
    predecessors: Iterable[Unit] = (),
) -> Unit:
    """Open a new 所属 from `fiscal_year` (e.g. a new 課 under a 部 in April).

    The code must not be in use that year; `predecessors` records a merge
    (統合元). If a later version of the code is already planned, the new one
    ends the year before it.
    """
    _require_editor(actor, organization)
    code = _clean_code(code)
    name = name.strip()
    kind = kind.strip()
    tags = parse_functions(functions)
    if not code:
        raise ApplicationError("所属コードを入力してください。")
    for value, label in ((code, "所属コード"), (name, "所属名"), (kind, "区分")):
        _check_text(value, label)
    _check_functions(tags)
    tree = units_as_of(organization=organization, fiscal_year=fiscal_year)
    if tree.node(code) is not None:
        raise ApplicationError(
            f"所属コード {code} は{fiscal_year}年度に既に使われています"
            f"（{tree.by_code[code].unit.name}）。"
        )
    parent_version = _parent_in(tree, parent, organization)
    later = _next_start(organization, code, fiscal_year)
    unit = _open_version(
        organization=organization,
        code=code,
        fiscal_year=fiscal_year,
        name=name,
        kind=kind,
        functions=tags,
        parent=parent_version,
        position=_next_position(tree, parent_version.code if parent_version else None),
        valid_to_fy=later - 1 if later is not None else None,
    )
    merged = list(predecessors)
    if any(p.organization_id != organization.pk for p in merged):
        raise ApplicationError("統合元の所属は同じ団体の所属を選んでください。")
    if merged:
        unit.predecessors.set(merged)
    _audit(
        actor,
        AuditEvent.Action.CREATE,
        organization=organization,
        target=unit,
        detail={"fiscal_year": fiscal_year, "code": code, "name": name},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    fiscal_year: int,
    name: str,
    kind: str,
    functions: Iterable[str],
    parent: Unit | None,
) -> Unit:
    """Rename, re-classify, re-tag or move a 所属 from `fiscal_year` on.

    Returns the version valid in `fiscal_year` after the change (a new one when
    the 所属 existed before that year: the old version keeps the history).
    Nothing is written when nothing changed. A unit cannot move under itself
    or one of its own descendants.
    """
    organization = unit.organization
    _require_editor(actor, organization)
    tree = units_as_of(organization=organization, fiscal_year=fiscal_year)
    node = tree.node(unit.code)
    if node is None:
        raise ApplicationError(f"所属「{unit.name}」は{fiscal_year}年度には存在しません。")
    current = node.unit
    name = name.strip()
    kind = kind.strip()
    tags = parse_functions(functions)
    if not name:
        raise ApplicationError("所属名を入力してください。")
    for value, label in ((name, "所属名"), (kind, "区分")):
        _check_text(value, label)
    _check_functions(tags)
    parent_version = _parent_in(tree, parent, organization)
    if parent_version is not None:
        below = {n.unit.code for n in node.subtree()}
        if parent_version.code in below:
            raise ApplicationError(
                f"「{current.name}」を自分自身またはその配下（{parent_version.name}）の下には移せません。"
            )
    old_parent_code = node.parent.unit.code if node.parent else None
    new_parent_code = parent_version.code if parent_version else None
    values = _differences(current, {"name": name, "kind": kind, "functions": tags})
    if new_parent_code != old_parent_code:
        values["parent"] = parent_version
        values["position"] = _next_position(tree, new_parent_code)
    if not values:
        return current
    before = {
        "name": current.name,
        "kind": current.kind,
        "functions": list(current.functions),
        "parent_code": old_parent_code,
    }
    revised = _revise(current, fiscal_year=fiscal_year, values=values)
    _audit(
        actor,
        AuditEvent.Action.UPDATE,
        organization=organization,
        target=revised,
        detail={
            "fiscal_year": fiscal_year,
            "code": revised.code,
            "before": before,
            "after": {
                "name": revised.name,
                "kind": revised.kind,
                "functions": list(revised.functions),
                "parent_code": new_parent_code,
            },
            "new_version": revised.pk != current.pk,
        },
    )
    return revised


@transaction.atomic
def unit_close(*, actor: Actor, unit: Unit, fiscal_year: int) -> None:
    """Abolish a 所属 from `fiscal_year` (廃止): its version valid then ends at FY-1.

    Refused while a unit below it is still valid that year: move or close
    those first. A version that began in that very year is deleted instead.
    """
    organization = unit.organization
    _require_editor(actor, organization)
    tree = units_as_of(organization=organization, fiscal_year=fiscal_year)
    node = tree.node(unit.code)
    if node is None:
        raise ApplicationError(f"所属「{unit.name}」は{fiscal_year}年度には存在しません。")
    if node.children:
        names = "、".join(c.unit.name for c in node.children)
        raise ApplicationError(
            f"「{node.unit.name}」の配下に{fiscal_year}年度も有効な所属（{names}）があるため廃止できません。"
            "先に移すか廃止してください。"
        )
    current = node.unit
    detail = {"fiscal_year": fiscal_year, "code": current.code, "name": current.name}
    _retire(current, fiscal_year=fiscal_year)
    _audit(
        actor,
        AuditEvent.Action.DELETE,
        organization=organization,
        detail=detail,
    )


# ---------------------------------------------------------------------------
# Import


def _row_problems(table_rows: Sequence[ParsedRow], headers: dict[str, str]) -> list[RowError]:
    """Checks of single rows the reader does not make (it already refuses formulas)."""
    errors: list[RowError] = []
    for row in table_rows:
        for tag in parse_functions(row.values.get("functions")):
            if len(tag) > FUNCTION_MAX_LENGTH:
                errors.append(
                    RowError(
                        row.number,
                        headers.get("functions", "機能"),
                        f"機能「{tag}」が長すぎます（{FUNCTION_MAX_LENGTH}文字以内）。",
                    )
                )
    return errors


def _tree_problems(
    rows: Sequence[ParsedRow], headers: dict[str, str], *, check_parents: bool = True
) -> list[RowError]:
    """The file must describe one tree: unique codes, known parents, no cycle."""
    code_header = headers.get("code", "所属コード")
    parent_header = headers.get("parent_code", "上位所属コード")
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for row in rows:
        code = row.values["code"]
        if code in first_row:
            errors.append(
                RowError(
                    row.number,
                    code_header,
                    f"所属コード「{code}」が重複しています"
                    f"（行 {first_row[code]} と行 {row.number}）。",
                )
            )
        else:
            first_row[code] = row.number
    # The first row of a duplicated code stands for it (the others are reported above).
    parent_of: dict[str, str | None] = {}
    for r in rows:
        parent_of.setdefault(r.values["code"], r.values["parent_code"] or None)
    in_file = CodeIndex(parent_of)
    for row in rows:
        parent = row.values["parent_code"]
        if check_parents and parent and parent not in parent_of:
            errors.append(
                RowError(
                    row.number,
                    parent_header,
                    in_file.unknown(
                        f"上位所属コード「{parent}」の所属がファイルにありません。", parent
                    ),
                )
            )
    # Cycles: follow parents from each code; report each cycle once, at its first row.
    # Codes known to reach a root (or an unknown parent) are not walked again.
    reported: set[str] = set()
    settled: set[str] = set()
    for start in parent_of:
        seen: list[str] = []
        on_path: set[str] = set()
        walker: str | None = start
        while (
            walker is not None
            and walker in parent_of
            and walker not in on_path
            and walker not in settled
        ):
            seen.append(walker)
            on_path.add(walker)
            walker = parent_of[walker]
        settled.update(seen)
        if walker is None or walker not in on_path:
            continue
        cycle = seen[seen.index(walker) :]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle, key=lambda c: first_row[c])
        ordered = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
        errors.append(
            RowError(
                first_row[first],
                parent_header,
                "上位所属が循環しています（" + " → ".join([*ordered, first]) + "）。",
            )
        )
    return errors


def _lost_zero_problems(
    rows: Sequence[ParsedRow], headers: dict[str, str], tree: Iterable[Any]
) -> list[RowError]:
    """A new code that is a unit the file would close, without its leading zeros (Excel
    shows 0201 typed in a General cell as 201): refused, or the import would open 201
    and close 0201."""
    in_file = {r.values["code"] for r in rows}
    names = {node.unit.code: node.unit.name for node in tree}
    closing = CodeIndex(code for code in names if code not in in_file)
    header = headers.get("code", "所属コード")
    errors: list[RowError] = []
    for row in rows:
        code = row.values["code"]
        if code in names:
            continue
        for known in closing.zero_padded(code):
            errors.append(
                RowError(
                    row.number,
                    header,
                    f"所属コード「{code}」は既存の所属 {known}（{names[known]}）と先頭の0だけが"
                    f"違います。{MSG_LEADING_ZERO.format(codes=known)}",
                )
            )
            break
    return errors


def _parents_first(rows: Sequence[ParsedRow]) -> list[ParsedRow]:
    """Rows reordered so that a parent always comes before its children (file order kept
    otherwise). The tree has been checked: no cycles, every parent present."""
    children: dict[str | None, list[ParsedRow]] = {}
    for row in rows:
        children.setdefault(row.values["parent_code"] or None, []).append(row)
    ordered: list[ParsedRow] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row.values["code"], [])))
    return ordered


@dataclasses.dataclass(frozen=True)
class MassClosure:
    """A unit import that closes more units than core.jobs.mass_change allows."""

    closing: int
    units: int  # valid in the year before the import

    @property
    def warning(self) -> str:
        return (
            f"この取込は、ファイルにない所属 {self.closing:,}件を廃止します"
            f"（この年度の所属 {self.units:,}件）。ファイルが組織の一部だけでないか、"
            "廃止する所属の在籍者を確かめてください。"
        )

    @property
    def acknowledge(self) -> str:
        return f"{self.closing:,}件の所属を廃止することを確認しました"

    @property
    def refusal(self) -> str:
        return (
            f"ファイルにない所属 {self.closing:,}件を廃止する取込です"
            f"（この年度の所属 {self.units:,}件）。大量の廃止は確認が必要です"
            "（コマンドラインでは --yes を付けて実行してください）。"
        )


def mass_closure(*, closing: int, units: int) -> MassClosure | None:
    """The mass closure of `closing` of `units` units, or None when it is not one."""
    if mass_change(closing, total=units):
        return MassClosure(closing=closing, units=units)
    return None


def mass_closure_of(
    counts: Mapping[str, int], *, organization: Organization, fiscal_year: int
) -> MassClosure | None:
    """The mass closure a dry run's counts propose (read after it: nothing changed)."""
    closing = int(counts.get("closed", 0))
    if not closing:
        return None
    units = len(units_as_of(organization=organization, fiscal_year=fiscal_year))
    return mass_closure(closing=closing, units=units)


class _UnitsImport:
    """Applies one import file to the tree of one 団体 for one fiscal year."""

    def __init__(
        self,
        *,
        actor: Actor,
        organization: Organization,
        fiscal_year: int,
        rows: list[ParsedRow],
        columns_in_file: Iterable[str],
        dry_run: bool = False,
        mass_closure_confirmed: bool = False,
    ):
        self.actor = actor
        self.dry_run = dry_run
        self.mass_closure_confirmed = mass_closure_confirmed
        self.organization = organization
        self.fiscal_year = fiscal_year
        # 区分 and 機能 are optional columns: a file without one leaves that value of
        # existing units as it is (new units get it empty) rather than erasing it.
        self.kept = {name for name in OPTIONAL_VALUE_FIELDS if name not in set(columns_in_file)}
        self.tree = units_as_of(organization=organization, fiscal_year=fiscal_year)
        self.codes_in_file = {r.values["code"] for r in rows}
        self.position = {r.values["code"]: i for i, r in enumerate(rows, start=1)}
        # code -> version valid in the year after this import's writes so far
        self.written: dict[str, Unit] = {}

    def apply(self, row: ParsedRow) -> RowOutcome:
        v = row.values
        code: str = v["code"]
        parent_code: str | None = v["parent_code"] or None
        wanted: dict[str, Any] = {
            "name": v["name"].strip(),
            "kind": (v.get("kind") or "").strip(),
            "functions": parse_functions(v.get("functions")),
        }
        parent = self.written[parent_code] if parent_code else None
        position = self.position[code]
        node = self.tree.node(code)
        if node is None:
            later = _next_start(self.organization, code, self.fiscal_year)
            self.written[code] = _open_version(
                organization=self.organization,
                code=code,
                fiscal_year=self.fiscal_year,
                parent=parent,
                position=position,
                valid_to_fy=later - 1 if later is not None else None,
                **wanted,
            )
            return RowOutcome("new", key=f"{code} {wanted['name']}")
        current = node.unit
        old_parent_code = node.parent.unit.code if node.parent else None
        values = _differences(
            current, {k: value for k, value in wanted.items() if k not in self.kept}
        )
        changes: dict[str, tuple[object, object]] = {
            _FIELD_LABELS[name]: (_shown(getattr(current, name)), _shown(value))
            for name, value in values.items()
        }
        if parent_code != old_parent_code:
            changes[_FIELD_LABELS["parent_code"]] = (old_parent_code or "", parent_code or "")
            values["parent"] = parent
        if not values:
            # Display order is presentation, not history: kept in place (no version).
            model_update(
                instance=current, fields=["position"], data={"position": position}, clean=False
            )
            self.written[code] = current
            return RowOutcome("unchanged", key=code)
        values["position"] = position
        self.written[code] = _revise(current, fiscal_year=self.fiscal_year, values=values)
        return RowOutcome("changed", key=f"{code} {wanted['name']}", changes=changes)

    def finish(self, summary: ImportSummary) -> None:
        """Codes in the tree but not in the file are abolished (廃止) from the year.

        A dry run names, per closed unit, who works there that year (core's unit
        occupants registry: people's staff and DX推進リーダー). A mass closure
        needs `mass_closure_confirmed`.
        """
        summary.add("closed", count=0)  # so that 廃止 0件 is shown too
        absent = [n for n in self.tree if n.unit.code not in self.codes_in_file]
        mass = mass_closure(closing=len(absent), units=len(self.tree))
        if mass is not None and not self.dry_run and not self.mass_closure_confirmed:
            raise ApplicationError(mass.refusal)
        occupants: dict[str, list[str]] = {}
        if self.dry_run and absent:
            # Read before the closing: it may delete the year's own versions.
            occupants = unit_occupants(
                actor=self.actor,
                organization=self.organization,
                fiscal_year=self.fiscal_year,
                codes=[n.unit.code for n in absent],
            )
        # Deepest first, so that deleting same-year versions never trips on a child.
        for node in sorted(absent, key=lambda n: -n.depth):
            _retire(node.unit, fiscal_year=self.fiscal_year)
            who = occupants.get(node.unit.code)
            key = f"{node.unit.code} {node.unit.name}"
            summary.add("closed", key=f"{key}（{'、'.join(who)}）" if who else key)


def units_import(
    *,
    actor: Actor,
    organization: Organization,
    source: Source,
    fiscal_year: int,
    filename: str | None = None,
    dry_run: bool = False,
    mass_closure_confirmed: bool = False,
    progress: Any = None,
) -> ImportSummary:
    """Make the 所属 tree of `fiscal_year` what the file says (all or nothing).

    Columns 所属コード, 所属名, 上位所属コード, 区分, 機能 (tags separated by 、
    or ,); a file without 区分 or 機能 keeps those of existing units. Codes
    new to the year are opened from it; changed ones are revised (new version
    when they existed before); codes valid that year but absent from the file
    are abolished from it (廃止: closed at FY-1). Any bad row →
    TabularImportError listing every problem, nothing written. `dry_run`
    returns the same summary and writes nothing; it names who works in each
    unit it would close. Closing more units than core.jobs.mass_change allows
    needs `mass_closure_confirmed` (else TabularImportError, nothing written).
    """
    _require_editor(actor, organization)
    table = read_table(source, columns=UNIT_COLUMNS, filename=filename, progress=progress)
    rows = [
        dataclasses.replace(
            r,
            values={
                **r.values,
                "code": _clean_code(r.values["code"]),
                "parent_code": _clean_code(r.values.get("parent_code") or ""),
            },
        )
        for r in table.rows
    ]
    if not rows and not table.errors:
        raise TabularImportError("所属の行がありません。ヘッダー行の下に所属を記入してください。")
    errors = [
        *table.errors,
        *_row_problems(rows, table.headers),
        # A parent may sit on a row the reader refused: then "unknown parent" would mislead.
        *_tree_problems(rows, table.headers, check_parents=not table.errors),
        *_lost_zero_problems(
            rows, table.headers, units_as_of(organization=organization, fiscal_year=fiscal_year)
        ),
    ]
    if errors:
        raise TabularImportError(sorted(errors, key=lambda e: e.row or 0))
    ordered = _parents_first(rows)
    job = _UnitsImport(
        actor=actor,
        organization=organization,
        fiscal_year=fiscal_year,
        rows=rows,
        columns_in_file=table.headers,
        dry_run=dry_run,
        mass_closure_confirmed=mass_closure_confirmed,
    )
    summary = run_import(
        dataclasses.replace(table, rows=ordered),
        apply=job.apply,
        finish=job.finish,
        dry_run=dry_run,
        label="所属",
        labels={"closed": "廃止"},
        progress=progress,
    )
    if not dry_run:
        _audit(
            actor,
            AuditEvent.Action.IMPORT,
            organization=organization,
            detail={
                "what": "所属",
                "fiscal_year": fiscal_year,
                "filename": filename or "",
                "counts": dict(summary.counts),
            },
        )
    return summary
