"""職員台帳 and 資格 imports (xlsx/CSV through core.tabular_import; all or nothing).

`staff_import` upserts by 職員番号. `effective_date` dates the 異動歴 it writes
(a change of 所属, 職位 or 級 closes the current Assignment the day before and
opens one from that date) and, with `retire_missing`, the retirements (退職日 =
the day before). 所属コード must exist in the tree of that date's fiscal year.
Retiring a mass of staff at once (more than core.jobs.mass_change allows of the
staff in post, e.g. 2,000 of 2,003 because the file held 3 rows) is refused
unless `mass_retirement_confirmed` (the job page's ticked second step, the
CLI's `--yes`); a dry run counts it and `mass_retirement_of` says so.

Rows are checked and staged in memory, then written with bulk statements in
`finish`, inside run_import's one transaction: a 50,000-row roster costs a
handful of statements per thousand rows instead of several per row. The
per-row checks replace full_clean() (the columns carry the model's limits; the
database constraints are the backstop).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.japanese_text import normalize, normalize_kana_name
from hagukumi.core.jobs import mass_change
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_import import (
    MSG_LEADING_ZERO,
    CodeIndex,
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
from hagukumi.people.bulk_insert import BULK
from hagukumi.people.bulk_insert import bulk_insert as _insert
from hagukumi.people.code_lists import all_code_values
from hagukumi.people.models import (
    EMPLOYMENT_FIXED_TERM,
    Assignment,
    CareerModel,
    CodeKind,
    Qualification,
    SpecialDepartment,
    Staff,
    StaffQualification,
)
from hagukumi.people.qualification_dates import qualification_date_problem
from hagukumi.people.search_keys import staff_search_key
from hagukumi.people.services.assignments import (
    AssignmentMove,
    AssignmentRetirement,
    assignments_write,
)

STAFF_LABEL = "職員"
QUALIFICATION_LABEL = "職員の資格"

# 特定部門 also accepted without the circled number (企画・計画 for ①企画・計画);
# the canonical label comes last so that exports (dict of pairs) show it.
_DEPARTMENT_CHOICES: list[tuple[str, str]] = [
    pair
    for value, label in SpecialDepartment.choices
    for pair in ((str(value), str(label)[1:]), (str(value), str(label)))
]


def staff_columns(*, organization: Organization | None = None) -> tuple[Column, ...]:
    """The roster columns; value lists come from the 団体's code lists (defaults without one)."""
    from hagukumi.people.code_lists import DEFAULT_CODE_LISTS

    lists: dict[str, list[str]] = (
        all_code_values(organization=organization)
        if organization is not None
        else {k: list(v) for k, v in DEFAULT_CODE_LISTS.items()}
    )
    return (
        Column("number", "職員番号", kind="code", required=True, unique=True, max_length=20),
        Column("name", "氏名", required=True, max_length=100),
        Column("name_kana", "氏名カナ", aliases=("フリガナ", "カナ"), max_length=100),
        Column("birth_date", "生年月日", kind="date"),
        Column("unit_code", "所属コード", kind="code", required=True, max_length=30),
        Column("position", "職位", kind="choice", required=True, choices=lists[CodeKind.POSITION]),
        Column("grade", "級", kind="int"),
        Column("job_type", "職種", kind="choice", choices=lists[CodeKind.JOB_TYPE]),
        Column("employment", "任用形態", kind="choice", choices=lists[CodeKind.EMPLOYMENT]),
        Column("recruitment", "採用区分", kind="choice", choices=lists[CodeKind.RECRUITMENT]),
        Column("hired_on", "採用年月日", kind="date"),
        Column("term_ends_on", "任期満了日", kind="date"),
        Column("career_model", "キャリアモデル", kind="choice", choices=CareerModel.choices),
        Column("special_department", "特定部門", kind="choice", choices=_DEPARTMENT_CHOICES),
    )


# Fields a roster row sets on Staff (unit is handled apart, through 所属コード).
_STAFF_FIELDS = (
    "name",
    "name_kana",
    "birth_date",
    "position",
    "grade",
    "job_type",
    "employment",
    "recruitment",
    "hired_on",
    "term_ends_on",
    "career_model",
    "special_department",
)
_TEXT_FIELDS = frozenset(
    {
        "name",
        "name_kana",
        "position",
        "job_type",
        "employment",
        "recruitment",
        "career_model",
        "special_department",
    }
)
_LABELS = {
    "career_model": dict(CareerModel.choices),
    "special_department": dict(SpecialDepartment.choices),
}


