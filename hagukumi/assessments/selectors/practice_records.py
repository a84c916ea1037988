"""実践記録 lists for the pages: the actor's own records, and those awaiting their confirmation.

- `practice_records_own`: the records of the staff member linked to the actor's
  user (every status, newest period first); nobody linked → none.
- `practice_records_awaiting`: 確認待ち records of staff in the 所属長's unit and
  below (never the 所属長's own). Both reads are audited.
"""

from __future__ import annotations

from hagukumi.assessments.models import PracticeRecord, PracticeStatus
from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.people.selectors import staff_of_user
from hagukumi.people.visibility import staff_scope

__all__ = ["practice_records_awaiting", "practice_records_own"]


def practice_records_own(*, actor: Actor) -> list[PracticeRecord]:
    staff = staff_of_user(actor=actor)
    if staff is None:
        return []
    records = list(
        PracticeRecord.objects.filter(organization_id=staff.organization_id, staff=staff)
        .select_related("staff")
        .order_by("-period_start", "-id")
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"実践記録 {staff.number} {staff.name}",
        detail={"records": len(records)},
    )
    return records


def practice_records_awaiting(*, actor: Actor) -> list[PracticeRecord]:
    if actor is None or actor.organization_id is None or not actor.has_role(Role.UNIT_HEAD):
        return []
    scope = staff_scope(actor)
    if not scope.unit_ids:
        return []
    records = PracticeRecord.objects.filter(
        organization_id=actor.organization_id,
        status=PracticeStatus.SUBMITTED,
        staff__unit_id__in=scope.unit_ids,
    ).select_related("staff", "staff__unit")
    if scope.user_id is not None:
        records = records.exclude(staff__user_id=scope.user_id)
    rows = list(records.order_by("period_start", "id"))
    if rows:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            target_type="assessments.practicerecord",
            target_repr="実践記録（確認待ち）",
            detail={"records": len(rows), "staff": sorted({r.staff.number for r in rows})},
            organization=actor.organization,
        )
    return rows
