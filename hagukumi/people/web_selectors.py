"""Old path, kept importable: what it held is in hagukumi.people.selectors —
`form_choices` (the forms' choices) and `designations` (the designations list).
The roster job reads it held are core's (hagukumi.core.jobs: access_import_job_by_id,
job_wait, jobs_recent).
"""

from hagukumi.people.selectors.designations import DesignationListRow, designation_list
from hagukumi.people.selectors.form_choices import CODE_KINDS, SearchChoices, staff_search_choices

__all__ = [
    "CODE_KINDS",
    "DesignationListRow",
    "SearchChoices",
    "designation_list",
    "staff_search_choices",
]
