"""受験料補助: rules as data (SubsidyRule), evaluated per obtained qualification (reads).

Templates come from seed 001 【参考】取得促進している自治体 (笠間市・井原市・江津市);
a 団体 adopts a copy (hagukumi.people.services.subsidies) and may change it.
The amount is the rule's costs times its rate, rounded down to the yen
(円未満切り捨て); a qualification obtained before 採用 is outside every rule
(補助 is for 職員: 採用前の取得); a rule without a rate (笠間市: the seed states none) gives no
amount, only 「補助率が未設定です」. A rule limited to a talent type names it by
(framework, code); a rule without a framework matches the code in any framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hagukumi.core.wareki import fiscal_year_of
from hagukumi.people.catalogue import COST_FIELDS
from hagukumi.people.models import (
    Designation,
    StaffQualification,
    SubsidyEligibility,
    SubsidyRule,
)

__all__ = [
    "BEFORE_HIRE",
    "NOT_COVERED",
    "NOT_ELIGIBLE",
    "RATE_NOT_SET",
    "SubsidyResult",
    "designated_types_of",
    "subsidy_amount",
    "subsidy_evaluate",
    "subsidy_rules_for",
    "subsidy_templates",
]

NOT_ELIGIBLE = "対象外"
RATE_NOT_SET = "補助率が未設定です"
NOT_COVERED = "対象の資格ではありません"
BEFORE_HIRE = "採用前の取得のため対象外"

# (framework id, talent type code) of a designation.
DesignatedType = tuple[int, str]


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


def designated_types_of(*, staff_id: int, fiscal_year: int) -> set[DesignatedType]:
    """The talent types a staff member held (in force, not 解除) in `fiscal_year`."""
    return set(
        Designation.objects.filter(staff_id=staff_id)
        .in_force(fiscal_year)
        .not_revoked()
        .values_list("framework_id", "talent_type_code")
    )


def _rule_covers(rule: SubsidyRule, designated: Iterable[DesignatedType]) -> bool:
    if rule.framework_id is None:
        return any(code == rule.talent_type_code for _framework, code in designated)
    return (rule.framework_id, rule.talent_type_code) in set(designated)


def subsidy_evaluate(
    *,
    rule: SubsidyRule,
    record: StaffQualification,
    designated_types: Iterable[DesignatedType] | None = None,
) -> SubsidyResult:
    """The subsidy for one obtained qualification under one rule.

    `designated_types`: (framework id, code) of the talent types the staff
    member held (not 解除) in the FY of 取得年月日; read from the database when
    not given.
    """
    costs = {name: getattr(record, name) for name in COST_FIELDS}
    total = sum(costs.get(name) or 0 for name in rule.costs)
    if rule.qualification_codes and record.qualification.code not in rule.qualification_codes:
        return SubsidyResult(rule, False, None, total, NOT_COVERED)
    hired_on = record.staff.hired_on
    if hired_on is not None and record.obtained_on < hired_on:
        return SubsidyResult(rule, False, None, total, BEFORE_HIRE)
    if rule.eligibility == SubsidyEligibility.TALENT_TYPE:
        if designated_types is None:
            designated_types = designated_types_of(
                staff_id=record.staff_id, fiscal_year=fiscal_year_of(record.obtained_on)
            )
        if not _rule_covers(rule, designated_types):
            return SubsidyResult(rule, False, None, total, NOT_ELIGIBLE)
    amount = subsidy_amount(rule=rule, costs=costs)
    if amount is None:
        return SubsidyResult(rule, True, None, total, RATE_NOT_SET)
    return SubsidyResult(rule, True, amount, total)


def subsidy_rules_for(*, organization: Any) -> list[SubsidyRule]:
    return list(SubsidyRule.objects.filter(organization=organization).order_by("code"))


def subsidy_templates() -> list[SubsidyRule]:
    return list(SubsidyRule.objects.filter(organization__isnull=True).order_by("code"))
