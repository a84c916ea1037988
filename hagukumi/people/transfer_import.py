"""人事異動 import (職員番号, 発令日, 新所属コード, 新職位, 級): all rows or nothing.

The dedicated form of a 発令: one row per staff member, each with its own 発令日,
for the 4月1日 異動 (loaded ahead, with next year's org chart) and mid-year
moves. 新所属コード must exist in the org chart of the 発令日's 年度; the 発令日
may not be before the staff member's current period began (the same day
replaces that period: a correction). 新職位 and 級 left empty keep the current
ones. The periods are written by people's one 異動歴 writer
(`services.assignments.assignments_write`, shared with the roster import); a
発令 dated today or earlier also sets the staff member's current 所属/職位/級,
a later one does so on its date (`staff_current_apply`, the 4月1日 switch).

The dry run (and the real run) lists the units that would lose their only
DX推進リーダー (holders of the leader directory's talent types):
「異動により DX推進リーダーが不在になる所属: 〇〇課」.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tabular_import import (
    Column,
    ImportSummary,
    ParsedRow,
    ProgressOption,
    RowOutcome,
    RowProblem,
    Source,
    read_table,
    run_import,
)
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.code_lists import code_values
from hagukumi.people.models import Assignment, CodeKind, Designation, Staff
from hagukumi.people.roles import ASSIGNMENT_ROLES
from hagukumi.people.services.assignments import (
    AssignmentMove,
    CurrentChange,
    assignments_write,
    open_assignments,
    staff_current_write,
)

LABEL = "人事異動"
LEADERLESS_PREFIX = "異動により DX推進リーダーが不在になる所属: "


def transfer_columns(*, organization: Organization | None = None) -> tuple[Column, ...]:
    """The 異動 columns; 職位 values come from the 団体's code list (defaults without one)."""
    from hagukumi.people.code_lists import DEFAULT_CODE_LISTS

    positions = (
        code_values(organization=organization, kind=CodeKind.POSITION)
        if organization is not None
        else list(DEFAULT_CODE_LISTS[CodeKind.POSITION])
    )
    return (
        Column("number", "職員番号", kind="code", required=True, max_length=20),
        Column("effective_date", "発令日", kind="date", required=True),
        Column("unit_code", "新所属コード", kind="code", required=True, max_length=30),
        Column("position", "新職位", kind="choice", choices=positions),
        Column("grade", "級", kind="int"),
    )


def leaderless_units(
    *, organization: Organization, moves: list[AssignmentMove], today: dt.date
) -> list[Unit]:
    """Units whose every current DX推進リーダー leaves with these moves (none moves in)."""
    types = code_values(organization=organization.pk, kind=CodeKind.DIRECTORY_TYPE)
    if not types or not moves:
        return []
    leader_ids = set(
        Designation.objects.in_force(fiscal_year_of(today))
        .holding()
        .filter(organization=organization, talent_type_code__in=types)
        .filter(staff__retired_on__isnull=True)
        .values_list("staff_id", flat=True)
    )
    if not leader_ids:
        return []
    leaders = Staff.objects.filter(pk__in=leader_ids).select_related("unit")
    before: dict[str, set[int]] = defaultdict(set)
    units: dict[str, Unit] = {}
    for staff in leaders:
        if staff.unit is not None:
            before[staff.unit.code].add(staff.pk)
            units.setdefault(staff.unit.code, staff.unit)
    after = {code: set(ids) for code, ids in before.items()}
    for move in moves:
        if move.staff.pk not in leader_ids:
            continue
        for ids in after.values():
            ids.discard(move.staff.pk)
        after.setdefault(move.unit.code, set()).add(move.staff.pk)
    return [units[code] for code in sorted(before) if before[code] and not after.get(code)]


@dataclass
class TransferSummary:
    """The import summary plus the warnings (units left without a DX推進リーダー)."""

    summary: ImportSummary
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return self.summary.counts

    def lines(self, *, details: bool = False) -> list[str]:
        return [*self.summary.lines(details=details), *self.warnings]


