"""Writes on one staff record, each by the role the visibility matrix lets edit it.

- キャリア志向: 職員本人 (`staff_career_intent_update`)
- 評価/適性: 人事担当 (`staff_appraisal_update`)
- 資格: 職員本人 adds, 人事担当 too (`staff_qualification_add`)
- the login of a staff record: 人事担当 (`staff_user_link`)
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent, Role, User
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Qualification, Staff, StaffQualification
from hagukumi.people.qualification_dates import qualification_date_problem
from hagukumi.people.search_keys import staff_search_key
from hagukumi.people.selectors.access import access_staff_by_id
from hagukumi.people.visibility import FieldGroup, staff_editable_groups

_LABELS = {"aptitude_notes": "適性", "evaluation_notes": "評価"}


def _require_edit(actor: Actor, staff: Staff, group: FieldGroup) -> None:
    if group not in staff_editable_groups(actor, staff):
        raise AccessDenied()


@transaction.atomic
def staff_career_intent_update(*, actor: Actor, staff_id: int, text: str) -> Staff:
    """職員本人 writes their キャリア志向."""
    staff = access_staff_by_id(actor=actor, staff_id=staff_id)
    _require_edit(actor, staff, FieldGroup.CAREER_INTENT)
    intent = text.strip()
    staff, changed = model_update(
        instance=staff,
        fields=["career_intent", "search_key"],
        data={
            "career_intent": intent,
            "search_key": staff_search_key(staff, career_intent=intent),
        },
    )
    if not changed:
        return staff
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=staff,
        detail={"fields": ["キャリア志向"]},
    )
    return staff


@transaction.atomic
def staff_appraisal_update(
    *, actor: Actor, staff_id: int, aptitude_notes: str, evaluation_notes: str
) -> Staff:
    """人事担当 writes 適性 and 評価 notes."""
    staff = access_staff_by_id(actor=actor, staff_id=staff_id)
    _require_edit(actor, staff, FieldGroup.APPRAISAL)
    staff, changed = model_update(
        instance=staff,
        fields=["aptitude_notes", "evaluation_notes"],
        data={
            "aptitude_notes": aptitude_notes.strip(),
            "evaluation_notes": evaluation_notes.strip(),
        },
    )
    if not changed:
        return staff
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=staff,
        detail={"fields": [_LABELS[name] for name in changed]},
    )
    return staff


@transaction.atomic
def staff_qualification_add(
    *,
    actor: Actor,
    staff_id: int,
    qualification_code: str,
    obtained_on: dt.date,
    exam_fee: int | None = None,
    course_fee: int | None = None,
    textbook_fee: int | None = None,
    travel_fee: int | None = None,
    today: dt.date | None = None,
) -> StaffQualification:
    """職員本人 (or 人事担当) records an obtained qualification with its costs.

    取得年月日 after today or before 生年月日 is refused (`people.qualification_dates`).
    """
    staff = access_staff_by_id(actor=actor, staff_id=staff_id)
    if not actor.has_role(Role.HR):
        _require_edit(actor, staff, FieldGroup.QUALIFICATIONS)
    qualification = Qualification.objects.filter(code=qualification_code).first()
    if qualification is None:
        raise ApplicationError(f"資格「{qualification_code}」は一覧にありません。")
    if not qualification.holdable:
        raise ApplicationError(
            f"「{qualification.name}」はスキル標準で、取得する資格ではありません。"
        )
    problem = qualification_date_problem(
        obtained_on=obtained_on,
        birth_date=staff.birth_date,
        today=today or timezone.localdate(),
    )
    if problem is not None:
        raise ApplicationError(f"{problem}。", extra={"field": "obtained_on"})
    record = StaffQualification(
        staff=staff,
        qualification=qualification,
        obtained_on=obtained_on,
        exam_fee=exam_fee,
        course_fee=course_fee,
        textbook_fee=textbook_fee,
        travel_fee=travel_fee,
    )
    record.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ApplicationError("同じ資格・取得年月日が登録済みです。") from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=record,
        detail={"staff": staff.number, "qualification": qualification.code},
    )
    return record


@transaction.atomic
def staff_user_link(*, actor: Actor, staff: Staff, user: User | None) -> Staff:
    """Link a login to a staff record so that its user is 職員本人 (人事担当 or
    システム管理者 of the 団体: the user administration links by 職員番号, ADR 0009)."""
    require_role(actor, Role.HR, Role.SYSTEM_ADMIN)
    if actor.organization_id != staff.organization_id:
        raise AccessDenied()
    staff.user = user
    try:
        with transaction.atomic():
            staff.save(update_fields=["user", "updated_at"])
    except IntegrityError as exc:
        raise ApplicationError("この利用者は既に別の職員に紐付いています。") from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=staff,
        organization=staff.organization,
        detail={"user": user.get_username() if user is not None else None},
    )
    return staff