def _zero_key(number: str) -> str:
    return number.lstrip("0") or "0"


@dataclass(frozen=True)
class MassRetirement:
    """A roster import that retires more staff than core.jobs.mass_change allows."""

    retiring: int
    in_post: int

    @property
    def warning(self) -> str:
        return (
            f"この取込は、ファイルにない職員 {self.retiring:,}名を退職にします"
            f"（在職 {self.in_post:,}名）。ファイルが職員名簿の一部だけでないか確かめてください。"
        )

    @property
    def acknowledge(self) -> str:
        return f"{self.retiring:,}名を退職にすることを確認しました"

    @property
    def refusal(self) -> str:
        return (
            f"ファイルにない職員 {self.retiring:,}名を退職にする取込です"
            f"（在職 {self.in_post:,}名）。大量の退職は確認が必要です"
            "（コマンドラインでは --yes を付けて実行してください）。"
        )


def mass_retirement(*, retiring: int, in_post: int) -> MassRetirement | None:
    """The mass retirement of `retiring` of `in_post` staff, or None when it is not one."""
    if mass_change(retiring, total=in_post):
        return MassRetirement(retiring=retiring, in_post=in_post)
    return None


def staff_in_post_count(*, organization: Organization) -> int:
    """Staff of the 団体 not retired (the base of the mass-retirement rule)."""
    return Staff.objects.filter(organization=organization, retired_on__isnull=True).count()


def mass_retirement_of(
    counts: Mapping[str, int], *, organization: Organization
) -> MassRetirement | None:
    """The mass retirement a roster dry run's counts propose (None if it is none).

    Read after the dry run (which wrote nothing), so the staff in post are
    those the import would start from.
    """
    retiring = int(counts.get("retiring", 0))
    if not retiring:
        return None
    return mass_retirement(
        retiring=retiring, in_post=staff_in_post_count(organization=organization)
    )