@dataclass
class _TransferImport:
    organization: Organization
    today: dt.date
    staff: dict[str, Staff]
    current: dict[int, Assignment]
    units_by_year: dict[int, dict[str, Unit]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    moves: list[AssignmentMove] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _units(self, fiscal_year: int) -> dict[str, Unit]:
        if fiscal_year not in self.units_by_year:
            self.units_by_year[fiscal_year] = {
                u.code: u
                for u in units_valid_in(organization=self.organization, fiscal_year=fiscal_year)
            }
        return self.units_by_year[fiscal_year]

    def apply(self, row: ParsedRow) -> RowOutcome:
        v = row.values
        number: str = v["number"]
        day: dt.date = v["effective_date"]
        staff = self.staff.get(number)
        if staff is None:
            raise RowProblem("number", f"職員番号「{number}」の職員は登録されていません")
        if number in self.seen:
            raise RowProblem("number", f"行 {self.seen[number]} と同じ職員です（1人1行）")
        self.seen[number] = row.number
        if staff.retired_on is not None and staff.retired_on < day:
            raise RowProblem("number", f"{staff.retired_on.isoformat()} に退職した職員です")
        fiscal_year = fiscal_year_of(day)
        unit = self._units(fiscal_year).get(v["unit_code"])
        if unit is None:
            raise RowProblem(
                "unit_code",
                f"所属コード「{v['unit_code']}」は発令日 {day.isoformat()}"
                f"（{format_fiscal_year(fiscal_year)}）の組織にありません",
            )
        latest = self.current.get(staff.pk)
        if latest is not None and day < latest.starts_on:
            raise RowProblem(
                "effective_date",
                f"発令日が現在の異動歴の発令日（{latest.starts_on.isoformat()}）より前です",
            )
        if latest is not None:
            base_unit_code = latest.unit.code
        else:
            base_unit_code = staff.unit.code if staff.unit is not None else ""
        base_position = latest.position if latest is not None else staff.position
        base_grade = latest.grade if latest is not None else staff.grade
        position = (v.get("position") or "") or base_position
        grade = v["grade"] if v.get("grade") is not None else base_grade
        if (
            latest is not None
            and latest.starts_on == day
            and (latest.unit_id, latest.position, latest.grade) == (unit.pk, position, grade)
        ):
            return RowOutcome("unchanged", key=number)
        changes: dict[str, tuple[object, object]] = {"effective_date": (None, day)}
        if base_unit_code != unit.code:
            changes["unit_code"] = (base_unit_code, unit.code)
        if base_position != position:
            changes["position"] = (base_position, position)
        if base_grade != grade:
            changes["grade"] = (base_grade, grade)
        self.moves.append(
            AssignmentMove(staff=staff, unit=unit, position=position, grade=grade, starts_on=day)
        )
        return RowOutcome("new", key=f"{number} {staff.name}", changes=changes)

    def finish(self, summary: ImportSummary) -> None:
        for unit in leaderless_units(
            organization=self.organization, moves=self.moves, today=self.today
        ):
            self.warnings.append(f"{LEADERLESS_PREFIX}{unit.name}")
        assignments_write(moves=self.moves, current=self.current)
        # A 発令 whose day has come is the staff member's current 所属 now.
        due = [
            CurrentChange(m.staff, m.unit, m.position, m.grade)
            for m in self.moves
            if m.starts_on <= self.today
        ]
        staff_current_write(due)


def _require_hr(actor: Actor, organization: Organization) -> None:
    require_role(actor, *ASSIGNMENT_ROLES)
    if actor.organization_id != organization.pk:
        raise AccessDenied()


def transfer_import(
    *,
    actor: Actor,
    organization: Organization,
    source: Source,
    filename: str | None = None,
    dry_run: bool = False,
    progress: ProgressOption = None,
    today: dt.date | None = None,
) -> TransferSummary:
    """Record the file's 発令 in 異動歴 (人事担当 of the 団体; all rows or nothing)."""
    _require_hr(actor, organization)
    today = today or timezone.localdate()
    columns = transfer_columns(organization=organization)
    table = read_table(source, columns=columns, filename=filename, progress=progress)
    staff = {
        s.number: s for s in Staff.objects.filter(organization=organization).select_related("unit")
    }
    current = open_assignments(organization=organization)
    # The unit of each open period, for the messages (one query).
    units = Unit.objects.in_bulk({a.unit_id for a in current.values()})
    for period in current.values():
        period.unit = units[period.unit_id]
    job = _TransferImport(organization=organization, today=today, staff=staff, current=current)
    summary = run_import(
        table,
        apply=job.apply,
        finish=job.finish,
        dry_run=dry_run,
        label=LABEL,
        labels={"new": "発令"},
        progress=progress,
    )
    summary.headers.update({"effective_date": "発令日", "unit_code": "所属コード"})
    if not dry_run:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            organization=organization,
            target_type=Assignment._meta.label,
            target_repr="人事異動（異動歴）",
            detail={
                "what": LABEL,
                "filename": filename or "",
                "counts": dict(summary.counts),
                "leaderless_units": job.warnings,
            },
        )
    return TransferSummary(summary=summary, warnings=job.warnings)


def transfer_import_template(*, organization: Organization | None = None) -> bytes:
    """An empty 異動 workbook (the headers) for the upload page."""
    from hagukumi.core.tabular_export import write_table

    return write_table([], columns=transfer_columns(organization=organization), format="xlsx")


__all__ = [
    "LABEL",
    "LEADERLESS_PREFIX",
    "TransferSummary",
    "leaderless_units",
    "transfer_columns",
    "transfer_import",
    "transfer_import_template",
]
