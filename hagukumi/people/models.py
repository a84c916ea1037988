"""職員台帳: staff, 異動歴, qualifications and 受験料補助, designations, 庁内公募.

Value lists (職位, 職種, 任用形態, 採用区分 …) are per-団体 code lists
(`CodeListItem`), seeded with the values of issue [職員]; the staff columns hold
the value as text so a renamed list entry never rewrites history.
Designations name their talent type and level by the stable `code`s of
frameworks (see hagukumi.frameworks.models), not by versioned rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hagukumi.core.models import TimeStampedModel

# Values the rules below refer to by name (they are also seeded in every code list).
EMPLOYMENT_FIXED_TERM = "任期付"


class CodeKind(models.TextChoices):
    POSITION = "position", "職位"
    JOB_TYPE = "job_type", "職種"
    EMPLOYMENT = "employment", "任用形態"
    RECRUITMENT = "recruitment", "採用区分"
    DESIGNATION_ROLE = "designation_role", "指定の役割"
    DIRECTORY_TYPE = "directory_type", "名簿に掲載する人材類型"


class CodeListItem(TimeStampedModel):
    """One value of a per-団体 list (職位, 職種 …); `people.code_lists` seeds them."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name="団体"
    )
    kind = models.CharField("一覧", max_length=30, choices=CodeKind.choices)
    value = models.CharField("値", max_length=50)
    order = models.PositiveSmallIntegerField("並び順", default=0)
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "コード一覧の値"
        verbose_name_plural = "コード一覧の値"
        ordering = ["organization_id", "kind", "order", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "value"], name="people_code_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class CareerModel(models.TextChoices):
    """キャリアモデル (seed 001 ⑥ 中野区の例)."""

    GENERALIST = "generalist", "ゼネラリスト"
    EXPERT = "expert", "エキスパート"
    DEPARTMENT_EXPERT = "department_expert", "特定部門エキスパート"


class SpecialDepartment(models.TextChoices):
    """特定部門 of a 特定部門エキスパート (as 中野区)."""

    PLANNING = "planning", "①企画・計画"
    INTERNAL = "internal", "②内部管理"
    COUNTER = "counter", "③窓口・相談"
    OPERATIONS = "operations", "④事業執行"


class Staff(TimeStampedModel):
    """A staff member of one 団体 (職員台帳). Personal data: read through selectors only.

    `unit`, `position` and `grade` are the current ones; their history is in
    Assignment. `search_key` is the `core.japanese_text.normalize` form of
    氏名, カナ and キャリア志向 for matching (never shown).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="staff", verbose_name="団体"
    )
    number = models.CharField("職員番号", max_length=20)
    name = models.CharField("氏名", max_length=100)
    name_kana = models.CharField("氏名カナ", max_length=100, blank=True)
    birth_date = models.DateField("生年月日", null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="所属",
    )
    position = models.CharField("職位", max_length=50, blank=True)
    grade = models.PositiveSmallIntegerField("級", null=True, blank=True)
    job_type = models.CharField("職種", max_length=50, blank=True)
    employment = models.CharField("任用形態", max_length=50, blank=True)
    recruitment = models.CharField("採用区分", max_length=50, blank=True)
    hired_on = models.DateField("採用年月日", null=True, blank=True)
    term_ends_on = models.DateField("任期満了日", null=True, blank=True)
    career_model = models.CharField(
        "キャリアモデル", max_length=20, choices=CareerModel.choices, blank=True
    )
    special_department = models.CharField(
        "特定部門", max_length=20, choices=SpecialDepartment.choices, blank=True
    )
    career_intent = models.TextField("キャリア志向", blank=True)
    aptitude_notes = models.TextField("適性", blank=True)
    evaluation_notes = models.TextField("評価", blank=True)
    retired_on = models.DateField("退職日", null=True, blank=True)
    is_demo = models.BooleanField("デモ", default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_records",
        verbose_name="利用者",
    )
    search_key = models.TextField("検索用", blank=True, editable=False)

    class Meta:
        verbose_name = "職員"
        verbose_name_plural = "職員"
        ordering = ["organization_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="people_staff_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(user__isnull=False),
                name="people_staff_one_per_user",
            ),
            models.CheckConstraint(
                condition=~Q(employment=EMPLOYMENT_FIXED_TERM) | Q(term_ends_on__isnull=False),
                name="people_staff_fixed_term_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(career_model=CareerModel.DEPARTMENT_EXPERT)
                | ~Q(special_department=""),
                name="people_staff_department_expert_has_department",
            ),
        ]
        indexes = [models.Index(fields=["organization", "unit"], name="people_staff_org_unit")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def audit_label(self) -> str:
        """The audit log's 「対象」: 「職員 000123 山田 太郎」 (core.audit reads it)."""
        return f"職員 {self.number} {self.name}"


