"""Who may use training's services, selectors and endpoints: every role tuple of the app, once.

Services check these with `core.access.require_role`, the API and the pages
(built later) declare them, the navigation registers them. 所属長 reach their
unit and below, 職員 themselves (people.visibility); 都道府県支援担当 has no
role here (404 everywhere).
"""

from __future__ import annotations

from hagukumi.core.models import Role

# Programmes, courses and cohorts of the 団体 (their content, not who is enrolled).
TRAINING_READ_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD, Role.STAFF)
# Adopt templates, create cohorts, start them, form groups, 指名, set quotas.
PROGRAM_EDIT_ROLES: tuple[str, ...] = (Role.DX_OFFICE,)
# Lists of enrolments (who applied, who was recommended): 所属長 see their unit and below.
ENROLMENT_READ_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD)
# Roles that see every enrolment of the 団体 (not only a unit and below).
ENROLMENT_WIDE_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR)
# 手挙げ: a staff member applies for themself.
APPLY_ROLES: tuple[str, ...] = (Role.STAFF,)
# 推薦 and the approval of 手挙げ: the staff member's 所属長 (unit and below).
RECOMMEND_ROLES: tuple[str, ...] = (Role.UNIT_HEAD,)
APPROVE_ROLES: tuple[str, ...] = (Role.UNIT_HEAD,)
# 指名: DX推進担当.
APPOINT_ROLES: tuple[str, ...] = (Role.DX_OFFICE,)
# Who computes a course's audience from the roster (受講対象者).
AUDIENCE_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD)

# The navigation key the 所属長's home task 「DX推進リーダーを推薦する」 should name
# (core.selectors.ROLE_TASKS) once the 推薦 page registers it (URL name training:recommend).
RECOMMEND_NAV_KEY = "training-recommend"
# Record attendance (by hand, e-learning, the LMS/xlsx import job) and compute completions.
ATTENDANCE_RECORD_ROLES: tuple[str, ...] = (Role.DX_OFFICE,)
