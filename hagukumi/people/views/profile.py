"""A staff member's profile (人事・DX・所属長 within reach, 職員本人) and its edits.

One page shows what the role may see and the edit forms it may use; a POST
runs one edit (キャリア志向, 評価・適性, 資格, 指定, 指定の状態) and redirects, or
shows the page again with the form's errors (status 400). The profile is read
once per request, so a failed edit is one 閲覧 in the audit log, like a visit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hagukumi.core.access import role_required
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.registries import render_profile_panels
from hagukumi.core.tenancy import Actor
from hagukumi.core.web import actor_of
from hagukumi.people.code_lists import code_values
from hagukumi.people.forms import (
    AppraisalForm,
    CareerIntentForm,
    DesignationAddForm,
    DesignationTransitionForm,
    QualificationAddForm,
)
from hagukumi.people.models import CodeKind, Designation
from hagukumi.people.roles import PEOPLE_ROLES, SEARCH_ROLES
from hagukumi.people.selectors import (
    StaffProfile,
    staff_of_user,
    staff_profile,
    staff_search_choices,
)
from hagukumi.people.services import (
    designation_create,
    designation_transition,
    staff_appraisal_update,
    staff_career_intent_update,
    staff_qualification_add,
)
from hagukumi.people.views.breadcrumbs import home_crumb
from hagukumi.people.visibility import FieldGroup

BASIC_ROWS = [
    ("number", "職員番号"),
    ("name", "氏名"),
    ("name_kana", "氏名カナ"),
    ("birth_date", "生年月日"),
    ("unit", "所属"),
    ("position", "職位"),
    ("grade", "級"),
    ("job_type", "職種"),
    ("employment", "任用形態"),
    ("recruitment", "採用区分"),
    ("hired_on", "採用年月日"),
    ("term_ends_on", "任期満了日"),
    ("career_model", "キャリアモデル"),
    ("special_department", "特定部門"),
    ("retired_on", "退職日"),
]


@role_required(*PEOPLE_ROLES)
def staff_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_response(request, pk, own=False)


@role_required(*PEOPLE_ROLES)
def my_profile_view(request: HttpRequest) -> HttpResponse:
    """職員本人's own profile; a user not linked to a staff record is told so."""
    actor = actor_of(request)
    staff = staff_of_user(actor=actor)
    if staff is None:
        return render(
            request,
            "people/not_linked.html",
            {"breadcrumbs": [home_crumb(), ("自分のプロフィール", "")]},
        )
    return _profile_response(request, staff.pk, own=True)


def _profile_response(request: HttpRequest, staff_id: int, *, own: bool) -> HttpResponse:
    actor = actor_of(request)
    profile = staff_profile(actor=actor, staff_id=staff_id)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        done, bound = _profile_post(request, actor, profile)
        if done:
            return redirect(request.path)
    values = profile.values
    basic = [
        (name, label, values.get(name))
        for name, label in BASIC_ROWS
        if name in profile.fields and name in values
    ]
    title = "自分のプロフィール" if own else f"{profile.staff.name}さんのプロフィール"
    crumbs = [home_crumb()]
    if not own and actor.has_role(*SEARCH_ROLES):
        crumbs.append(("人材検索", reverse("people:search")))
    crumbs.append((title, ""))
    return render(
        request,
        "people/profile.html",
        {
            "profile": profile,
            "staff": profile.staff,
            "basic": basic,
            "is_demo": values.get("is_demo", False),
            "show_appraisal": FieldGroup.APPRAISAL in profile.groups,
            "show_career": FieldGroup.CAREER_INTENT in profile.groups,
            "forms": _profile_forms(actor, profile, bound),
            "panels": render_profile_panels(actor=actor, staff=profile.staff),
            "own": own,
            "title": title,
            "breadcrumbs": crumbs,
        },
        status=400 if bound else 200,
    )


def _may_add_qualification(actor: Actor, profile: StaffProfile) -> bool:
    return FieldGroup.QUALIFICATIONS in profile.editable or (
        actor.has_role(Role.HR) and FieldGroup.QUALIFICATIONS in profile.groups
    )


