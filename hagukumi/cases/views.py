"""先進事例 pages: search (facets, snippets, sort, pages), case detail, export, import.

Thin: parse the query string or form, call one selector/service, render. The
search and the detail are open to every role of every 団体 (団体内 cases only to
their owner 団体, which the selectors enforce); importing to DX推進担当 and
システム管理者. An htmx request from the search form gets only the results
partial; the same URL without JavaScript renders the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods

from hagukumi.cases.body_html import markdown_text
from hagukumi.cases.facts import plain_text
from hagukumi.cases.forms import CaseImportForm, CaseSearchForm, search_filters
from hagukumi.cases.import_jobs import (
    CASES_KIND,
    CaseImportOptions,
    case_upload_bundle,
    case_upload_name,
)
from hagukumi.cases.models import Case, FactKind
from hagukumi.cases.saved_searches import (
    MAX_SAVED_SEARCHES,
    saved_search_create,
    saved_search_delete,
    saved_search_in_organization,
    saved_search_mark_seen,
    saved_search_new_cases,
    saved_searches,
)
from hagukumi.cases.search import (
    FACET_FIELDS,
    SearchHit,
    case_match,
    case_search,
    similar_cases,
    snippet_html,
)
from hagukumi.cases.search.intent import FacetSuggestion
from hagukumi.cases.selectors import (
    BodySection,
    case_browse,
    case_detail,
    case_export,
    passage_anchor,
)
from hagukumi.cases.services import IMPORT_ROLES
from hagukumi.core.access import EVERY_ROLE, role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.tabular_export import CsvEncoding, ExportFormat, table_response
from hagukumi.core.tabular_import import Column
from hagukumi.core.wareki import format_fiscal_year
from hagukumi.core.web import actor_of, htmx_target, is_htmx, page_number, window_page

ALL_ROLES = EVERY_ROLE
PAGE_SIZE = 20
FACET_VALUES_SHOWN = 12
EXCERPT_CHARS = 120
RESULTS_TARGET = "case-results"
# The one live region of /cases/ (outside the swapped results; htmx updates its text).
RESULTS_COUNT_ID = "case-results-count"
# Where 「検索結果へ移動」 lands: the list itself, so the next Tab is the first result.
RESULTS_LIST_ID = "case-results-list"
CSV_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp932": "SJIS"}
FACET_LABELS = {
    "fiscal_year": "公表年度",
    "org_type": "団体の属性",
    "org_name": "団体名",
    "mentioned_org": "本文に出てくる団体",
    "category_major": "事例区分（大）",
    "case_type": "事例種類",
}
FACT_FILTER_LABEL = "数値目標のある事例"
EXPORT_COLUMNS = [
    Column(field="case.case_no", header="事例No."),
    Column(field="case.title", header="タイトル"),
    Column(field="case.org_name", header="団体名"),
    Column(field="case.org_type", header="団体の属性"),
    Column(field="fiscal_year", header="公表年度"),
    Column(field="case.category_major", header="事例区分(大)"),
    Column(field="case.case_type", header="事例種類"),
    Column(field="case.source", header="出典"),
    Column(field="case.url", header="URL"),
    # Relevance of a search hit (empty when browsing without a query); a number in xlsx.
    Column(field="score", header="関連度", kind="decimal"),
]


# Search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One line of the result list, ready to show (the snippet is already safe HTML)."""

    case_id: int
    title: str
    org_name: str
    org_type: str
    wareki: str
    case_no: str
    url: str
    snippet: SafeString | str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int | None
    checked: bool


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    more: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> int:
        return sum(1 for o in [*self.options, *self.more] if o.checked)


def _detail_url(case_id: int, query: str) -> str:
    url = reverse("cases:detail", kwargs={"pk": case_id})
    return f"{url}?{urlencode({'q': query})}" if query else url


def _hit_row(hit: SearchHit, query: str) -> ResultRow:
    return ResultRow(
        case_id=hit.case_id,
        title=hit.title,
        org_name=hit.org_name,
        org_type=hit.org_type,
        wareki=hit.wareki,
        case_no=hit.case_no,
        url=_detail_url(hit.case_id, query),
        snippet=snippet_html(hit.snippet) if hit.snippet else "",
    )


