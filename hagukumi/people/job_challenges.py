"""Old path of the 庁内公募 code, kept importable: reads are in selectors/job_challenges.py,
writes in services/job_challenges.py.
"""

from hagukumi.people.selectors.access import job_application_head_opinion_visible
from hagukumi.people.selectors.job_challenges import (
    access_job_challenge_by_id,
    job_applications_for,
    job_challenges_for,
)
from hagukumi.people.services.job_challenges import (
    job_application_decide,
    job_application_opinion,
    job_application_submit,
    job_application_withdraw,
    job_challenge_create,
)

__all__ = [
    "access_job_challenge_by_id",
    "job_application_decide",
    "job_application_head_opinion_visible",
    "job_application_opinion",
    "job_application_submit",
    "job_application_withdraw",
    "job_applications_for",
    "job_challenge_create",
    "job_challenges_for",
]
