"""人材育成フレームワーク: talent types, levels and skill maps, versioned.

A Framework belongs to a 団体 (or, for the shipped templates, to 国). Its content
lives in FrameworkVersion rows: a version is a draft (editable) or published
(frozen). Every item records where its text comes from (seed file + section),
and `code`s stay the same across versions so that records made under v1 still
find "the same" talent type in v2.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from hagukumi.core.models import TimeStampedModel


class MicType(models.TextChoices):
    """The three talent types of the MIC guidebook (seed 001 ①デジタル人材像の明確化)."""

    ADVANCED_EXPERT = "advanced-expert", "高度専門人材"
    DX_LEADER = "dx-leader", "DX推進リーダー"
    GENERAL_STAFF = "general-staff", "一般行政職員"
    __empty__ = "対応なし"


class CompetencyKind(models.TextChoices):
    MIND = "mind", "マインド"
    SKILL = "skill", "スキル"
    __empty__ = "区分なし"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開"


class SourcedItem(TimeStampedModel):
    """Where an item's text comes from, and an editor's note (e.g. an unclear seed label)."""

    source_file = models.CharField("出典ファイル", max_length=200, blank=True)
    source_section = models.CharField("出典の箇所", max_length=300, blank=True)
    note = models.TextField("注記", blank=True)

    class Meta:
        abstract = True


class Framework(SourcedItem):
    """A 団体's talent framework, or a template (`is_template`, owned by 国 or by nobody)."""

    owner = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frameworks",
        verbose_name="所有団体",
    )
    code = models.SlugField("コード", max_length=50)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("説明", blank=True)
    is_template = models.BooleanField("テンプレート", default=False)
    adopted_from = models.ForeignKey(
        "FrameworkVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name="採用元のテンプレート版",
    )

    class Meta:
        verbose_name = "人材育成フレームワーク"
        verbose_name_plural = "人材育成フレームワーク"
        ordering = ["-is_template", "owner_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_template=True),
                name="framework_template_code_unique",
            ),
            models.UniqueConstraint(
                fields=["owner", "code"],
                condition=Q(is_template=False),
                name="framework_owner_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(owner__isnull=False),
                name="framework_owner_required_unless_template",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(TimeStampedModel):
    """One numbered version. Published versions are frozen; at most one draft at a time."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="versions", verbose_name="フレームワーク"
    )
    number = models.PositiveIntegerField("版")
    status = models.CharField(
        "状態", max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField("公開日時", null=True, blank=True)
    content_hash = models.CharField(
        "内容のハッシュ",
        max_length=64,
        blank=True,
        help_text="テンプレートの読込元データのハッシュ（再読込で変更があったかの判定に使用）",
    )

    class Meta:
        verbose_name = "フレームワークの版"
        verbose_name_plural = "フレームワークの版"
        ordering = ["framework_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="draft"), name="version_one_draft"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="version_published_at_iff_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}（{self.get_status_display()}）"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class TalentType(SourcedItem):
    """人材類型 / 人材像. `code` is stable across versions."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="talent_types",
        verbose_name="版",
    )
    code = models.SlugField("コード", max_length=50)
    order = models.PositiveSmallIntegerField("並び順")
    name = models.CharField("名称", max_length=200)
    mic_type = models.CharField(
        "ガイドブックの類型", max_length=20, choices=MicType.choices, blank=True
    )
    description = models.TextField("説明", blank=True)
    expected_role = models.TextField("期待する役割", blank=True)
    roles = models.JSONField(
        "役割", default=list, blank=True, help_text='[{"name": …, "unit": …, "duties": […]}]'
    )
    development_direction = models.TextField("育成・確保の方向性", blank=True)
    details = models.JSONField(
        "その他の記載",
        default=list,
        blank=True,
        help_text='出典の表のその他の行: [{"label": …, "text": …}]',
    )

    class Meta:
        verbose_name = "人材類型"
        verbose_name_plural = "人材類型"
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="talent_type_code_unique"),
            models.UniqueConstraint(fields=["version", "order"], name="talent_type_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class IndividualLevel(SourcedItem):
    """個人の段階・認定レベル of one talent type (北海道 L1–4, 青森 ①–⑤, 札幌 見習い…熟練者)."""

    talent_type = models.ForeignKey(
        TalentType,
        on_delete=models.CASCADE,
        related_name="individual_levels",
        verbose_name="人材類型",
    )
    code = models.SlugField("コード", max_length=50)
    order = models.PositiveSmallIntegerField("順序", help_text="1 から始まる連番（低い段階から）")
    label = models.CharField("段階の表示", max_length=100, blank=True, help_text="例: レベル1、①")
    name = models.CharField("名称", max_length=200)
    description = models.TextField("説明", blank=True)
    role_image = models.TextField("目指す役割イメージ", blank=True)
    development_direction = models.TextField("育成・確保の方向性", blank=True)
    criteria = models.TextField("認定基準", blank=True)
    details = models.JSONField(
        "その他の記載", default=list, blank=True, help_text='[{"label": …, "text": …}]'
    )

    class Meta:
        verbose_name = "個人の段階"
        verbose_name_plural = "個人の段階"
        ordering = ["talent_type_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent_type", "code"], name="individual_level_code_unique"
            ),
            models.UniqueConstraint(
                fields=["talent_type", "order"], name="individual_level_order_unique"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="individual_level_order_min"),
        ]

    def __str__(self) -> str:
        return self.name


