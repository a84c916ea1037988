"""Search index rows of the case library (rebuilt from a case on every import).

A case is indexed as *units*: one for its title, one for its metadata (団体, 属性,
区分, 種類, 年度, 団体 named in the text) and one per window of consecutive passages
of its body (about 800 characters, ``indexing.BODY_WINDOW_CHARS``). Each
unit stores its encoded terms (``terms.py``) and its length; the engines index
``terms`` (SQLite: the FTS5 table ``cases_search_fts`` kept in step by triggers;
PostgreSQL: the generated tsvector column ``search_vector`` with a GIN index),
both created by migration 0002 for their vendor only.

No TimeStampedModel: these rows are derived data, replaced whole on reindex.
``passage_id`` is a plain number, not a foreign key, so that deleting passages
during re-import leaves the units for ``case_index`` to replace (and to subtract
from the statistics).
"""

from __future__ import annotations

from django.db import models


class SearchUnitKind(models.TextChoices):
    TITLE = "title", "タイトル"
    META = "meta", "団体・区分など"
    BODY = "body", "本文"


class CaseSearchUnit(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="search_units", verbose_name="事例"
    )
    passage_id = models.PositiveBigIntegerField("段落ID", null=True, blank=True)
    kind = models.CharField("種類", max_length=5, choices=SearchUnitKind.choices)
    terms = models.TextField("索引語", blank=True)
    length = models.PositiveIntegerField("語数", default=0)
    # A body unit is a window of consecutive passages (``indexing.body_windows``): from
    # ``passage_id`` (its first), this many in order.
    passages = models.PositiveIntegerField("段落数", default=1)

    class Meta:
        verbose_name = "事例の索引単位"
        verbose_name_plural = "事例の索引単位"
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "kind"], name="cases_searchunit_case_kind")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.passage_id or ''}"


class CaseSearchStatistics(models.Model):
    """Units and total length per kind, kept by the indexer (BM25 needs N and mean length)."""

    kind = models.CharField("種類", max_length=5, choices=SearchUnitKind.choices, unique=True)
    units = models.BigIntegerField("単位数", default=0)
    total_length = models.BigIntegerField("総語数", default=0)

    class Meta:
        verbose_name = "事例索引の統計"
        verbose_name_plural = "事例索引の統計"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.units}"


class CaseSearchTerm(models.Model):
    """How many cases hold a term (BM25's df), kept by the indexer batch by batch.

    Read with one indexed lookup per query term instead of counting postings in the
    engine, which at 100,000 cases costs tens of milliseconds per common term.
    """

    term = models.CharField("索引語", max_length=500, unique=True)
    cases = models.BigIntegerField("事例数", default=0)

    class Meta:
        verbose_name = "事例索引の語"
        verbose_name_plural = "事例索引の語"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term}: {self.cases}"


class CaseSearchProfile(models.Model):
    """What ranking knows of a case beyond its words (``profile.py``), kept by the indexer:
    its topical degree (the topical prior), the kind of its 団体 and its region."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_profile",
        verbose_name="事例",
    )
    topic = models.FloatField("主題の度合い", default=0.0)
    org_kind = models.CharField("団体の種類", max_length=8, blank=True)
    prefecture = models.CharField("都道府県コード", max_length=2, blank=True)
    region = models.CharField("地方", max_length=8, blank=True)

    class Meta:
        verbose_name = "事例の検索プロファイル"
        verbose_name_plural = "事例の検索プロファイル"
        ordering = ["case"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.topic:.2f} {self.org_kind} {self.region}"
