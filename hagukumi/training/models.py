"""研修: courses and their sessions, programmes of phases, cohorts, enrolment, attendance.

The shape (docs/adr/0007-training-and-certification-model.md):

- A **Course** (研修) of one 団体 is run as **Sessions** (回). A session of a
  course that is a phase of a programme belongs to one **Cohort** (期) of that
  programme; a stand-alone course's sessions belong to their 年度 only. "A run"
  of a course is therefore (course, cohort) or (course, 年度 without cohort);
  completion rules count the sessions of one run.
- A **Program** (育成プログラム) is ordered **ProgramPhases**, each one course;
  a **Cohort** runs the programme once; **CohortGroups** split its members for
  group work (ProgramPhase.group_size_min/max).
- **Enrollment** is one staff member in one cohort, or in one course run
  (optionally one session). **Quota** limits 推薦/自薦 per 課 per cohort; seats
  are numbered so the database refuses the second 推薦 for a full 課 even under
  concurrent requests.
- **Attendance** is one staff × one session (upsert key of imports);
  **CourseCompletion** and **CompetencyEvidence** are what completion writes.
  A programme's completion is its cohort Enrollment with status 修了.

Framework items (talent types, levels, competencies) are referred to by
(framework, stable code), never by their rows' keys (ADR 0006). Rows that carry
`organization` copy it from their parent for scoping (the services set it;
they never differ).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from hagukumi.core.models import TimeStampedModel
from hagukumi.training.audience import validate_audience_rule
from hagukumi.training.lms_columns import status_aliases_errors, validate_header_aliases

# Check constraints spell out `__isnull=False` where a comparison meets a nullable column:
# SQL's NULL comparison is unknown, which a CHECK accepts.

# Hours are DecimalField(max_digits=6, decimal_places=2): 0.25 h = 15 min, up to 9,999.99 h.


class CourseProvider(models.TextChoices):
    """実施主体 of a course."""

    INTERNAL = "internal", "庁内"
    PRIVATE = "private", "民間"
    JLIS = "jlis", "J-LIS"
    MANABI_DX = "manabi_dx", "マナビDX"
    UNIVERSITY = "university", "大学"
    NATIONAL = "national", "国"
    PREFECTURE = "prefecture", "都道府県"


class CourseFormat(models.TextChoices):
    """実施形式. 集合 and ハンズオン sessions are in person (対面) unless marked online."""

    CLASSROOM = "classroom", "集合"
    ELEARNING = "elearning", "eラーニング"
    ONLINE = "online", "オンライン"
    HANDS_ON = "hands_on", "ハンズオン"
    OJT = "ojt", "OJT"


IN_PERSON_FORMATS = (CourseFormat.CLASSROOM, CourseFormat.HANDS_ON)


class CompletionRule(models.TextChoices):
    """修了条件: every session of the run attended (出席/遅刻/早退 count; 免除 too), or hours."""

    ALL_SESSIONS = "all_sessions", "全回受講"
    HOURS = "hours", "受講時間が規定以上"


class RecordSource(models.TextChoices):
    """Where an attendance or completion record came from."""

    MANUAL = "manual", "手入力"
    IMPORT = "import", "取込"
    LMS = "lms", "LMS"


class Course(TimeStampedModel):
    """研修: one course of a 団体 (its 研修コード is what attendance files name).

    `audience_rule` is the JSON of `hagukumi.training.audience` (validated by
    full_clean). Target talent types and competencies are CourseTarget and
    CourseCompetency rows. `planned_hours` is the nominal length when it is
    known (北九州's 階層別研修 give none: it stays empty).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    code = models.CharField("研修コード", max_length=30)
    title = models.CharField("研修名", max_length=200)
    purpose = models.TextField("目的・内容", blank=True)
    provider = models.CharField(
        "実施主体", max_length=20, choices=CourseProvider.choices, default=CourseProvider.INTERNAL
    )
    format = models.CharField("実施形式", max_length=20, choices=CourseFormat.choices)
    fee = models.PositiveIntegerField("受講料（円）", null=True, blank=True)
    planned_hours = models.DecimalField(
        "標準時間数", null=True, blank=True, max_digits=6, decimal_places=2
    )
    audience_rule = models.JSONField(
        "受講対象の条件",
        default=dict,
        blank=True,
        validators=[validate_audience_rule],
        help_text='例: {"hire_year": 1}、{"positions": ["部長", "課長"], "new_in_fy": true}',
    )
    audience_text = models.CharField("受講対象（表示）", max_length=200, blank=True)
    completion_rule = models.CharField(
        "修了条件",
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_SESSIONS,
    )
    completion_hours = models.DecimalField(
        "修了に必要な時間数", null=True, blank=True, max_digits=6, decimal_places=2
    )
    template_code = models.SlugField("採用元テンプレート", max_length=80, blank=True)
    source = models.CharField("出典", max_length=300, blank=True)

    class Meta:
        verbose_name = "研修"
        verbose_name_plural = "研修"
        ordering = ["organization_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="training_course_code_unique"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="training_course_code_not_empty"),
            models.CheckConstraint(
                condition=(
                    Q(
                        completion_rule="hours",
                        completion_hours__isnull=False,
                        completion_hours__gt=0,
                    )
                    | Q(completion_rule="all_sessions", completion_hours__isnull=True)
                ),
                name="training_course_completion_hours",
            ),
            models.CheckConstraint(
                condition=Q(planned_hours__isnull=True) | Q(planned_hours__gt=0),
                name="training_course_planned_hours_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CourseTarget(TimeStampedModel):
    """A talent type (and optionally one of its individual levels) a course is meant for."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="targets", verbose_name="研修"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50)
    level_code = models.SlugField("個人の段階コード", max_length=50, blank=True)

    class Meta:
        verbose_name = "研修の対象人材類型"
        verbose_name_plural = "研修の対象人材類型"
        ordering = ["course_id", "framework_id", "talent_type_code", "level_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "framework", "talent_type_code", "level_code"],
                name="training_course_target_unique",
            ),
        ]

    def __str__(self) -> str:
        level = f" / {self.level_code}" if self.level_code else ""
        return f"{self.course_id}: {self.talent_type_code}{level}"


class CourseCompetency(TimeStampedModel):
    """A competency a course develops, and to which level (None: the seed gives none)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="competencies", verbose_name="研修"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    competency_code = models.SlugField("マインド・スキルのコード", max_length=80)
    level = models.PositiveSmallIntegerField("レベル", null=True, blank=True)

    class Meta:
        verbose_name = "研修で身に付くマインド・スキル"
        verbose_name_plural = "研修で身に付くマインド・スキル"
        ordering = ["course_id", "framework_id", "competency_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "framework", "competency_code"],
                name="training_course_competency_unique",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1),
                name="training_course_competency_level_min",
            ),
        ]

    def __str__(self) -> str:
        level = f" Lv{self.level}" if self.level else ""
        return f"{self.course_id}: {self.competency_code}{level}"


class Program(TimeStampedModel):
    """育成プログラム for one talent type (and optionally one individual level)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    code = models.SlugField("プログラムコード", max_length=50)
    title = models.CharField("プログラム名", max_length=200)
    description = models.TextField("説明", blank=True)
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50)
    level_code = models.SlugField("個人の段階コード", max_length=50, blank=True)
    template_code = models.SlugField("採用元テンプレート", max_length=80, blank=True)
    source = models.CharField(
        "出典", max_length=300, blank=True, help_text="例: seeds/002_… ■研修実践想定"
    )

    class Meta:
        verbose_name = "育成プログラム"
        verbose_name_plural = "育成プログラム"
        ordering = ["organization_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="training_program_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgramPhase(TimeStampedModel):
    """One phase of a programme: a course, required or optional, with its group-size rule.

    `counted` False: the phase does not count towards the programme's required
    hours or completion (札幌 「自己啓発（任意）」 通年, 時間指定なし).
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="phases", verbose_name="プログラム"
    )
    order = models.PositiveSmallIntegerField("順序")
    name = models.CharField("フェーズ名", max_length=100, blank=True, help_text="空欄: 研修名")
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="phases", verbose_name="研修"
    )
    required = models.BooleanField("必須", default=True)
    counted = models.BooleanField("修了・時間数に算入", default=True)
    period_label = models.CharField("時期", max_length=50, blank=True, help_text="例: ～7月")
    group_size_min = models.PositiveSmallIntegerField("グループ人数（下限）", null=True, blank=True)
    group_size_max = models.PositiveSmallIntegerField("グループ人数（上限）", null=True, blank=True)

    class Meta:
        verbose_name = "プログラムのフェーズ"
        verbose_name_plural = "プログラムのフェーズ"
        ordering = ["program_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "order"], name="training_phase_order_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "course"], name="training_phase_course_unique"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="training_phase_order_min"),
            models.CheckConstraint(
                condition=Q(group_size_min__isnull=True, group_size_max__isnull=True)
                | Q(
                    group_size_min__isnull=False,
                    group_size_max__isnull=False,
                    group_size_min__gte=1,
                    group_size_max__gte=F("group_size_min"),
                ),
                name="training_phase_group_size",
            ),
            # An optional phase that counts would make completion depend on a choice.
            models.CheckConstraint(
                condition=Q(required=True) | Q(counted=False),
                name="training_phase_optional_not_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name or self.course_id}"


class CohortStatus(models.TextChoices):
    PLANNED = "planned", "計画中"
    RECRUITING = "recruiting", "募集中"
    RUNNING = "running", "実施中"
    FINISHED = "finished", "終了"
    CANCELLED = "cancelled", "中止"


class Cohort(TimeStampedModel):
    """期: one run of a programme in a 年度 (capacity None: 定員なし)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name="プログラム"
    )
    number = models.PositiveSmallIntegerField("期")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    capacity = models.PositiveSmallIntegerField("定員", null=True, blank=True)
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日")
    status = models.CharField(
        "状態", max_length=20, choices=CohortStatus.choices, default=CohortStatus.PLANNED
    )

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["program_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="training_cohort_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="training_cohort_number_min"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_cohort_period"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="training_cohort_capacity_min",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}期（{self.fiscal_year}年度）"


class Session(TimeStampedModel):
    """回: one sitting of a course (date None: self-paced e-learning, no fixed date).

    A session of a programme phase belongs to one cohort; a stand-alone course's
    sessions have no cohort. `number` is the 回 within its run (course, cohort or
    年度). `hours` None: the seed gives no length. In person (対面) = a course of
    an IN_PERSON_FORMATS format and not `is_online`.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name="研修"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="期",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("回")
    title = models.CharField("内容", max_length=200, blank=True, help_text="例: 企画立案と要件定義")
    date = models.DateField("日付", null=True, blank=True)
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    end_time = models.TimeField("終了時刻", null=True, blank=True)
    hours = models.DecimalField("時間数", null=True, blank=True, max_digits=6, decimal_places=2)
    venue = models.CharField("会場", max_length=200, blank=True)
    is_online = models.BooleanField("オンライン", default=False)
    capacity = models.PositiveSmallIntegerField("定員", null=True, blank=True)

    class Meta:
        verbose_name = "研修の回"
        verbose_name_plural = "研修の回"
        ordering = ["course_id", "fiscal_year", "cohort_id", "number"]
        constraints = [
            # Two partial constraints instead of nulls_distinct=False (SQLite lacks it).
            models.UniqueConstraint(
                fields=["course", "cohort", "number"],
                condition=Q(cohort__isnull=False),
                name="training_session_number_in_cohort",
            ),
            models.UniqueConstraint(
                fields=["course", "fiscal_year", "number"],
                condition=Q(cohort__isnull=True),
                name="training_session_number_in_year",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="training_session_number_min"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0),
                name="training_session_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(
                    date__isnull=False,
                    start_time__isnull=False,
                    end_time__isnull=False,
                    end_time__gt=F("start_time"),
                ),
                name="training_session_times",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="training_session_capacity_min",
            ),
        ]
        indexes = [models.Index(fields=["organization", "date"], name="training_session_org_date")]

    def __str__(self) -> str:
        return f"{self.course_id} 第{self.number}回"


