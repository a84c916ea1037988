"""指定 (designations) writes: who is which talent type, at which level, chosen how, when.

A designation names its talent type by (framework, stable code), checked
against the framework's version in force (hagukumi.frameworks.in_force); two
frameworks that share a code never mix. Status moves forward 候補 → 育成中 →
認定 → 実践 (steps may be skipped); 解除 ends it from any status. Every change is
a DesignationEvent and an audit event. Seed 001 「DX推進リーダー」の指定方法 gives
the methods; 兼務発令日 is required for 指名(兼務発令あり) and lies in the FY range.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, fiscal_year_range, format_fiscal_year
from hagukumi.frameworks.in_force import TalentTypeInForce, talent_type_in_force
from hagukumi.people.code_lists import code_values
from hagukumi.people.models import (
    CodeKind,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Staff,
)

__all__ = ["STATUS_ORDER", "designation_create", "designation_transition"]

STATUS_ORDER = [
    DesignationStatus.CANDIDATE,
    DesignationStatus.TRAINING,
    DesignationStatus.CERTIFIED,
    DesignationStatus.PRACTISING,
]


def _require_designation_editor(actor: Actor, organization: Any) -> None:
    """DX推進担当 of the 団体 (the command line holds it for its 団体)."""
    require_role(actor, Role.DX_OFFICE)
    if actor.organization_id != getattr(organization, "pk", organization):
        raise AccessDenied()


def _check_fields(
    *,
    organization: Any,
    method: str,
    from_fy: int,
    to_fy: int | None,
    concurrent_order_date: dt.date | None,
    role: str,
    level_code: str,
    in_force: TalentTypeInForce,
) -> None:
    if method not in DesignationMethod.values:
        raise ApplicationError(f"指定方法「{method}」は選べません。")
    if to_fy is not None and to_fy < from_fy:
        raise ApplicationError("終了年度は開始年度以降にしてください。")
    if method == DesignationMethod.APPOINTED_CONCURRENT:
        if concurrent_order_date is None:
            raise ApplicationError("指名(兼務発令あり)では兼務発令日が必須です。")
        first, _ = fiscal_year_range(from_fy)
        last = fiscal_year_range(to_fy)[1] if to_fy is not None else None
        if concurrent_order_date < first or (last is not None and concurrent_order_date > last):
            until = format_fiscal_year(to_fy) if to_fy is not None else "以降"
            raise ApplicationError(
                f"兼務発令日は指定の期間（{format_fiscal_year(from_fy)}〜{until}）の中の日付に"
                "してください。"
            )
    elif concurrent_order_date is not None:
        raise ApplicationError("兼務発令日は指名(兼務発令あり)の場合だけ入力できます。")
    if role and role not in code_values(organization=organization, kind=CodeKind.DESIGNATION_ROLE):
        raise ApplicationError(f"役割「{role}」は一覧にありません。")
    if level_code and level_code not in in_force.level_codes:
        raise ApplicationError(
            f"個人の段階「{level_code}」は人材類型「{in_force.name}」にありません。"
        )


@transaction.atomic
def designation_create(
    *,
    actor: Actor,
    staff: Staff,
    talent_type_code: str,
    framework: Any = None,
    method: str,
    from_fy: int,
    to_fy: int | None = None,
    level_code: str = "",
    concurrent_order_date: dt.date | None = None,
    cohort: int | None = None,
    role: str = "",
    status: str = DesignationStatus.CANDIDATE,
    effective_on: dt.date | None = None,
    note: str = "",
    check_role: bool = True,
) -> Designation:
    """Designate a staff member (DX推進担当); `check_role` False for other services' rules.

    `framework` (a Framework or its id) says whose `talent_type_code` it is; it may
    be left out only while one framework in force has that code.
    """
    organization = staff.organization
    if actor is None or actor.organization_id != staff.organization_id:
        raise AccessDenied()
    if check_role:
        _require_designation_editor(actor, organization)
    in_force = talent_type_in_force(
        organization=organization, code=talent_type_code, framework=framework
    )
    _check_fields(
        organization=organization,
        method=method,
        from_fy=from_fy,
        to_fy=to_fy,
        concurrent_order_date=concurrent_order_date,
        role=role,
        level_code=level_code,
        in_force=in_force,
    )
    if status not in DesignationStatus.values or status == DesignationStatus.REVOKED:
        raise ApplicationError("新しい指定の状態は 候補・育成中・認定・実践 から選んでください。")
    designation = Designation(
        organization=organization,
        staff=staff,
        framework=in_force.framework,
        talent_type_code=talent_type_code,
        level_code=level_code,
        method=method,
        concurrent_order_date=concurrent_order_date,
        cohort=cohort,
        role=role,
        from_fy=from_fy,
        to_fy=to_fy,
        status=status,
    )
    designation.full_clean()
    designation.save()
    DesignationEvent.objects.create(
        designation=designation,
        effective_on=effective_on or timezone.localdate(),
        status_from="",
        status_to=status,
        actor_username=actor.audit_username,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=designation,
        organization=organization,
        detail={"staff": staff.number, "talent_type": talent_type_code, "status": status},
    )
    return designation


@transaction.atomic
def designation_transition(
    *,
    actor: Actor,
    designation: Designation,
    status: str,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Designation:
    """Move a designation forward (候補→育成中→認定→実践) or end it (解除), with history."""
    locked = Designation.objects.select_for_update().get(pk=designation.pk)
    _require_designation_editor(actor, locked.organization_id)
    current = locked.status
    day = effective_on or timezone.localdate()
    if current == DesignationStatus.REVOKED:
        raise ApplicationError("解除済みの指定は変更できません。新しく指定してください。")
    if status == DesignationStatus.REVOKED:
        fiscal_year = fiscal_year_of(day)
        if locked.to_fy is None or locked.to_fy > fiscal_year:
            locked.to_fy = max(fiscal_year, locked.from_fy)
    elif status not in STATUS_ORDER or STATUS_ORDER.index(
        DesignationStatus(status)
    ) <= STATUS_ORDER.index(DesignationStatus(current)):
        labels = dict(DesignationStatus.choices)
        raise ApplicationError(
            f"「{labels.get(current, current)}」から「{labels.get(status, status)}」には"
            "変更できません（候補→育成中→認定→実践 の順、または解除）。"
        )
    locked.status = status
    locked.full_clean()
    locked.save(update_fields=["status", "to_fy", "updated_at"])
    DesignationEvent.objects.create(
        designation=locked,
        effective_on=day,
        status_from=current,
        status_to=status,
        actor_username=actor.audit_username,
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        organization=locked.organization,
        detail={"status": [current, status], "effective_on": day.isoformat()},
    )
    return locked
