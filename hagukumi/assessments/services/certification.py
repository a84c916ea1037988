"""Certifying selected candidates: designation → 認定, and a numbered Certificate (修了証).

`certification_certify` re-evaluates the rule for the selected people (the
engine, as of the day of issue), refuses anyone who does not meet it (naming
what they lack) and, all or nothing:

- moves their Designation of the talent type to 認定 through people's
  designation services (history + audit); someone with none gets one created
  as 認定, its method taken from their programme enrolment (推薦 → 推薦 …);
- issues a Certificate numbered `団体コード-FY-連番` (`certificate_number`); a
  団体 without a code (the demo) uses `certificate_prefix`'s short prefix,
  which no 団体コード can be, since codes are digits. The rule, its clauses and
  their results are frozen in `rule_snapshot`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from hagukumi.assessments.models import Certificate, CertificationRule, certificate_number
from hagukumi.assessments.roles import EDITOR_ROLES
from hagukumi.assessments.selectors.candidates import CandidateReport, certification_evaluate
from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_range, format_date, format_fiscal_year
from hagukumi.orgs.models import Organization
from hagukumi.people.models import (
    HOLDING_STATUSES,
    Designation,
    DesignationMethod,
    DesignationStatus,
    Staff,
)
from hagukumi.people.services import designation_create, designation_transition
from hagukumi.training.models import EnrollmentChannel
from hagukumi.training.selectors.certification_facts import (
    program_ids_for_talent_type,
    programme_channels,
)

__all__ = ["certificate_prefix", "certification_certify"]

_METHOD_OF_CHANNEL = {
    EnrollmentChannel.VOLUNTEER: DesignationMethod.VOLUNTEER,
    EnrollmentChannel.RECOMMENDED: DesignationMethod.RECOMMENDED,
    EnrollmentChannel.APPOINTED: DesignationMethod.APPOINTED,
}


def certificate_prefix(organization: Organization) -> str:
    """The 団体コード, or for a 団体 without one a prefix no code can be (codes are digits)."""
    if organization.code:
        return str(organization.code)
    return f"{'DEMO' if organization.is_demo else 'ORG'}{organization.pk}"


def _snapshot(report: CandidateReport) -> dict[str, Any]:
    rule = report.rule
    program = next((c.program for c in report.clauses if c.program is not None), None)
    return {
        "rule": rule.name,
        "program": program.title if program is not None else "",
        "rule_id": rule.pk,
        "criteria": rule.criteria,
        "framework": rule.framework.code,
        "talent_type": rule.talent_type_code,
        "level": rule.level_code,
        "source": rule.source,
        "fiscal_year": report.fiscal_year,
        "as_of": report.as_of.isoformat(),
        "clauses": [
            {
                "order": c.order,
                "kind": c.kind,
                "label": c.label or c.get_kind_display(),
                "params": c.params,
                "met": True,
            }
            for c in report.clauses
        ],
    }


def _designation(
    *,
    actor: Actor,
    rule: CertificationRule,
    staff: Staff,
    fiscal_year: int,
    issued_on: dt.date,
    channel: str | None,
    note: str,
) -> Designation:
    found = (
        Designation.objects.in_force(fiscal_year)
        .not_revoked()
        .filter(
            organization_id=rule.organization_id,
            staff=staff,
            framework_id=rule.framework_id,
            talent_type_code=rule.talent_type_code,
            level_code=rule.level_code,
        )
        .order_by("-from_fy", "-pk")
        .first()
    )
    if found is not None and found.status in HOLDING_STATUSES:
        raise ApplicationError(
            f"職員 {staff.number} {staff.name} は既に{found.get_status_display()}です。"
        )
    if found is not None:
        return designation_transition(
            actor=actor,
            designation=found,
            status=DesignationStatus.CERTIFIED,
            effective_on=issued_on,
            note=note,
        )
    method = _METHOD_OF_CHANNEL.get(channel or "", DesignationMethod.APPOINTED)  # type: ignore[call-overload]
    return designation_create(
        actor=actor,
        staff=staff,
        framework=rule.framework,
        talent_type_code=rule.talent_type_code,
        level_code=rule.level_code,
        method=method,
        from_fy=fiscal_year,
        status=DesignationStatus.CERTIFIED,
        effective_on=issued_on,
        note=note,
    )


@transaction.atomic
def certification_certify(
    *,
    actor: Actor,
    rule: CertificationRule,
    fiscal_year: int,
    staff_ids: Sequence[int],
    issued_on: dt.date,
    issuer: str = "",
) -> list[Certificate]:
    """Certify the selected staff under `rule` for `fiscal_year` (DX推進担当; all or nothing).

    Each must be a candidate meeting the rule as of `issued_on` (within or
    after the 年度). `issuer` is the name printed as 発行者 (empty: the 団体's
    head, 「〇〇市長」, chosen when the certificate is printed). Returns their
    certificates in 職員番号 order.
    """
    require_role(actor, *EDITOR_ROLES)
    if actor.organization_id is None or rule.organization_id != actor.organization_id:
        raise AccessDenied()
    if not rule.is_active:
        raise ApplicationError(f"認定基準「{rule.name}」は使用停止中です。")
    if not staff_ids:
        raise ApplicationError("認定する職員を選んでください。")
    first_day, last_day = fiscal_year_range(fiscal_year)
    if issued_on < first_day:
        raise ApplicationError(
            f"発行日（{format_date(issued_on)}）は{format_fiscal_year(fiscal_year)}の開始より前です。"
        )
    wanted = set(staff_ids)
    staff_by_id = {
        s.pk: s for s in Staff.objects.filter(organization_id=rule.organization_id, pk__in=wanted)
    }
    if len(staff_by_id) != len(wanted):
        raise AccessDenied()
    report = certification_evaluate(
        rule=rule, fiscal_year=fiscal_year, today=min(issued_on, last_day), staff_ids=wanted
    )
    rows = {row.staff_id: row for row in report.rows}
    problems = []
    for staff_id in sorted(wanted, key=lambda pk: staff_by_id[pk].number):
        staff = staff_by_id[staff_id]
        row = rows.get(staff_id)
        if row is None:
            problems.append(
                f"職員 {staff.number} {staff.name} は{format_fiscal_year(fiscal_year)}の"
                f"「{rule.name}」の候補ではありません。"
            )
        elif not row.meets:
            lacking = "、".join(r.message for r in row.reasons)
            problems.append(f"職員 {staff.number} {staff.name} は基準を満たしていません: {lacking}")
    if problems:
        raise ApplicationError(problems[0], extra={"errors": problems})
    organization = Organization.objects.select_for_update().get(pk=rule.organization_id)
    prefix = certificate_prefix(organization)
    serial = (
        Certificate.objects.filter(organization=organization, fiscal_year=fiscal_year).aggregate(
            last=Max("serial")
        )["last"]
        or 0
    )
    program_ids = program_ids_for_talent_type(
        organization_id=rule.organization_id,
        framework_id=rule.framework_id,
        talent_type_code=rule.talent_type_code,
        level_code=rule.level_code,
    )
    channels = programme_channels(
        organization_id=rule.organization_id,
        program_ids=program_ids,
        staff_ids=wanted,
        fiscal_year=fiscal_year,
    )
    snapshot = _snapshot(report)
    note = f"認定基準「{rule.name}」により認定（{format_fiscal_year(fiscal_year)}）"
    issued: list[Certificate] = []
    for row in sorted((rows[pk] for pk in wanted), key=lambda r: r.staff_no):
        staff = staff_by_id[row.staff_id]
        designation = _designation(
            actor=actor,
            rule=rule,
            staff=staff,
            fiscal_year=fiscal_year,
            issued_on=issued_on,
            channel=channels.get(staff.pk),
            note=note,
        )
        serial += 1
        certificate = Certificate(
            organization=organization,
            number=certificate_number(prefix=prefix, fiscal_year=fiscal_year, serial=serial),
            prefix=prefix,
            fiscal_year=fiscal_year,
            serial=serial,
            staff=staff,
            framework_id=rule.framework_id,
            talent_type_code=rule.talent_type_code,
            level_code=rule.level_code,
            rule=rule,
            designation=designation,
            issued_on=issued_on,
            issued_by_name=issuer,
            rule_snapshot=snapshot,
        )
        certificate.full_clean()
        certificate.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=certificate,
            organization=organization,
            detail={"rule": rule.pk, "fiscal_year": fiscal_year, "staff": staff.number},
        )
        issued.append(certificate)
    return issued
