"""Old path, kept importable: what it held is in hagukumi.people.selectors —
`form_choices` (the forms' choices), `import_jobs` (roster jobs) and
`designations` (the designations list).
"""

from hagukumi.people.selectors.designations import DesignationListRow, designation_list
from hagukumi.people.selectors.form_choices import CODE_KINDS, SearchChoices, staff_search_choices
from hagukumi.people.selectors.import_jobs import (
    PEOPLE_JOB_KINDS,
    JobWait,
    access_roster_job_by_id,
    roster_job_wait,
    roster_jobs_recent,
)

__all__ = [
    "CODE_KINDS",
    "PEOPLE_JOB_KINDS",
    "DesignationListRow",
    "JobWait",
    "SearchChoices",
    "access_roster_job_by_id",
    "designation_list",
    "roster_job_wait",
    "roster_jobs_recent",
    "staff_search_choices",
]
