"""Exports of the 職員台帳 (xlsx/CSV) with only the columns the role may see; audited (出力).

The file holds the import's columns first, so an export of 基本情報 reads back
in through hagukumi.people.roster_import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent
from hagukumi.core.tabular_export import CsvEncoding, ExportFormat, write_table
from hagukumi.core.tabular_import import Column
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff
from hagukumi.people.selectors.designations import TalentTypeLabels
from hagukumi.people.selectors.search import (
    StaffSearchFilters,
    staff_rows,
    staff_search_queryset,
    staff_with_lists,
)
from hagukumi.people.visibility import FieldGroup, fields_of, searchable_groups, staff_scope

__all__ = ["staff_export", "staff_export_columns"]

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
) -> bytes:
    """The search result as xlsx/CSV with only the columns the role may see; audited (出力).

    Raises TabularExportError (nothing written) e.g. for 𠮷 in a CP932 file.
    """
    parsed = (
        filters if isinstance(filters, StaffSearchFilters) else StaffSearchFilters.parse(filters)
    )
    scope = staff_scope(actor)
    groups = searchable_groups(actor)
    qs = staff_with_lists(
        staff_search_queryset(actor=actor, filters=parsed, text=text, scope=scope).order_by(
            "number"
        ),
        groups,
    )
    labels = (
        TalentTypeLabels(organization=actor.organization_id)
        if FieldGroup.DESIGNATIONS in groups
        else None
    )
    rows = staff_rows(list(qs), groups, labels)
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
        action=AuditEvent.Action.EXPORT,
        target_type=Staff._meta.label,
        target_repr="職員台帳",
        detail={
            "filters": parsed.as_detail(),
            "text": text,
            "rows": len(rows),
            "format": format,
            "columns": [c.header for c in staff_export_columns(groups)],
        },
    )
    return data
