"""Reads of the 職員台帳 that pages, the API, commands and other apps share.

Every read of a staff member's personal data goes through here, checks the
visibility matrix (hagukumi.people.visibility) and is audited: profile views,
searches, the leader directory and exports. Out-of-scope staff raise
AccessDenied (→ 404); a search filter on a field the role may not see raises
ApplicationError (→ 400). Other apps read only `designation_counts`,
`qualification_counts` (and `leader_directory`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, cast

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.japanese_text import normalize
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_export import CsvEncoding, ExportFormat, write_table
from hagukumi.core.tabular_import import Column
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import unit_descendant_ids
from hagukumi.people.code_lists import code_values
from hagukumi.people.designations import HOLDING_STATUSES, talent_type_names
from hagukumi.people.models import (
    Assignment,
    CareerModel,
    CodeKind,
    Designation,
    DesignationEvent,
    DesignationStatus,
    JobApplication,
    Qualification,
    SpecialDepartment,
    Staff,
    StaffQualification,
)
from hagukumi.people.subsidies import SubsidyResult, subsidy_evaluate, subsidy_rules_for
from hagukumi.people.visibility import (
    GROUP_FIELDS,
    GROUP_LABELS,
    FieldGroup,
    StaffScope,
    fields_of,
    searchable_groups,
    staff_editable_groups,
    staff_scope,
    staff_visible_groups,
)

CAREER_MODEL_LABELS = dict(CareerModel.choices)
DEPARTMENT_LABELS = dict(SpecialDepartment.choices)
STATUS_LABELS = dict(DesignationStatus.choices)


def command_line_actor(organization: Any) -> Actor:
    """The actor of a management command: 人事担当-equivalent for one 団体, no user.

    Commands are run by the server's administrator, who can read the database
    anyway; audit rows record them as 「コマンドライン」.
    """
    return Actor.command_line(organization)


def _audit_username(actor: Actor) -> str:
    return "" if actor.user is not None else "コマンドライン"


# --------------------------------------------------------------------------- access


def access_staff_by_id(*, actor: Actor, staff_id: int | str) -> Staff:
    """The staff member if the actor may see any of their fields; AccessDenied (404) otherwise."""
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    try:
        staff = (
            Staff.objects.select_related("unit", "organization")
            .filter(organization_id=actor.organization_id)
            .get(pk=staff_id)
        )
    except (Staff.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    if not staff_visible_groups(actor, staff):
        raise AccessDenied()
    return staff


def staff_of_user(*, actor: Actor) -> Staff | None:
    """The staff record linked to the actor's user in the active 団体 (職員本人)."""
    if actor is None or actor.organization_id is None or actor.user is None:
        return None
    return (
        Staff.objects.select_related("unit")
        .filter(organization_id=actor.organization_id, user_id=actor.user.pk)
        .first()
    )


# -------------------------------------------------------------------------- profile


@dataclass(frozen=True)
class QualificationRow:
    record: StaffQualification
    subsidies: list[SubsidyResult]


@dataclass(frozen=True)
class DesignationRow:
    designation: Designation
    talent_type_name: str
    events: list[DesignationEvent]


@dataclass
class StaffProfile:
    """What a profile page or API shows: only the fields in `fields` are filled."""

    staff: Staff
    groups: frozenset[FieldGroup]
    fields: frozenset[str]
    editable: frozenset[FieldGroup]
    values: dict[str, Any]
    qualifications: list[QualificationRow] | None = None
    designations: list[DesignationRow] | None = None
    applications: list[JobApplication] | None = None

    def shows(self, name: str) -> bool:
        return name in self.fields or name in self.groups


def staff_values(staff: Staff, names: Iterable[str]) -> dict[str, Any]:
    """Display values of the named Staff fields (labels for choices, unit name)."""
    out: dict[str, Any] = {}
    for name in names:
        if name in ("qualifications", "designations"):
            continue
        if name == "unit":
            out["unit"] = staff.unit.name if staff.unit_id and staff.unit else ""
            out["unit_code"] = staff.unit.code if staff.unit_id and staff.unit else ""
        elif name == "career_model":
            out[name] = CAREER_MODEL_LABELS.get(staff.career_model, "")
        elif name == "special_department":
            out[name] = DEPARTMENT_LABELS.get(staff.special_department, "")
        else:
            out[name] = getattr(staff, name)
    return out


