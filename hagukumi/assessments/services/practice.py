"""実践記録: written by the staff member, confirmed by their 所属長.

札幌 (seeds/002_*): 「認定された翌年度（2年目）は、所属において…実践」. A record
is what the person did in their unit after training: title, period (months),
As-Is / To-Be, result (「約10時間/月の削減」), evidence links or files.

- The staff member creates and edits it while 下書き or 差戻し, then submits it
  (確認待ち); their 所属長 (unit and below, never themselves) confirms it
  (確認済み) or returns it (差戻し). Only 確認済み records count towards
  `practice_months` (overlapping months once: selectors.practice_months).
- Periods are months: any day is stored as the first day of its month; a
  period ending before it starts is refused.
- The command line (the operator, e.g. the demo) may act for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from hagukumi.assessments.models import PracticeEvidence, PracticeRecord, PracticeStatus
from hagukumi.assessments.selectors.access import staff_relation
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_wareki_year
from hagukumi.people.models import Staff

__all__ = [
    "PRACTICE_FIELDS",
    "practice_evidence_add",
    "practice_record_confirm",
    "practice_record_create",
    "practice_record_return",
    "practice_record_submit",
    "practice_record_update",
]

PRACTICE_FIELDS = ("title", "period_start", "period_end", "as_is", "to_be", "result")
EDITABLE_STATUSES = (PracticeStatus.DRAFT, PracticeStatus.RETURNED)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_label(day: dt.date) -> str:
    return f"{format_wareki_year(day.year)}{day.month}月"


def _check_period(start: Any, end: Any) -> tuple[dt.date, dt.date]:
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise ApplicationError("実践の期間: 開始月と終了月を入力してください。")
    start, end = _month(start), _month(end)
    if end < start:
        raise ApplicationError(
            f"実践の期間: 終了月（{_month_label(end)}）が"
            f"開始月（{_month_label(start)}）より前です。"
        )
    return start, end


def _require_author(actor: Actor, staff: Staff) -> None:
    relation = staff_relation(actor=actor, staff=staff)
    if not relation.visible and not actor.is_command_line:
        raise AccessDenied()
    if relation.is_self or (
        actor.is_command_line and actor.organization_id == staff.organization_id
    ):
        return
    raise ApplicationError(
        f"実践記録は本人だけが作成・編集できます（職員 {staff.number} {staff.name}）。"
    )


def _require_confirmer(actor: Actor, record: PracticeRecord) -> None:
    relation = staff_relation(actor=actor, staff=record.staff)
    if actor.is_command_line and actor.organization_id == record.organization_id:
        return
    if not relation.visible:
        raise AccessDenied()
    if not relation.is_head:
        raise ApplicationError(
            f"実践記録の確認は所属長だけが行えます（職員 {record.staff.number} の所属長では"
            "ありません）。"
        )


def _audit(actor: Actor, record: PracticeRecord, action: str, **detail: Any) -> None:
    audit_record(actor=actor, action=action, target=record, detail=detail or None)


@transaction.atomic
def practice_record_create(
    *, actor: Actor, staff: Staff, data: Mapping[str, Any]
) -> PracticeRecord:
    """A new 下書き for `staff` (by themselves). `data`: PRACTICE_FIELDS."""
    if actor is None or staff.organization_id != actor.organization_id:
        raise AccessDenied()
    _require_author(actor, staff)
    start, end = _check_period(data.get("period_start"), data.get("period_end"))
    title = str(data.get("title") or "").strip()
    if not title:
        raise ApplicationError("実践記録の件名を入力してください。")
    record = PracticeRecord(
        organization_id=staff.organization_id,
        staff=staff,
        title=title,
        period_start=start,
        period_end=end,
        as_is=str(data.get("as_is") or ""),
        to_be=str(data.get("to_be") or ""),
        result=str(data.get("result") or ""),
    )
    record.full_clean()
    record.save()
    _audit(actor, record, AuditEvent.Action.CREATE, period=[start.isoformat(), end.isoformat()])
    return record


def _locked(record: PracticeRecord) -> PracticeRecord:
    return (
        # Lock the record alone: PostgreSQL cannot lock the nullable side of an outer join.
        PracticeRecord.objects.select_for_update(of=("self",))
        .select_related("staff", "staff__unit")
        .get(pk=record.pk)
    )


@transaction.atomic
def practice_record_update(
    *, actor: Actor, record: PracticeRecord, data: Mapping[str, Any]
) -> PracticeRecord:
    """Change a 下書き or 差戻し record (by the staff member)."""
    if actor is None or record.organization_id != actor.organization_id:
        raise AccessDenied()
    record = _locked(record)
    _require_author(actor, record.staff)
    if record.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            f"「{record.get_status_display()}」の実践記録は変更できません（{record.title}）。"
        )
    values = {name: data[name] for name in PRACTICE_FIELDS if name in data}
    start, end = _check_period(
        values.get("period_start", record.period_start), values.get("period_end", record.period_end)
    )
    values["period_start"], values["period_end"] = start, end
    if "title" in values and not str(values["title"]).strip():
        raise ApplicationError("実践記録の件名を入力してください。")
    record, changed = model_update(instance=record, fields=PRACTICE_FIELDS, data=values)
    if changed:
        _audit(actor, record, AuditEvent.Action.UPDATE, fields=changed)
    return record


@transaction.atomic
def practice_record_submit(*, actor: Actor, record: PracticeRecord) -> PracticeRecord:
    """下書き/差戻し → 確認待ち (by the staff member)."""
    if actor is None or record.organization_id != actor.organization_id:
        raise AccessDenied()
    record = _locked(record)
    _require_author(actor, record.staff)
    if record.status not in EDITABLE_STATUSES:
        raise ApplicationError(f"「{record.get_status_display()}」の実践記録は提出できません。")
    record.status = PracticeStatus.SUBMITTED
    record.full_clean()
    record.save(update_fields=["status", "updated_at"])
    _audit(actor, record, AuditEvent.Action.UPDATE, status=PracticeStatus.SUBMITTED.value)
    return record


@transaction.atomic
def practice_record_confirm(
    *, actor: Actor, record: PracticeRecord, now: dt.datetime
) -> PracticeRecord:
    """確認待ち → 確認済み by the staff member's 所属長 (`now` is the confirmation time)."""
    if actor is None or record.organization_id != actor.organization_id:
        raise AccessDenied()
    record = _locked(record)
    _require_confirmer(actor, record)
    if record.status != PracticeStatus.SUBMITTED:
        raise ApplicationError(
            f"確認できるのは「確認待ち」の実践記録です（{record.title}: "
            f"{record.get_status_display()}）。"
        )
    record.status = PracticeStatus.CONFIRMED
    record.confirmed_by = actor.user
    record.confirmed_by_name = actor.audit_username
    record.confirmed_at = now
    record.full_clean()
    record.save(
        update_fields=["status", "confirmed_by", "confirmed_by_name", "confirmed_at", "updated_at"]
    )
    _audit(actor, record, AuditEvent.Action.UPDATE, status=PracticeStatus.CONFIRMED.value)
    return record


