"""Reads of the 職員台帳 that pages, the API, commands and other apps share.

Every read of a staff member's personal data goes through here, checks the
visibility matrix (hagukumi.people.visibility) and is audited. One module per
feature:

- `access`: `access_staff_by_id` (out of scope → AccessDenied, 404), `staff_of_user`
- `profile`: `staff_profile` (one staff member as the actor may see them)
- `search`: `staff_search` (発掘); a filter on a field the role may not see → 400
- `export`: `staff_export` (xlsx/CSV with the visible columns)
- `directory`: `leader_directory` (DX推進リーダー名簿, open to the 団体)
- `counts`: `designation_counts`, `qualification_counts` — the small, documented
  interface other apps ([計画], reports) read; aggregates only
- `designations`, `job_challenges`, `subsidies`, `qualifications`,
  `assignments`, `form_choices`: the reads of those features
- `fiscal_year_switch`: the preview of the 4月1日 switch (ADR 0009); `user_links`:
  which staff record a login belongs to (user administration)

Writes live in hagukumi.people.services (same feature names). Every function
takes `actor: Actor` except the aggregate counts and the catalogue; no actor
sees nothing.
"""

from hagukumi.people.selectors.access import (
    access_staff_by_id,
    job_application_head_opinion_visible,
    staff_of_user,
)
from hagukumi.people.selectors.assignments import StaffAsOf, staff_as_of
from hagukumi.people.selectors.counts import (
    DESIGNATION_COUNT_KEYS,
    QUALIFICATION_COUNT_KEYS,
    designation_counts,
    qualification_counts,
)
from hagukumi.people.selectors.designations import (
    HOLDING_STATUSES,
    DesignationListRow,
    TalentTypeLabels,
    designation_list,
    designations_using,
)
from hagukumi.people.selectors.directory import DirectoryRow, leader_directory
from hagukumi.people.selectors.export import staff_export, staff_export_columns
from hagukumi.people.selectors.form_choices import CODE_KINDS, SearchChoices, staff_search_choices
from hagukumi.people.selectors.job_challenges import (
    access_job_application_for_decision,
    access_job_challenge_by_id,
    job_applications_for,
    job_challenges_for,
)
from hagukumi.people.selectors.profile import (
    CAREER_MODEL_LABELS,
    DEPARTMENT_LABELS,
    STATUS_LABELS,
    DesignationRow,
    QualificationRow,
    StaffProfile,
    staff_profile,
    staff_values,
)
from hagukumi.people.selectors.qualifications import qualification_catalogue, qualification_choices
from hagukumi.people.selectors.search import (
    FILTER_GROUPS,
    FILTER_LABELS,
    StaffSearchFilters,
    StaffSearchPage,
    staff_search,
    staff_search_queryset,
)
from hagukumi.people.selectors.subsidies import (
    BEFORE_HIRE,
    NOT_COVERED,
    NOT_ELIGIBLE,
    RATE_NOT_SET,
    SubsidyResult,
    designated_types_of,
    subsidy_amount,
    subsidy_evaluate,
    subsidy_rules_for,
    subsidy_templates,
)

__all__ = [
    "BEFORE_HIRE",
    "CAREER_MODEL_LABELS",
    "CODE_KINDS",
    "DEPARTMENT_LABELS",
    "DESIGNATION_COUNT_KEYS",
    "FILTER_GROUPS",
    "FILTER_LABELS",
    "HOLDING_STATUSES",
    "NOT_COVERED",
    "NOT_ELIGIBLE",
    "QUALIFICATION_COUNT_KEYS",
    "RATE_NOT_SET",
    "STATUS_LABELS",
    "DesignationListRow",
    "DesignationRow",
    "DirectoryRow",
    "QualificationRow",
    "SearchChoices",
    "StaffAsOf",
    "StaffProfile",
    "StaffSearchFilters",
    "StaffSearchPage",
    "SubsidyResult",
    "TalentTypeLabels",
    "access_job_application_for_decision",
    "access_job_challenge_by_id",
    "access_staff_by_id",
    "designated_types_of",
    "designation_counts",
    "designation_list",
    "designations_using",
    "job_application_head_opinion_visible",
    "job_applications_for",
    "job_challenges_for",
    "leader_directory",
    "qualification_catalogue",
    "qualification_choices",
    "qualification_counts",
    "staff_as_of",
    "staff_export",
    "staff_export_columns",
    "staff_of_user",
    "staff_profile",
    "staff_search",
    "staff_search_choices",
    "staff_search_queryset",
    "staff_values",
    "subsidy_amount",
    "subsidy_evaluate",
    "subsidy_rules_for",
    "subsidy_templates",
]