def staff_profile(*, actor: Actor, staff_id: int | str, request: Any = None) -> StaffProfile:
    """The profile of one staff member as the actor may see it; audited (閲覧)."""
    staff = access_staff_by_id(actor=actor, staff_id=staff_id)
    scope = staff_scope(actor)
    groups = staff_visible_groups(actor, staff, scope=scope)
    visible = fields_of(groups)
    profile = StaffProfile(
        staff=staff,
        groups=groups,
        fields=visible,
        editable=staff_editable_groups(actor, staff, scope=scope),
        values=staff_values(staff, sorted(visible)),
    )
    if FieldGroup.QUALIFICATIONS in groups:
        records = list(
            StaffQualification.objects.filter(staff=staff)
            .select_related("qualification")
            .order_by("obtained_on", "qualification__order")
        )
        rules = subsidy_rules_for(organization=staff.organization_id)
        designations = list(
            Designation.objects.filter(staff=staff)
            .exclude(status=DesignationStatus.REVOKED)
            .values_list("talent_type_code", "from_fy", "to_fy")
        )
        profile.qualifications = []
        for record in records:
            fy = fiscal_year_of(record.obtained_on)
            held = {
                code
                for code, start, end in designations
                if start <= fy and (end is None or end >= fy)
            }
            profile.qualifications.append(
                QualificationRow(
                    record=record,
                    subsidies=[
                        subsidy_evaluate(rule=rule, record=record, designated_type_codes=held)
                        for rule in rules
                    ],
                )
            )
    if FieldGroup.DESIGNATIONS in groups:
        names = talent_type_names(organization=staff.organization_id)
        profile.designations = [
            DesignationRow(
                d, names.get(d.talent_type_code, d.talent_type_code), list(d.events.all())
            )
            for d in Designation.objects.filter(staff=staff)
            .prefetch_related("events")
            .order_by("from_fy", "id")
        ]
    is_self = staff.user_id is not None and staff.user_id == getattr(actor.user, "pk", None)
    if is_self or actor.has_role(Role.HR):
        profile.applications = list(
            JobApplication.objects.filter(staff=staff)
            .select_related("challenge")
            .order_by("-created_at")
        )
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.VIEW,
        target=staff,
        username=_audit_username(actor),
        detail={"fields": sorted(g.value for g in groups)},
    )
    return profile


# --------------------------------------------------------------------------- search

# Filter name → the group it reveals. Lists accept several values (OR).
FILTER_GROUPS: dict[str, FieldGroup] = {
    "unit_id": FieldGroup.BASIC,
    "position": FieldGroup.BASIC,
    "grade_min": FieldGroup.BASIC,
    "grade_max": FieldGroup.BASIC,
    "job_type": FieldGroup.BASIC,
    "employment": FieldGroup.BASIC,
    "recruitment": FieldGroup.BASIC,
    "career_model": FieldGroup.BASIC,
    "special_department": FieldGroup.BASIC,
    "include_retired": FieldGroup.BASIC,
    "qualification": FieldGroup.QUALIFICATIONS,
    "itss_min": FieldGroup.QUALIFICATIONS,
    "talent_type": FieldGroup.DESIGNATIONS,
    "designation_status": FieldGroup.DESIGNATIONS,
    "born_from": FieldGroup.BIRTH_DATE,
    "born_to": FieldGroup.BIRTH_DATE,
    "appraisal_text": FieldGroup.APPRAISAL,
}
FILTER_LABELS: dict[str, str] = {
    "unit_id": "所属",
    "position": "職位",
    "grade_min": "級（以上）",
    "grade_max": "級（以下）",
    "job_type": "職種",
    "employment": "任用形態",
    "recruitment": "採用区分",
    "career_model": "キャリアモデル",
    "special_department": "特定部門",
    "include_retired": "退職者を含む",
    "qualification": "資格",
    "itss_min": "ITSSレベル（以上）",
    "talent_type": "人材類型",
    "designation_status": "指定の状態",
    "born_from": "生年月日（から）",
    "born_to": "生年月日（まで）",
    "appraisal_text": "評価・適性",
}
_LIST_FILTERS = {
    "position",
    "job_type",
    "employment",
    "recruitment",
    "career_model",
    "special_department",
    "qualification",
    "talent_type",
    "designation_status",
}
_INT_FILTERS = {"unit_id", "grade_min", "grade_max", "itss_min"}
_DATE_FILTERS = {"born_from", "born_to"}
_BOOL_FILTERS = {"include_retired"}