class Assignment(TimeStampedModel):
    """異動歴: one period in one unit with one 職位/級 (ends_on None: current)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="assignments", verbose_name="職員"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="所属"
    )
    position = models.CharField("職位", max_length=50, blank=True)
    grade = models.PositiveSmallIntegerField("級", null=True, blank=True)
    starts_on = models.DateField("発令日")
    ends_on = models.DateField("終了日", null=True, blank=True)

    class Meta:
        verbose_name = "異動歴"
        verbose_name_plural = "異動歴"
        ordering = ["staff_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="people_assignment_range",
            ),
            models.UniqueConstraint(
                fields=["staff", "starts_on"], name="people_assignment_one_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "starts_on"], name="people_assignment_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.starts_on}–{self.ends_on or ''}"


class Qualification(TimeStampedModel):
    """資格・スキル標準 of the catalogue (seed 001 P22 table, plus IPA's 試験区分).

    The three スキル標準 are references (`holdable` False). `from_seed` False
    marks entries added from IPA's list, not from the seeds.
    """

    code = models.SlugField("コード", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("並び順", default=0)
    name = models.CharField("名称", max_length=100)
    label = models.CharField("区分", max_length=100, blank=True, help_text="例: 国家資格")
    note = models.CharField("※", max_length=200, blank=True)
    audience = models.TextField("対象者", blank=True)
    content = models.TextField("内容", blank=True)
    contact = models.TextField("照会先", blank=True)
    holdable = models.BooleanField("取得できる資格", default=True)
    provider = models.CharField("実施団体", max_length=100, blank=True)
    itss_level = models.PositiveSmallIntegerField("ITSSレベル", null=True, blank=True)
    exam_fee = models.PositiveIntegerField("受験料", null=True, blank=True)
    from_seed = models.BooleanField("資料から", default=True)
    source = models.CharField("出典", max_length=300, blank=True)

    class Meta:
        verbose_name = "資格"
        verbose_name_plural = "資格"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class StaffQualification(TimeStampedModel):
    """A qualification a staff member obtained, with the costs for 受験料補助 (yen)."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="qualifications", verbose_name="職員"
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="holders", verbose_name="資格"
    )
    obtained_on = models.DateField("取得年月日")
    exam_fee = models.PositiveIntegerField("受験料", null=True, blank=True)
    course_fee = models.PositiveIntegerField("講座受講料", null=True, blank=True)
    textbook_fee = models.PositiveIntegerField("テキスト代", null=True, blank=True)
    travel_fee = models.PositiveIntegerField("交通費", null=True, blank=True)
    subsidy_paid = models.PositiveIntegerField("補助支給額", null=True, blank=True)

    class Meta:
        verbose_name = "職員の資格"
        verbose_name_plural = "職員の資格"
        ordering = ["staff_id", "obtained_on", "qualification_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "qualification", "obtained_on"],
                name="people_staff_qualification_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.qualification_id} {self.obtained_on}"


class SubsidyEligibility(models.TextChoices):
    ALL_STAFF = "all_staff", "全職員"
    STAFF_PROGRAM = "staff_program", "職員（制度に基づく）"
    TALENT_TYPE = "talent_type", "人材類型の指定を受けた職員"


class SubsidyRule(TimeStampedModel):
    """受験料補助 as data: who is eligible, which costs, what rate (None: 未設定).

    Templates (`organization` None) come from seed 001 【参考】取得促進している自治体;
    a 団体 adopts a copy. Amounts are rounded down to the yen (円未満切り捨て).
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="団体",
    )
    code = models.SlugField("コード", max_length=50)
    name = models.CharField("名称", max_length=100)
    eligibility = models.CharField("対象", max_length=20, choices=SubsidyEligibility.choices)
    eligibility_text = models.CharField("対象（資料の表現）", max_length=200, blank=True)
    # The framework whose talent type `talent_type_code` names (None: a template, or a
    # rule adopted before the 団体 had that talent type in force).
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50, blank=True)
    qualification_codes = models.JSONField("対象資格", default=list, blank=True)
    costs = models.JSONField("対象経費", default=list, help_text="exam_fee, course_fee …")
    rate_percent = models.PositiveSmallIntegerField("補助率（%）", null=True, blank=True)
    quote = models.TextField("資料の記述", blank=True)
    source = models.CharField("出典", max_length=300, blank=True)
    adopted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="元のテンプレート",
    )

    class Meta:
        verbose_name = "受験料補助の規則"
        verbose_name_plural = "受験料補助の規則"
        ordering = ["organization_id", "code"]
        constraints = [
            # One code per 団体, and one per template (no 団体). Two partial indexes
            # instead of `nulls_distinct=False`, which SQLite cannot create (issue [品質] 12).
            models.UniqueConstraint(
                fields=["organization", "code"],
                condition=Q(organization__isnull=False),
                name="people_subsidy_rule_code_unique",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organization__isnull=True),
                name="people_subsidy_template_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=True) | Q(rate_percent__lte=100),
                name="people_subsidy_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DesignationMethod(models.TextChoices):
    """「DX推進リーダー」の指定方法 (seed 001)."""

    VOLUNTEER = "volunteer", "手挙げ"
    RECOMMENDED = "recommended", "推薦"
    APPOINTED = "appointed", "指名(兼務発令なし)"
    APPOINTED_CONCURRENT = "appointed_concurrent", "指名(兼務発令あり)"
    RECRUITED = "recruited", "採用"


class DesignationStatus(models.TextChoices):
    CANDIDATE = "candidate", "候補"
    TRAINING = "training", "育成中"
    CERTIFIED = "certified", "認定"
    PRACTISING = "practising", "実践"
    REVOKED = "revoked", "解除"


# The statuses of someone who holds the talent type (名簿, counts for [計画]).
HOLDING_STATUSES = (DesignationStatus.CERTIFIED, DesignationStatus.PRACTISING)


class DesignationQuerySet(models.QuerySet["Designation"]):
    """The one place that says which designations are in force in a 年度."""

    def in_force(self, fiscal_year: int) -> DesignationQuerySet:
        """Designations whose FY range covers `fiscal_year` (開始年度 ≤ N ≤ 終了年度 or open).

        Any status: a 解除 ends the range at its FY, so chain `.not_revoked()` or
        `.holding()` for what a rule needs.
        """
        return self.filter(from_fy__lte=fiscal_year).filter(
            Q(to_fy__isnull=True) | Q(to_fy__gte=fiscal_year)
        )

    def not_revoked(self) -> DesignationQuerySet:
        return self.exclude(status=DesignationStatus.REVOKED)

    def holding(self) -> DesignationQuerySet:
        """認定 or 実践 (HOLDING_STATUSES)."""
        return self.filter(status__in=HOLDING_STATUSES)


class Designation(TimeStampedModel):
    """Staff × talent type (× individual level) of the 団体's framework, for a FY range.

    The talent type is (framework, talent_type_code): two frameworks that share a
    code never mix.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="designations", verbose_name="職員"
    )
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50)
    level_code = models.SlugField("個人の段階コード", max_length=50, blank=True)
    method = models.CharField("指定方法", max_length=30, choices=DesignationMethod.choices)
    concurrent_order_date = models.DateField("兼務発令日", null=True, blank=True)
    cohort = models.PositiveSmallIntegerField("期", null=True, blank=True)
    role = models.CharField("役割", max_length=50, blank=True)
    from_fy = models.PositiveSmallIntegerField("開始年度")
    to_fy = models.PositiveSmallIntegerField("終了年度", null=True, blank=True)
    status = models.CharField(
        "状態",
        max_length=20,
        choices=DesignationStatus.choices,
        default=DesignationStatus.CANDIDATE,
    )

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = "指定"
        verbose_name_plural = "指定"
        ordering = ["organization_id", "talent_type_code", "staff_id", "from_fy"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_fy__isnull=True) | Q(to_fy__gte=F("from_fy")),
                name="people_designation_fy_range",
            ),
            models.CheckConstraint(
                condition=~Q(method=DesignationMethod.APPOINTED_CONCURRENT)
                | Q(concurrent_order_date__isnull=False),
                name="people_designation_concurrent_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "talent_type_code", "status"],
                name="people_designation_type",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.talent_type_code} {self.get_status_display()}"