class CohortGroup(TimeStampedModel):
    """A group of a cohort for group work in one phase (札幌 スキル実践演習: 5～6名)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="groups", verbose_name="期"
    )
    phase = models.ForeignKey(
        ProgramPhase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name="フェーズ",
    )
    number = models.PositiveSmallIntegerField("グループ番号")
    name = models.CharField("グループ名", max_length=100, blank=True)

    class Meta:
        verbose_name = "グループ"
        verbose_name_plural = "グループ"
        ordering = ["cohort_id", "phase_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "phase", "number"],
                condition=Q(phase__isnull=False),
                name="training_group_number_in_phase",
            ),
            models.UniqueConstraint(
                fields=["cohort", "number"],
                condition=Q(phase__isnull=True),
                name="training_group_number_in_cohort",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="training_group_number_min"),
        ]

    def __str__(self) -> str:
        return self.name or f"グループ{self.number}"


class EnrollmentChannel(models.TextChoices):
    VOLUNTEER = "volunteer", "手挙げ"
    RECOMMENDED = "recommended", "推薦"
    APPOINTED = "appointed", "指名"


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", "申請中"
    APPROVED = "approved", "承認"
    WAITLISTED = "waitlisted", "待機"
    CANCELLED = "cancelled", "取消"
    REJECTED = "rejected", "却下"
    COMPLETED = "completed", "修了"
    NOT_COMPLETED = "not_completed", "未修了"


# Statuses that hold (or wait for) a place: at most one such enrolment per scope.
LIVE_ENROLLMENT_STATUSES = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NOT_COMPLETED,
)
# Statuses that occupy a seat (capacity, quota).
SEATED_ENROLLMENT_STATUSES = (
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NOT_COMPLETED,
)


class QuotaChannel(models.TextChoices):
    """The channel a quota counts; values equal EnrollmentChannel's (自薦 = 手挙げ)."""

    RECOMMENDED = EnrollmentChannel.RECOMMENDED.value, "推薦"
    VOLUNTEER = EnrollmentChannel.VOLUNTEER.value, "自薦"