@transaction.atomic
def practice_record_return(
    *, actor: Actor, record: PracticeRecord, reason: str = ""
) -> PracticeRecord:
    """確認待ち → 差戻し by the 所属長 (the staff member may then edit and resubmit)."""
    if actor is None or record.organization_id != actor.organization_id:
        raise AccessDenied()
    record = _locked(record)
    _require_confirmer(actor, record)
    if record.status != PracticeStatus.SUBMITTED:
        raise ApplicationError(f"差し戻せるのは「確認待ち」の実践記録です（{record.title}）。")
    record.status = PracticeStatus.RETURNED
    record.full_clean()
    record.save(update_fields=["status", "updated_at"])
    _audit(
        actor, record, AuditEvent.Action.UPDATE, status=PracticeStatus.RETURNED.value, reason=reason
    )
    return record


@transaction.atomic
def practice_evidence_add(
    *, actor: Actor, record: PracticeRecord, url: str = "", file: Any = None, description: str = ""
) -> PracticeEvidence:
    """A link or a file backing the record (exactly one; by the staff member while editable)."""
    if actor is None or record.organization_id != actor.organization_id:
        raise AccessDenied()
    record = _locked(record)
    _require_author(actor, record.staff)
    if record.status not in EDITABLE_STATUSES:
        raise ApplicationError("確認待ち・確認済みの実践記録には根拠を追加できません。")
    if bool(url) == bool(file):
        raise ApplicationError("根拠はリンクかファイルのどちらか一方を指定してください。")
    evidence = PracticeEvidence(
        record=record,
        url=url,
        description=description,
        filename=getattr(file, "name", "") if file else "",
    )
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    _audit(actor, record, AuditEvent.Action.UPDATE, evidence=url or evidence.filename)
    return evidence
