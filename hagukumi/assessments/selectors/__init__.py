"""assessments' reads (access-checked, audited for personal data).

One module per feature; every public name is re-exported here:

- ``access``: ``access_<entity>_by_id`` for sheets, windows, rules, assessments,
  practice records, certificates; ``staff_relation`` (self / 所属長 / 事務局).
- ``sheets``: sheets and windows for an actor; the assessment form with
  training's skill evidence beside each item.
- ``profiles``: the staff-profile reads (assessment values per kind beside
  CompetencyEvidence, 実践記録 with confirmed months, 修了証); the panels in
  ``assessments.panels`` render them.
- ``heatmap``: competency × 課 counts per level (団体 for DX推進担当/人事担当,
  unit and below for a 所属長).
- ``candidates``: the certification engine — per-staff facts from
  ``training.selectors.certification_facts`` and this app in a fixed number of
  queries, clause results with ``{"clause", "message", "current", "required",
  "source", "as_of", "next_chance"}``.
- ``practice_months``: confirmed months, overlaps counted once.
- ``practice_records``: the 実践記録 pages' lists (own records; 確認待ち of a
  所属長's unit and below).
- ``certificates``: a 修了証 for its page, PDF and Open Badges JSON (audited reads;
  rendering in ``assessments.certificates``).
- ``framework_usage.assessment_items_using``: the frameworks usage checker.
"""

from hagukumi.assessments.selectors.access import (
    StaffRelation,
    access_assessment_by_id,
    access_certificate_by_id,
    access_practice_record_by_id,
    access_rule_by_id,
    access_sheet_by_id,
    access_window_by_id,
    staff_relation,
)
from hagukumi.assessments.selectors.candidates import (
    CandidateReport,
    CandidateRow,
    Reason,
    certification_candidates,
    certification_evaluate,
    certification_rule_for,
)
from hagukumi.assessments.selectors.certificates import (
    CertificateFile,
    certificate_badge_download,
    certificate_pdf_download,
    certificate_read,
)
from hagukumi.assessments.selectors.framework_usage import assessment_items_using
from hagukumi.assessments.selectors.heatmap import (
    Heatmap,
    HeatmapCell,
    HeatmapColumn,
    HeatmapRow,
    competency_heatmap,
)
from hagukumi.assessments.selectors.practice_months import months_covered
from hagukumi.assessments.selectors.practice_records import (
    practice_records_awaiting,
    practice_records_own,
)
from hagukumi.assessments.selectors.profiles import (
    CompetencyRow,
    SheetProfile,
    staff_assessment_profile,
    staff_certificates,
    staff_practice_records,
)
from hagukumi.assessments.selectors.sheets import (
    AssessmentForm,
    FormItem,
    assessment_form,
    sheets_for,
    windows_for,
    windows_open_on,
)

__all__ = [
    "AssessmentForm",
    "CandidateReport",
    "CandidateRow",
    "CertificateFile",
    "CompetencyRow",
    "FormItem",
    "Heatmap",
    "HeatmapCell",
    "HeatmapColumn",
    "HeatmapRow",
    "Reason",
    "SheetProfile",
    "StaffRelation",
    "access_assessment_by_id",
    "access_certificate_by_id",
    "access_practice_record_by_id",
    "access_rule_by_id",
    "access_sheet_by_id",
    "access_window_by_id",
    "assessment_form",
    "assessment_items_using",
    "certificate_badge_download",
    "certificate_pdf_download",
    "certificate_read",
    "certification_candidates",
    "certification_evaluate",
    "certification_rule_for",
    "competency_heatmap",
    "months_covered",
    "practice_records_awaiting",
    "practice_records_own",
    "sheets_for",
    "staff_assessment_profile",
    "staff_certificates",
    "staff_practice_records",
    "staff_relation",
    "windows_for",
    "windows_open_on",
]
