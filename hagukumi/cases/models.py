"""先進事例 (Case), its passages for search, and the figures it states (CaseFact).

A case keeps its text exactly as imported (``body``, HTML fragments included);
display goes through ``body_html.sanitize_body_html`` and search through the
passages. ``content_hash`` is the SHA-256 of the raw file bytes (of the row's
values for a case read from an xlsx list), so re-importing an unchanged file is
recognised without parsing it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hagukumi.core.models import TimeStampedModel


class Visibility(models.TextChoices):
    """公開: every logged-in user of every 団体; 団体内: only the importing 団体."""

    PUBLIC = "public", "公開"
    ORGANIZATION = "organization", "団体内"


class Case(TimeStampedModel):
    """One 先進事例: the metadata of the 先進事例検索システム record and the full text."""

    case_no = models.CharField("事例No.", max_length=40, blank=True)
    fiscal_year = models.PositiveSmallIntegerField("公表年度", null=True, blank=True)
    org_type = models.CharField(
        "団体の属性",
        max_length=30,
        blank=True,
        help_text="都道府県・政令指定都市・国など（記載どおり）",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="団体",
    )
    org_name = models.CharField(
        "団体名", max_length=100, blank=True, help_text="記載どおりの団体名"
    )
    category_major = models.CharField("事例区分（大）", max_length=100, blank=True)
    category_minor = models.CharField("事例区分（小）", max_length=100, blank=True)
    case_type = models.CharField("事例種類", max_length=100, blank=True)
    title = models.CharField("事例内容・タイトル", max_length=500)
    source = models.TextField("出典", blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    body = models.TextField("本文", blank=True)
    source_file = models.CharField("取込ファイル", max_length=255, blank=True)
    content_hash = models.CharField("内容ハッシュ（SHA-256）", max_length=64, db_index=True)
    visibility = models.CharField(
        "公開範囲", max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    owner = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name="登録団体",
        help_text="取り込んだ団体。公開範囲が「団体内」のときは必須です。",
    )
    mentioned_organizations = models.ManyToManyField(
        "orgs.Organization",
        blank=True,
        related_name="mentioned_in_cases",
        verbose_name="言及された団体",
    )

    class Meta:
        verbose_name = "先進事例"
        verbose_name_plural = "先進事例"
        ordering = ["-fiscal_year", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility="public") | Q(owner__isnull=False),
                name="case_owner_required_for_organization_visibility",
            ),
            # A 事例No. names one case per owner and visibility: another 団体 may hold
            # its own case under the same number (an import never takes theirs over).
            # Two constraints, as owner is NULL for the seed library (nulls distinct).
            models.UniqueConstraint(
                fields=["owner", "visibility", "case_no"],
                condition=Q(owner__isnull=False) & ~Q(case_no=""),
                name="case_owner_case_no_unique",
            ),
            models.UniqueConstraint(
                fields=["visibility", "case_no"],
                condition=Q(owner__isnull=True) & ~Q(case_no=""),
                name="case_system_case_no_unique",
            ),
        ]
        indexes = [models.Index(fields=["visibility", "owner"])]

    def __str__(self) -> str:
        return self.title

    @property
    def document_label(self) -> str:
        """The document the case was read from, as people name it: 「題名」（出典）, the
        団体名 standing in for an unstated 出典 (never the file name it was uploaded as)."""
        publisher = " ".join(self.source.split("\n", 1)[0].split()) or self.org_name
        return f"「{self.title}」（{publisher}）" if publisher else f"「{self.title}」"


class CasePassage(TimeStampedModel):
    """A stretch of the body under one heading (or one PDF page): the unit of search."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="passages", verbose_name="事例"
    )
    order = models.PositiveIntegerField("順序")
    heading = models.CharField("見出し", max_length=300, blank=True)
    text = models.TextField("本文")
    start = models.PositiveIntegerField("開始位置", help_text="body 内の文字位置")
    end = models.PositiveIntegerField("終了位置")
    page = models.PositiveIntegerField("ページ", null=True, blank=True)

    class Meta:
        verbose_name = "事例の段落"
        verbose_name_plural = "事例の段落"
        ordering = ["case_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="case_passage_order_unique"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="case_passage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.order} {self.heading}"


class FactKind(models.TextChoices):
    PEOPLE = "people", "人数"
    HOURS = "hours", "時間"
    RATIO = "ratio", "割合"
    AMOUNT = "amount", "金額"
    PERIOD = "period", "期間"
    ORGANIZATIONS = "organizations", "団体数"


class CaseFact(TimeStampedModel):
    """A number the case states as a target or result, with the sentence it came from."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="facts", verbose_name="事例"
    )
    kind = models.CharField("種類", max_length=20, choices=FactKind.choices)
    value = models.DecimalField("値", max_digits=20, decimal_places=4)
    unit = models.CharField(
        "単位", max_length=20, help_text="名・人・時間・%・円など（万・千は値に掛けて保存）"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    per_year = models.BooleanField("年あたり", default=False)
    sentence = models.TextField("文")
    position = models.PositiveIntegerField("位置", default=0, help_text="body 内の文字位置")

    class Meta:
        verbose_name = "事例の数値"
        verbose_name_plural = "事例の数値"
        ordering = ["case_id", "position", "id"]
        indexes = [models.Index(fields=["kind", "case"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value.normalize():f}{self.unit}"


class SavedSearch(TimeStampedModel):
    """A search a user keeps (検索語 + 絞り込み), in one 団体, to be told of new cases.

    ``last_seen_case_id``: cases with a higher id are 「新着」 for this search (ids grow
    with every import); set to the newest case when saved and when the user marks the
    new cases as seen. ``last_notified_at``: when the user last marked them seen.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_case_searches",
        verbose_name="利用者",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="saved_case_searches",
        verbose_name="団体",
    )
    name = models.CharField("名前", max_length=100)
    query = models.CharField("検索語", max_length=500)
    filters = models.JSONField("絞り込み", default=dict, blank=True)
    last_seen_case_id = models.PositiveBigIntegerField("確認済みの事例ID", default=0)
    last_notified_at = models.DateTimeField("新着を確認した日時", null=True, blank=True)

    class Meta:
        verbose_name = "保存した検索条件"
        verbose_name_plural = "保存した検索条件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "organization"])]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return f"保存した検索条件「{self.name}」"


# The search index tables live with the search package; imported here so Django registers them.
from hagukumi.cases.search.models import CaseSearchStatistics, CaseSearchUnit  # noqa: E402,F401