@dataclass(frozen=True)
class StaffSearchFilters:
    """Parsed search conditions; build with `StaffSearchFilters.parse(mapping)`."""

    unit_id: int | None = None
    position: tuple[str, ...] = ()
    grade_min: int | None = None
    grade_max: int | None = None
    job_type: tuple[str, ...] = ()
    employment: tuple[str, ...] = ()
    recruitment: tuple[str, ...] = ()
    career_model: tuple[str, ...] = ()
    special_department: tuple[str, ...] = ()
    include_retired: bool = False
    qualification: tuple[str, ...] = ()
    itss_min: int | None = None
    talent_type: tuple[str, ...] = ()
    designation_status: tuple[str, ...] = ()
    born_from: dt.date | None = None
    born_to: dt.date | None = None
    appraisal_text: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None) -> StaffSearchFilters:
        """From query parameters (str or lists of str); unknown names → ApplicationError."""
        values: dict[str, Any] = {}
        for name, raw in (data or {}).items():
            if name not in FILTER_GROUPS:
                raise ApplicationError(f"検索条件「{name}」は使えません。")
            items = [raw] if isinstance(raw, str | int | bool | dt.date) else list(raw or [])
            items = [i for i in items if i not in (None, "")]
            if not items:
                continue
            label = FILTER_LABELS[name]
            try:
                if name in _LIST_FILTERS:
                    values[name] = tuple(str(i) for i in items)
                elif name in _INT_FILTERS:
                    values[name] = int(str(items[0]))
                elif name in _DATE_FILTERS:
                    item = items[0]
                    values[name] = (
                        item if isinstance(item, dt.date) else dt.date.fromisoformat(str(item))
                    )
                elif name in _BOOL_FILTERS:
                    values[name] = str(items[0]).lower() in ("1", "true", "on", "yes", "○")
                else:
                    values[name] = str(items[0])
            except ValueError as exc:
                raise ApplicationError(f"検索条件「{label}」の値が正しくありません。") from exc
        return cls(**values)

    @classmethod
    def of(cls, filters: StaffSearchFilters | Mapping[str, Any] | None) -> StaffSearchFilters:
        return filters if isinstance(filters, StaffSearchFilters) else cls.parse(filters)

    def used(self) -> list[str]:
        """Names of the filters that are set."""
        default = StaffSearchFilters()
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)]

    def as_detail(self) -> dict[str, Any]:
        return {
            name: (list(v) if isinstance(v, tuple) else str(v) if isinstance(v, dt.date) else v)
            for name in self.used()
            for v in [getattr(self, name)]
        }


@dataclass
class StaffSearchPage:
    """One page of search results: `rows` hold only `columns` (plus `id`)."""

    rows: list[dict[str, Any]]
    total: int
    columns: tuple[str, ...]
    groups: frozenset[FieldGroup]
    offset: int = 0
    limit: int = 50
    filters: StaffSearchFilters = field(default_factory=StaffSearchFilters)


def _check_filters(filters: StaffSearchFilters, groups: frozenset[FieldGroup]) -> None:
    for name in filters.used():
        if FILTER_GROUPS[name] not in groups:
            raise ApplicationError(
                f"検索条件「{FILTER_LABELS[name]}」（{GROUP_LABELS[FILTER_GROUPS[name]]}）は"
                "この役割では使えません。",
                extra={"field": name},
            )


def _scoped_staff(actor: Actor, scope: StaffScope) -> QuerySet[Staff]:
    qs = Staff.objects.filter(organization_id=scope.organization_id or 0)
    if not scope.whole_organization:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