class Quota(TimeStampedModel):
    """Per-unit 枠 of a cohort (青森県 DX推進員, seed 004: ①推薦枠 各所属1名（毎年度新規） ②自薦枠).

    Each enrolment by `channel` counts for the staff member's unit of kind
    `unit_kind` as of the cohort's 年度 (a 係 member counts for its 課).
    `max_per_unit` None = uncapped. `new_every_year`: only people never enrolled
    in an earlier cohort of the programme. `exclude_previous_designees`: refuse
    anyone who already holds (or held) the programme's talent type.
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="quotas", verbose_name="期"
    )
    channel = models.CharField("枠", max_length=20, choices=QuotaChannel.choices)
    unit_kind = models.CharField("数える所属の区分", max_length=20, default="課")
    max_per_unit = models.PositiveSmallIntegerField("所属ごとの上限", null=True, blank=True)
    new_every_year = models.BooleanField("毎年度新規", default=False)
    exclude_previous_designees = models.BooleanField("既に指定された者を除く", default=False)
    label = models.CharField(
        "表示", max_length=200, blank=True, help_text="例: 推薦枠（各所属1名）"
    )
    source = models.CharField("出典", max_length=300, blank=True)

    class Meta:
        verbose_name = "推薦・自薦の枠"
        verbose_name_plural = "推薦・自薦の枠"
        ordering = ["cohort_id", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "channel"], name="training_quota_channel_unique"
            ),
            models.CheckConstraint(
                condition=Q(max_per_unit__isnull=True) | Q(max_per_unit__gte=1),
                name="training_quota_max_min",
            ),
            models.CheckConstraint(condition=~Q(unit_kind=""), name="training_quota_unit_kind"),
        ]

    def __str__(self) -> str:
        limit = f"{self.max_per_unit}名" if self.max_per_unit else "上限なし"
        return f"{self.get_channel_display()}枠（{self.unit_kind}ごと{limit}）"


class Enrollment(TimeStampedModel):
    """受講申込: a staff member in a cohort, or in a course run (optionally one session).

    Scope: `cohort` set and `course`/`session` empty, or `course` set (with an
    optional `session`) and `cohort` empty; `fiscal_year` is the run's 年度.
    One live enrolment per staff and scope (database-enforced). The 待機 list
    is served first come first served by (`requested_at`, id); `requested_at`
    is set by the service (no wall clock in tests).

    Quota seats: an enrolment counted by a capped Quota holds `quota_seat`
    1..max in (`quota`, `quota_unit`), unique, so two concurrent 推薦 for one 課
    with one seat cannot both be saved. Cancelling or refusing frees the seat
    (`quota_seat` None). `quota_unit` is the unit of the quota's kind as of the
    年度 (a 係 member's 課), kept for the record even for uncapped quotas.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="期",
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="研修",
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="回",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    channel = models.CharField("申込区分", max_length=20, choices=EnrollmentChannel.choices)
    status = models.CharField(
        "状態",
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.APPLIED,
    )
    requested_at = models.DateTimeField("申込日時")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申込者",
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="推薦者",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承認者",
    )
    approved_at = models.DateTimeField("承認日時", null=True, blank=True)
    # Who acted, as audit_username (a user name or 「コマンドライン」), for rows with no user.
    decided_by_name = models.CharField("承認・却下・取消の実施者", max_length=150, blank=True)
    decided_at = models.DateTimeField("承認・却下・取消の日時", null=True, blank=True)
    reason = models.TextField("理由", blank=True, help_text="却下・取消の理由")
    completed_on = models.DateField("修了日", null=True, blank=True)
    quota = models.ForeignKey(
        Quota,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name="枠",
    )
    quota_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="枠を数える所属",
    )
    quota_seat = models.PositiveSmallIntegerField("枠の席番号", null=True, blank=True)

    class Meta:
        verbose_name = "受講申込"
        verbose_name_plural = "受講申込"
        ordering = ["organization_id", "fiscal_year", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, course__isnull=True, session__isnull=True)
                | Q(cohort__isnull=True, course__isnull=False),
                name="training_enrollment_scope",
            ),
            models.UniqueConstraint(
                fields=["staff", "cohort"],
                condition=Q(cohort__isnull=False, status__in=LIVE_ENROLLMENT_STATUSES),
                name="training_enrollment_one_live_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["staff", "course", "fiscal_year"],
                condition=Q(course__isnull=False, status__in=LIVE_ENROLLMENT_STATUSES),
                name="training_enrollment_one_live_per_course_run",
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True, quota_unit__isnull=True, quota_seat__isnull=True)
                | Q(quota__isnull=False, quota_unit__isnull=False),
                name="training_enrollment_quota_fields",
            ),
            models.CheckConstraint(
                condition=Q(quota_seat__isnull=True) | Q(quota_seat__gte=1),
                name="training_enrollment_quota_seat_min",
            ),
            models.UniqueConstraint(
                fields=["quota", "quota_unit", "quota_seat"],
                condition=Q(quota_seat__isnull=False),
                name="training_enrollment_quota_seat_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="training_enrollment_completed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="training_enrollment_cohort"),
            models.Index(fields=["staff", "fiscal_year"], name="training_enrollment_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.get_channel_display()} {self.get_status_display()}"

    @property
    def audit_label(self) -> str:
        """「受講申込 000123 山田 太郎」 (core.audit's 「対象」)."""
        return f"受講申込 {self.staff.number} {self.staff.name}"


class CohortGroupMembership(TimeStampedModel):
    """A cohort member in one group; one group per member and phase (`phase` copies the group's)."""

    group = models.ForeignKey(
        CohortGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name="グループ"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name="受講申込",
    )
    phase = models.ForeignKey(
        ProgramPhase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="フェーズ",
    )

    class Meta:
        verbose_name = "グループの構成員"
        verbose_name_plural = "グループの構成員"
        ordering = ["group_id", "enrollment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "phase"],
                condition=Q(phase__isnull=False),
                name="training_group_one_per_phase",
            ),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(phase__isnull=True),
                name="training_group_one_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.enrollment_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    ABSENT = "absent", "欠席"
    LATE = "late", "遅刻"
    LEFT_EARLY = "left_early", "早退"
    WAIVED = "waived", "免除"


# Statuses that count a session as taken for an 全回受講 completion rule.
TAKEN_ATTENDANCE_STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.WAIVED,
)


