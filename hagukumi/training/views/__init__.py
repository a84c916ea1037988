"""研修 pages, one module per feature (server-rendered; htmx only enhances).

- `programs`: the 研修 top page (programmes, cohorts, courses, templates), adopting a
  programme template onto a framework of the 団体 (refused codes named), a
  programme's phases (hours, 必須/任意, 対面 回), a new cohort, a course's audience
- `cohorts`: a cohort's plan, sessions, members, 待機 list with positions, groups
  (proposal by the size rule or set by hand), 開始 (confirmation first), 指名,
  修了の判定
- `enrolment`: 手挙げ (a 職員's own page), the 所属長's approval queue and 推薦 page
  (`training:recommend`), and 承認 / 却下 (with a reason) / 取消 of one enrolment
- `attendance`: the attendance sheet of one session, the attendance upload through
  core's job flow (kind ``training.attendance``), the LMS column mappings

Thin: parse the form or query string, call one selector/service, render; no
queries here (page-only reads are `training.selectors.pages`). The clock is
read here and passed in. Another 団体's object and anything out of the actor's
reach raise AccessDenied, which `role_required` turns into 404; POST-only pages
look the object up first so that another 団体 gets 404, not 405.
"""

from hagukumi.training.views.attendance import (
    attendance_sheet_view,
    attendance_upload_view,
    lms_mappings_view,
)
from hagukumi.training.views.cohorts import (
    cohort_appoint_view,
    cohort_completions_view,
    cohort_detail_view,
    cohort_groups_view,
    cohort_start_view,
)
from hagukumi.training.views.enrolment import (
    apply_view,
    approvals_view,
    cohort_apply_view,
    enrollment_approve_view,
    enrollment_cancel_view,
    enrollment_reject_view,
    recommend_view,
)
from hagukumi.training.views.programs import (
    cohort_create_view,
    course_audience_view,
    index_view,
    program_detail_view,
    template_adopt_view,
)

__all__ = [
    "apply_view",
    "approvals_view",
    "attendance_sheet_view",
    "attendance_upload_view",
    "cohort_apply_view",
    "cohort_appoint_view",
    "cohort_completions_view",
    "cohort_create_view",
    "cohort_detail_view",
    "cohort_groups_view",
    "cohort_start_view",
    "course_audience_view",
    "enrollment_approve_view",
    "enrollment_cancel_view",
    "enrollment_reject_view",
    "index_view",
    "lms_mappings_view",
    "program_detail_view",
    "recommend_view",
    "template_adopt_view",
]
