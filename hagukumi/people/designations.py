"""指定 (designations): who is which talent type, at which level, chosen how, for which years.

A designation names its talent type and individual level by the frameworks'
stable codes, checked against the 団体's framework version in force (its
latest published version). Status moves forward 候補 → 育成中 → 認定 → 実践
(steps may be skipped); 解除 ends it from any status. Every change is a
DesignationEvent and an audit event. Seed 001 「DX推進リーダー」の指定方法 gives
the methods; 兼務発令日 is required for 指名(兼務発令あり) and lies in the FY range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, fiscal_year_range, format_fiscal_year
from hagukumi.frameworks.models import Framework, FrameworkVersion, TalentType, VersionStatus
from hagukumi.frameworks.usage import Removal
from hagukumi.people.code_lists import code_values
from hagukumi.people.models import (
    CodeKind,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Staff,
)

STATUS_ORDER = [
    DesignationStatus.CANDIDATE,
    DesignationStatus.TRAINING,
    DesignationStatus.CERTIFIED,
    DesignationStatus.PRACTISING,
]
HOLDING_STATUSES = (DesignationStatus.CERTIFIED, DesignationStatus.PRACTISING)


@dataclass(frozen=True)
class TalentTypeInForce:
    framework: Framework
    version: FrameworkVersion
    talent_type: TalentType
    level_codes: tuple[str, ...]


def versions_in_force(*, organization: Any) -> list[FrameworkVersion]:
    """The latest published version of each of the 団体's frameworks (one query)."""
    latest: dict[int, FrameworkVersion] = {}
    for version in (
        FrameworkVersion.objects.filter(
            framework__owner=organization,
            framework__is_template=False,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("framework")
        .order_by("framework_id", "-number")
    ):
        latest.setdefault(version.framework_id, version)
    return list(latest.values())


def talent_type_in_force(*, organization: Any, code: str) -> TalentTypeInForce:
    """The talent type `code` in the 団体's framework version in force, or ApplicationError."""
    versions = versions_in_force(organization=organization)
    talent_type = (
        TalentType.objects.filter(version__in=versions, code=code)
        .select_related("version__framework")
        .prefetch_related("individual_levels")
        .order_by("version__framework_id")
        .first()
    )
    if talent_type is None:
        raise ApplicationError(
            f"人材類型「{code}」は公開済みのフレームワークにありません。"
            "フレームワークを採用・公開してから指定してください。"
        )
    return TalentTypeInForce(
        framework=talent_type.version.framework,
        version=talent_type.version,
        talent_type=talent_type,
        level_codes=tuple(lv.code for lv in talent_type.individual_levels.all()),
    )


def talent_type_names(*, organization: Any) -> dict[str, str]:
    """code → name of every talent type in force in the 団体 (one query)."""
    return {
        code: name
        for code, name in TalentType.objects.filter(
            version__framework__owner=organization,
            version__framework__is_template=False,
            version__status=VersionStatus.PUBLISHED,
        )
        .order_by("version__number")
        .values_list("code", "name")
    }


def _actor_name(actor: Actor | None) -> str:
    if actor is None or actor.user is None:
        return "コマンドライン"
    return actor.user.get_username()


def _require_designation_editor(actor: Actor | None, organization: Any) -> None:
    """DX推進担当 of the 団体 (None: the command line / demo loader)."""
    if actor is None:
        return
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
            f"個人の段階「{level_code}」は人材類型「{in_force.talent_type.name}」にありません。"
        )


@transaction.atomic
def designation_create(
    *,
    actor: Actor | None,
    staff: Staff,
    talent_type_code: str,
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
    """Designate a staff member (DX推進担当); `check_role` False for other services' rules."""
    organization = staff.organization
    if check_role:
        _require_designation_editor(actor, organization)
    in_force = talent_type_in_force(organization=organization, code=talent_type_code)
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
        actor_username=_actor_name(actor),
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=designation,
        organization=organization,
        username="" if actor is not None else "コマンドライン",
        detail={"staff": staff.number, "talent_type": talent_type_code, "status": status},
    )
    return designation


@transaction.atomic
def designation_transition(
    *,
    actor: Actor | None,
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
        actor_username=_actor_name(actor),
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        organization=locked.organization,
        username="" if actor is not None else "コマンドライン",
        detail={"status": [current, status], "effective_on": day.isoformat()},
    )
    return locked


def designations_using(removal: Removal) -> list[str]:
    """frameworks usage checker: talent types and levels still named by designations."""
    found: list[str] = []
    framework = removal.framework
    if removal.talent_type_codes:
        for code, count in (
            Designation.objects.filter(
                framework=framework, talent_type_code__in=removal.talent_type_codes
            )
            .values_list("talent_type_code")
            .annotate(n=Count("id"))
            .order_by("talent_type_code")
        ):
            found.append(f"人材類型「{code}」は {count} 人の指定に使われています。")
    for type_code, level_code in sorted(removal.level_codes):
        count = Designation.objects.filter(
            framework=framework, talent_type_code=type_code, level_code=level_code
        ).count()
        if count:
            found.append(
                f"人材類型「{type_code}」の段階「{level_code}」は"
                f" {count} 人の指定に使われています。"
            )
    return found
