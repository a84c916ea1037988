"""団体 (Organization) and 所属 (Unit).

Organization holds the master of 47 prefectures and 1,741 municipalities
(loaded by migration 0002 from data/organizations.csv), 国 (総務省) and demo
団体. Unit is one *version* of a 所属: see the Unit docstring for how the tree
is versioned per fiscal year.
"""

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
    """A 地方公共団体 with its 6-digit 全国地方公共団体コード, or 国 (no code).

    The check digit is validated by services (`codes.validate_organization_code`);
    the database only insists on six digits. 国 has no code; a demo 団体 may
    have none (it must never look like a real one).
    """

    code = models.CharField(
        "団体コード",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text="全国地方公共団体コード（6桁、検査数字付き）",
    )
    name = models.CharField("団体名", max_length=50)
    name_kana = models.CharField("団体名カナ", max_length=100, blank=True)
    kind = models.CharField("団体区分", max_length=20, choices=OrganizationKind.choices)
    prefecture = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name="都道府県",
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
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=r"^[0-9]{6}$"),
                name="organization_code_six_digits",
            ),
            models.CheckConstraint(
                condition=~Q(kind="national") | Q(code__isnull=True),
                name="organization_national_has_no_code",
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
        """The one name users see for the 団体, on every page (header, lists, choices,
        messages) and in command output: the full name, so that 府中市 of 東京都 and
        府中市 of 広島県 differ (北海道札幌市, 北海道); a demo 団体 always carries
        （デモ） (北海道デモ市（デモ）), so it never looks like a real one."""
        return f"{self.full_name}（デモ）" if self.is_demo else self.full_name

    @property
    def display_full_name(self) -> str:
        """Same as `display_name` (kept for existing callers)."""
        return self.display_name


# Suggested 区分 for a 所属 (free text is allowed: 事務局, センター, 館 …).
UNIT_KIND_SUGGESTIONS: tuple[str, ...] = (
    "局",
    "区",
    "部",
    "室",
    "課",
    "係",
    "担当",
    "事務局",
    "センター",
    "所",
    "グループ",
)

# Suggested 機能 tags; other apps look units up by these (e.g. 情報政策 for the DX office).
UNIT_FUNCTION_SUGGESTIONS: tuple[str, ...] = (
    "情報政策",
    "DX推進",
    "人事",
    "研修",
    "企画",
    "財政",
    "総務",
    "窓口",
    "福祉",
    "教育",
)


class Unit(TimeStampedModel):
    """One version of a 所属 in a 団体's tree, valid from one fiscal year to another.

    Governments reorganise every April: a change in FY N closes the old version
    at N-1 and opens a new one at N with the same code, so history is kept. A
    version is valid in FY N when valid_from_fy <= N <= valid_to_fy (open end:
    still valid). At most one version of a code is valid in any year.

    `parent` names the parent 所属 by identity, i.e. by its code: it points to
    the parent's version current when this version was written, and readers
    resolve it by `parent.code` among the versions valid in the year asked for
    (`selectors.units_as_of`). So renaming 総務部 does not version all its 課;
    moving a 課 under another 部 does.
    `predecessors` records merges and splits (統合・分割) across codes.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name="団体"
    )
    code = models.CharField("所属コード", max_length=30)
    name = models.CharField("所属名", max_length=100)
    kind = models.CharField("区分", max_length=20, blank=True)
    functions = models.JSONField("機能", default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上位所属",
    )
    position = models.PositiveIntegerField(
        "表示順", default=0, help_text="同じ上位所属の中での並び順（取込ファイルの行順）"
    )
    valid_from_fy = models.PositiveSmallIntegerField("有効開始年度")
    valid_to_fy = models.PositiveSmallIntegerField("有効終了年度", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name="前身の所属",
    )

    class Meta:
        verbose_name = "所属"
        verbose_name_plural = "所属"
        ordering = ["organization_id", "position", "code", "valid_from_fy"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "valid_from_fy"], name="unit_code_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to_fy__isnull=True)
                | Q(valid_to_fy__gte=models.F("valid_from_fy")),
                name="unit_valid_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "valid_from_fy", "valid_to_fy"], name="unit_org_fy_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_in(self, fiscal_year: int) -> bool:
        return self.valid_from_fy <= fiscal_year and (
            self.valid_to_fy is None or fiscal_year <= self.valid_to_fy
        )
