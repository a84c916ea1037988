"""人材育成フレームワーク pages: templates, a 団体's frameworks, editing a draft, diff, comparison,
skill map.

Thin: parse input, call one selector or service, render. Browsing is open to every
role of the 団体 (templates and the 団体's own frameworks); writing to
EDITOR_ROLES (the services check again). Every page works without JavaScript;
htmx only swaps the list of levels after a move. What cannot be undone (publishing,
deleting a type, level, competency or behaviour level) shows a confirmation page
first (GET, or a POST without `confirm`); only its POST with confirm=yes acts. The
skill-map upload goes through core's job flow (dry run → 「取り込む」 on /jobs/<id>/).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from hagukumi.core.access import EVERY_ROLE, role_required
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import job_page_url, job_submit, jobs_recent
from hagukumi.core.tabular_export import table_response
from hagukumi.core.tenancy import Actor
from hagukumi.core.web import actor_of, is_htmx
from hagukumi.frameworks import services
from hagukumi.frameworks.forms import (
    CompareForm,
    CompetencyForm,
    CompetencyLevelForm,
    DiffForm,
    FrameworkAdoptForm,
    FrameworkCreateForm,
    IndividualLevelForm,
    SkillMapUploadForm,
    TalentTypeForm,
    VersionChoiceForm,
)
from hagukumi.frameworks.import_jobs import SKILL_MAP_KIND, SkillMapOptions
from hagukumi.frameworks.models import Framework, FrameworkVersion, MicType
from hagukumi.frameworks.selectors import (
    access_framework_by_id,
    framework_comparison,
    framework_draft,
    framework_export,
    framework_templates,
    framework_version_latest_published,
    framework_version_shown,
    frameworks_for,
    frameworks_visible,
    maturity_table,
)
from hagukumi.frameworks.skill_map import (
    KIND_LABELS,
    SKILL_MAP_COLUMNS,
    skill_map_matrix,
    skill_map_rows,
)
from hagukumi.frameworks.version_diff import framework_content_diff

ALL_ROLES = EVERY_ROLE
EDITOR_ROLES = tuple(services.EDITOR_ROLES)
MIC_LABELS = {value: label for value, label in MicType.choices if value}


def _can_edit(actor: Actor, framework: Framework | None = None) -> bool:
    if framework is not None and (
        framework.is_template or framework.owner_id != actor.organization_id
    ):
        return False
    return actor.has_role(*EDITOR_ROLES)


def _competencies_shown(content: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The competencies with the name of their talent type and their 区分 for display.

    Several types may have a competency of the same name (当事者意識 of each type), so a
    page never lists one by its name alone.
    """
    if content is None:
        return []
    names = {t["code"]: t["name"] for t in content["talent_types"]}
    return [
        {
            **c,
            "talent_type_name": names.get(c["talent_type"], c["talent_type"]),
            "kind_label": KIND_LABELS.get(c["kind"], ""),
        }
        for c in content["competencies"]
    ]


def _crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("ホーム", reverse("core:home")),
        ("人材育成フレームワーク", reverse("frameworks:index")),
        *items,
    ]


def _framework_crumb(framework: Framework) -> tuple[str, str]:
    return (framework.name, reverse("frameworks:detail", args=[framework.pk]))


def _version_number(request: HttpRequest, name: str = "version") -> int | None:
    value = request.GET.get(name, "")
    # ASCII digits only, at most 9 (「²」 and 5,000 digits are not numbers int() takes).
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _version_choices(framework: Framework) -> list[tuple[int, str]]:
    return [
        (v.number, f"v{v.number}（{v.get_status_display()}）")
        for v in framework.versions.order_by("-number")
    ]


def _editable(request: HttpRequest, pk: int) -> Framework:
    """A framework of the actor's own 団体 (templates are never edited in place)."""
    framework = access_framework_by_id(actor=actor_of(request), framework_id=pk)
    if framework.is_template:
        raise AccessDenied()
    return framework