class Attendance(TimeStampedModel):
    """出欠: one staff member at one session (the upsert key of attendance imports).

    `hours` is the time taken (None: not recorded; the session's hours apply for
    出席); the service refuses more than the session's length. 欠席 has no hours.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name="回"
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    status = models.CharField("出欠", max_length=20, choices=AttendanceStatus.choices)
    waived_reason = models.CharField("免除の理由", max_length=200, blank=True)
    hours = models.DecimalField("受講時間", null=True, blank=True, max_digits=6, decimal_places=2)
    source = models.CharField(
        "入力元", max_length=20, choices=RecordSource.choices, default=RecordSource.MANUAL
    )
    import_job = models.ForeignKey(
        "core.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取込ジョブ",
    )
    recorded_by_name = models.CharField("記録者", max_length=150, blank=True)

    class Meta:
        verbose_name = "出欠"
        verbose_name_plural = "出欠"
        ordering = ["session_id", "staff_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "session"], name="training_attendance_one_per_session"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_attendance_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(waived_reason=""),
                name="training_attendance_waived_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="waived") | Q(waived_reason=""),
                name="training_attendance_reason_only_when_waived",
            ),
            models.CheckConstraint(
                condition=~Q(status="absent") | Q(hours__isnull=True) | Q(hours=0),
                name="training_attendance_absent_no_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "staff"], name="training_attendance_org_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.session_id} {self.get_status_display()}"

    @property
    def audit_label(self) -> str:
        return f"出欠 {self.staff.number} {self.staff.name}"


class CourseCompletion(TimeStampedModel):
    """修了: a staff member completed a course (one run) in a 年度.

    Written by training's completion service from attendance (source 手入力/取込)
    or directly from an LMS e-learning record. `cohort` names the run when the
    course was a programme phase.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="completions", verbose_name="研修"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_completions",
        verbose_name="期",
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    completed_on = models.DateField("修了日")
    hours = models.DecimalField("受講時間", null=True, blank=True, max_digits=6, decimal_places=2)
    source = models.CharField(
        "入力元", max_length=20, choices=RecordSource.choices, default=RecordSource.MANUAL
    )

    class Meta:
        verbose_name = "研修の修了"
        verbose_name_plural = "研修の修了"
        ordering = ["staff_id", "completed_on", "course_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course", "fiscal_year"],
                name="training_completion_one_per_year",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_completion_hours_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "fiscal_year"], name="training_completion_org_fy"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.course_id} {self.completed_on}"

    @property
    def audit_label(self) -> str:
        return f"研修の修了 {self.staff.number} {self.staff.name}"