def staff_search_queryset(
    *, actor: Actor, filters: StaffSearchFilters, text: str = "", scope: StaffScope | None = None
) -> QuerySet[Staff]:
    """The staff matching `filters` and `text` within the actor's reach (not audited)."""
    require_role(actor, Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD)
    groups = searchable_groups(actor)
    _check_filters(filters, groups)
    scope = scope or staff_scope(actor)
    qs = _scoped_staff(actor, scope)
    f = filters
    if f.unit_id is not None:
        unit = (
            Unit.objects.select_related("organization")
            .filter(pk=f.unit_id, organization_id=scope.organization_id or 0)
            .first()
        )
        if unit is None:
            raise ApplicationError("検索条件「所属」の所属が見つかりません。")
        ids = unit_descendant_ids(
            unit=unit, fiscal_year=fiscal_year_of(timezone.localdate()), all_versions=True
        ) or {unit.pk}
        qs = qs.filter(unit_id__in=ids)
    if not f.include_retired:
        qs = qs.filter(Q(retired_on__isnull=True) | Q(retired_on__gte=timezone.localdate()))
    for name in ("position", "job_type", "employment", "recruitment"):
        values = getattr(f, name)
        if values:
            qs = qs.filter(**{f"{name}__in": values})
    if f.career_model:
        qs = qs.filter(career_model__in=_choice_values(f.career_model, CareerModel.choices))
    if f.special_department:
        qs = qs.filter(
            special_department__in=_choice_values(f.special_department, SpecialDepartment.choices)
        )
    if f.grade_min is not None:
        qs = qs.filter(grade__gte=f.grade_min)
    if f.grade_max is not None:
        qs = qs.filter(grade__lte=f.grade_max)
    if f.qualification:
        held = StaffQualification.objects.filter(staff=OuterRef("pk")).filter(
            Q(qualification__code__in=f.qualification) | Q(qualification__name__in=f.qualification)
        )
        qs = qs.filter(Exists(held))
    if f.itss_min is not None:
        qs = qs.filter(
            Exists(
                StaffQualification.objects.filter(
                    staff=OuterRef("pk"), qualification__itss_level__gte=f.itss_min
                )
            )
        )
    if f.talent_type or f.designation_status:
        designated = Designation.objects.filter(staff=OuterRef("pk"))
        if f.talent_type:
            designated = designated.filter(talent_type_code__in=f.talent_type)
        if f.designation_status:
            designated = designated.filter(
                status__in=_choice_values(f.designation_status, DesignationStatus.choices)
            )
        else:
            designated = designated.exclude(status=DesignationStatus.REVOKED)
        qs = qs.filter(Exists(designated))
    if f.born_from is not None:
        qs = qs.filter(birth_date__gte=f.born_from)
    if f.born_to is not None:
        qs = qs.filter(birth_date__lte=f.born_to)
    if f.appraisal_text:
        qs = qs.filter(
            Q(aptitude_notes__icontains=f.appraisal_text)
            | Q(evaluation_notes__icontains=f.appraisal_text)
        )
    for term in normalize(text).split():
        qs = qs.filter(search_key__contains=term)
    return qs


def _choice_values(given: Sequence[str], choices: Sequence[tuple[Any, Any]]) -> list[str]:
    """Stored values for values or labels (キャリアモデル=エキスパート or expert)."""
    by_label = {str(label): str(value) for value, label in choices}
    return [by_label.get(v, v) for v in given]


def _result_columns(groups: frozenset[FieldGroup]) -> tuple[str, ...]:
    columns: list[str] = []
    for group in FieldGroup:
        if group in groups:
            for name in GROUP_FIELDS[group]:
                columns.append(name)
                if name == "unit":
                    columns.append("unit_code")
    return tuple(columns)


def _page_rows(
    staff_list: Sequence[Staff], groups: frozenset[FieldGroup], names: dict[str, str]
) -> list[dict[str, Any]]:
    visible = sorted(fields_of(groups))
    rows = []
    for staff in staff_list:
        row = {"id": staff.pk, **staff_values(staff, visible)}
        if FieldGroup.QUALIFICATIONS in groups:
            row["qualifications"] = [
                {
                    "code": sq.qualification.code,
                    "name": sq.qualification.name,
                    "obtained_on": sq.obtained_on,
                    "itss_level": sq.qualification.itss_level,
                }
                for sq in staff.qualifications.all()
            ]
        if FieldGroup.DESIGNATIONS in groups:
            row["designations"] = [
                {
                    "talent_type": d.talent_type_code,
                    "talent_type_name": names.get(d.talent_type_code, d.talent_type_code),
                    "level": d.level_code,
                    "status": d.status,
                    "status_label": STATUS_LABELS.get(d.status, d.status),
                    "role": d.role,
                    "from_fy": d.from_fy,
                    "to_fy": d.to_fy,
                }
                for d in staff.designations.all()
            ]
        rows.append(row)
    return rows


