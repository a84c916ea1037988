"""Reads of the case library shared by views, the API and commands.

Who sees a case is decided in ``cases.visibility`` (公開 cases every logged-in
user of every 団体; 団体内 cases only actors of the owner 団体; every case the
system actor; no actor nothing); ``cases_visible`` and ``access_case_by_id`` are
re-exported here for the callers that know them from this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet

from hagukumi.cases.body_html import is_markdown_source, markdown_text, render_body_html
from hagukumi.cases.facts import plain_text
from hagukumi.cases.models import Case, CaseFact, CasePassage, FactKind
from hagukumi.cases.search import case_search
from hagukumi.cases.search.facets import apply_filters
from hagukumi.cases.search.selectors import MAX_LIMIT
from hagukumi.cases.visibility import access_case_by_id, cases_visible
from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_fiscal_year
from hagukumi.orgs.models import Organization

__all__ = [
    "BROWSE_FACET_FIELDS",
    "EXPORT_MAX_ROWS",
    "BodySection",
    "CaseBrowse",
    "CaseDetail",
    "CaseExportRow",
    "access_case_by_id",
    "case_browse",
    "case_detail",
    "case_export",
    "case_list",
    "cases_visible",
    "passage_anchor",
]


def case_list(
    *,
    actor: Actor,
    fact_kind: str | None = None,
    organization: Organization | None = None,
    fiscal_year: int | None = None,
) -> QuerySet[Case]:
    """Visible cases, newest 公表年度 first; ``fact_kind`` keeps cases stating such a figure
    (「人数の目標がある事例」)."""
    cases = cases_visible(actor=actor).select_related("organization")
    if fact_kind:
        if fact_kind not in FactKind.values:
            fact_kind = next((v for v, label in FactKind.choices if label == fact_kind), "")
        cases = cases.filter(facts__kind=fact_kind).distinct()
    if organization is not None:
        cases = cases.filter(organization=organization)
    if fiscal_year is not None:
        cases = cases.filter(fiscal_year=fiscal_year)
    return cases.order_by("-fiscal_year", "title", "id")


def passage_anchor(order: int) -> str:
    """The id of a passage on the case page (the table of contents and the match link)."""
    return f"case-passage-{order}"


@dataclass(frozen=True)
class BodySection:
    """One passage of the body as safe HTML, under the anchor its page links to.

    ``starts_heading`` is set on the first passage under a new heading: the
    table of contents lists those (a long section cut for size is one entry).
    """

    anchor: str
    order: int
    passage_id: int | None
    heading: str
    page: int | None
    html: str
    starts_heading: bool = False


@dataclass(frozen=True)
class CaseDetail:
    """A case with what its page shows: facts, passages, 団体 it names, the body as safe
    HTML passage by passage (``sections``), and the table of contents (``toc``)."""

    case: Case
    facts: list[CaseFact]
    passages: list[CasePassage]
    mentioned: list[Organization]
    sections: list[BodySection]

    @property
    def body_html(self) -> str:
        return "".join(section.html for section in self.sections)

    @property
    def toc(self) -> list[BodySection]:
        return [section for section in self.sections if section.starts_heading]


def case_detail(*, actor: Actor, case_id: int | str) -> CaseDetail:
    """The case and what its page shows; AccessDenied (404) when the actor may not see it."""
    case = access_case_by_id(actor=actor, case_id=case_id)
    passages = list(case.passages.all())
    return CaseDetail(
        case=case,
        facts=list(case.facts.all()),
        passages=passages,
        mentioned=list(case.mentioned_organizations.order_by("code", "id")),
        sections=_body_sections(case, passages),
    )


def _body_sections(case: Case, passages: list[CasePassage]) -> list[BodySection]:
    """The body cut at its passages (they cover it in order; only blank lines lie between),
    each rendered on its own so that it can carry an anchor."""
    markdown = is_markdown_source(case.source_file)
    if not passages:
        if not case.body.strip():
            return []
        html = render_body_html(case.body, markdown=markdown)
        return [BodySection(passage_anchor(0), 0, None, "", None, html)]
    sections: list[BodySection] = []
    previous = ""
    for passage in passages:
        heading = _heading_label(passage.heading, markdown=markdown)
        sections.append(
            BodySection(
                anchor=passage_anchor(passage.order),
                order=passage.order,
                passage_id=passage.pk,
                heading=heading,
                page=passage.page,
                html=render_body_html(case.body[passage.start : passage.end], markdown=markdown),
                starts_heading=bool(heading) and heading != previous,
            )
        )
        previous = heading or previous
    return sections


def _heading_label(heading: str, *, markdown: bool) -> str:
    text = plain_text(markdown_text(heading) if markdown else heading)
    return " ".join(text.split())


# --- web pages: browsing without a query, export of a result list -----------------

BROWSE_FACET_FIELDS = ("fiscal_year", "org_type", "org_name", "category_major", "case_type")
EXPORT_MAX_ROWS = 5000
# Cases without a 公表年度 last on SQLite and PostgreSQL alike (PostgreSQL sorts NULL first).
NEWEST_FIRST = (F("fiscal_year").desc(nulls_last=True), "title", "id")


@dataclass(frozen=True)
class CaseBrowse:
    """One page of the visible cases without a query (newest 公表年度 first), with facets."""

    total: int
    cases: list[Case]
    facets: dict[str, dict[str, int]]


def _filtered(actor: Actor, filters: Mapping[str, Any] | None) -> QuerySet[Case]:
    return apply_filters(cases_visible(actor=actor), filters)


def case_browse(
    *,
    actor: Actor,
    filters: Mapping[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> CaseBrowse:
    """Visible cases filtered like a search (same filter fields), newest first, and the
    facet counts over all of them; a fixed number of queries whatever the size."""
    cases = _filtered(actor, filters)
    total = cases.count()
    page = list(
        cases.select_related("organization").order_by(*NEWEST_FIRST)[
            offset : offset + max(0, limit)
        ]
    )
    facets: dict[str, dict[str, int]] = {}
    for name in BROWSE_FACET_FIELDS:
        rows = (
            cases.order_by()
            .exclude(**{f"{name}__isnull": True})
            .values_list(name)
            .annotate(n=Count("id"))
        )
        counts = {str(value): n for value, n in rows if value not in (None, "")}
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    mentioned = (
        Case.mentioned_organizations.through.objects.filter(case_id__in=cases.values("pk"))
        .order_by()
        .values_list("organization__name")
        .annotate(n=Count("case_id", distinct=True))
    )
    facets["mentioned_org"] = dict(sorted(mentioned, key=lambda item: (-item[1], item[0])))
    return CaseBrowse(total=total, cases=page, facets=facets)


@dataclass(frozen=True)
class CaseExportRow:
    """One line of an exported result list."""

    case: Case
    score: float | None

    @property
    def fiscal_year(self) -> str:
        """公表年度 as 和暦 (令和4年度), empty when the case states none."""
        year = self.case.fiscal_year
        return format_fiscal_year(year, with_western=False) if year else ""


def case_export(
    *,
    actor: Actor,
    query: str,
    filters: Mapping[str, Any] | None = None,
    sort: str = "relevance",
    format: str = "csv",
) -> list[CaseExportRow]:
    """Every hit of the query and filters (the browse list for an empty query), best
    first, up to EXPORT_MAX_ROWS; the export is audited (出力)."""
    rows: list[CaseExportRow] = []
    if query.strip():
        scores: list[tuple[int, float]] = []
        while len(scores) < EXPORT_MAX_ROWS:
            result = case_search(
                actor=actor,
                query=query,
                filters=filters,
                sort="year" if sort == "year" else "relevance",
                limit=min(MAX_LIMIT, EXPORT_MAX_ROWS - len(scores)),
                offset=len(scores),
            )
            scores.extend((hit.case_id, hit.score) for hit in result.hits)
            if not result.hits or len(scores) >= result.total:
                break
        cases = _filtered(actor, filters).in_bulk([case_id for case_id, _ in scores])
        rows = [
            CaseExportRow(case=cases[case_id], score=round(score, 4))
            for case_id, score in scores
            if case_id in cases
        ]
    else:
        ordered = _filtered(actor, filters).order_by(*NEWEST_FIRST)
        rows = [CaseExportRow(case=case, score=None) for case in ordered[:EXPORT_MAX_ROWS]]
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target_type=Case._meta.label,
        target_repr=f"先進事例の検索結果（{len(rows)}件）"[:255],
        detail={
            "query": query[:200],
            "filters": {
                k: list(v) if not isinstance(v, str) else v for k, v in (filters or {}).items()
            },
            "rows": len(rows),
            "format": format,
        },
    )
    return rows
