"""Old path of the 受験料補助 code, kept importable: reads are in selectors/subsidies.py,
writes in services/subsidies.py.
"""

from hagukumi.people.selectors.subsidies import (
    BEFORE_HIRE,
    NOT_COVERED,
    NOT_ELIGIBLE,
    RATE_NOT_SET,
    SubsidyResult,
    subsidy_amount,
    subsidy_evaluate,
    subsidy_rules_for,
    subsidy_templates,
)
from hagukumi.people.services.subsidies import subsidy_rule_adopt

__all__ = [
    "BEFORE_HIRE",
    "NOT_COVERED",
    "NOT_ELIGIBLE",
    "RATE_NOT_SET",
    "SubsidyResult",
    "subsidy_amount",
    "subsidy_evaluate",
    "subsidy_rule_adopt",
    "subsidy_rules_for",
    "subsidy_templates",
]
