"""assessments pages: sheets, the assessment form per kind, the heatmap, certification candidates.

Thin: parse the query string or form, call one selector/service, render. The
clock is read here (`_today`, `_now`) and passed in. Anything out of the
actor's reach raises AccessDenied in the selectors, which `role_required`
turns into 404. 「認定する」 shows a confirmation page first (no JavaScript).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.assessments.models import AssessmentKind, CertificationRule
from hagukumi.assessments.roles import (
    ASSESSMENT_FORM_ROLES,
    CANDIDATE_ROLES,
    EDITOR_ROLES,
    HEATMAP_ROLES,
    READER_ROLES,
)
from hagukumi.assessments.selectors import (
    access_sheet_by_id,
    access_window_by_id,
    assessment_form,
    certification_candidates,
    competency_heatmap,
    sheets_for,
    windows_for,
)
from hagukumi.assessments.services import (
    assessment_save,
    certification_certify,
    window_period_label,
)
from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.core.web import actor_of
from hagukumi.people.selectors import access_staff_by_id

KIND_LABELS = dict(AssessmentKind.choices)


def _today() -> dt.date:
    return timezone.localdate()


def _now() -> dt.datetime:
    return timezone.now()


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("ホーム", reverse("core:home")),
        ("アセスメント", reverse("assessments:sheets")),
        *items,
    ]


# ---------------------------------------------------------------- sheets


@role_required(*READER_ROLES)
@require_GET
def sheet_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    sheets = list(sheets_for(actor=actor).order_by("code"))
    return render(
        request,
        "assessments/sheet_list.html",
        {"sheets": sheets, "breadcrumbs": _crumbs()},
    )


@role_required(*READER_ROLES)
@require_GET
def sheet_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    sheet = access_sheet_by_id(actor=actor, sheet_id=pk)
    windows = [(w, window_period_label(w)) for w in windows_for(actor=actor, sheet=sheet)]
    return render(
        request,
        "assessments/sheet_detail.html",
        {
            "sheet": sheet,
            "items": list(sheet.items.order_by("order")),
            "windows": windows,
            "kinds": [(k, KIND_LABELS[k]) for k in sheet.kinds_allowed],
            "can_heatmap": actor.has_role(*HEATMAP_ROLES),
            "breadcrumbs": _crumbs((sheet.title, "")),
        },
    )


# ---------------------------------------------------------------- the form


def _form_page(
    request: HttpRequest,
    actor: Actor,
    window: Any,
    staff: Any,
    kind: str,
    *,
    error: str = "",
    posted: dict[str, str] | None = None,
) -> HttpResponse:
    form = assessment_form(actor=actor, window=window, staff=staff, kind=kind, today=_today())
    values = {
        item.competency_code: (posted or {}).get(f"item_{item.competency_code}")
        or (str(item.value) if item.value is not None else "")
        for item in form.items
    }
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "values": values,
            "period": window_period_label(window),
            "error": error,
            "editable": form.may_answer and form.is_open and not form.submitted,
            "test_score": (posted or {}).get("test_score", ""),
            "breadcrumbs": _crumbs(
                (window.sheet.title, reverse("assessments:sheet", kwargs={"pk": window.sheet_id})),
                (f"{staff.number} {staff.name} {form.kind_label}評価", ""),
            ),
        },
        status=400 if error else 200,
    )


@role_required(*ASSESSMENT_FORM_ROLES)
def assessment_form_view(
    request: HttpRequest, window_pk: int, staff_pk: int, kind: str
) -> HttpResponse:
    """本人 (the staff member), 上司 (their 所属長) or 事務局 (DX推進担当) assessment."""
    actor = actor_of(request)
    window = access_window_by_id(actor=actor, window_id=window_pk)
    staff = access_staff_by_id(actor=actor, staff_id=staff_pk)
    if request.method != "POST":
        return _form_page(request, actor, window, staff, kind)
    # Check reach first: someone who may not see the form gets 404, not an error.
    assessment_form(actor=actor, window=window, staff=staff, kind=kind, today=_today())
    answers = {
        key.removeprefix("item_"): value
        for key, value in request.POST.items()
        if key.startswith("item_") and value != ""
    }
    try:
        assessment_save(
            actor=actor,
            window=window,
            staff=staff,
            kind=kind,
            answers=answers,
            today=_today(),
            now=_now(),
            test_score=request.POST.get("test_score") or None,
            comment=request.POST.get("comment", ""),
            submit=request.POST.get("action") == "submit",
        )
    except ApplicationError as exc:
        return _form_page(
            request, actor, window, staff, kind, error=exc.message, posted=request.POST.dict()
        )
    messages.success(
        request,
        "提出しました。" if request.POST.get("action") == "submit" else "一時保存しました。",
    )
    return redirect(request.path)


# ---------------------------------------------------------------- heatmap


@role_required(*HEATMAP_ROLES)
@require_GET
def heatmap_view(request: HttpRequest, window_pk: int) -> HttpResponse:
    actor = actor_of(request)
    window = access_window_by_id(actor=actor, window_id=window_pk)
    kind = request.GET.get("kind") or AssessmentKind.OFFICE
    if kind not in AssessmentKind.values:
        kind = AssessmentKind.OFFICE
    heatmap = competency_heatmap(actor=actor, window=window, kind=kind)
    return render(
        request,
        "assessments/heatmap.html",
        {
            "heatmap": heatmap,
            "window": window,
            "kind": kind,
            "kinds": list(AssessmentKind.choices),
            "period": window_period_label(window),
            "breadcrumbs": _crumbs(
                (window.sheet.title, reverse("assessments:sheet", kwargs={"pk": window.sheet_id})),
                ("ヒートマップ", ""),
            ),
        },
    )


# ---------------------------------------------------------------- candidates


def _rules(actor: Actor) -> list[CertificationRule]:
    from hagukumi.assessments.selectors.candidates import certification_rules_active

    return certification_rules_active(actor=actor)


def _fiscal_year(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default


def _candidates_context(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    rules = _rules(actor)
    talent_type = request.GET.get("talent_type") or request.POST.get("talent_type") or ""
    if not talent_type and rules:
        talent_type = rules[0].talent_type_code
    year = _fiscal_year(
        request.GET.get("fiscal_year") or request.POST.get("fiscal_year"),
        fiscal_year_of(_today()),
    )
    report = None
    error = ""
    if talent_type:
        try:
            report = certification_candidates(
                actor=actor, talent_type_code=talent_type, fiscal_year=year, today=_today()
            )
        except ApplicationError as exc:
            error = exc.message
    return {
        "rules": rules,
        "talent_type": talent_type,
        "fiscal_year": year,
        "fiscal_year_label": format_fiscal_year(year),
        "years": list(range(year - 2, year + 2)),
        "report": report,
        "error": error,
        "can_certify": actor.has_role(*EDITOR_ROLES),
        "breadcrumbs": _crumbs(("認定候補", "")),
    }


@role_required(*CANDIDATE_ROLES)
@require_GET
def candidates_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "assessments/candidates.html", _candidates_context(request, actor))


@role_required(*EDITOR_ROLES)
def certify_view(request: HttpRequest) -> HttpResponse:
    """「認定する」: POST the selected people; a confirmation page first, then certify."""
    actor = actor_of(request)
    context = _candidates_context(request, actor)
    back = (
        reverse("assessments:candidates")
        + f"?talent_type={context['talent_type']}&fiscal_year={context['fiscal_year']}"
    )
    report = context["report"]
    if request.method != "POST" or report is None:
        return redirect(back)
    wanted = set(request.POST.getlist("staff"))
    chosen = [row for row in report.meets if str(row.staff_id) in wanted]
    if not chosen:
        messages.error(request, "認定する職員を選んでください。")
        return redirect(back)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "assessments/certify_confirm.html",
            {**context, "chosen": chosen, "back": back, "issued_on": _today()},
        )
    try:
        issued = certification_certify(
            actor=actor,
            rule=report.rule,
            fiscal_year=report.fiscal_year,
            staff_ids=[row.staff_id for row in chosen],
            issued_on=_today(),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"{len(issued)}名を認定し、修了証を発行しました。")
    if len(issued) == 1:
        return redirect("assessments:certificate", pk=issued[0].pk)
    return redirect(back)


__all__ = [
    "assessment_form_view",
    "candidates_view",
    "certify_view",
    "heatmap_view",
    "sheet_detail_view",
    "sheet_list_view",
]
