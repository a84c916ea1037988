"""assessments pages, one module per feature (other features add their modules here).

- `certificates`: a 修了証 as a printable page, its PDF and its Open Badges 3.0 JSON

Thin: call one selector/service, render. Reach is decided in the selectors
(`assessments.selectors.access`); AccessDenied becomes 404 in `role_required`.
"""

from hagukumi.assessments.views.certificates import (
    certificate_badge_view,
    certificate_pdf_view,
    certificate_view,
)

__all__ = ["certificate_badge_view", "certificate_pdf_view", "certificate_view"]
