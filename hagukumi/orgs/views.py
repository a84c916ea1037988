"""所属 pages: browse the tree as of a year, add / change / close units, import a file.

Thin: parse input, call one selector or service, render. Browsing is open to
every role of the 団体; writing to UNIT_EDITOR_ROLES (the services check again).
The import goes through core's job flow: the upload queues a dry run
(orgs.import_jobs) and core's job page shows it and 「取り込む」.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from hagukumi.core.access import EVERY_ROLE, role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.registries import render_unit_panels
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.core.web import actor_of
from hagukumi.orgs.forms import KIND_DATALIST_ID, UnitCreateForm, UnitEditForm, UnitImportForm
from hagukumi.orgs.import_jobs import UNITS_KIND, UnitImportOptions
from hagukumi.orgs.models import UNIT_KIND_SUGGESTIONS, Organization
from hagukumi.orgs.selectors import (
    access_unit_by_id,
    fiscal_years_of,
    unit_tree_for,
    unit_versions,
)
from hagukumi.orgs.services import (
    UNIT_EDITOR_ROLES,
    parse_functions,
    unit_close,
    unit_create,
    unit_update,
)

ALL_ROLES = EVERY_ROLE
_MIN_FY, _MAX_FY = 1989, 2999


def _organization(request: HttpRequest) -> Organization:
    return actor_of(request).organization  # type: ignore[return-value]


def _fiscal_year(request: HttpRequest) -> int:
    """`fy` from the query or form, else the current fiscal year."""
    value = request.POST.get("fy") or request.GET.get("fy") or ""
    if value.isascii() and value.isdigit() and len(value) == 4 and _MIN_FY <= int(value) <= _MAX_FY:
        return int(value)
    return fiscal_year_of(timezone.localdate())


def _tree_url(fiscal_year: int) -> str:
    return f"{reverse('orgs:unit_tree')}?{urlencode({'fy': fiscal_year})}"


def _breadcrumbs(fiscal_year: int, *current: str) -> list[tuple[str, str]]:
    crumbs = [("ホーム", reverse("core:home")), ("組織（所属）", _tree_url(fiscal_year))]
    return crumbs + [(label, "") for label in current]


def _can_edit(actor: Actor) -> bool:
    return actor.has_role(*UNIT_EDITOR_ROLES)


def _form_context(fiscal_year: int) -> dict[str, Any]:
    return {
        "fy": fiscal_year,
        "kind_suggestions": UNIT_KIND_SUGGESTIONS,
        "kind_datalist_id": KIND_DATALIST_ID,
    }


def _import_years(actor: Actor) -> list[int]:
    current = fiscal_year_of(timezone.localdate())
    return sorted({*fiscal_years_of(actor=actor, around=current), current - 1}, reverse=True)


@role_required(*ALL_ROLES)
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The tree of one 年度, collapsed (<details>) but for the way to the chosen unit.

    `?unit=<所属コード>` chooses a unit: its entry shows what the apps above orgs
    register for it (core.registries unit panels: people's 在籍職員 and DX推進リーダー),
    one unit at a time, since each panel reads that unit's staff. `?open=all` opens
    every level. No script is needed for any of it.
    """
    actor = actor_of(request)
    fiscal_year = _fiscal_year(request)
    tree = unit_tree_for(actor=actor, fiscal_year=fiscal_year)
    current = fiscal_year_of(timezone.localdate())
    years = fiscal_years_of(actor=actor, around=current)
    if fiscal_year not in years:
        years = sorted({*years, fiscal_year}, reverse=True)
    chosen = tree.node(request.GET.get("unit", ""))
    panels = (
        render_unit_panels(actor=actor, unit=chosen.unit, fiscal_year=fiscal_year)
        if chosen is not None
        else []
    )
    return render(
        request,
        "orgs/unit_tree.html",
        {
            "tree": tree,
            "fy": fiscal_year,
            "years": [(y, format_fiscal_year(y)) for y in years],
            "can_edit": _can_edit(actor),
            "chosen": chosen,
            "panels": panels,
            # The levels shown open: the way down to the chosen unit, or all of them.
            "open_all": request.GET.get("open") == "all",
            "open_codes": {u.code for u in chosen.path} if chosen is not None else set(),
            "breadcrumbs": [("ホーム", reverse("core:home")), ("組織（所属）", "")],
        },
    )