def _case_row(case: Case) -> ResultRow:
    text = " ".join(plain_text(markdown_text(case.body[: EXCERPT_CHARS * 20])).split())
    excerpt = text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
    return ResultRow(
        case_id=case.pk,
        title=case.title,
        org_name=case.org_name,
        org_type=case.org_type,
        wareki=format_fiscal_year(case.fiscal_year, with_western=False) if case.fiscal_year else "",
        case_no=case.case_no,
        url=_detail_url(case.pk, ""),
        excerpt=excerpt,
    )


def _facet_label(name: str, value: str) -> str:
    if name == "fiscal_year" and value.isascii() and value.isdigit() and len(value) == 4:
        try:
            return format_fiscal_year(int(value))
        except (ValueError, OverflowError):
            return value
    return value


def _facet_groups(
    facets: dict[str, dict[str, int]], filters: dict[str, list[str]]
) -> list[FacetGroup]:
    groups = []
    for name in FACET_FIELDS:
        counts = facets.get(name, {})
        chosen = filters.get(name, [])
        options = [
            FacetOption(value, _facet_label(name, value), count, value in chosen)
            for value, count in counts.items()
        ]
        # A chosen value the hits no longer have stays on screen, so it can be unticked.
        options += [
            FacetOption(value, _facet_label(name, value), 0, True)
            for value in chosen
            if value not in counts
        ]
        if name == "fiscal_year":
            options.sort(key=lambda o: o.value, reverse=True)
        shown = options[:FACET_VALUES_SHOWN]
        more = options[FACET_VALUES_SHOWN:]
        shown += [o for o in more if o.checked]
        more = [o for o in more if not o.checked]
        groups.append(FacetGroup(name=name, label=FACET_LABELS[name], options=shown, more=more))
    kinds = filters.get("fact_kind", [])
    groups.append(
        FacetGroup(
            name="fact_kind",
            label=FACT_FILTER_LABEL,
            options=[
                FacetOption(value, label, None, value in kinds or label in kinds)
                for value, label in FactKind.choices
            ],
        )
    )
    return groups


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _suggestion_link(request: HttpRequest, suggestion: FacetSuggestion) -> dict[str, Any]:
    """A filter the query asks for (「都道府県の事例に絞り込む」) as a link: this search
    with the filter added, from its first page."""
    query = request.GET.copy()
    query.pop("page", None)
    query.setlist(suggestion.field, list(suggestion.values))
    return {"label": suggestion.label, "count": suggestion.count, "query": query.urlencode()}


@role_required(*ALL_ROLES)
@require_GET
def case_search_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = CaseSearchForm(request.GET)
    form.is_valid()
    query: str = form.cleaned_data.get("q", "")
    sort: str = form.cleaned_data.get("sort") or "relevance"
    filters = search_filters(request.GET)
    number = page_number(request)
    error = ""
    total = 0
    listed: int | None = None  # hits paging can reach, when fewer than total
    exhaustive = True
    rows: list[ResultRow] = []
    facets: dict[str, dict[str, int]] = {}
    suggestions: list[dict[str, Any]] = []
    try:
        if query:
            result = case_search(
                actor=actor,
                query=query,
                filters=filters,
                sort="year" if sort == "year" else "relevance",
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
            )
            if not result.hits and result.listed and number > 1:
                number = (result.listed - 1) // PAGE_SIZE + 1
                result = case_search(
                    actor=actor,
                    query=query,
                    filters=filters,
                    sort="year" if sort == "year" else "relevance",
                    limit=PAGE_SIZE,
                    offset=(number - 1) * PAGE_SIZE,
                )
            total, facets = result.total, result.facets
            exhaustive, listed = result.exhaustive, result.listed
            rows = [_hit_row(hit, query) for hit in result.hits]
            suggestions = [_suggestion_link(request, s) for s in result.suggestions]
        else:
            browse = case_browse(
                actor=actor, filters=filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
            )
            if not browse.cases and browse.total and number > 1:
                number = (browse.total - 1) // PAGE_SIZE + 1
                browse = case_browse(
                    actor=actor, filters=filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
                )
            total, facets = browse.total, browse.facets
            rows = [_case_row(case) for case in browse.cases]
    except ApplicationError as exc:
        error = exc.message
    page: Page[ResultRow] = window_page(
        total=total if listed is None else listed, rows=rows, number=number, per_page=PAGE_SIZE
    )
    partial = is_htmx(request) and htmx_target(request) == RESULTS_TARGET
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        # Without a query the list is newest first whatever was asked: the select says so.
        "sort": sort if query else "year",
        "rows": rows,
        "total": total,
        "exhaustive": exhaustive,
        "listed": listed,
        "page_obj": page,
        "facet_groups": _facet_groups(facets, filters),
        "suggestions": suggestions,
        "filters": filters,
        "filtered": bool(filters),
        "error": error,
        "export_query": _query_without(request, "page", "format", "encoding"),
        "clear_filters_query": urlencode({"q": query, "sort": sort}),
        "results_target": RESULTS_TARGET,
        "results_count_id": RESULTS_COUNT_ID,
        "results_list_id": RESULTS_LIST_ID,
        # An htmx swap carries the new count out of band into the page's live region.
        "count_out_of_band": partial,
        "filters_selected": sum(len(values) for values in filters.values()),
        "breadcrumbs": [("ホーム", reverse("core:home")), ("先進事例", "")],
        "can_import": actor.has_role(*IMPORT_ROLES),
    }
    if partial:
        return render(request, "cases/partials/results.html", context)
    return render(request, "cases/search.html", context)


