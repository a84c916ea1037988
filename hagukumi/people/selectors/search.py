"""Talent search (発掘): filters, the scoped queryset, one page of rows; audited.

A filter on a field group the role may not see raises ApplicationError (API
400); rows hold only the columns the role may see. 人事担当 / DX推進担当 search
the whole 団体, 所属長 their unit and below. 人材類型 filters take a
`talent_type_key` ("<framework id>:<code>", what the form's choices send) or a
bare code (any framework, for the API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import ApplicationError
from hagukumi.core.japanese_text import normalize
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks.in_force import talent_type_key_parse
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import unit_descendant_ids
from hagukumi.people.models import (
    CareerModel,
    Designation,
    DesignationStatus,
    SpecialDepartment,
    Staff,
    StaffQualification,
)
from hagukumi.people.selectors.designations import TalentTypeLabels
from hagukumi.people.selectors.profile import STATUS_LABELS, staff_values
from hagukumi.people.visibility import (
    GROUP_FIELDS,
    GROUP_LABELS,
    FieldGroup,
    StaffScope,
    fields_of,
    searchable_groups,
    staff_scope,
)

__all__ = [
    "FILTER_GROUPS",
    "FILTER_LABELS",
    "StaffSearchFilters",
    "StaffSearchPage",
    "staff_search",
    "staff_search_queryset",
]

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
                    # ASCII digits within an int4: 「²」 or 2^64 must not reach the database.
                    text = str(items[0]).strip()
                    if not (text.isascii() and text.isdigit() and len(text) <= 9):
                        raise ValueError(text)
                    values[name] = int(text)
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
            designated = designated.filter(_talent_type_q(f.talent_type))
        if f.designation_status:
            designated = designated.filter(
                status__in=_choice_values(f.designation_status, DesignationStatus.choices)
            )
        else:
            designated = designated.not_revoked()
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


def _talent_type_q(values: Sequence[str]) -> Q:
    """Designations of any of `values`: talent_type_keys ("3:dx-leader") or bare codes."""
    found = Q(pk__in=[])
    for value in values:
        if ":" in value:
            framework_id, code = talent_type_key_parse(value)
            found |= Q(framework_id=framework_id, talent_type_code=code)
        else:
            found |= Q(talent_type_code=value)
    return found


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


def staff_rows(
    staff_list: Sequence[Staff], groups: frozenset[FieldGroup], labels: TalentTypeLabels | None
) -> list[dict[str, Any]]:
    """Result rows (dicts) of `staff_list` holding only the fields of `groups` (search, export)."""
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
        if FieldGroup.DESIGNATIONS in groups and labels is not None:
            row["designations"] = [
                {
                    "framework": d.framework.code,
                    "talent_type": d.talent_type_code,
                    "talent_type_name": labels.of_designation(d),
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


def staff_with_lists(qs: QuerySet[Staff], groups: frozenset[FieldGroup]) -> QuerySet[Staff]:
    """`qs` with the qualification and designation lists `staff_rows` reads (fixed queries)."""
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
            Prefetch(
                "designations",
                queryset=Designation.objects.select_related("framework").order_by("from_fy", "id"),
            )
        )
    return qs


def staff_search(
    *,
    actor: Actor,
    filters: StaffSearchFilters | Mapping[str, Any] | None = None,
    text: str = "",
    offset: int = 0,
    limit: int = 50,
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
    page = list(staff_with_lists(qs.order_by("number"), groups)[offset : offset + limit])
    labels = (
        TalentTypeLabels(organization=actor.organization_id)
        if FieldGroup.DESIGNATIONS in groups
        else None
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target_type=Staff._meta.label,
        target_repr="人材検索",
        detail={"filters": parsed.as_detail(), "text": text, "total": total, "shown": len(page)},
    )
    return StaffSearchPage(
        rows=staff_rows(page, groups, labels),
        total=total,
        columns=_result_columns(groups),
        groups=groups,
        offset=offset,
        limit=limit,
        filters=parsed,
    )
