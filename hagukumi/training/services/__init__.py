"""training's writes and rules (keyword-only, `actor: Actor` required, full_clean, audited).

Planned modules (issue [研修]; each re-exported here when written):

- ``templates`` (written): programme templates shipped as data under
  ``training/data/`` (each item citing its seed: 札幌 【②DX推進リーダー】育成,
  北九州 階層別DX研修 and ゴールド/シルバー/ブロンズ, 青森県 DX推進員 quotas),
  ``program_template_list`` / ``program_template_by_code`` and
  ``program_template_adopt(actor=, template_code=, framework=, code_map=)``, which
  maps the template's talent-type, level and competency codes onto a framework of
  the 団体 and refuses missing codes by name (「人材類型 dx-leader がフレームワーク
  〇〇にありません」); ``clean_or_raise`` (full_clean → one Japanese ApplicationError).
- ``cohorts`` (written): ``cohort_create`` (copies the template's planned
  sessions and quotas), ``cohort_quota_set``, ``cohort_start(actor=, cohort=,
  today=)`` (designations 候補 → 育成中), ``group_sizes`` (35 → 6,6,6,6,6,5;
  19 with 5～6 refused), ``cohort_groups_form`` and ``cohort_groups_set`` (by hand).
- ``enrolment`` (written): ``enrollment_apply`` (手挙げ) → ``enrollment_approve``
  (the staff member's 所属長 only), ``enrollment_recommend`` (推薦),
  ``enrollment_appoint`` (指名), ``enrollment_reject``, ``enrollment_cancel``;
  capacity and the 待機 list (first come first served by
  ``Enrollment.requested_at``, moved up when a seat frees); quotas with numbered
  seats (``Enrollment.quota_seat``) so the database refuses a second 推薦 for a
  full 課; other 団体's staff only through ``training.enrolment_scope``;
  designation 候補 (育成中 once running) through people's designation services.
- ``attendance`` (written): ``attendance_record`` (many members of one session
  at once, audited per record), ``attendance_set``, ``elearning_complete``
  (self-paced sessions), ``attendance_import`` behind the job kind
  ``training.attendance`` (``training.import_jobs``; ``hagukumi
  import_attendance``): upsert by (staff, session), LMS header/value aliases
  (``training.lms_columns``, ``LmsColumnMapping``), hours as decimals, every
  bad row named, a fixed number of queries per file.
- ``completion`` (written): ``completions_update(actor=, cohort= | course=,
  as_of=)`` evaluates ``Course.completion_rule`` over each run's sessions (免除
  counts as attended), writes CourseCompletion + CompetencyEvidence, and sets a
  cohort Enrollment 修了 / 未修了 from its counted phases; idempotent.
- ``lms_mappings`` (written): ``lms_mapping_create`` — a 団体's saved LMS column
  mapping (provider name, header aliases, 出欠 value aliases) for the upload page.
"""

from hagukumi.training.services.attendance import (
    AttendanceEntry,
    attendance_import,
    attendance_record,
    attendance_set,
    elearning_complete,
)
from hagukumi.training.services.cohorts import (
    cohort_create,
    cohort_groups_form,
    cohort_groups_set,
    cohort_quota_set,
    cohort_start,
    group_sizes,
)
from hagukumi.training.services.completion import CompletionOutcome, completions_update
from hagukumi.training.services.enrolment import (
    enrollment_apply,
    enrollment_appoint,
    enrollment_approve,
    enrollment_cancel,
    enrollment_recommend,
    enrollment_reject,
)
from hagukumi.training.services.templates import (
    program_template_adopt,
    program_template_by_code,
    program_template_list,
)

__all__ = [
    "AttendanceEntry",
    "CompletionOutcome",
    "attendance_import",
    "attendance_record",
    "attendance_set",
    "cohort_create",
    "cohort_groups_form",
    "cohort_groups_set",
    "cohort_quota_set",
    "cohort_start",
    "completions_update",
    "elearning_complete",
    "enrollment_apply",
    "enrollment_appoint",
    "enrollment_approve",
    "enrollment_cancel",
    "enrollment_recommend",
    "enrollment_reject",
    "group_sizes",
    "program_template_adopt",
    "program_template_by_code",
    "program_template_list",
]
