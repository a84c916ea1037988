"""実践記録 pages: the list, the staff member's form (new / edit) and the 所属長's 「確認する」.

Thin: call the selectors/services, render. The clock is read here (`_now`).
Reach: a record out of the actor's sight raises AccessDenied (404 via
`role_required`); the form is the author's only and the confirmation the
staff member's 所属長's only — anyone else gets 404 too. 「確認する」 shows a
confirmation page first (GET), and confirms on POST with confirm=yes (no JavaScript).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from hagukumi.assessments.forms import PracticeRecordForm
from hagukumi.assessments.models import PracticeRecord, PracticeStatus
from hagukumi.assessments.roles import (
    PRACTICE_AUTHOR_ROLES,
    PRACTICE_LIST_ROLES,
    SUPERVISOR_ROLES,
)
from hagukumi.assessments.selectors import (
    access_practice_record_by_id,
    practice_records_awaiting,
    practice_records_own,
    staff_relation,
)
from hagukumi.assessments.services import (
    PRACTICE_FIELDS,
    practice_evidence_add,
    practice_record_confirm,
    practice_record_create,
    practice_record_submit,
    practice_record_update,
)
from hagukumi.core.access import role_required
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.core.web import actor_of
from hagukumi.people.selectors import staff_of_user

EDITABLE = (PracticeStatus.DRAFT, PracticeStatus.RETURNED)


def _now() -> dt.datetime:
    return timezone.now()


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("ホーム", reverse("core:home")),
        ("実践記録", reverse("assessments:practice_list")),
        *items,
    ]


@role_required(*PRACTICE_LIST_ROLES)
@require_GET
def practice_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "assessments/practice_list.html",
        {
            "records": practice_records_own(actor=actor),
            "awaiting": practice_records_awaiting(actor=actor),
            "can_write": actor.has_role(*PRACTICE_AUTHOR_ROLES)
            and staff_of_user(actor=actor) is not None,
            "editable": EDITABLE,
            "breadcrumbs": [("ホーム", reverse("core:home")), ("実践記録", "")],
        },
    )


def _form_page(
    request: HttpRequest, form: PracticeRecordForm, record: PracticeRecord | None
) -> HttpResponse:
    return render(
        request,
        "assessments/practice_form.html",
        {
            "form": form,
            "record": record,
            "evidence": list(record.evidence.all()) if record else [],
            "breadcrumbs": _crumbs((record.title if record else "新しい実践記録", "")),
        },
        status=400 if form.errors else 200,
    )


def _save(
    actor: Actor, form: PracticeRecordForm, record: PracticeRecord | None, *, submit: bool
) -> PracticeRecord:
    data = {name: form.cleaned_data[name] for name in PRACTICE_FIELDS}
    with transaction.atomic():  # the record, its link and 提出 together, or nothing
        if record is None:
            staff = staff_of_user(actor=actor)
            if staff is None:
                raise AccessDenied()
            record = practice_record_create(actor=actor, staff=staff, data=data)
        else:
            record = practice_record_update(actor=actor, record=record, data=data)
        if form.cleaned_data.get("evidence_url"):
            practice_evidence_add(actor=actor, record=record, url=form.cleaned_data["evidence_url"])
        if submit:
            record = practice_record_submit(actor=actor, record=record)
    return record


def _form_view(request: HttpRequest, actor: Actor, record: PracticeRecord | None) -> HttpResponse:
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if record is not None:
            initial = {name: getattr(record, name) for name in PRACTICE_FIELDS}
        return _form_page(request, PracticeRecordForm(initial=initial), record)
    form = PracticeRecordForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, record)
    submit = request.POST.get("action") == "submit"
    try:
        saved = _save(actor, form, record, submit=submit)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _form_page(request, form, record)
    messages.success(
        request, "提出しました。所属長の確認を待ちます。" if submit else "保存しました。"
    )
    if submit:
        return redirect("assessments:practice_list")
    return redirect("assessments:practice_edit", pk=saved.pk)


@role_required(*PRACTICE_AUTHOR_ROLES)
def practice_new_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if staff_of_user(actor=actor) is None:
        messages.error(
            request, "ログインしているユーザーに職員が結び付いていないため、作成できません。"
        )
        return redirect("assessments:practice_list")
    return _form_view(request, actor, None)


@role_required(*PRACTICE_AUTHOR_ROLES)
def practice_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    record = access_practice_record_by_id(actor=actor, record_id=pk)
    if not staff_relation(actor=actor, staff=record.staff).is_self:
        raise AccessDenied()
    return _form_view(request, actor, record)


@role_required(*SUPERVISOR_ROLES)
def practice_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「確認する」 by the staff member's 所属長: GET the confirmation page, POST confirm=yes."""
    actor = actor_of(request)
    record = access_practice_record_by_id(actor=actor, record_id=pk)
    if not staff_relation(actor=actor, staff=record.staff).is_head:
        raise AccessDenied()
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "assessments/practice_confirm.html",
            {
                "record": record,
                "evidence": list(record.evidence.all()),
                "can_confirm": record.status == PracticeStatus.SUBMITTED,
                "breadcrumbs": _crumbs((f"{record.title} の確認", "")),
            },
        )
    try:
        practice_record_confirm(actor=actor, record=record, now=_now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:practice_confirm", pk=record.pk)
    messages.success(
        request,
        f"実践記録を確認しました（{record.staff.number} {record.staff.name}: {record.title}）。",
    )
    return redirect("assessments:practice_list")


__all__ = [
    "practice_confirm_view",
    "practice_edit_view",
    "practice_list_view",
    "practice_new_view",
]