class CompetencyEvidence(TimeStampedModel):
    """Skill evidence from training: completing a course shows a competency at a level.

    Written with the CourseCompletion it comes from (deleted with it); it never
    changes an Assessment — profiles and the next assessment form show both.
    It lives in training because training writes it and assessments may read
    training, not the reverse (ADR 0007).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    competency_code = models.SlugField("マインド・スキルのコード", max_length=80)
    level = models.PositiveSmallIntegerField("レベル", null=True, blank=True)
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="+", verbose_name="研修"
    )
    completion = models.ForeignKey(
        CourseCompletion,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name="修了",
    )
    evidenced_on = models.DateField("日付")

    class Meta:
        verbose_name = "研修による習得の記録"
        verbose_name_plural = "研修による習得の記録"
        ordering = ["staff_id", "framework_id", "competency_code", "evidenced_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["completion", "framework", "competency_code"],
                name="training_evidence_one_per_completion",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1),
                name="training_evidence_level_min",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "framework", "competency_code"],
                name="training_evidence_competency",
            ),
        ]

    def __str__(self) -> str:
        level = f" Lv{self.level}" if self.level else ""
        return f"{self.staff_id} {self.competency_code}{level}"

    @property
    def audit_label(self) -> str:
        return f"研修による習得 {self.staff.number} {self.staff.name}"


class LmsColumnMapping(TimeStampedModel):
    """A 団体's header aliases for one LMS vendor's attendance export (training.lms_columns)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name="団体"
    )
    provider_name = models.CharField("LMS・提供元", max_length=100)
    header_aliases = models.JSONField(
        "列名の対応",
        default=dict,
        blank=True,
        validators=[validate_header_aliases],
        help_text='例: {"staff_number": ["社員番号"], "hours": ["学習時間(h)"]}',
    )
    status_aliases = models.JSONField(
        "出欠の値の対応", default=dict, blank=True, help_text='例: {"完了": "present"}'
    )

    class Meta:
        verbose_name = "LMSの列名の対応"
        verbose_name_plural = "LMSの列名の対応"
        ordering = ["organization_id", "provider_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "provider_name"], name="training_lms_mapping_unique"
            ),
            models.CheckConstraint(
                condition=~Q(provider_name=""), name="training_lms_mapping_provider_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.provider_name

    def clean(self) -> None:
        errors = status_aliases_errors(self.status_aliases, statuses=tuple(AttendanceStatus.values))
        if errors:
            raise ValidationError({"status_aliases": errors})
