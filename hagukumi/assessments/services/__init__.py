"""assessments' writes and rules (keyword-only, `actor: Actor` required, full_clean, audited).

One module per feature; every public name is re-exported here:

- ``sheets``: adding a template's competencies to a 団体's framework as a new
  published version (札幌 `dx-leader`, seeds/002_*: new draft → edit → publish
  through frameworks.services); an AssessmentSheet from a published framework
  version's competencies with its own scale; windows per 年度 and schedule
  templates (北海道: every autumn, dates 10/1–11/30 ours, marked 例示);
  deleting a sheet (refused while a rule uses it).
- ``assessing``: answering and submitting an Assessment (values within the
  sheet's scale, inside the window; 本人 by the staff member, 上司 only by their
  所属長, 事務局 by the DX推進担当 with a test score when the sheet has one).
- ``practice``: 実践記録 by the staff member, submission, 所属長 confirmation or
  return; evidence links/files; periods stored by month.
- ``rules``: certification rules and clauses (params validated by
  ``assessments.clause_params``), rule templates (``assessments.rule_templates``:
  掛川 required courses + 「DXリーダー向けアセスメント」 ``>`` 基準値; the demo's).
- ``certification``: certifying selected candidates (designation → 認定
  through people's designation services), issuing Certificates
  (``certificate_number``, ``certificate_prefix``, ``rule_snapshot``).

Still to write (issue [研修]): the certificate's HTML/PDF and Open Badges 3.0.
"""

from hagukumi.assessments.services.assessing import assessment_save
from hagukumi.assessments.services.certification import certificate_prefix, certification_certify
from hagukumi.assessments.services.practice import (
    PRACTICE_FIELDS,
    practice_evidence_add,
    practice_record_confirm,
    practice_record_create,
    practice_record_return,
    practice_record_submit,
    practice_record_update,
)
from hagukumi.assessments.services.rules import (
    ClauseSpec,
    rule_create,
    rule_deactivate,
    rule_template_adopt,
)
from hagukumi.assessments.services.sheets import (
    WINDOW_TEMPLATES,
    WindowTemplate,
    framework_competencies_from_template_add,
    sheet_create_from_framework,
    sheet_delete,
    window_contains,
    window_create,
    window_period_label,
    windows_from_template_create,
)

__all__ = [
    "PRACTICE_FIELDS",
    "WINDOW_TEMPLATES",
    "ClauseSpec",
    "WindowTemplate",
    "assessment_save",
    "certificate_prefix",
    "certification_certify",
    "framework_competencies_from_template_add",
    "practice_evidence_add",
    "practice_record_confirm",
    "practice_record_create",
    "practice_record_return",
    "practice_record_submit",
    "practice_record_update",
    "rule_create",
    "rule_deactivate",
    "rule_template_adopt",
    "sheet_create_from_framework",
    "sheet_delete",
    "window_contains",
    "window_create",
    "window_period_label",
    "windows_from_template_create",
]
