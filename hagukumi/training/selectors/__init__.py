"""training's reads (access-checked, audited for personal data); assessments may read these.

Written so far:

- ``framework_usage.training_items_using``: the frameworks usage checker.
- ``attendance``: who belongs to a session (``session_members``), the hours a
  record counts (``counted_hours`` and its SQL form), the manual recording
  sheet (``attendance_sheet``), the 団体's LMS column mappings.
- ``completion``: one staff member's 受講歴 (``training_history``: enrolments,
  completions, hours per 年度, skill evidence; visibility-checked, audited),
  shown by the profile panel in ``training.panels``. The metrics (enrolled,
  completed, hours) are in ``training.metrics``.
- ``programs``: programme templates, programmes, courses and cohorts of the 団体
  for an actor (``access_program_by_id``, ``access_cohort_by_id``, ``cohorts_for``),
  their plans (``program_plan`` / ``cohort_plan``: required hours, 対面 回),
  ``course_audience(actor=, course=, fiscal_year=)`` (who a Course.audience_rule
  selects from the roster; audited) and ``cohort_groups``.
- ``enrolment``: ``access_enrollment_by_id``, ``cohort_enrollments``,
  ``my_enrollments``, ``enrollment_approvals_pending`` (the 所属長's 承認待ち),
  ``recommendable_cohorts`` / ``recommendable_staff`` (the 所属長's 推薦 list with
  the reasons a person cannot be recommended; the page ``training:recommend``),
  seat counts per cohort, and the quota facts the enrolment service shares.
- ``pages``: reads only the web pages need (the 団体's courses, the frameworks
  a template can be adopted onto, a cohort's sessions per phase, its roster
  with the 待機 positions, a 職員's application page, 指名 by 職員番号).

- ``certification_facts``: per-staff facts for the certification engine in
  assessments, each for a whole 団体 in one query (completed courses as bit
  masks, hours attended, programme members and first 年度, phases, the next
  dated session of a course for ``next_chance``, skill evidence); not
  access-checked (its callers are).

Planned modules: ``courses`` (courses, sessions, programmes, cohorts of a 団体
for an actor).
"""

from hagukumi.training.selectors.attendance import attendance_sheet, session_members
from hagukumi.training.selectors.completion import training_history
from hagukumi.training.selectors.enrolment import (
    access_enrollment_by_id,
    cohort_enrollments,
    enrollment_approvals_pending,
    my_enrollments,
    recommendable_cohorts,
    recommendable_staff,
)
from hagukumi.training.selectors.framework_usage import training_items_using
from hagukumi.training.selectors.programs import (
    access_cohort_by_id,
    access_program_by_id,
    cohort_groups,
    cohort_plan,
    cohorts_for,
    course_audience,
    program_plan,
    program_templates,
    programs_for,
)

__all__ = [
    "access_cohort_by_id",
    "access_enrollment_by_id",
    "access_program_by_id",
    "attendance_sheet",
    "cohort_enrollments",
    "cohort_groups",
    "cohort_plan",
    "cohorts_for",
    "course_audience",
    "enrollment_approvals_pending",
    "my_enrollments",
    "program_plan",
    "program_templates",
    "programs_for",
    "recommendable_cohorts",
    "recommendable_staff",
    "session_members",
    "training_history",
    "training_items_using",
]