def _with_lists(qs: QuerySet[Staff], groups: frozenset[FieldGroup]) -> QuerySet[Staff]:
    qs = qs.select_related("unit")
    if FieldGroup.QUALIFICATIONS in groups:
        qs = qs.prefetch_related(
            Prefetch(
                "qualifications",
                queryset=StaffQualification.objects.select_related("qualification").order_by(
                    "obtained_on", "id"
                ),
            )
        )
    if FieldGroup.DESIGNATIONS in groups:
        qs = qs.prefetch_related(
            Prefetch("designations", queryset=Designation.objects.order_by("from_fy", "id"))
        )
    return qs


def staff_search(
    *,
    actor: Actor,
    filters: StaffSearchFilters | Mapping[str, Any] | None = None,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
    request: Any = None,
) -> StaffSearchPage:
    """Talent search (発掘): one page of rows holding only the columns the role may see.

    人事担当 / DX推進担当: the whole 団体; 所属長: unit and below. A filter on a
    field the role may not see → ApplicationError (API 400). Audited (閲覧).
    A fixed number of queries whatever the page size.
    """
    parsed = (
        filters if isinstance(filters, StaffSearchFilters) else StaffSearchFilters.parse(filters)
    )
    scope = staff_scope(actor)
    qs = staff_search_queryset(actor=actor, filters=parsed, text=text, scope=scope)
    groups = searchable_groups(actor)
    total = qs.count()
    limit = max(1, min(int(limit), 500))
    offset = max(0, int(offset))
    page = list(_with_lists(qs.order_by("number"), groups)[offset : offset + limit])
    names = (
        talent_type_names(organization=actor.organization_id)
        if FieldGroup.DESIGNATIONS in groups
        else {}
    )
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.VIEW,
        target_type=Staff._meta.label,
        target_repr="人材検索",
        username=_audit_username(actor),
        detail={"filters": parsed.as_detail(), "text": text, "total": total, "shown": len(page)},
    )
    return StaffSearchPage(
        rows=_page_rows(page, groups, names),
        total=total,
        columns=_result_columns(groups),
        groups=groups,
        offset=offset,
        limit=limit,
        filters=parsed,
    )


# --------------------------------------------------------------------------- export

_EXPORT_COLUMNS: dict[str, Column] = {
    "number": Column("number", "職員番号", kind="code"),
    "name": Column("name", "氏名"),
    "name_kana": Column("name_kana", "氏名カナ"),
    "birth_date": Column("birth_date", "生年月日", kind="date"),
    "unit_code": Column("unit_code", "所属コード", kind="code"),
    "unit": Column("unit", "所属"),
    "position": Column("position", "職位"),
    "grade": Column("grade", "級", kind="int"),
    "job_type": Column("job_type", "職種"),
    "employment": Column("employment", "任用形態"),
    "recruitment": Column("recruitment", "採用区分"),
    "hired_on": Column("hired_on", "採用年月日", kind="date"),
    "term_ends_on": Column("term_ends_on", "任期満了日", kind="date"),
    "career_model": Column("career_model", "キャリアモデル"),
    "special_department": Column("special_department", "特定部門"),
    "retired_on": Column("retired_on", "退職日", kind="date"),
    "is_demo": Column("is_demo", "デモ", kind="bool"),
    "aptitude_notes": Column("aptitude_notes", "適性"),
    "evaluation_notes": Column("evaluation_notes", "評価"),
    "qualifications": Column("qualifications", "資格"),
    "designations": Column("designations", "指定"),
    "career_intent": Column("career_intent", "キャリア志向"),
}
# File order: the import's columns first, so an export of 基本情報 reads back in.
_EXPORT_ORDER = (
    "number",
    "name",
    "name_kana",
    "birth_date",
    "unit_code",
    "position",
    "grade",
    "job_type",
    "employment",
    "recruitment",
    "hired_on",
    "term_ends_on",
    "career_model",
    "special_department",
    "unit",
    "retired_on",
    "is_demo",
    "aptitude_notes",
    "evaluation_notes",
    "qualifications",
    "designations",
    "career_intent",
)


def staff_export_columns(groups: frozenset[FieldGroup]) -> tuple[Column, ...]:
    visible = set(fields_of(groups))
    if "unit" in visible:
        visible.add("unit_code")
    return tuple(_EXPORT_COLUMNS[name] for name in _EXPORT_ORDER if name in visible)


