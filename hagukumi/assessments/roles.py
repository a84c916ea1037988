"""Who may do what in assessments: every role tuple of the app, once.

Services check these with `core.access.require_role`, the API and the (later)
pages declare them, so a change of "who may certify" is one edit. Row-level
reach (所属長: unit and below; 職員: self) comes from `people.visibility`.
"""

from __future__ import annotations

from hagukumi.core.models import Role

# Sheets, windows, rules, certification: the DX office (the command line holds it).
EDITOR_ROLES: tuple[str, ...] = (Role.DX_OFFICE,)
# 事務局 assessments (with test scores such as 掛川's 「DXリーダー向けアセスメント」).
OFFICE_ASSESSOR_ROLES: tuple[str, ...] = (Role.DX_OFFICE,)
# 上司 assessments and practice confirmation: the staff member's 所属長 only.
SUPERVISOR_ROLES: tuple[str, ...] = (Role.UNIT_HEAD,)
# Who lists certification candidates (人事担当 reads).
CANDIDATE_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR)
# Who sees the competency heatmap: the 団体 (DX推進担当, 人事担当) or own unit (所属長).
HEATMAP_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD)
# Roles that reach every staff member of the 団体 in these reads.
WIDE_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR)
# Who reads sheets, windows and rules of the 団体 (not 都道府県支援担当).
READER_ROLES: tuple[str, ...] = (
    Role.DX_OFFICE,
    Role.HR,
    Role.UNIT_HEAD,
    Role.STAFF,
    Role.SYSTEM_ADMIN,
)
# 修了証 pages (HTML, PDF, Open Badges): 職員 own, 所属長 own unit and below, the 団体 (DX, HR).
CERTIFICATE_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD, Role.STAFF)
# The assessment form page (本人 / 上司 / 事務局): whoever may see the staff member;
# who may answer which kind is decided per kind (`selectors.sheets.assessment_form`).
ASSESSMENT_FORM_ROLES: tuple[str, ...] = (Role.DX_OFFICE, Role.HR, Role.UNIT_HEAD, Role.STAFF)
# 実践記録 pages: the staff member writes their own; their 所属長 confirms.
PRACTICE_LIST_ROLES: tuple[str, ...] = (Role.STAFF, Role.UNIT_HEAD)
PRACTICE_AUTHOR_ROLES: tuple[str, ...] = (Role.STAFF,)