# Detail ---------------------------------------------------------------------------


def _section_heading(sections: list[BodySection], passage_id: int) -> str:
    """The passage's heading as shown (its Markdown markup dropped)."""
    return next((s.heading for s in sections if s.passage_id == passage_id), "")


@role_required(*ALL_ROLES)
@require_GET
def case_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    detail = case_detail(actor=actor, case_id=pk)
    case = detail.case
    query = (request.GET.get("q") or "").strip()
    match: SearchHit | None = None
    match_error = ""
    if query:
        try:
            match = case_match(actor=actor, case_id=case.pk, query=query)
        except ApplicationError as exc:
            match_error = exc.message
    passage = next((p for p in detail.passages if match and p.pk == match.passage_id), None)
    similar = [_hit_row(hit, "") for hit in similar_cases(actor=actor, case_id=case.pk, limit=5)]
    search_url = reverse("cases:search")
    back_url = f"{search_url}?{urlencode({'q': query})}" if query else search_url
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "detail": detail,
            "facts": [(fact, format(fact.value.normalize(), ",f")) for fact in detail.facts],
            "query": query,
            "match": match,
            "match_snippet": snippet_html(match.snippet) if match and match.snippet else "",
            "match_passage": passage,
            "match_anchor": passage_anchor(passage.order) if passage is not None else "",
            "match_heading": (
                _section_heading(detail.sections, passage.pk) if passage is not None else ""
            ),
            "toc": detail.toc,
            "match_error": match_error,
            "similar": similar,
            "source_url": case.url if case.url.lower().startswith(("http://", "https://")) else "",
            "back_url": back_url,
            "breadcrumbs": [
                ("ホーム", reverse("core:home")),
                ("先進事例", back_url),
                (case.title, ""),
            ],
        },
    )


# Export ---------------------------------------------------------------------------


@role_required(*ALL_ROLES)
@require_GET
def case_export_view(request: HttpRequest) -> HttpResponse:
    """The current result list (query + filters) as CSV (UTF-8 BOM or CP932) or xlsx."""
    actor = actor_of(request)
    form = CaseSearchForm(request.GET)
    form.is_valid()
    query: str = form.cleaned_data.get("q", "")
    sort: str = form.cleaned_data.get("sort") or "relevance"
    export_format: ExportFormat = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    encoding: CsvEncoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8-sig"
    back = f"{reverse('cases:search')}?{_query_without(request, 'format', 'encoding')}"
    try:
        rows = case_export(
            actor=actor,
            query=query,
            filters=search_filters(request.GET),
            sort=sort,
            format=export_format if export_format == "xlsx" else f"csv ({encoding})",
        )
        # The two CSV files must not share a name: a user keeps both side by side.
        suffix = f"_{CSV_ENCODING_NAMES[encoding]}" if export_format == "csv" else ""
        filename = f"先進事例_{timezone.localdate():%Y%m%d}{suffix}.{export_format}"
        return table_response(
            rows,
            columns=EXPORT_COLUMNS,
            filename=filename,
            format=export_format,
            encoding=encoding,
            sheet_title="先進事例",
        )
    except ApplicationError as exc:
        messages.error(request, f"出力できませんでした。{exc.message}")
        return redirect(back)