def staff_export(
    *,
    actor: Actor,
    filters: StaffSearchFilters | Mapping[str, Any] | None = None,
    text: str = "",
    format: ExportFormat = "xlsx",
    encoding: CsvEncoding = "utf-8-sig",
    request: Any = None,
) -> bytes:
    """The search result as xlsx/CSV with only the columns the role may see; audited (出力).

    Raises TabularExportError (nothing written) e.g. for 𠮷 in a CP932 file.
    """
    parsed = (
        filters if isinstance(filters, StaffSearchFilters) else StaffSearchFilters.parse(filters)
    )
    scope = staff_scope(actor)
    groups = searchable_groups(actor)
    qs = _with_lists(
        staff_search_queryset(actor=actor, filters=parsed, text=text, scope=scope).order_by(
            "number"
        ),
        groups,
    )
    names = (
        talent_type_names(organization=actor.organization_id)
        if FieldGroup.DESIGNATIONS in groups
        else {}
    )
    rows = _page_rows(list(qs), groups, names)
    for row in rows:
        if "qualifications" in row:
            row["qualifications"] = "、".join(
                f"{q['name']}({q['obtained_on'].isoformat()})" for q in row["qualifications"]
            )
        if "designations" in row:
            row["designations"] = "、".join(
                f"{d['talent_type_name']}({d['status_label']})" for d in row["designations"]
            )
    data = write_table(
        rows,
        columns=staff_export_columns(groups),
        format=format,
        encoding=encoding,
        sheet_title="職員",
    )
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.EXPORT,
        target_type=Staff._meta.label,
        target_repr="職員台帳",
        username=_audit_username(actor),
        detail={
            "filters": parsed.as_detail(),
            "text": text,
            "rows": len(rows),
            "format": format,
            "columns": [c.header for c in staff_export_columns(groups)],
        },
    )
    return data


# ---------------------------------------------------------------------- as of a date


@dataclass(frozen=True)
class StaffAsOf:
    staff: Staff
    unit: Unit
    position: str
    grade: int | None


def staff_as_of(
    *, organization: Any, on: dt.date, staff_ids: Iterable[int] | None = None
) -> list[StaffAsOf]:
    """Who was where on date `on` (from 異動歴), one query; retired staff excluded."""
    qs = (
        Assignment.objects.filter(staff__organization=organization, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=on))
        .select_related("staff", "unit")
        .order_by("staff__number")
    )
    if staff_ids is not None:
        qs = qs.filter(staff_id__in=list(staff_ids))
    return [StaffAsOf(a.staff, a.unit, a.position, a.grade) for a in qs]


# ------------------------------------------------------------------ leader directory


@dataclass(frozen=True)
class DirectoryRow:
    """One line of the leader directory: unit, type and role, 氏名 — nothing more."""

    unit_id: int | None
    unit_code: str
    unit_name: str
    talent_type_code: str
    talent_type_name: str
    role: str
    name: str


def leader_directory(
    *, actor: Actor, fiscal_year: int | None = None, request: Any = None
) -> list[DirectoryRow]:
    """Current holders (認定/実践 in the FY) of the talent types listed in the directory.

    Open to every user of the 団体 (so people know whom to ask); audited (閲覧).
    """
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    fiscal_year = fiscal_year or fiscal_year_of(timezone.localdate())
    type_codes = code_values(organization=actor.organization_id, kind=CodeKind.DIRECTORY_TYPE)
    names = talent_type_names(organization=actor.organization_id)
    today = timezone.localdate()
    rows = [
        DirectoryRow(
            unit_id=d.staff.unit_id,
            unit_code=d.staff.unit.code if d.staff.unit else "",
            unit_name=d.staff.unit.name if d.staff.unit else "",
            talent_type_code=d.talent_type_code,
            talent_type_name=names.get(d.talent_type_code, d.talent_type_code),
            role=d.role,
            name=d.staff.name,
        )
        for d in _designations_in_force(
            organization=actor.organization_id,
            fiscal_year=fiscal_year,
            statuses=HOLDING_STATUSES,
            talent_type_codes=type_codes,
        )
        .filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=today))
        .select_related("staff__unit")
        .order_by("staff__unit__position", "staff__unit__code", "talent_type_code", "staff__number")
    ]
    audit_record(
        actor=actor,
        request=request,
        action=AuditEvent.Action.VIEW,
        target_type=Designation._meta.label,
        target_repr="DX推進リーダー名簿",
        username=_audit_username(actor),
        detail={"fiscal_year": fiscal_year, "rows": len(rows)},
    )
    return rows


