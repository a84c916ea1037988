"""assessments' writes and rules (keyword-only, `actor: Actor` required, full_clean, audited).

Planned modules (issue [研修]; each re-exported here when written):

- ``sheets``: building an AssessmentSheet from a published framework version's
  competencies, windows per 年度 (北海道: every autumn, dates marked 例示).
- ``assessing``: answering and submitting an Assessment (values within the
  sheet's scale, inside the window; 上司 only by the staff member's 所属長,
  事務局 by the DX推進担当, with a test score when the sheet has one).
- ``practice``: 実践記録 drafts, submission and 所属長 confirmation.
- ``rules``: certification rules and clauses (params validated by
  ``assessments.clause_params``), rule templates (掛川: required courses +
  「DXリーダー向けアセスメント」 ``>`` 基準値).
- ``certification``: certifying selected candidates (designation → 認定
  through people's designation services), issuing Certificates
  (``certificate_number``, ``rule_snapshot``), HTML/PDF and Open Badges 3.0.
"""
