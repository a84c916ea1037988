"""assessments' reads (access-checked, audited for personal data).

Written so far:

- ``framework_usage.assessment_items_using``: the frameworks usage checker.

Planned modules: ``sheets`` (sheets and windows for an actor), ``profiles``
(an actor's view of assessments, practice, evidence from training and
certificates, for the staff-profile panels), ``heatmap`` (competency × unit
counts per level), ``candidates`` (the certification engine: per-staff facts
from training.selectors and this app in a fixed number of queries, clause
results with ``{"clause", "message", "current", "required", "source",
"as_of", "next_chance"}``), ``practice_months`` (confirmed months, overlaps
counted once).
"""

from hagukumi.assessments.selectors.framework_usage import assessment_items_using

__all__ = ["assessment_items_using"]