@dataclass
class _StaffImport:
    organization: Organization
    effective_date: dt.date
    retire_missing: bool
    existing: dict[str, Staff]
    units: dict[str, Unit]
    current: dict[int, Assignment]  # staff id -> open assignment
    by_zero_key: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    creates: list[tuple[Staff, Unit]] = field(default_factory=list)
    updates: dict[str, list[Staff]] = field(default_factory=dict)
    assignment_changes: list[tuple[Staff, Unit]] = field(default_factory=list)
    dry_run: bool = False
    mass_retirement_confirmed: bool = False

    unit_codes: dict[int, str] = field(default_factory=dict)
    known_units: CodeIndex = field(default_factory=lambda: CodeIndex(()))
    in_post: int = 0

    def __post_init__(self) -> None:
        self.unit_codes = {u.pk: u.code for u in self.units.values()}
        self.known_units = CodeIndex(self.units)
        self.in_post = sum(1 for s in self.existing.values() if s.retired_on is None)
        for number in self.existing:
            self.by_zero_key.setdefault(_zero_key(number), number)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.effective_date)

    def apply(self, row: ParsedRow) -> RowOutcome:
        v = row.values
        number: str = v["number"]
        key = _zero_key(number)
        other = self.by_zero_key.get(key)
        if other is not None and other != number:
            message = f"{other} と先頭の0だけが違います"
            if len(other) > len(number):
                message += f"。{MSG_LEADING_ZERO.format(codes=other)}"
            raise RowProblem("number", message)
        self.by_zero_key[key] = number
        self.seen.add(number)
        unit = self.units.get(v["unit_code"])
        if unit is None:
            raise RowProblem(
                "unit_code",
                self.known_units.unknown(
                    f"所属コード「{v['unit_code']}」は{format_fiscal_year(self.fiscal_year)}の"
                    "組織にありません",
                    v["unit_code"],
                ),
            )
        wanted = {name: v[name] for name in _STAFF_FIELDS if name in v}
        for name in _TEXT_FIELDS & wanted.keys():
            wanted[name] = wanted[name] or ""  # empty choice cells read as None
        if wanted.get("name_kana"):
            try:
                wanted["name_kana"] = normalize_kana_name(wanted["name_kana"])
            except ValueError as exc:
                raise RowProblem("name_kana", str(exc)) from exc
        staff = self.existing.get(number)
        self._check_rules(wanted, staff)
        if staff is None:
            staff = Staff(organization=self.organization, number=number, unit=unit, **wanted)
            staff.search_key = staff_search_key(staff)
            self.creates.append((staff, unit))
            return RowOutcome("new", key=f"{number} {staff.name}")
        before = {name: getattr(staff, name) for name in wanted}
        # Staged, not saved: `finish` writes the changed staff in bulk.
        staff, changed = model_update(
            instance=staff, fields=wanted, data=wanted, save=False, clean=False
        )
        changes: dict[str, tuple[object, object]] = {}
        for name in changed:
            labels = _LABELS.get(name, {})
            old, new = before[name], wanted[name]
            changes[name] = (labels.get(old, old), labels.get(new, new))
        unit_changed = staff.unit_id != unit.pk
        if unit_changed:
            old_code = self._unit_code(staff.unit_id)
            if old_code != unit.code:
                changes["unit_code"] = (old_code, unit.code)
            staff.unit = unit
        if staff.retired_on is not None:
            changes["retired_on"] = (staff.retired_on, None)
            staff.retired_on = None
        fields = [name for name in changes if name != "unit_code"]
        if unit_changed:
            fields.append("unit")  # also a new version of the same 所属 (no change to report)
        if not changes:
            if fields:
                self.updates.setdefault("unit", []).append(staff)
            return RowOutcome("unchanged", key=number)
        if {"name", "name_kana"} & changes.keys():
            staff.search_key = staff_search_key(staff)
            fields.append("search_key")
        self.updates.setdefault(",".join(sorted(set(fields))), []).append(staff)
        if {"unit_code", "position", "grade"} & changes.keys() or staff.pk not in self.current:
            self.assignment_changes.append((staff, unit))
        return RowOutcome("changed", key=f"{number} {staff.name}", changes=changes)

    def _unit_code(self, unit_id: int | None) -> str:
        if unit_id is None:
            return ""
        if unit_id in self.unit_codes:
            return self.unit_codes[unit_id]
        return str(Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or "")

    def _check_rules(self, wanted: dict[str, Any], staff: Staff | None) -> None:
        def value(name: str) -> Any:
            if name in wanted:
                return wanted[name]
            return getattr(staff, name) if staff is not None else None

        if value("employment") == EMPLOYMENT_FIXED_TERM and value("term_ends_on") is None:
            raise RowProblem("term_ends_on", "任用形態が「任期付」の場合は必須です")
        if value("career_model") == CareerModel.DEPARTMENT_EXPERT and not value(
            "special_department"
        ):
            raise RowProblem(
                "special_department", "キャリアモデルが「特定部門エキスパート」の場合は必須です"
            )

    def finish(self, summary: ImportSummary) -> None:
        """Write what the rows staged, then retire the absent staff (with retire_missing)."""
        summary.add("retiring", count=0)
        start = self.effective_date
        day_before = start - dt.timedelta(days=1)
        new_staff = [s for s, _unit in self.creates]
        _insert(Staff, new_staff)
        if new_staff:
            ids = dict(
                Staff.objects.filter(organization=self.organization).values_list("number", "id")
            )
            for staff in new_staff:
                staff.pk = ids[staff.number]
        for fields, group in self.updates.items():
            Staff.objects.bulk_update(group, [*fields.split(","), "updated_at"], batch_size=BULK)
        # 異動歴 through people's one writer (services.assignments): new staff start
        # on the date, a change of 所属/職位/級 closes the open period the day before.
        moves = [
            AssignmentMove(staff=s, unit=u, position=s.position, grade=s.grade, starts_on=start)
            for s, u in [*self.creates, *self.assignment_changes]
        ]
        retirements: list[AssignmentRetirement] = []
        if self.retire_missing:
            retiring = [
                s
                for number, s in sorted(self.existing.items())
                if number not in self.seen and s.retired_on is None
            ]
            mass = mass_retirement(retiring=len(retiring), in_post=self.in_post)
            if mass is not None and not self.dry_run and not self.mass_retirement_confirmed:
                raise ApplicationError(mass.refusal)
            for staff in retiring:
                staff.retired_on = day_before
                retirements.append(AssignmentRetirement(staff=staff, last_day=day_before))
                summary.add(
                    "retiring",
                    key=f"{staff.number} {staff.name}",
                    changes={"retired_on": (None, day_before)},
                )
            Staff.objects.bulk_update(retiring, ["retired_on", "updated_at"], batch_size=BULK)
        assignments_write(moves=moves, retirements=retirements, current=self.current)


