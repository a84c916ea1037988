"""Writes of the 職員台帳, one module per feature (reads: hagukumi.people.selectors).

- `staff`: キャリア志向 (職員本人), 評価/適性 (人事担当), 資格 (本人・人事担当), login link
- `designations`: 指定 and its status history (DX推進担当)
- `job_challenges`: 庁内公募 postings, applications, decisions
- `subsidies`: adopting a 受験料補助 template (人事担当)
- `assignments`: the one 異動歴 writer (roster, 人事異動, switch), corrections (人事担当)
- `fiscal_year_switch`: the 4月1日 switch to a new 年度 (人事担当, ADR 0009)
- `user_links`: a login linked to its staff record by 職員番号 (user administration)
- roster and 資格 files: hagukumi.people.roster_import; 人事異動: transfer_import (人事担当)

Every function takes `actor: Actor` (keyword-only, required), checks access
itself and is audited; none takes `request` (core.audit reads the context).
"""

from hagukumi.people.services.designations import (
    STATUS_ORDER,
    designation_create,
    designation_transition,
)
from hagukumi.people.services.job_challenges import (
    job_application_decide,
    job_application_opinion,
    job_application_submit,
    job_application_withdraw,
    job_challenge_create,
)
from hagukumi.people.services.staff import (
    staff_appraisal_update,
    staff_career_intent_update,
    staff_qualification_add,
    staff_user_link,
)
from hagukumi.people.services.subsidies import subsidy_rule_adopt

__all__ = [
    "STATUS_ORDER",
    "designation_create",
    "designation_transition",
    "job_application_decide",
    "job_application_opinion",
    "job_application_submit",
    "job_application_withdraw",
    "job_challenge_create",
    "staff_appraisal_update",
    "staff_career_intent_update",
    "staff_qualification_add",
    "staff_user_link",
    "subsidy_rule_adopt",
]
