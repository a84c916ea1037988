"""人材検索 and its export: filters of the groups the role may see, visible columns only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_export import (
    XLSX_CONTENT_TYPE,
    CsvEncoding,
    ExportFormat,
    content_disposition,
)
from hagukumi.core.web import actor_of, page_number, window_page
from hagukumi.people.forms import StaffSearchForm
from hagukumi.people.roles import SEARCH_ROLES
from hagukumi.people.selectors import (
    FILTER_LABELS,
    staff_export,
    staff_search,
    staff_search_choices,
)
from hagukumi.people.views.breadcrumbs import home_crumb
from hagukumi.people.visibility import searchable_groups

PAGE_SIZE = 50

# Result table columns in display order (shown only when the role may see them).
SEARCH_COLUMNS = [
    ("number", "職員番号"),
    ("name", "氏名"),
    ("unit", "所属"),
    ("position", "職位"),
    ("grade", "級"),
    ("job_type", "職種"),
    ("employment", "任用形態"),
    ("recruitment", "採用区分"),
    ("career_model", "キャリアモデル"),
    ("birth_date", "生年月日"),
    ("qualifications", "資格"),
    ("designations", "指定"),
]


@role_required(*SEARCH_ROLES)
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """人材検索: filters of the groups the role may see, one page of visible columns."""
    actor = actor_of(request)
    form = StaffSearchForm(
        request.GET or None,
        choices=staff_search_choices(actor=actor),
        groups=searchable_groups(actor),
    )
    number = page_number(request)
    rows: list[dict[str, Any]] = []
    total = 0
    columns: Sequence[str] = ()
    error = ""
    if not request.GET or form.is_valid():
        try:
            result = staff_search(
                actor=actor,
                filters=form.filters() if request.GET else {},
                text=form.cleaned_data.get("q", "") if request.GET else "",
                offset=(number - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
            rows, total, columns = result.rows, result.total, result.columns
        except ApplicationError as exc:
            error = exc.message
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "columns": [(name, label) for name, label in SEARCH_COLUMNS if name in columns],
            "page_obj": window_page(total=total, rows=rows, number=number, per_page=PAGE_SIZE),
            "error": error,
            "export_query": query.urlencode(),
            "filter_labels": FILTER_LABELS,
            "breadcrumbs": [home_crumb(), ("人材検索", "")],
        },
    )


@role_required(*SEARCH_ROLES)
@require_GET
def search_export_view(request: HttpRequest) -> HttpResponse:
    """The search result as xlsx (or CSV) with only the columns the role may see; audited."""
    actor = actor_of(request)
    form = StaffSearchForm(
        request.GET, choices=staff_search_choices(actor=actor), groups=searchable_groups(actor)
    )
    query = request.GET.copy()
    for name in ("format", "encoding", "page"):
        query.pop(name, None)
    back = f"{reverse('people:search')}?{query.urlencode()}"
    if not form.is_valid():
        messages.error(request, "検索条件を確かめてください。")
        return redirect(back)
    export_format: ExportFormat = "csv" if request.GET.get("format") == "csv" else "xlsx"
    encoding: CsvEncoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8-sig"
    try:
        data = staff_export(
            actor=actor,
            filters=form.filters(),
            text=form.cleaned_data.get("q", ""),
            format=export_format,
            encoding=encoding,
        )
    except ApplicationError as exc:
        messages.error(request, f"出力できませんでした。{exc.message}")
        return redirect(back)
    if export_format == "csv":
        charset = "utf-8" if encoding == "utf-8-sig" else "Shift_JIS"
        content_type = f"text/csv; charset={charset}"
    else:
        content_type = XLSX_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"職員_{timezone.localdate():%Y%m%d}.{export_format}"
    )
    return response
