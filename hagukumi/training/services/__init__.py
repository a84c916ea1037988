"""training's writes and rules (keyword-only, `actor: Actor` required, full_clean, audited).

Planned modules (issue [研修]; each re-exported here when written):

- ``templates``: programme templates shipped as data under ``training/data/``
  (citing their seed: 札幌 【②DX推進リーダー】育成, 北九州 階層別DX研修 and
  ゴールド/シルバー/ブロンズ, 青森県 DX推進員 quotas) and
  ``program_template_adopt(actor=, template_code=, framework=)``, which maps the
  template's talent-type and competency codes onto a framework of the 団体 and
  refuses missing codes by name (「人材類型 dx-leader がフレームワーク〇〇にありません」).
  Group splitting for phases with ``group_size_min/max`` (35 → 6,6,6,6,6,5).
- ``enrolment``: 手挙げ → 所属長 approval, 推薦, 指名; capacity and the 待機
  list (first come first served by ``Enrollment.requested_at``, moved up when a
  seat frees); quotas with numbered seats (``Enrollment.quota_seat``) so the
  database refuses a second 推薦 for a full 課; other 団体's staff only through
  ``training.enrolment_scope``; designation 候補 → 育成中 through people's
  designation services.
- ``attendance``: recording and the ``import_attendance`` job kind (core.jobs):
  upsert by (staff, session), LMS header aliases (``training.lms_columns``),
  hours as decimals, every bad row named.
- ``completion``: evaluating ``Course.completion_rule`` over a run's sessions,
  writing CourseCompletion + CompetencyEvidence, and a cohort Enrollment's
  修了 / 未修了 from its counted phases.
"""