# --------------------------------------------------------------- counts for [計画]


def _designations_in_force(
    *,
    organization: Any,
    fiscal_year: int,
    statuses: Iterable[str] | None,
    talent_type_codes: Iterable[str] | None = None,
) -> QuerySet[Designation]:
    qs = Designation.objects.filter(organization=organization, from_fy__lte=fiscal_year).filter(
        Q(to_fy__isnull=True) | Q(to_fy__gte=fiscal_year)
    )
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if talent_type_codes is not None:
        qs = qs.filter(talent_type_code__in=list(talent_type_codes))
    return qs


DESIGNATION_COUNT_KEYS = {
    "talent_type": "talent_type_code",
    "status": "status",
    "level": "level_code",
    "role": "role",
    "method": "method",
    "unit": "staff__unit__code",
}


def designation_counts(
    *,
    organization: Any,
    fiscal_year: int,
    talent_type_code: str | None = None,
    by: str | None = "talent_type",
    statuses: Iterable[str] | None = HOLDING_STATUSES,
) -> dict[str, int]:
    """Designations in force in `fiscal_year` (default: 認定 and 実践), counted per `by`.

    `by`: talent_type, status, level, role, method, unit (所属コード) or None
    (one total under ""). Every designation counts once (staff may hold several types).
    """
    qs = _designations_in_force(
        organization=organization,
        fiscal_year=fiscal_year,
        statuses=statuses,
        talent_type_codes=[talent_type_code] if talent_type_code else None,
    )
    if by is None:
        return {"": qs.count()}
    if by not in DESIGNATION_COUNT_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    counts = Counter(qs.values_list(DESIGNATION_COUNT_KEYS[by], flat=True))
    return {str(k or ""): v for k, v in sorted(counts.items(), key=lambda kv: str(kv[0] or ""))}


QUALIFICATION_COUNT_KEYS = {
    "qualification": "qualification__code",
    "itss_level": "qualification__itss_level",
    "unit": "staff__unit__code",
}


def qualification_counts(
    *,
    organization: Any,
    as_of: dt.date,
    qualification_codes: Iterable[str] | None = None,
    itss_min: int | None = None,
    by: str | None = "qualification",
) -> dict[str, int]:
    """Staff holding qualifications on `as_of` (not retired by then), counted per `by`.

    `by`: qualification (code), itss_level, unit (所属コード) or None (total).
    Each staff member counts once per key (two ITパスポート dates count once).
    """
    qs = StaffQualification.objects.filter(
        staff__organization=organization, obtained_on__lte=as_of
    ).filter(Q(staff__retired_on__isnull=True) | Q(staff__retired_on__gte=as_of))
    if qualification_codes is not None:
        qs = qs.filter(qualification__code__in=list(qualification_codes))
    if itss_min is not None:
        qs = qs.filter(qualification__itss_level__gte=itss_min)
    if by is None:
        return {"": qs.values("staff_id").distinct().count()}
    if by not in QUALIFICATION_COUNT_KEYS:
        raise ValueError(f"unknown grouping {by!r}")
    pairs = set(qs.values_list(QUALIFICATION_COUNT_KEYS[by], "staff_id"))
    counts = Counter(str(key if key is not None else "") for key, _staff in pairs)
    return dict(sorted(counts.items()))


def qualification_catalogue() -> list[Qualification]:
    """The whole catalogue in display order (not personal data)."""
    return list(Qualification.objects.order_by("order", "code"))


# ------------------------------------------------------------------ job challenges


def job_application_head_opinion_visible(*, actor: Actor, application: JobApplication) -> bool:
    """所属長意見: 人事担当 and 所属長 see it; the applicant never (even holding another role)."""
    staff = application.staff
    if staff.user_id is not None and staff.user_id == getattr(actor.user, "pk", None):
        return False
    return actor.has_role(Role.HR) or (
        actor.has_role(Role.UNIT_HEAD) and staff.unit_id in staff_scope(actor).unit_ids
    )
