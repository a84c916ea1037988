"""Attendance pages: the sheet of one session (every member at once), the attendance
upload through core's job flow, and the 団体's LMS column mappings (DX推進担当)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hagukumi.core.access import role_required
from hagukumi.core.errors import ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.web import actor_of
from hagukumi.training.forms import AttendanceSheetForm, AttendanceUploadForm, LmsMappingForm
from hagukumi.training.import_jobs import ATTENDANCE_KIND, AttendanceImportOptions
from hagukumi.training.lms_columns import ATTENDANCE_COLUMNS
from hagukumi.training.models import AttendanceStatus
from hagukumi.training.roles import ATTENDANCE_RECORD_ROLES
from hagukumi.training.selectors.attendance import lms_mappings_for
from hagukumi.training.selectors.pages import attendance_sheet_page
from hagukumi.training.services.attendance import AttendanceEntry, attendance_record
from hagukumi.training.services.lms_mappings import lms_mapping_create
from hagukumi.training.views.common import cohort_crumb, crumbs, error_field

_ERROR_FIELDS = {"status": "status", "hours": "hours", "waived_reason": "reason"}


def _sheet_initial(sheet: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for row in sheet.rows:
        record = row.attendance
        if record is None:
            continue
        initial[f"status_{row.staff_id}"] = record.status
        initial[f"hours_{row.staff_id}"] = record.hours
        initial[f"reason_{row.staff_id}"] = record.waived_reason
    return initial


@role_required(*ATTENDANCE_RECORD_ROLES)
def attendance_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """出欠 and hours of every member of one session at once (免除 with its reason)."""
    actor = actor_of(request)
    sheet = attendance_sheet_page(actor=actor, session_id=pk)
    session = sheet.session
    form = AttendanceSheetForm(
        request.POST if request.method == "POST" else None,
        staff_ids=[r.staff_id for r in sheet.rows],
        initial=_sheet_initial(sheet),
    )
    if request.method == "POST" and form.is_valid():
        entries = [AttendanceEntry(pk_, s, h, r) for pk_, s, h, r in form.entries()]
        try:
            result = attendance_record(actor=actor, session_id=session.pk, entries=entries)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            for error in cast(list[dict[str, Any]], exc.extra.get("errors") or []):
                name = f"{_ERROR_FIELDS.get(error.get('field', ''), 'status')}_{error['staff_id']}"
                if name in form.fields:
                    form.add_error(name, error["message"])
                else:
                    form.add_error(None, error["message"])
        else:
            messages.success(
                request,
                f"出欠を保存しました（新規 {len(result.created)}件・変更 {len(result.changed)}件・"
                f"変更なし {result.unchanged}件）。",
            )
            return redirect("training:attendance_sheet", pk=session.pk)
    cohort = session.cohort
    trail = [cohort_crumb(cohort)] if cohort is not None else []
    return render(
        request,
        "training/attendance_sheet.html",
        {
            "sheet": sheet,
            "session": session,
            "rows": [
                (
                    row,
                    form[f"status_{row.staff_id}"],
                    form[f"hours_{row.staff_id}"],
                    form[f"reason_{row.staff_id}"],
                )
                for row in sheet.rows
            ],
            "form": form,
            "statuses": AttendanceStatus.choices,
            "breadcrumbs": crumbs(
                *trail, (f"{session.course.title} 第{session.number}回の出欠", "")
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ATTENDANCE_RECORD_ROLES)
def attendance_upload_view(request: HttpRequest) -> HttpResponse:
    """Upload an attendance file: queued as a dry run, then 「取り込む」 on core's job page."""
    actor = actor_of(request)
    mappings = lms_mappings_for(actor=actor)
    form = AttendanceUploadForm(
        request.POST or None,
        request.FILES or None,
        mappings=[m.provider_name for m in mappings],
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=actor,
            kind=ATTENDANCE_KIND,
            source=upload,
            filename=upload.name or "出欠.csv",
            options=AttendanceImportOptions(
                dry_run=True,
                mapping_name=form.cleaned_data["mapping_name"] or "",
                as_of=form.cleaned_data["as_of"],
            ),
        )
        return redirect(job_page_url(job))
    return render(
        request,
        "training/attendance_upload.html",
        {
            "form": form,
            "columns": list(ATTENDANCE_COLUMNS.values()),
            "jobs": jobs_recent(actor=actor, kinds=[ATTENDANCE_KIND]),
            "breadcrumbs": crumbs(("出欠の取込", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*ATTENDANCE_RECORD_ROLES)
def lms_mappings_view(request: HttpRequest) -> HttpResponse:
    """The 団体's LMS column mappings, and a form to add one."""
    actor = actor_of(request)
    form = LmsMappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mapping = lms_mapping_create(
                actor=actor,
                provider_name=form.cleaned_data["provider_name"],
                header_aliases=form.header_aliases(),
                status_aliases=form.cleaned_data["status_aliases"],
            )
        except ApplicationError as exc:
            form.add_error(error_field(form, exc), exc.message)
        else:
            messages.success(request, f"「{mapping.provider_name}」の列名の対応を登録しました。")
            return redirect(reverse("training:lms_mappings"))
    labels = dict(AttendanceStatus.choices)
    return render(
        request,
        "training/lms_mappings.html",
        {
            "form": form,
            "mappings": [
                (
                    m,
                    [
                        (ATTENDANCE_COLUMNS.get(k, k), "、".join(v))
                        for k, v in m.header_aliases.items()
                    ],
                    [
                        (value, labels.get(target, target))
                        for value, target in m.status_aliases.items()
                    ],
                )
                for m in lms_mappings_for(actor=actor)
            ],
            "breadcrumbs": crumbs(("LMSの列名の対応", "")),
        },
        status=400 if request.method == "POST" else 200,
    )
