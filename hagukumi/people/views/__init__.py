"""職員 pages, one module per feature.

- `roster`: roster upload (core's job flow: dry run → 「取り込む」), template
- `profile`: a staff member's profile, 自分のプロフィール, and their edits
- `search`: 人材検索 and its xlsx/CSV export
- `directory`: the DX推進リーダー名簿
- `designations`: the list of designations within reach
- `challenges`: 庁内公募 / ジョブチャレンジ and their applications
- `assignments`: 異動・任用の記録 (異動歴 and corrections, 人事異動 upload, the 4月1日 switch)

Thin: parse the form or query string, call one selector/service, render. Who
sees which field is decided by hagukumi.people.visibility through the
selectors; the templates only show what the selector filled in, so a field the
role may not see is absent from the HTML. Out-of-scope staff and another
団体's records raise AccessDenied, which `role_required` turns into 404.
Where the request came from (IP, browser, path) reaches the audit log through
core's AuditContextMiddleware; views never pass `request` to a service.
"""

from hagukumi.people.views.assignments import (
    assignment_edit_view,
    assignments_view,
    fiscal_year_switch_view,
    fiscal_year_view,
    staff_assignments_view,
    transfers_template_view,
    transfers_upload_view,
)
from hagukumi.people.views.challenges import (
    application_decide_view,
    application_opinion_view,
    application_withdraw_view,
    challenge_apply_view,
    challenge_detail_view,
    challenge_new_view,
    challenges_view,
)
from hagukumi.people.views.designations import designations_view
from hagukumi.people.views.directory import leaders_view
from hagukumi.people.views.profile import my_profile_view, staff_detail_view
from hagukumi.people.views.roster import roster_template_view, roster_upload_view
from hagukumi.people.views.search import search_export_view, search_view

__all__ = [
    "application_decide_view",
    "application_opinion_view",
    "application_withdraw_view",
    "assignment_edit_view",
    "assignments_view",
    "challenge_apply_view",
    "challenge_detail_view",
    "challenge_new_view",
    "challenges_view",
    "designations_view",
    "fiscal_year_switch_view",
    "fiscal_year_view",
    "leaders_view",
    "my_profile_view",
    "roster_template_view",
    "roster_upload_view",
    "search_export_view",
    "search_view",
    "staff_assignments_view",
    "staff_detail_view",
    "transfers_template_view",
    "transfers_upload_view",
]