def _require_hr(actor: Actor, organization: Organization) -> None:
    """人事担当 of the 団体 (the command line holds it for its 団体); no actor: AccessDenied."""
    if actor is None:
        raise AccessDenied()
    require_role(actor, Role.HR)
    if actor.organization_id != organization.pk:
        raise AccessDenied()


def staff_import(
    *,
    actor: Actor,
    organization: Organization,
    source: Source,
    effective_date: dt.date,
    filename: str | None = None,
    dry_run: bool = False,
    retire_missing: bool = False,
    mass_retirement_confirmed: bool = False,
    progress: ProgressOption = None,
) -> ImportSummary:
    """Upsert the roster by 職員番号 as of `effective_date` (all rows or nothing).

    Summary kinds: new / changed (with the changed fields) / unchanged /
    retiring (退職, only with `retire_missing`). A mass retirement (see the
    module docstring) needs `mass_retirement_confirmed`, or the import stops
    (TabularImportError naming the number, nothing written).
    """
    _require_hr(actor, organization)
    columns = staff_columns(organization=organization)
    table = read_table(source, columns=columns, filename=filename, progress=progress)
    fiscal_year = fiscal_year_of(effective_date)
    units = {u.code: u for u in units_valid_in(organization=organization, fiscal_year=fiscal_year)}
    existing = {s.number: s for s in Staff.objects.filter(organization=organization)}
    current = {
        a.staff_id: a
        for a in Assignment.objects.filter(
            staff__organization=organization, ends_on__isnull=True
        ).order_by("starts_on")
    }
    job = _StaffImport(
        organization=organization,
        effective_date=effective_date,
        retire_missing=retire_missing,
        existing=existing,
        units=units,
        current=current,
        dry_run=dry_run,
        mass_retirement_confirmed=mass_retirement_confirmed,
    )
    summary = run_import(
        table,
        apply=job.apply,
        finish=job.finish,
        dry_run=dry_run,
        label=STAFF_LABEL,
        labels={"retiring": "退職"},
        progress=progress,
    )
    summary.headers.setdefault("retired_on", "退職日")
    if not dry_run:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            organization=organization,
            target_type=Staff._meta.label,
            target_repr="職員台帳",
            detail={
                "what": STAFF_LABEL,
                "filename": filename or "",
                "effective_date": effective_date.isoformat(),
                "retire_missing": retire_missing,
                "mass_retirement_confirmed": mass_retirement_confirmed,
                "counts": dict(summary.counts),
            },
        )
    return summary


# --------------------------------------------------------------------- qualifications

QUALIFICATION_COLUMNS = (
    Column("number", "職員番号", kind="code", required=True, max_length=20),
    Column("qualification", "資格", required=True),
    Column("obtained_on", "取得年月日", kind="date", required=True),
    Column("exam_fee", "受験料", kind="yen"),
    Column("course_fee", "講座受講料", kind="yen"),
    Column("textbook_fee", "テキスト代", kind="yen"),
    Column("travel_fee", "交通費", kind="yen"),
)
_FEE_FIELDS = ("exam_fee", "course_fee", "textbook_fee", "travel_fee")


def qualification_lookup() -> dict[str, Qualification]:
    """Catalogue entries by code and by normalised name (with or without 試験/制度)."""
    found: dict[str, Qualification] = {}
    for q in Qualification.objects.all():
        found[q.code] = q
        name = normalize(q.name).replace(" ", "")
        found[name] = q
        for suffix in ("試験", "制度"):
            if name.endswith(suffix):
                found[name.removesuffix(suffix)] = q
    return found


