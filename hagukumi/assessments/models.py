"""アセスメント, 実践記録 and 認定: sheets and answers, practice records, rules, certificates.

- An **AssessmentSheet** is built from the competencies of one published
  version of a framework (`SheetItem.competency_code`, by stable code: ADR 0006)
  with its own scale (札幌 `dx-leader` competencies have no levels: the sheet
  defines 1–4). **AssessmentWindow**s open it per 年度; an **Assessment** is one
  kind (本人 / 上司 / 事務局) for one staff member in one window.
- A **PracticeRecord** (実践記録) is what someone did in their unit after
  training, confirmed by the 所属長; confirmed months feed `practice_months`.
- A **CertificationRule** per talent type (and optional level) is ANDed
  **RuleClause**s (kinds and params: `hagukumi.assessments.clause_params`).
- A **Certificate** (修了証) is issued to someone a rule certified, numbered
  `団体コード-FY-連番`, with the rule and its results frozen in `rule_snapshot`.

assessments may read training (its models and selectors); training never
reads assessments (docs/adr/0007-training-and-certification-model.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from hagukumi.assessments.clause_params import clause_params_errors
from hagukumi.core.models import TimeStampedModel


class AssessmentKind(models.TextChoices):
    SELF = "self", "本人"
    SUPERVISOR = "supervisor", "上司"
    OFFICE = "office", "事務局"


class AssessmentSheet(TimeStampedModel):
    """アセスメントシート: items ↔ competency codes of one framework version, with a scale.

    `framework_version_number` records which published version the items were
    taken from (a number, not a row: versions are compared, never joined).
    `allows_*` say which kinds may be answered; `has_test_score` lets the
    事務局 record a test score (掛川's 「DXリーダー向けアセスメント」).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    code = models.SlugField("コード", max_length=50)
    title = models.CharField("シート名", max_length=200)
    description = models.TextField("説明", blank=True)
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    framework_version_number = models.PositiveIntegerField("フレームワークの版")
    scale_min = models.PositiveSmallIntegerField("評価の最小値", default=1)
    scale_max = models.PositiveSmallIntegerField("評価の最大値", default=4)
    scale_labels = models.JSONField(
        "評価の表示",
        default=dict,
        blank=True,
        help_text='例: {"1": "知っている", "4": "教えられる"}',
    )
    allows_self = models.BooleanField("本人評価", default=True)
    allows_supervisor = models.BooleanField("上司評価", default=True)
    allows_office = models.BooleanField("事務局評価", default=True)
    has_test_score = models.BooleanField("テストの点数を記録する", default=False)
    test_score_max = models.DecimalField(
        "テストの満点", max_digits=6, decimal_places=2, null=True, blank=True
    )
    template_code = models.SlugField("採用元テンプレート", max_length=80, blank=True)
    source = models.CharField("出典", max_length=300, blank=True)

    class Meta:
        verbose_name = "アセスメントシート"
        verbose_name_plural = "アセスメントシート"
        ordering = ["organization_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="assessments_sheet_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="assessments_sheet_scale"
            ),
            models.CheckConstraint(
                condition=Q(allows_self=True) | Q(allows_supervisor=True) | Q(allows_office=True),
                name="assessments_sheet_some_kind",
            ),
            models.CheckConstraint(
                condition=Q(test_score_max__isnull=True)
                | Q(has_test_score=True, test_score_max__gt=0),
                name="assessments_sheet_test_score_max",
            ),
            models.CheckConstraint(
                condition=Q(framework_version_number__gte=1),
                name="assessments_sheet_version_number",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kinds_allowed(self) -> tuple[str, ...]:
        """The AssessmentKind values this sheet may be answered as."""
        flags = (
            (AssessmentKind.SELF, self.allows_self),
            (AssessmentKind.SUPERVISOR, self.allows_supervisor),
            (AssessmentKind.OFFICE, self.allows_office),
        )
        return tuple(kind.value for kind, allowed in flags if allowed)


class SheetItem(TimeStampedModel):
    """One item of a sheet: a competency (by code, of the sheet's framework) and its wording."""

    sheet = models.ForeignKey(
        AssessmentSheet, on_delete=models.CASCADE, related_name="items", verbose_name="シート"
    )
    order = models.PositiveSmallIntegerField("順序")
    competency_code = models.SlugField("マインド・スキルのコード", max_length=80)
    text = models.CharField("設問", max_length=500)

    class Meta:
        verbose_name = "アセスメントの設問"
        verbose_name_plural = "アセスメントの設問"
        ordering = ["sheet_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "order"], name="assessments_item_order_unique"
            ),
            models.UniqueConstraint(
                fields=["sheet", "competency_code"], name="assessments_item_competency_unique"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="assessments_item_order_min"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class AssessmentWindow(TimeStampedModel):
    """実施期間 of a sheet in a 年度. `is_illustrative`: dates are ours, not the seed's (例示)."""

    sheet = models.ForeignKey(
        AssessmentSheet, on_delete=models.PROTECT, related_name="windows", verbose_name="シート"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=100, blank=True, help_text="例: 秋期")
    opens_on = models.DateField("開始日")
    closes_on = models.DateField("締切日")
    is_illustrative = models.BooleanField("例示", default=False)

    class Meta:
        verbose_name = "アセスメントの実施期間"
        verbose_name_plural = "アセスメントの実施期間"
        ordering = ["sheet_id", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "opens_on"], name="assessments_window_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="assessments_window_period"
            ),
        ]

    def __str__(self) -> str:
        label = f" {self.name}" if self.name else ""
        return f"{self.fiscal_year}年度{label}（{self.opens_on}～{self.closes_on}）"


class Assessment(TimeStampedModel):
    """One assessment of a staff member in a window, of one kind (one per kind).

    `submitted_at` None: a draft. `assessor` is the web user who answered
    (上司: the staff member's 所属長, checked by the service; None for the
    command line, whose `assessor_name` is 「コマンドライン」).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    window = models.ForeignKey(
        AssessmentWindow,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="実施期間",
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    kind = models.CharField("種類", max_length=20, choices=AssessmentKind.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="評価者",
    )
    assessor_name = models.CharField("評価者名", max_length=150, blank=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    test_score = models.DecimalField(
        "テストの点数", max_digits=6, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField("所見", blank=True)

    class Meta:
        verbose_name = "アセスメント"
        verbose_name_plural = "アセスメント"
        ordering = ["window_id", "staff_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "staff", "kind"], name="assessments_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(test_score__isnull=True) | Q(test_score__gte=0),
                name="assessments_test_score_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(test_score__isnull=True) | Q(kind="office"),
                name="assessments_test_score_by_office",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "staff"], name="assessments_org_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.get_kind_display()} {self.window_id}"

    @property
    def audit_label(self) -> str:
        """「アセスメント（上司） 000123 山田 太郎」."""
        return f"アセスメント（{self.get_kind_display()}） {self.staff.number} {self.staff.name}"


class AssessmentAnswer(TimeStampedModel):
    """The value given to one item (within the sheet's scale: checked by the service)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name="アセスメント"
    )
    item = models.ForeignKey(
        SheetItem, on_delete=models.PROTECT, related_name="answers", verbose_name="設問"
    )
    value = models.PositiveSmallIntegerField("評価")

    class Meta:
        verbose_name = "アセスメントの回答"
        verbose_name_plural = "アセスメントの回答"
        ordering = ["assessment_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="assessments_answer_one_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.item_id}: {self.value}"


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    SUBMITTED = "submitted", "確認待ち"
    CONFIRMED = "confirmed", "確認済み"
    RETURNED = "returned", "差戻し"


class PracticeRecord(TimeStampedModel):
    """実践記録 (札幌: 「認定された翌年度（2年目）は、所属において…実践」), confirmed by the 所属長.

    Month precision: `period_start` and `period_end` hold the first day of
    their month (services normalise); Apr–Sep is 2026-04-01 … 2026-09-01 = 6
    months. Only 確認済み records count.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="+", verbose_name="職員"
    )
    title = models.CharField("件名", max_length=200)
    period_start = models.DateField("開始月")
    period_end = models.DateField("終了月")
    as_is = models.TextField("As-Is（実践前）", blank=True)
    to_be = models.TextField("To-Be（目指す姿）", blank=True)
    result = models.TextField("成果", blank=True, help_text="例: 約10時間/月の削減")
    status = models.CharField(
        "状態", max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="確認者",
    )
    confirmed_by_name = models.CharField("確認者名", max_length=150, blank=True)
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)

    class Meta:
        verbose_name = "実践記録"
        verbose_name_plural = "実践記録"
        ordering = ["staff_id", "period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="assessments_practice_period"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="assessments_practice_confirmed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "staff"], name="assessments_practice_staff"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"実践記録 {self.staff.number} {self.staff.name}"


class PracticeEvidence(TimeStampedModel):
    """A link or an uploaded file that backs a practice record (exactly one of the two)."""

    record = models.ForeignKey(
        PracticeRecord, on_delete=models.CASCADE, related_name="evidence", verbose_name="実践記録"
    )
    url = models.URLField("リンク", max_length=500, blank=True)
    file = models.FileField("ファイル", upload_to="practice/%Y/", max_length=300, blank=True)
    filename = models.CharField("ファイル名", max_length=255, blank=True)
    description = models.CharField("説明", max_length=200, blank=True)

    class Meta:
        verbose_name = "実践記録の根拠"
        verbose_name_plural = "実践記録の根拠"
        ordering = ["record_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="assessments_practice_evidence_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.filename or self.url


class CertificationRule(TimeStampedModel):
    """認定基準 for a talent type (and optional level): its clauses are ANDed.

    At most one active rule per (団体, framework, talent type, level).
    `criteria` is the narrative shown to people and used as the Open Badges
    achievement's criteria.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50)
    level_code = models.SlugField("個人の段階コード", max_length=50, blank=True)
    name = models.CharField("名称", max_length=200)
    is_active = models.BooleanField("使用中", default=True)
    criteria = models.TextField("認定基準（説明）", blank=True)
    template_code = models.SlugField("採用元テンプレート", max_length=80, blank=True)
    source = models.CharField("出典", max_length=300, blank=True)

    class Meta:
        verbose_name = "認定基準"
        verbose_name_plural = "認定基準"
        ordering = ["organization_id", "talent_type_code", "level_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework", "talent_type_code", "level_code"],
                condition=Q(is_active=True),
                name="assessments_rule_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClauseKind(models.TextChoices):
    PHASES_COMPLETED = "phases_completed", "フェーズの修了"
    COURSES_COMPLETED = "courses_completed", "研修の修了"
    HOURS_AT_LEAST = "hours_at_least", "受講時間"
    QUALIFICATION_HELD = "qualification_held", "資格の取得"
    ASSESSMENT = "assessment", "アセスメント"
    PRACTICE_MONTHS = "practice_months", "実践の月数"
    YEARS_IN_PROGRAMME = "years_in_programme", "プログラムの在籍年数"


_PROGRAM_REQUIRED = (ClauseKind.PHASES_COMPLETED, ClauseKind.YEARS_IN_PROGRAMME)
_PROGRAM_ALLOWED = (*_PROGRAM_REQUIRED, ClauseKind.HOURS_AT_LEAST)


class RuleClause(TimeStampedModel):
    """One clause of a rule. Referenced rows are PROTECT foreign keys; scalars are `params`.

    The columns a kind needs are enforced by check constraints; `params` by
    `clause_params.clause_params_errors` in `clean()`. Courses of
    `courses_completed` / `hours_at_least` are RuleClauseCourse rows. `label`
    overrides the name used in reasons (「成果発表 未修了」).
    """

    rule = models.ForeignKey(
        CertificationRule, on_delete=models.CASCADE, related_name="clauses", verbose_name="認定基準"
    )
    order = models.PositiveSmallIntegerField("順序")
    kind = models.CharField("種類", max_length=30, choices=ClauseKind.choices)
    params = models.JSONField("条件", default=dict, blank=True)
    label = models.CharField("表示名", max_length=100, blank=True)
    program = models.ForeignKey(
        "training.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="プログラム",
    )
    sheet = models.ForeignKey(
        AssessmentSheet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clauses",
        verbose_name="シート",
    )
    qualification = models.ForeignKey(
        "people.Qualification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="資格",
    )

    class Meta:
        verbose_name = "認定基準の条件"
        verbose_name_plural = "認定基準の条件"
        ordering = ["rule_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "order"], name="assessments_clause_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="assessments_clause_order_min"),
            models.CheckConstraint(
                condition=Q(kind=ClauseKind.ASSESSMENT, sheet__isnull=False)
                | (~Q(kind=ClauseKind.ASSESSMENT) & Q(sheet__isnull=True)),
                name="assessments_clause_sheet",
            ),
            models.CheckConstraint(
                condition=Q(kind=ClauseKind.QUALIFICATION_HELD, qualification__isnull=False)
                | (~Q(kind=ClauseKind.QUALIFICATION_HELD) & Q(qualification__isnull=True)),
                name="assessments_clause_qualification",
            ),
            models.CheckConstraint(
                condition=(~Q(kind__in=_PROGRAM_REQUIRED) | Q(program__isnull=False))
                & (Q(kind__in=_PROGRAM_ALLOWED) | Q(program__isnull=True)),
                name="assessments_clause_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.label or self.get_kind_display()}"

    def clean(self) -> None:
        errors = clause_params_errors(self.kind, self.params)
        if errors:
            raise ValidationError({"params": errors})


class RuleClauseCourse(TimeStampedModel):
    """A course a `courses_completed` or `hours_at_least` clause names (PROTECT: in use)."""

    clause = models.ForeignKey(
        RuleClause, on_delete=models.CASCADE, related_name="clause_courses", verbose_name="条件"
    )
    course = models.ForeignKey(
        "training.Course", on_delete=models.PROTECT, related_name="+", verbose_name="研修"
    )

    class Meta:
        verbose_name = "条件の研修"
        verbose_name_plural = "条件の研修"
        ordering = ["clause_id", "course_id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "course"], name="assessments_clause_course"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.course_id}"


class Certificate(TimeStampedModel):
    """修了証 / 認定証: number `団体コード-FY-連番` (e.g. 011002-2025-0001).

    `prefix` is the 団体コード, or for a 団体 without one (the demo) a short
    prefix of its own that no other 団体 uses; `serial` counts per 団体 and
    年度. `rule_snapshot` freezes the rule, its clauses and each clause's
    result at issue, so a later rule change never rewrites a certificate.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    number = models.CharField("番号", max_length=40, unique=True)
    prefix = models.CharField("番号の接頭辞", max_length=20)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("連番")
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name="職員"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50)
    level_code = models.SlugField("個人の段階コード", max_length=50, blank=True)
    rule = models.ForeignKey(
        CertificationRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name="認定基準",
    )
    designation = models.ForeignKey(
        "people.Designation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指定",
    )
    issued_on = models.DateField("発行日")
    issued_by_name = models.CharField("発行者", max_length=150, blank=True)
    rule_snapshot = models.JSONField("認定時の基準と結果", default=dict)
    revoked_on = models.DateField("失効日", null=True, blank=True)

    class Meta:
        verbose_name = "修了証"
        verbose_name_plural = "修了証"
        ordering = ["organization_id", "fiscal_year", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "serial"],
                name="assessments_certificate_serial",
            ),
            models.CheckConstraint(
                condition=Q(serial__gte=1), name="assessments_certificate_serial_min"
            ),
            models.CheckConstraint(condition=~Q(prefix=""), name="assessments_certificate_prefix"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("issued_on")),
                name="assessments_certificate_revoked_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "staff"], name="assessments_certificate_staff"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_label(self) -> str:
        """「修了証 011002-2025-0001 山田 太郎」."""
        return f"修了証 {self.number} {self.staff.name}"


def certificate_number(*, prefix: str, fiscal_year: int, serial: int) -> str:
    """`団体コード-FY-連番` with a four-digit 連番: 011002-2025-0001."""
    return f"{prefix}-{fiscal_year}-{serial:04d}"