def _profile_forms(actor: Actor, profile: StaffProfile, bound: dict[str, Any]) -> dict[str, Any]:
    """The edit forms the actor may use on this profile (bound ones keep their errors)."""
    staff = profile.staff
    forms: dict[str, Any] = {}
    if FieldGroup.CAREER_INTENT in profile.editable:
        forms["career_intent"] = bound.get("career_intent") or CareerIntentForm(
            initial={"career_intent": staff.career_intent}
        )
    if FieldGroup.APPRAISAL in profile.editable:
        forms["appraisal"] = bound.get("appraisal") or AppraisalForm(
            initial={
                "aptitude_notes": staff.aptitude_notes,
                "evaluation_notes": staff.evaluation_notes,
            }
        )
    wants_designations = FieldGroup.DESIGNATIONS in profile.editable
    if not (_may_add_qualification(actor, profile) or wants_designations):
        return forms
    choices = staff_search_choices(actor=actor)
    if _may_add_qualification(actor, profile):
        forms["qualification"] = bound.get("qualification") or QualificationAddForm(
            choices=choices.qualifications
        )
    if wants_designations:
        forms["designation"] = bound.get("designation") or DesignationAddForm(
            talent_types=choices.talent_types, roles=_designation_roles(actor)
        )
        forms["transition"] = bound.get("transition")
    return forms


def _designation_roles(actor: Actor) -> list[str]:
    return code_values(organization=actor.organization_id, kind=CodeKind.DESIGNATION_ROLE)


def _profile_designation(profile: StaffProfile, designation_id: Any) -> Designation:
    """One of this profile's designations (already read with the profile); else 404."""
    for row in profile.designations or []:
        if str(row.designation.pk) == str(designation_id):
            return row.designation
    raise AccessDenied()


def _profile_post(
    request: HttpRequest, actor: Actor, profile: StaffProfile
) -> tuple[bool, dict[str, Any]]:
    """Run the posted edit; (done, bound forms with errors). An unknown action is 404."""
    staff = profile.staff
    action = request.POST.get("action", "")
    form: Any
    try:
        if action == "career_intent":
            form = CareerIntentForm(request.POST)
            if form.is_valid():
                staff_career_intent_update(
                    actor=actor, staff_id=staff.pk, text=form.cleaned_data["career_intent"]
                )
                messages.success(request, "キャリア志向を保存しました。")
                return True, {}
        elif action == "appraisal":
            form = AppraisalForm(request.POST)
            if form.is_valid():
                staff_appraisal_update(actor=actor, staff_id=staff.pk, **form.cleaned_data)
                messages.success(request, "評価・適性を保存しました。")
                return True, {}
        elif action == "qualification":
            form = QualificationAddForm(
                request.POST, choices=staff_search_choices(actor=actor).qualifications
            )
            if form.is_valid():
                data = form.cleaned_data
                staff_qualification_add(
                    actor=actor,
                    staff_id=staff.pk,
                    qualification_code=data["qualification"],
                    obtained_on=data["obtained_on"],
                    exam_fee=data["exam_fee"],
                    course_fee=data["course_fee"],
                    textbook_fee=data["textbook_fee"],
                    travel_fee=data["travel_fee"],
                )
                messages.success(request, "資格を登録しました。")
                return True, {}
        elif action == "designation":
            if FieldGroup.DESIGNATIONS not in profile.editable:
                raise AccessDenied()
            form = DesignationAddForm(
                request.POST,
                talent_types=staff_search_choices(actor=actor).talent_types,
                roles=_designation_roles(actor),
            )
            if form.is_valid():
                data = form.cleaned_data
                designation_create(
                    actor=actor,
                    staff=staff,
                    talent_type_code=data["talent_type_code"],
                    framework=data["framework"],
                    method=data["method"],
                    status=data["status"],
                    from_fy=data["from_fy"],
                    to_fy=data["to_fy"],
                    concurrent_order_date=data["concurrent_order_date"],
                    role=data["role"] or "",
                    cohort=data["cohort"],
                )
                messages.success(request, "指定を登録しました。")
                return True, {}
        elif action == "transition":
            if FieldGroup.DESIGNATIONS not in profile.editable:
                raise AccessDenied()
            form = DesignationTransitionForm(request.POST)
            if form.is_valid():
                designation_transition(
                    actor=actor,
                    designation=_profile_designation(profile, form.cleaned_data["designation"]),
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "指定の状態を変更しました。")
                return True, {}
        else:
            raise AccessDenied()
    except ApplicationError as exc:
        field = exc.extra.get("field")
        form.add_error(
            field if isinstance(field, str) and field in form.fields else None, exc.message
        )
    return False, {action: form}
