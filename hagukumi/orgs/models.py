"""団体 (Organization) and 所属 (Unit)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from hagukumi.core.models import TimeStampedModel


class OrganizationKind(models.TextChoices):
    NATIONAL = "national", "国"
    PREFECTURE = "prefecture", "都道府県"
    DESIGNATED_CITY = "designated_city", "政令指定都市"
    CORE_CITY = "core_city", "中核市"
    CITY = "city", "市"
    TOWN = "town", "町"
    VILLAGE = "village", "村"
    SPECIAL_WARD = "special_ward", "特別区"


class Organization(TimeStampedModel):
    """A 地方公共団体 with its 6-digit 全国地方公共団体コード, or 国 (no code)."""

    code = models.CharField(
        "団体コード", max_length=6, unique=True, null=True, blank=True,
        help_text="全国地方公共団体コード（6桁、検査数字付き）",
    )
    name = models.CharField("団体名", max_length=50)
    name_kana = models.CharField("団体名カナ", max_length=100, blank=True)
    kind = models.CharField("団体区分", max_length=20, choices=OrganizationKind.choices)
    prefecture = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True,
        related_name="municipalities", verbose_name="都道府県",
    )
    is_demo = models.BooleanField("デモ団体", default=False)

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="national") | Q(code__isnull=False) | Q(is_demo=True),
                name="organization_code_required_except_national_and_demo",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def full_name(self) -> str:
        """Prefecture + name for municipalities (北海道札幌市), the name otherwise."""
        if self.prefecture_id and self.prefecture and self.kind != OrganizationKind.PREFECTURE:
            return f"{self.prefecture.name}{self.name}"
        return self.name

    @property
    def display_name(self) -> str:
        return f"{self.name}（デモ）" if self.is_demo else self.name


class Unit(TimeStampedModel):
    """One version of a 所属 in a 団体's tree, valid from one fiscal year to another.

    Governments reorganise every April: a change in FY N closes the old version
    at N-1 and opens a new one at N with the same code, so history is kept.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name="団体"
    )
    code = models.CharField("所属コード", max_length=30)
    name = models.CharField("所属名", max_length=100)
    kind = models.CharField("区分", max_length=20, blank=True)
    functions = models.JSONField("機能", default=list, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True,
        related_name="children", verbose_name="上位所属",
    )
    valid_from_fy = models.PositiveSmallIntegerField("有効開始年度")
    valid_to_fy = models.PositiveSmallIntegerField("有効終了年度", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors",
        verbose_name="前身の所属",
    )

    class Meta:
        verbose_name = "所属"
        verbose_name_plural = "所属"
        ordering = ["organization_id", "code", "valid_from_fy"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "valid_from_fy"], name="unit_code_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to_fy__isnull=True) | Q(valid_to_fy__gte=models.F("valid_from_fy")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