class DevelopmentStep(SourcedItem):
    """段階的な育成のステップ of one talent type (seed 001 【例】育成目標レベルごとの育成手法)."""

    talent_type = models.ForeignKey(
        TalentType,
        on_delete=models.CASCADE,
        related_name="development_steps",
        verbose_name="人材類型",
    )
    order = models.PositiveSmallIntegerField("順序")
    name = models.CharField("名称", max_length=100)
    target_levels = models.CharField("対象レベル", max_length=100, blank=True)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "育成ステップ"
        verbose_name_plural = "育成ステップ"
        ordering = ["talent_type_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent_type", "order"], name="development_step_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MaturityLevel(SourcedItem):
    """組織全体の育成目標レベル (1–5) with one statement per talent type code."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="maturity_levels",
        verbose_name="版",
    )
    level = models.PositiveSmallIntegerField("レベル")
    name = models.CharField("名称", max_length=200)
    statements = models.JSONField(
        "類型ごとの状態", default=dict, blank=True, help_text='{"<人材類型コード>": "…"}'
    )

    class Meta:
        verbose_name = "育成目標レベル"
        verbose_name_plural = "育成目標レベル"
        ordering = ["version_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="maturity_level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="maturity_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"レベル{self.level} {self.name}"


class Competency(SourcedItem):
    """A マインド or スキル (skill-map item), optionally for one talent type."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="competencies",
        verbose_name="版",
    )
    code = models.SlugField("コード", max_length=80)
    order = models.PositiveSmallIntegerField("並び順")
    kind = models.CharField("区分", max_length=10, choices=CompetencyKind.choices, blank=True)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("説明", blank=True)
    talent_type = models.ForeignKey(
        TalentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="competencies",
        verbose_name="人材類型",
    )

    class Meta:
        verbose_name = "マインド・スキル"
        verbose_name_plural = "マインド・スキル"
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competency_code_unique"),
            models.UniqueConstraint(fields=["version", "order"], name="competency_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CompetencyLevel(SourcedItem):
    """行動指標: the behaviours (目指す行動) expected at one level of a competency."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="levels", verbose_name="マインド・スキル"
    )
    level = models.PositiveSmallIntegerField("レベル")
    label = models.CharField(
        "表示", max_length=50, blank=True, help_text="出典での表記（LV3、S など）"
    )
    behaviours = models.JSONField("目指す行動", default=list, blank=True)

    class Meta:
        verbose_name = "行動指標"
        verbose_name_plural = "行動指標"
        ordering = ["competency_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="competency_level_unique"),
            models.CheckConstraint(condition=Q(level__gte=1), name="competency_level_min"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.label or self.level}"


class Responsibility(SourcedItem):
    """職務分掌: what one department or unit does for the talent plan."""

    version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name="版",
    )
    order = models.PositiveSmallIntegerField("並び順")
    unit = models.CharField("部局・部門", max_length=200)
    text = models.TextField("役割")

    class Meta:
        verbose_name = "部局等の役割"
        verbose_name_plural = "部局等の役割"
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "order"], name="responsibility_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.unit