def _post_only(view: Any) -> Any:
    """POST only, checked after access: another 団体's object is 404, not 405."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        _editable(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, pk, **kwargs)

    return wrapped


def _draft_url(framework: Framework, anchor: str = "") -> str:
    url = reverse("frameworks:draft", args=[framework.pk])
    return f"{url}#{anchor}" if anchor else url


def _confirmed(request: HttpRequest) -> bool:
    """A POST from a confirmation page (its form sends confirm=yes)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def _confirm_page(
    request: HttpRequest,
    framework: Framework,
    *,
    heading: str,
    warning: str,
    submit_label: str,
    cancel_url: str,
    crumb: str,
    details: list[str] | None = None,
    links: list[tuple[str, str]] | None = None,
    danger: bool = True,
) -> HttpResponse:
    """The page an irreversible action shows first: what happens, then a POST with confirm.

    Works without JavaScript: the button of the draft page is a link here; a POST
    without `confirm` (an old page, a resubmitted form) lands here too and changes nothing.
    """
    return render(
        request,
        "frameworks/confirm.html",
        {
            "framework": framework,
            "heading": heading,
            "warning": warning,
            "details": details or [],
            "links": links or [],
            "submit_label": submit_label,
            "danger": danger,
            "cancel_url": cancel_url,
            "breadcrumbs": _crumbs(
                _framework_crumb(framework),
                ("下書きの編集", _draft_url(framework)),
                (crumb, ""),
            ),
        },
    )


IRREVERSIBLE = "削除すると元に戻せません（公開済みの版には残ります）。"


# --- browsing ------------------------------------------------------------------


@role_required(*ALL_ROLES)
def framework_index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    own = list(frameworks_for(actor=actor).prefetch_related("versions"))
    return render(
        request,
        "frameworks/index.html",
        {
            "own": own,
            "templates": list(framework_templates(actor=actor).prefetch_related("versions")),
            "can_edit": _can_edit(actor),
            "breadcrumbs": [("ホーム", reverse("core:home")), ("人材育成フレームワーク", "")],
        },
    )


@role_required(*ALL_ROLES)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    framework = access_framework_by_id(actor=actor, framework_id=pk)
    version = framework_version_shown(framework=framework, number=_version_number(request))
    content = framework_export(framework_version=version)
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "version": version,
            "content": content,
            "competencies": _competencies_shown(content),
            "mic_labels": MIC_LABELS,
            "maturity": maturity_table(content),
            "skill_map": skill_map_matrix(content),
            "version_form": VersionChoiceForm(
                initial={"version": version.number}, versions=_version_choices(framework)
            ),
            "draft": framework_draft(framework=framework),
            "published": framework_version_latest_published(framework=framework),
            "can_edit": _can_edit(actor, framework),
            "can_adopt": framework.is_template and _can_edit(actor),
            "breadcrumbs": _crumbs((framework.name, "")),
        },
    )


@role_required(*ALL_ROLES)
def framework_diff(request: HttpRequest, pk: int) -> HttpResponse:
    framework = access_framework_by_id(actor=actor_of(request), framework_id=pk)
    numbers = list(framework.versions.order_by("-number").values_list("number", flat=True))
    old_number = _version_number(request, "old")
    new_number = _version_number(request, "new")
    if new_number is None:
        new_number = numbers[0] if numbers else None
    if old_number is None:
        old_number = numbers[1] if len(numbers) > 1 else new_number
    sections = None
    old = new = None
    if old_number is not None and new_number is not None:
        old = framework_version_shown(framework=framework, number=old_number)
        new = framework_version_shown(framework=framework, number=new_number)
        sections = framework_content_diff(
            framework_export(framework_version=old), framework_export(framework_version=new)
        )
    return render(
        request,
        "frameworks/diff.html",
        {
            "framework": framework,
            "old": old,
            "new": new,
            "sections": sections,
            "has_changes": any(s.entries for s in sections or []),
            "form": DiffForm(
                initial={"old": old_number, "new": new_number},
                versions=_version_choices(framework),
            ),
            "breadcrumbs": _crumbs(_framework_crumb(framework), ("版の比較", "")),
        },
    )