# Import ---------------------------------------------------------------------------


@role_required(*IMPORT_ROLES)
def case_import_view(request: HttpRequest) -> HttpResponse:
    """Upload case documents: queued as one job (core's job page lists each file's result
    and links the cases it made); 「試しに読み込む」 queues a dry run to confirm there."""
    actor = actor_of(request)
    form = CaseImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["documents"]
        job = job_submit(
            actor=actor,
            kind=CASES_KIND,
            source=case_upload_bundle((u.name or "", u.read()) for u in uploads),
            filename=case_upload_name([u.name or "" for u in uploads]),
            options=CaseImportOptions(
                dry_run=bool(form.cleaned_data["dry_run"]),
                visibility=form.cleaned_data["visibility"],
            ),
        )
        return redirect(job_page_url(job))
    return render(
        request,
        "cases/import.html",
        {
            "form": form,
            "jobs": jobs_recent(actor=actor, kinds=[CASES_KIND]),
            "breadcrumbs": [
                ("ホーム", reverse("core:home")),
                ("先進事例", reverse("cases:search")),
                ("事例を取り込む", ""),
            ],
        },
    )


# Saved searches --------------------------------------------------------------------


def _search_url(query: str, filters: dict[str, Any]) -> str:
    params: list[tuple[str, str]] = [("q", query)]
    for name, values in filters.items():
        params += [(name, str(v)) for v in (values if isinstance(values, list) else [values])]
    return f"{reverse('cases:search')}?{urlencode(params)}"


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def saved_search_list_view(request: HttpRequest) -> HttpResponse:
    """The user's saved searches; POST (「この条件を保存」 on /cases/) saves the current one."""
    actor = actor_of(request)
    if request.method == "POST":
        query = (request.POST.get("q") or "").strip()
        filters = search_filters(request.POST)
        try:
            saved = saved_search_create(actor=actor, query=query, filters=filters)
        except ApplicationError as exc:
            messages.error(request, f"保存できませんでした。{exc.message}")
            return redirect(_search_url(query, filters) if query else reverse("cases:search"))
        messages.success(
            request, f"検索条件「{saved.name}」を保存しました。新着事例はホームでお知らせします。"
        )
        return redirect("cases:saved_searches")
    new = {
        n.saved.pk: n
        for n in saved_search_new_cases(
            actor=actor, limit_searches=MAX_SAVED_SEARCHES, limit_cases=0
        )
    }
    rows = [
        (saved, _search_url(saved.query, saved.filters), new.get(saved.pk))
        for saved in saved_searches(actor=actor)
    ]
    return render(
        request,
        "cases/saved_searches.html",
        {
            "rows": rows,
            "breadcrumbs": [
                ("ホーム", reverse("core:home")),
                ("先進事例", reverse("cases:search")),
                ("保存した検索条件", ""),
            ],
        },
    )


@role_required(*ALL_ROLES)
def saved_search_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: delete the user's own saved search (404 for anyone else's). A GET changes
    nothing: back to the list (404 for another 団体's)."""
    actor = actor_of(request)
    if request.method != "POST":
        saved_search_in_organization(actor=actor, pk=pk)
        return redirect("cases:saved_searches")
    name = saved_search_delete(actor=actor, pk=pk)
    messages.success(request, f"検索条件「{name}」を削除しました。")
    return redirect("cases:saved_searches")


@role_required(*ALL_ROLES)
def saved_search_seen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the new cases shown for the user's own saved search are seen (404 for
    anyone else's); ``upto`` is the newest case id the list page looked at."""
    actor = actor_of(request)
    if request.method != "POST":
        saved_search_in_organization(actor=actor, pk=pk)
        return redirect("cases:saved_searches")
    upto_text = request.POST.get("upto", "")
    upto = int(upto_text) if upto_text.isdigit() else None
    saved = saved_search_mark_seen(actor=actor, pk=pk, upto=upto)
    messages.success(request, f"「{saved.name}」の新着事例を確認済みにしました。")
    return redirect("cases:saved_searches")
