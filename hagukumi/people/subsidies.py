"""受験料補助: rules as data (SubsidyRule), evaluated per obtained qualification.

Templates come from seed 001 【参考】取得促進している自治体 (笠間市・井原市・江津市);
a 団体 adopts a copy and may change it. The amount is the rule's costs times its
rate, rounded down to the yen (円未満切り捨て); a rule without a rate (笠間市:
the seed states none) gives no amount, only 「補助率が未設定です」.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.people.catalogue import COST_FIELDS
from hagukumi.people.models import (
    Designation,
    DesignationStatus,
    StaffQualification,
    SubsidyEligibility,
    SubsidyRule,
)

NOT_ELIGIBLE = "対象外"
RATE_NOT_SET = "補助率が未設定です"
NOT_COVERED = "対象の資格ではありません"


@dataclass(frozen=True)
class SubsidyResult:
    """`amount` is None when nothing can be computed; `message` says why."""

    rule: SubsidyRule
    eligible: bool
    amount: int | None
    costs: int
    message: str = ""


def subsidy_amount(*, rule: SubsidyRule, costs: dict[str, int | None]) -> int | None:
    """Sum of the rule's cost fields × rate %, rounded down to the yen; None without a rate."""
    if rule.rate_percent is None:
        return None
    total = sum(costs.get(name) or 0 for name in rule.costs)
    return total * rule.rate_percent // 100


def subsidy_evaluate(
    *,
    rule: SubsidyRule,
    record: StaffQualification,
    designated_type_codes: Iterable[str] | None = None,
) -> SubsidyResult:
    """The subsidy for one obtained qualification under one rule.

    `designated_type_codes`: talent types the staff member held (not 解除) in the
    FY of 取得年月日; read from the database when not given.
    """
    costs = {name: getattr(record, name) for name in COST_FIELDS}
    total = sum(costs.get(name) or 0 for name in rule.costs)
    if rule.qualification_codes and record.qualification.code not in rule.qualification_codes:
        return SubsidyResult(rule, False, None, total, NOT_COVERED)
    if rule.eligibility == SubsidyEligibility.TALENT_TYPE:
        if designated_type_codes is None:
            fiscal_year = fiscal_year_of(record.obtained_on)
            designated_type_codes = set(
                Designation.objects.filter(staff_id=record.staff_id, from_fy__lte=fiscal_year)
                .exclude(status=DesignationStatus.REVOKED)
                .exclude(to_fy__lt=fiscal_year)
                .values_list("talent_type_code", flat=True)
            )
        if rule.talent_type_code not in set(designated_type_codes):
            return SubsidyResult(rule, False, None, total, NOT_ELIGIBLE)
    amount = subsidy_amount(rule=rule, costs=costs)
    if amount is None:
        return SubsidyResult(rule, True, None, total, RATE_NOT_SET)
    return SubsidyResult(rule, True, amount, total)


def subsidy_rules_for(*, organization: Any) -> list[SubsidyRule]:
    return list(SubsidyRule.objects.filter(organization=organization).order_by("code"))


def subsidy_templates() -> list[SubsidyRule]:
    return list(SubsidyRule.objects.filter(organization__isnull=True).order_by("code"))


@transaction.atomic
def subsidy_rule_adopt(
    *, actor: Actor | None, organization: Any, template_code: str
) -> SubsidyRule:
    """Copy a template into the 団体 (人事担当; None: command line / demo)."""
    if actor is not None:
        require_role(actor, Role.HR)
        if actor.organization_id != organization.pk:
            raise AccessDenied()
    template = SubsidyRule.objects.filter(organization__isnull=True, code=template_code).first()
    if template is None:
        raise ApplicationError(f"補助のテンプレート「{template_code}」はありません。")
    if SubsidyRule.objects.filter(organization=organization, code=template_code).exists():
        raise ApplicationError(f"補助の規則「{template.name}」は採用済みです。")
    rule = SubsidyRule(
        organization=organization,
        code=template.code,
        name=template.name,
        eligibility=template.eligibility,
        eligibility_text=template.eligibility_text,
        talent_type_code=template.talent_type_code,
        qualification_codes=list(template.qualification_codes),
        costs=list(template.costs),
        rate_percent=template.rate_percent,
        quote=template.quote,
        source=template.source,
        adopted_from=template,
    )
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=rule,
        organization=organization,
        username="" if actor is not None else "コマンドライン",
        detail={"adopted_from": template.code},
    )
    return rule