@role_required(*ALL_ROLES)
def framework_compare(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    visible = list(frameworks_visible(actor=actor))
    choices = [
        (f.pk, f"{f.name}（{'テンプレート' if f.is_template else '自団体'}）") for f in visible
    ]
    form = CompareForm(request.GET or None, frameworks=choices)
    sides = None
    if form.is_valid():
        left = access_framework_by_id(actor=actor, framework_id=form.cleaned_data["left"])
        right = access_framework_by_id(actor=actor, framework_id=form.cleaned_data["right"])
        left_content = framework_export(framework_version=framework_version_shown(framework=left))
        right_content = framework_export(framework_version=framework_version_shown(framework=right))
        sides = {
            "left": left_content,
            "right": right_content,
            "rows": framework_comparison(left=left_content, right=right_content),
        }
    return render(
        request,
        "frameworks/compare.html",
        {"form": form, "sides": sides, "breadcrumbs": _crumbs(("フレームワークの比較", ""))},
    )


@role_required(*ALL_ROLES)
def skill_map(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    framework = access_framework_by_id(actor=actor, framework_id=pk)
    version = framework_version_shown(framework=framework, number=_version_number(request))
    content = framework_export(framework_version=version)
    return render(
        request,
        "frameworks/skill_map.html",
        {
            "framework": framework,
            "version": version,
            "skill_map": skill_map_matrix(content),
            "version_form": VersionChoiceForm(
                initial={"version": version.number}, versions=_version_choices(framework)
            ),
            "can_upload": _can_edit(actor, framework),
            "breadcrumbs": _crumbs(_framework_crumb(framework), ("スキルマップ", "")),
        },
    )


@role_required(*ALL_ROLES)
def skill_map_download(request: HttpRequest, pk: int) -> HttpResponse:
    framework = access_framework_by_id(actor=actor_of(request), framework_id=pk)
    version = framework_version_shown(framework=framework, number=_version_number(request))
    content = framework_export(framework_version=version)
    return table_response(
        skill_map_rows(content),
        columns=SKILL_MAP_COLUMNS,
        filename=f"スキルマップ_{framework.code}_v{version.number}.xlsx",
        sheet_title="スキルマップ",
    )


@role_required(*EDITOR_ROLES)
def skill_map_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a skill-map file: it is read as a dry run on core's job page, then 「取り込む」."""
    framework = _editable(request, pk)
    actor = actor_of(request)
    draft = framework_draft(framework=framework)
    form = SkillMapUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and draft is None:
        form.add_error(None, "下書きがないため取り込めません。先に新しい下書きを作成してください。")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=actor,
            kind=SKILL_MAP_KIND,
            source=upload,
            filename=upload.name or "skill-map.xlsx",
            options=SkillMapOptions(
                dry_run=True, framework_id=framework.pk, framework_name=framework.name
            ),
        )
        return redirect(job_page_url(job))
    jobs = [
        job
        for job in jobs_recent(actor=actor, kinds=[SKILL_MAP_KIND], limit=30)
        if job.options.get("framework_id") == framework.pk
    ][:10]
    return render(
        request,
        "frameworks/skill_map_upload.html",
        {
            "framework": framework,
            "draft": draft,
            "form": form,
            "jobs": jobs,
            "breadcrumbs": _crumbs(
                _framework_crumb(framework),
                ("スキルマップ", reverse("frameworks:skill_map", args=[framework.pk])),
                ("スキルマップの取込", ""),
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- creating, adopting, versions ----------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: str,
    submit_label: str,
    cancel_url: str,
    crumbs: list[tuple[str, str]],
    lead: str = "",
) -> HttpResponse:
    return render(
        request,
        "frameworks/item_form.html",
        {
            "form": form,
            "heading": heading,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "lead": lead,
            "breadcrumbs": crumbs,
        },
    )


@role_required(*EDITOR_ROLES)
def framework_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = FrameworkCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(
                actor=actor,
                organization=actor.organization,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"「{framework.name}」の下書き v1 を作成しました。")
            return redirect(_draft_url(framework))
    return _form_page(
        request,
        form,
        heading="フレームワークを新しく作る",
        submit_label="作成する",
        cancel_url=reverse("frameworks:index"),
        crumbs=_crumbs(("新しく作る", "")),
        lead="空の下書き v1 ができます。人材類型・段階・マインド・スキルを追加してから公開します。",
    )


@role_required(*EDITOR_ROLES)
def framework_adopt(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    choices = [(t.code, t.name) for t in framework_templates(actor=actor)]
    form = FrameworkAdoptForm(
        request.POST or None,
        templates=choices,
        initial={"template": request.GET.get("template", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_adopt(
                actor=actor,
                template_code=form.cleaned_data["template"],
                organization=actor.organization,
                code=form.cleaned_data["code"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"テンプレート「{framework.name}」を採用しました。"
                "下書き v1 を編集して公開してください。",
            )
            return redirect(_draft_url(framework))
    return _form_page(
        request,
        form,
        heading="テンプレートを採用する",
        submit_label="採用する",
        cancel_url=reverse("frameworks:index"),
        crumbs=_crumbs(("テンプレートを採用", "")),
        lead="テンプレートの最新版を自団体のフレームワーク（下書き v1）として複製します。"
        "複製は自由に編集でき、テンプレートは変わりません。",
    )


@role_required(*EDITOR_ROLES)
@_post_only
def draft_new(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _editable(request, pk)
    try:
        version = services.framework_version_new_draft(actor=actor_of(request), framework=framework)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("frameworks:detail", pk=framework.pk)
    messages.success(request, f"v{version.number} の下書きを作成しました。")
    return redirect(_draft_url(framework))


@role_required(*EDITOR_ROLES)
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the draft, after a confirmation page: a published version never changes."""
    framework = _editable(request, pk)
    draft = framework_draft(framework=framework)
    if draft is None:
        messages.error(request, "公開する下書きがありません。")
        return redirect("frameworks:detail", pk=framework.pk)
    if not _confirmed(request):
        published = framework_version_latest_published(framework=framework)
        return _confirm_page(
            request,
            framework,
            heading=f"v{draft.number} を公開しますか",
            warning="公開した版は変更できません。直すときは新しい下書きを作成して、もう一度公開します。",
            details=[
                "公開すると、この版がフレームワークの現在の版になります。",
                *(
                    [f"いまの公開版 v{published.number} は、過去の版として残ります。"]
                    if published
                    else []
                ),
            ],
            submit_label=f"v{draft.number} を公開する",
            danger=False,
            links=[
                (
                    "表示を確認する",
                    f"{reverse('frameworks:detail', args=[framework.pk])}?"
                    f"{urlencode({'version': draft.number})}",
                ),
                *(
                    [
                        (
                            "公開版との違いを見る",
                            f"{reverse('frameworks:diff', args=[framework.pk])}?"
                            f"{urlencode({'old': published.number, 'new': draft.number})}",
                        )
                    ]
                    if published
                    else []
                ),
            ],
            cancel_url=_draft_url(framework),
            crumb="公開の確認",
        )
    try:
        version = services.framework_version_publish(
            actor=actor_of(request), framework_version=draft
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        _more_errors(request, exc)
        return redirect(_draft_url(framework))
    messages.success(request, f"v{version.number} を公開しました。")
    return redirect(
        f"{reverse('frameworks:detail', args=[framework.pk])}?"
        f"{urlencode({'version': version.number})}"
    )


# --- editing a draft -------------------------------------------------------------


@role_required(*EDITOR_ROLES)
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _editable(request, pk)
    draft = framework_draft(framework=framework)
    content = framework_export(framework_version=draft) if draft is not None else None
    return render(
        request,
        "frameworks/draft.html",
        {
            "framework": framework,
            "draft": draft,
            "content": content,
            "competencies": _competencies_shown(content),
            "mic_labels": MIC_LABELS,
            "published": framework_version_latest_published(framework=framework),
            "breadcrumbs": _crumbs(_framework_crumb(framework), ("下書きの編集", "")),
        },
    )


def _draft_content(framework: Framework) -> dict[str, Any]:
    draft = framework_draft(framework=framework)
    if draft is None:
        raise AccessDenied()
    return framework_export(framework_version=draft)


def _find(items: list[dict[str, Any]], key: str, value: Any) -> dict[str, Any]:
    for item in items:
        if item[key] == value:
            return item
    raise AccessDenied()


def _edit_page(
    request: HttpRequest,
    framework: Framework,
    form: Any,
    save: Any,
    *,
    heading: str,
    success: str,
    anchor: str,
) -> HttpResponse:
    """The GET/POST round of one item form: on success back to the draft page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect(_draft_url(framework, anchor))
    return _form_page(
        request,
        form,
        heading=heading,
        submit_label="保存する",
        cancel_url=_draft_url(framework, anchor),
        crumbs=_crumbs(
            _framework_crumb(framework),
            ("下書きの編集", _draft_url(framework)),
            (heading, ""),
        ),
    )


@role_required(*EDITOR_ROLES)
def talent_type_form(request: HttpRequest, pk: int, type_code: str | None = None) -> HttpResponse:
    framework = _editable(request, pk)
    content = _draft_content(framework)
    editing = type_code is not None
    initial: dict[str, Any] = {}
    if editing:
        t = _find(content["talent_types"], "code", type_code)
        initial = {**t, "roles": "\n".join(r["name"] for r in t["roles"])}
    form = TalentTypeForm(request.POST or None, initial=initial, editing=editing)

    def save(data: dict[str, Any]) -> None:
        services.talent_type_save(
            actor=actor_of(request), framework=framework, code=type_code, values=data
        )

    name = initial.get("name", "")
    return _edit_page(
        request,
        framework,
        form,
        save,
        heading=f"人材類型「{name}」を変更" if editing else "人材類型を追加",
        success="人材類型を保存しました。",
        anchor=f"type-{type_code or request.POST.get('code', '')}",
    )


@role_required(*EDITOR_ROLES)
def individual_level_form(
    request: HttpRequest, pk: int, type_code: str, level_code: str | None = None
) -> HttpResponse:
    framework = _editable(request, pk)
    t = _find(_draft_content(framework)["talent_types"], "code", type_code)
    editing = level_code is not None
    initial = _find(t["individual_levels"], "code", level_code) if editing else {}
    form = IndividualLevelForm(request.POST or None, initial=initial, editing=editing)

    def save(data: dict[str, Any]) -> None:
        services.individual_level_save(
            actor=actor_of(request),
            framework=framework,
            type_code=type_code,
            code=level_code,
            values=data,
        )

    return _edit_page(
        request,
        framework,
        form,
        save,
        heading=(
            f"「{t['name']}」の段階「{initial.get('name', '')}」を変更"
            if editing
            else f"「{t['name']}」に段階を追加"
        ),
        success="段階を保存しました。",
        anchor=f"type-{type_code}",
    )


def _type_choices(content: dict[str, Any]) -> list[tuple[str, str]]:
    return [(t["code"], t["name"]) for t in content["talent_types"]]


@role_required(*EDITOR_ROLES)
def competency_form(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    framework = _editable(request, pk)
    content = _draft_content(framework)
    editing = code is not None
    initial = _find(content["competencies"], "code", code) if editing else {}
    form = CompetencyForm(
        request.POST or None,
        initial=initial,
        talent_types=_type_choices(content),
        editing=editing,
    )

    def save(data: dict[str, Any]) -> None:
        services.competency_save(
            actor=actor_of(request), framework=framework, code=code, values=data
        )

    return _edit_page(
        request,
        framework,
        form,
        save,
        heading=(
            f"マインド・スキル「{initial.get('name', '')}」を変更"
            if editing
            else "マインド・スキルを追加"
        ),
        success="マインド・スキルを保存しました。",
        anchor="competencies",
    )


@role_required(*EDITOR_ROLES)
def competency_level_form(
    request: HttpRequest, pk: int, code: str, level: int | None = None
) -> HttpResponse:
    framework = _editable(request, pk)
    c = _find(_draft_content(framework)["competencies"], "code", code)
    initial: dict[str, Any] = {}
    if level is not None:
        found = _find(c["levels"], "level", level)
        initial = {**found, "behaviours": "\n".join(found["behaviours"])}
    form = CompetencyLevelForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> None:
        services.competency_level_save(
            actor=actor_of(request),
            framework=framework,
            competency_code=code,
            level=level,
            values=data,
        )

    return _edit_page(
        request,
        framework,
        form,
        save,
        heading=(
            f"「{c['name']}」のレベル {level} の行動指標を変更"
            if level is not None
            else f"「{c['name']}」に行動指標を追加"
        ),
        success="行動指標を保存しました。",
        anchor="competencies",
    )


def _more_errors(request: HttpRequest, exc: ApplicationError) -> None:
    """The 2nd… problems of a refused publish or edit, one message each."""
    errors = exc.extra.get("errors")
    for line in errors[1:] if isinstance(errors, list) else []:
        messages.error(request, str(line))


def _post_action(
    request: HttpRequest, framework: Framework, action: Any, *, success: str, anchor: str
) -> HttpResponse:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        _more_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect(_draft_url(framework, anchor))


def _delete(
    request: HttpRequest,
    framework: Framework,
    action: Any,
    *,
    what: str,
    details: list[str],
    success: str,
    anchor: str,
) -> HttpResponse:
    """A delete: the confirmation page first, the service only once confirmed."""
    if not _confirmed(request):
        return _confirm_page(
            request,
            framework,
            heading=f"{what}を削除しますか",
            warning=IRREVERSIBLE,
            details=details,
            submit_label="削除する",
            cancel_url=_draft_url(framework, anchor),
            crumb="削除の確認",
        )
    return _post_action(request, framework, action, success=success, anchor=anchor)


@role_required(*EDITOR_ROLES)
def talent_type_delete(request: HttpRequest, pk: int, type_code: str) -> HttpResponse:
    framework = _editable(request, pk)
    content = _draft_content(framework)
    t = _find(content["talent_types"], "code", type_code)
    owned = [c["name"] for c in content["competencies"] if c["talent_type"] == type_code]
    details = []
    if t["individual_levels"]:
        details.append(f"段階 {len(t['individual_levels'])} 件も一緒に削除されます。")
    if owned:
        details.append(
            f"この人材類型のマインド・スキルが {len(owned)} 件あるため、"
            "先にそれらを削除するか別の人材類型に移すまで削除できません。"
        )
    return _delete(
        request,
        framework,
        lambda: services.talent_type_remove(
            actor=actor_of(request), framework=framework, code=type_code
        ),
        what=f"人材類型「{t['name']}」",
        details=details,
        success="人材類型を削除しました。",
        anchor="types",
    )


@role_required(*EDITOR_ROLES)
def individual_level_delete(
    request: HttpRequest, pk: int, type_code: str, level_code: str
) -> HttpResponse:
    framework = _editable(request, pk)
    t = _find(_draft_content(framework)["talent_types"], "code", type_code)
    lv = _find(t["individual_levels"], "code", level_code)
    return _delete(
        request,
        framework,
        lambda: services.individual_level_remove(
            actor=actor_of(request), framework=framework, type_code=type_code, code=level_code
        ),
        what=f"「{t['name']}」の段階「{lv['label'] or ''}{lv['name']}」",
        details=["後ろの段階の順序は1つずつ繰り上がります。"],
        success="段階を削除しました。",
        anchor=f"type-{type_code}",
    )


@role_required(*EDITOR_ROLES)
@_post_only
def individual_level_move(
    request: HttpRequest, pk: int, type_code: str, level_code: str
) -> HttpResponse:
    """Up/down as a plain form; with htmx only the type's list of levels is swapped."""
    framework = _editable(request, pk)
    actor = actor_of(request)
    error = ""
    version: FrameworkVersion | None
    try:
        version = services.individual_level_move(
            actor=actor,
            framework=framework,
            type_code=type_code,
            code=level_code,
            direction=request.POST.get("direction", ""),
        )
    except ApplicationError as exc:
        error = exc.message
        version = framework_draft(framework=framework)
    if is_htmx(request) and version is not None:
        content = framework_export(framework_version=version)
        return render(
            request,
            "frameworks/partials/draft_levels.html",
            {
                "framework": framework,
                "t": _find(content["talent_types"], "code", type_code),
                "error": error,
                "moved": level_code,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "段階の順序を変えました。")
    return redirect(_draft_url(framework, f"type-{type_code}"))


@role_required(*EDITOR_ROLES)
def competency_delete(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    framework = _editable(request, pk)
    c = _find(_draft_content(framework)["competencies"], "code", code)
    return _delete(
        request,
        framework,
        lambda: services.competency_remove(actor=actor_of(request), framework=framework, code=code),
        what=f"マインド・スキル「{c['name']}」",
        details=[f"行動指標 {len(c['levels'])} 件も一緒に削除されます。"] if c["levels"] else [],
        success="マインド・スキルを削除しました。",
        anchor="competencies",
    )


@role_required(*EDITOR_ROLES)
def competency_level_delete(request: HttpRequest, pk: int, code: str, level: int) -> HttpResponse:
    framework = _editable(request, pk)
    c = _find(_draft_content(framework)["competencies"], "code", code)
    cl = _find(c["levels"], "level", level)
    label = f"（{cl['label']}）" if cl["label"] else ""
    count = len(cl["behaviours"])
    return _delete(
        request,
        framework,
        lambda: services.competency_level_remove(
            actor=actor_of(request), framework=framework, competency_code=code, level=level
        ),
        what=f"「{c['name']}」のレベル{level}{label}の行動指標",
        details=[f"目指す行動 {count} 件が削除されます。"] if count else [],
        success="行動指標を削除しました。",
        anchor="competencies",
    )