@role_required(*UNIT_EDITOR_ROLES)
def unit_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    organization = _organization(request)
    fiscal_year = _fiscal_year(request)
    tree = unit_tree_for(actor=actor, fiscal_year=fiscal_year)
    initial: dict[str, Any] = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = int(parent_id)
    form = UnitCreateForm(request.POST or None, tree=tree, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_create(
                actor=actor,
                organization=organization,
                fiscal_year=fiscal_year,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                functions=parse_functions(form.cleaned_data["functions"]),
                parent=form.cleaned_data["parent"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{format_fiscal_year(fiscal_year)}から「{unit.name}」を追加しました。"
            )
            return redirect(_tree_url(fiscal_year))
    return render(
        request,
        "orgs/unit_form.html",
        {
            **_form_context(fiscal_year),
            "form": form,
            "heading": "所属を追加",
            "submit_label": "追加する",
            "breadcrumbs": _breadcrumbs(fiscal_year, "所属を追加"),
        },
    )


@role_required(*UNIT_EDITOR_ROLES)
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    unit = access_unit_by_id(actor=actor, unit_id=pk)
    fiscal_year = _fiscal_year(request)
    tree = unit_tree_for(actor=actor, fiscal_year=fiscal_year)
    node = tree.node(unit.code)
    versions = unit_versions(actor=actor, code=unit.code)
    context = {
        **_form_context(fiscal_year),
        "unit": unit,
        "versions": versions,
        "heading": f"「{unit.name}」を変更",
        "submit_label": "変更する",
        "breadcrumbs": _breadcrumbs(fiscal_year, f"「{unit.name}」を変更"),
    }
    if node is None:
        context["missing"] = True
        return render(request, "orgs/unit_form.html", context)
    below = {n.unit.code for n in node.subtree()}
    current = node.unit
    initial = {
        "name": current.name,
        "kind": current.kind,
        "functions": "、".join(current.functions),
        "parent": node.parent.unit.pk if node.parent else None,
    }
    form = UnitEditForm(request.POST or None, tree=tree, exclude_codes=below, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revised = unit_update(
                actor=actor,
                unit=current,
                fiscal_year=fiscal_year,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                functions=parse_functions(form.cleaned_data["functions"]),
                parent=form.cleaned_data["parent"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            new_version = revised.pk != current.pk
            note = "それ以前の年度の内容は履歴として残ります。" if new_version else ""
            messages.success(
                request,
                f"{format_fiscal_year(fiscal_year)}からの「{revised.name}」を保存しました。{note}",
            )
            return redirect(_tree_url(fiscal_year))
    context.update({"form": form, "current": current})
    return render(request, "orgs/unit_form.html", context)


@role_required(*UNIT_EDITOR_ROLES)
def unit_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    unit = access_unit_by_id(actor=actor, unit_id=pk)
    fiscal_year = _fiscal_year(request)
    error = ""
    if request.method == "POST":
        try:
            unit_close(actor=actor, unit=unit, fiscal_year=fiscal_year)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                f"「{unit.name}」を{format_fiscal_year(fiscal_year)}から廃止しました。",
            )
            return redirect(_tree_url(fiscal_year))
    return render(
        request,
        "orgs/unit_close.html",
        {
            "unit": unit,
            "fy": fiscal_year,
            "error": error,
            "breadcrumbs": _breadcrumbs(fiscal_year, f"「{unit.name}」を廃止"),
        },
    )


@role_required(*UNIT_EDITOR_ROLES)
def unit_import_view(request: HttpRequest) -> HttpResponse:
    """Upload → a dry-run job (core's job page: changes, who works in closed units) → 取り込む."""
    actor = actor_of(request)
    current = fiscal_year_of(timezone.localdate())
    form = UnitImportForm(
        request.POST or None,
        request.FILES or None,
        years=_import_years(actor),
        initial={"fiscal_year": _fiscal_year(request)},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.HAGUKUMI_UPLOAD_MAX_BYTES:
            limit = settings.HAGUKUMI_UPLOAD_MAX_BYTES // (1024 * 1024)
            form.add_error("file", f"ファイルが大きすぎます（{limit}MB まで）。")
        else:
            job = job_submit(
                actor=actor,
                kind=UNITS_KIND,
                source=upload,
                filename=upload.name or "units.csv",
                options=UnitImportOptions(
                    dry_run=True, fiscal_year=form.cleaned_data["fiscal_year"]
                ),
            )
            return redirect(job_page_url(job))
    return render(
        request,
        "orgs/unit_import.html",
        {
            "form": form,
            "jobs": jobs_recent(actor=actor, kinds=[UNITS_KIND]),
            "breadcrumbs": _breadcrumbs(current, "ファイルから取り込む"),
        },
        status=400 if request.method == "POST" else 200,
    )