def qualifications_import(
    *,
    actor: Actor,
    organization: Organization,
    source: Source,
    filename: str | None = None,
    dry_run: bool = False,
    progress: ProgressOption = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Upsert 職員の資格 by (職員番号, 資格, 取得年月日); 資格 is a catalogue code or name.

    取得年月日 after today or before 生年月日 is refused (`people.qualification_dates`).
    """
    _require_hr(actor, organization)
    today = today or timezone.localdate()
    table = read_table(source, columns=QUALIFICATION_COLUMNS, filename=filename, progress=progress)
    staff_by_number = {
        s.number: s
        for s in Staff.objects.filter(organization=organization).only("id", "number", "birth_date")
    }
    catalogue = qualification_lookup()
    numbers = CodeIndex(staff_by_number)
    existing = {
        (sq.staff_id, sq.qualification_id, sq.obtained_on): sq
        for sq in StaffQualification.objects.filter(staff__organization=organization)
    }
    seen: dict[tuple[int, int, dt.date], int] = {}

    def apply(row: ParsedRow) -> RowOutcome:
        v = row.values
        staff = staff_by_number.get(v["number"])
        if staff is None:
            raise RowProblem(
                "number",
                numbers.unknown(
                    f"職員番号「{v['number']}」の職員は登録されていません", v["number"]
                ),
            )
        qualification = catalogue.get(v["qualification"]) or catalogue.get(
            normalize(v["qualification"]).replace(" ", "")
        )
        if qualification is None:
            raise RowProblem("qualification", f"「{v['qualification']}」は資格の一覧にありません")
        if not qualification.holdable:
            raise RowProblem(
                "qualification",
                f"「{qualification.name}」はスキル標準で、取得する資格ではありません",
            )
        problem = qualification_date_problem(
            obtained_on=v["obtained_on"], birth_date=staff.birth_date, today=today
        )
        if problem is not None:
            raise RowProblem("obtained_on", problem)
        key = (staff.pk, qualification.pk, v["obtained_on"])
        if key in seen:
            raise RowProblem(None, f"行 {seen[key]} と同じ職員・資格・取得年月日です")
        seen[key] = row.number
        fees = {name: v[name] for name in _FEE_FIELDS if name in v}
        label = f"{staff.number} {qualification.name} {v['obtained_on'].isoformat()}"
        record = existing.get(key)
        if record is None:
            StaffQualification.objects.create(
                staff=staff,
                qualification=qualification,
                obtained_on=v["obtained_on"],
                **fees,
            )
            return RowOutcome("new", key=label)
        before = {name: getattr(record, name) for name in fees}
        record, changed = model_update(instance=record, fields=fees, data=fees, clean=False)
        if not changed:
            return RowOutcome("unchanged", key=label)
        return RowOutcome("changed", key=label, changes={n: (before[n], fees[n]) for n in changed})

    summary = run_import(
        table, apply=apply, dry_run=dry_run, label=QUALIFICATION_LABEL, progress=progress
    )
    if not dry_run:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            organization=organization,
            target_type=StaffQualification._meta.label,
            target_repr="職員の資格",
            detail={
                "what": QUALIFICATION_LABEL,
                "filename": filename or "",
                "counts": dict(summary.counts),
            },
        )
    return summary


# The roster template's example row (its 職員番号 cell reads 「記入例」).
_SAMPLE_UNIT_CODE = "020201"


def staff_import_template(*, organization: Organization | None = None) -> bytes:
    """The roster template for the upload page (core.tabular_export.write_template).

    Headers, one 記入例 row the import skips (a 所属コード of the 団体's current
    tree, the first value of each of its lists), Text format on the code columns
    so Excel keeps 020201, and a 「選択肢」 sheet with drop-down lists for 職位,
    職種, 任用形態, 採用区分, キャリアモデル and 特定部門 (the 団体's code lists).
    """
    from hagukumi.core.tabular_export import write_template

    columns = staff_columns(organization=organization)
    by_field = {c.field: c for c in columns}

    def first(name: str) -> str:
        pairs = by_field[name].choice_pairs()
        return pairs[0][0] if pairs else ""

    unit_code = _SAMPLE_UNIT_CODE
    if organization is not None:
        codes = [
            u.code
            for u in units_valid_in(
                organization=organization, fiscal_year=fiscal_year_of(timezone.localdate())
            )
        ]
        if codes:
            # The deepest-looking code: staff sit in 課 and 係 rather than 部.
            unit_code = min(codes, key=lambda code: (-len(code), code))
    sample = {
        "name": "山田 太郎",
        "name_kana": "ヤマダ タロウ",
        "birth_date": dt.date(1990, 4, 1),
        "unit_code": unit_code,
        "position": by_field["position"].choice_pairs()[-1][0],
        "grade": 1,
        "job_type": first("job_type"),
        "employment": first("employment"),
        "recruitment": first("recruitment"),
        "hired_on": dt.date(2013, 4, 1),
        "career_model": CareerModel.GENERALIST,
    }
    return write_template(columns, sample=sample, sheet_title="職員名簿")


__all__ = [
    "QUALIFICATION_COLUMNS",
    "qualifications_import",
    "staff_columns",
    "staff_import",
    "staff_import_template",
    "staff_search_key",
]
