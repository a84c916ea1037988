"""assessments pages, one module per feature (other features add their modules here).

- `certificates`: a 修了証 as a printable page, its PDF and its Open Badges 3.0 JSON
- `pages`: sheets (list, detail with windows), the assessment form per kind
  (本人 / 上司 / 事務局, with training's skill evidence beside each item), the
  competency × 所属 heatmap, certification candidates (meets / missing with
  reasons and 次の機会) and 「認定する」 (confirmation page first, no JavaScript)
- `practice`: 実践記録 — the list (own; 確認待ち of a 所属長's unit), the staff
  member's form (new / edit / 提出) and the 所属長's 「確認する」 (confirmation page first)

Thin: call one selector/service, render. Reach is decided in the selectors
(`assessments.selectors.access`); AccessDenied becomes 404 in `role_required`.
"""

from hagukumi.assessments.views.certificates import (
    certificate_badge_view,
    certificate_pdf_view,
    certificate_view,
)
from hagukumi.assessments.views.pages import (
    assessment_form_view,
    candidates_view,
    certify_view,
    heatmap_view,
    sheet_detail_view,
    sheet_list_view,
)
from hagukumi.assessments.views.practice import (
    practice_confirm_view,
    practice_edit_view,
    practice_list_view,
    practice_new_view,
)

__all__ = [
    "assessment_form_view",
    "candidates_view",
    "certificate_badge_view",
    "certificate_pdf_view",
    "certificate_view",
    "certify_view",
    "heatmap_view",
    "practice_confirm_view",
    "practice_edit_view",
    "practice_list_view",
    "practice_new_view",
    "sheet_detail_view",
    "sheet_list_view",
]