class DesignationEvent(models.Model):
    """History of a designation's status (append-only by convention)."""

    designation = models.ForeignKey(
        Designation, on_delete=models.CASCADE, related_name="events", verbose_name="指定"
    )
    occurred_at = models.DateTimeField("日時", auto_now_add=True)
    effective_on = models.DateField("適用日")
    status_from = models.CharField(
        "変更前", max_length=20, choices=DesignationStatus.choices, blank=True
    )
    status_to = models.CharField("変更後", max_length=20, choices=DesignationStatus.choices)
    actor_username = models.CharField("実施者", max_length=150, blank=True)
    note = models.TextField("メモ", blank=True)

    class Meta:
        verbose_name = "指定の履歴"
        verbose_name_plural = "指定の履歴"
        ordering = ["designation_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.designation_id} {self.status_from}→{self.status_to}"


class JobChallengeKind(models.TextChoices):
    INTERNAL = "internal", "庁内公募"
    JOB_CHALLENGE = "job_challenge", "ジョブチャレンジ"
    DX_QUOTA = "dx_quota", "DX推進枠"


class JobChallenge(TimeStampedModel):
    """A posting (seed 002 活躍の場): unit, description, talent type, 募集期間, 定員."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="団体"
    )
    kind = models.CharField("種類", max_length=20, choices=JobChallengeKind.choices)
    title = models.CharField("件名", max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="所属"
    )
    description = models.TextField("内容", blank=True)
    # With a talent type: the framework it belongs to (both blank for none).
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="フレームワーク",
    )
    talent_type_code = models.SlugField("人材類型コード", max_length=50, blank=True)
    opens_on = models.DateField("募集開始日")
    closes_on = models.DateField("締切日")
    capacity = models.PositiveSmallIntegerField("定員", default=1)
    fiscal_year = models.PositiveSmallIntegerField("年度")

    class Meta:
        verbose_name = "庁内公募"
        verbose_name_plural = "庁内公募"
        ordering = ["organization_id", "-opens_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="people_job_challenge_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "応募中"
    ACCEPTED = "accepted", "採用"
    REJECTED = "rejected", "不採用"
    WITHDRAWN = "withdrawn", "取下げ"


class JobApplication(TimeStampedModel):
    """One staff member's application; 所属長意見 is never shown to the applicant."""

    challenge = models.ForeignKey(
        JobChallenge, on_delete=models.CASCADE, related_name="applications", verbose_name="公募"
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="applications", verbose_name="職員"
    )
    motivation = models.TextField("志望動機")
    head_opinion = models.TextField("所属長意見", blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    decided_at = models.DateTimeField("決定日時", null=True, blank=True)
    designation = models.ForeignKey(
        Designation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指定",
    )

    class Meta:
        verbose_name = "公募への応募"
        verbose_name_plural = "公募への応募"
        ordering = ["challenge_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "staff"], name="people_application_one_per_staff"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.staff_id} {self.get_status_display()}"
