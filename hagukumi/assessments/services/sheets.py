"""Assessment sheets from a framework's competencies, and their windows per 年度.

- `framework_competencies_from_template_add`: for the demo, adds the 7
  `dx-leader` competencies of the `sapporo` template (札幌市デジタル人材育成方針,
  seeds/002_* 【②DX推進リーダー】必要なマインド・スキル) to a 団体's framework as a
  new published version, through frameworks.services (new draft → edit →
  publish), keeping each item's source.
- `sheet_create_from_framework`: a sheet whose items are competencies (by
  stable code) of the framework's version in force, with the sheet's own
  scale (札幌's `dx-leader` competencies have no levels: the sheet says 1–4).
- Windows: `window_create` opens a sheet in a 年度; `windows_from_template_create`
  follows a schedule template — 北海道 (seeds/000_*: 「アセスメントシートを活用した
  認定。R5秋から毎年実施。」) opens every autumn; the dates 10/1–11/30 are ours,
  so the windows are marked 例示 (`is_illustrative`).
- `sheet_delete`: refused while a certification rule uses the sheet (PROTECT).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from hagukumi.assessments.models import AssessmentSheet, AssessmentWindow, RuleClause, SheetItem
from hagukumi.assessments.roles import EDITOR_ROLES
from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_range, format_date, format_fiscal_year
from hagukumi.frameworks.content import Content
from hagukumi.frameworks.models import Framework, FrameworkVersion
from hagukumi.frameworks.selectors import (
    competencies_in_force,
    framework_draft,
    framework_export,
    version_in_force,
)
from hagukumi.frameworks.services import (
    TEMPLATE_DIR,
    framework_draft_edit,
    framework_version_new_draft,
    framework_version_publish,
    template_content_read,
)

__all__ = [
    "WINDOW_TEMPLATES",
    "WindowTemplate",
    "framework_competencies_from_template_add",
    "sheet_create_from_framework",
    "sheet_delete",
    "window_contains",
    "window_create",
    "window_period_label",
    "windows_from_template_create",
]


def _require_editor(actor: Actor, organization_id: int | None) -> None:
    require_role(actor, *EDITOR_ROLES)
    if organization_id is None or actor.organization_id != organization_id:
        raise AccessDenied()


# ---------------------------------------------------------------- competencies from a template


def _template_competencies(template_code: str, talent_type_code: str) -> list[dict[str, Any]]:
    path = TEMPLATE_DIR / f"{template_code}.toml"
    if not path.is_file():
        raise ApplicationError(f"テンプレート「{template_code}」が見つかりません。")
    content = template_content_read(path)
    found = [c for c in content["competencies"] if c["talent_type"] == talent_type_code]
    if not found:
        raise ApplicationError(
            f"テンプレート「{template_code}」に人材類型 {talent_type_code} のマインド・スキルが"
            "ありません。"
        )
    return found


@transaction.atomic
def framework_competencies_from_template_add(
    *,
    actor: Actor,
    framework: Framework,
    template_code: str = "sapporo",
    talent_type_code: str = "dx-leader",
) -> FrameworkVersion:
    """Add a template's competencies of one talent type to `framework` as a new published version.

    Default: the 7 `dx-leader` マインド・スキル of 札幌 (seeds/002_*), each keeping its
    source. Codes the version in force already has are left as they are; when it
    has them all, nothing is written and the version in force is returned. The
    framework must have the talent type (「人材類型 dx-leader がフレームワーク〇〇に
    ありません」) and no draft in progress (its editor's work is never published
    by this service).
    """
    _require_editor(actor, framework.owner_id)
    if framework.is_template:
        raise AccessDenied()
    wanted = _template_competencies(template_code, talent_type_code)
    current = version_in_force(framework=framework)
    if current is None:
        raise ApplicationError(
            f"フレームワーク「{framework.name}」に公開済みの版がありません。先に公開してください。"
        )
    content = framework_export(framework_version=current)
    if talent_type_code not in {t["code"] for t in content["talent_types"]}:
        raise ApplicationError(
            f"人材類型 {talent_type_code} がフレームワーク「{framework.name}」にありません。"
        )
    have = {c["code"] for c in content["competencies"]}
    missing = [c for c in wanted if c["code"] not in have]
    if not missing:
        return current
    draft = framework_draft(framework=framework)
    if draft is not None:
        raise ApplicationError(
            f"フレームワーク「{framework.name}」に編集中の下書き v{draft.number} があります。"
            "下書きを公開または破棄してから追加してください。"
        )
    framework_version_new_draft(actor=actor, framework=framework)

    def edit(draft_content: Content) -> None:
        for item in missing:
            draft_content["competencies"].append(dict(item))

    version = framework_draft_edit(actor=actor, framework=framework, edit=edit)
    return framework_version_publish(actor=actor, framework_version=version)


# ---------------------------------------------------------------- sheets


@transaction.atomic
def sheet_create_from_framework(
    *,
    actor: Actor,
    framework: Framework,
    code: str,
    title: str,
    talent_type_code: str = "",
    competency_codes: Sequence[str] | None = None,
    scale_min: int = 1,
    scale_max: int = 4,
    scale_labels: dict[str, str] | None = None,
    allows_self: bool = True,
    allows_supervisor: bool = True,
    allows_office: bool = True,
    has_test_score: bool = False,
    test_score_max: Decimal | None = None,
    description: str = "",
    template_code: str = "",
    source: str = "",
) -> AssessmentSheet:
    """A sheet whose items are the framework's competencies in force (by stable code).

    Items: `competency_codes` in that order, else every competency of
    `talent_type_code` (else of the framework) in the framework's order; each
    item's 設問 is the competency's name. The scale is the sheet's own.
    """
    organization_id = framework.owner_id
    _require_editor(actor, organization_id)
    if framework.is_template or organization_id is None:
        raise AccessDenied()
    version = version_in_force(framework=framework)
    if version is None:
        raise ApplicationError(
            f"フレームワーク「{framework.name}」に公開済みの版がありません。先に公開してください。"
        )
    in_force = competencies_in_force(organization=organization_id, framework=framework)
    by_code = {c.code: c for c in in_force}
    if competency_codes is not None:
        unknown = [code for code in competency_codes if code not in by_code]
        if unknown:
            raise ApplicationError(
                f"マインド・スキル「{'、'.join(unknown)}」はフレームワーク「{framework.name}」"
                f"（v{version.number}）にありません。"
            )
        chosen = [by_code[code] for code in competency_codes]
    elif talent_type_code:
        chosen = [c for c in in_force if c.talent_type_code == talent_type_code]
    else:
        chosen = list(in_force)
    if not chosen:
        what = f"人材類型 {talent_type_code} の" if talent_type_code else ""
        raise ApplicationError(
            f"フレームワーク「{framework.name}」に{what}マインド・スキルがありません。"
            "設問にするマインド・スキルを登録・公開してください。"
        )
    if AssessmentSheet.objects.filter(organization_id=organization_id, code=code).exists():
        raise ApplicationError(f"コード「{code}」のアセスメントシートは既にあります。")
    sheet = AssessmentSheet(
        organization_id=organization_id,
        code=code,
        title=title,
        description=description,
        framework=framework,
        framework_version_number=version.number,
        scale_min=scale_min,
        scale_max=scale_max,
        scale_labels=scale_labels or {},
        allows_self=allows_self,
        allows_supervisor=allows_supervisor,
        allows_office=allows_office,
        has_test_score=has_test_score,
        test_score_max=test_score_max,
        template_code=template_code,
        source=source,
    )
    if scale_max <= scale_min:
        raise ApplicationError(
            f"評価の最大値（{scale_max}）は最小値（{scale_min}）より大きくしてください。"
        )
    if not (allows_self or allows_supervisor or allows_office):
        raise ApplicationError("本人・上司・事務局のいずれかの評価を選んでください。")
    if test_score_max is not None and not has_test_score:
        raise ApplicationError("テストの満点は「テストの点数を記録する」ときだけ入力できます。")
    sheet.full_clean()
    sheet.save()
    items = [
        SheetItem(sheet=sheet, order=position, competency_code=c.code, text=c.name)
        for position, c in enumerate(chosen, start=1)
    ]
    for item in items:
        item.full_clean(exclude=["sheet"])
    SheetItem.objects.bulk_create(items)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=sheet,
        organization=framework.owner,
        detail={
            "framework": framework.code,
            "version": version.number,
            "items": [c.code for c in chosen],
            "scale": [scale_min, scale_max],
        },
    )
    return sheet


@transaction.atomic
def sheet_delete(*, actor: Actor, sheet: AssessmentSheet) -> None:
    """Delete a sheet with its items; refused while a rule or an assessment uses it."""
    _require_editor(actor, sheet.organization_id)
    rules = sorted(
        {
            clause.rule.name
            for clause in RuleClause.objects.filter(sheet=sheet).select_related("rule")
        }
    )
    if rules:
        raise ApplicationError(
            f"アセスメントシート「{sheet.title}」は認定基準「{'」「'.join(rules)}」で使われているため"
            "削除できません。先に認定基準の条件を変えてください。"
        )
    label = str(sheet)
    pk = sheet.pk
    try:
        with transaction.atomic():
            AssessmentWindow.objects.filter(sheet=sheet, assessments__isnull=True).delete()
            sheet.delete()
    except ProtectedError as exc:
        raise ApplicationError(
            f"アセスメントシート「{sheet.title}」には回答済みのアセスメントがあるため削除できません。"
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        target_type=AssessmentSheet._meta.label,
        target_id=pk,
        target_repr=label,
    )


# ---------------------------------------------------------------- windows


def _window_label(window: AssessmentWindow) -> str:
    return f"{format_date(window.opens_on)}～{format_date(window.closes_on)}"


@transaction.atomic
def window_create(
    *,
    actor: Actor,
    sheet: AssessmentSheet,
    fiscal_year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    name: str = "",
    is_illustrative: bool = False,
) -> AssessmentWindow:
    """Open `sheet` for answers from `opens_on` to `closes_on` (both in `fiscal_year`)."""
    _require_editor(actor, sheet.organization_id)
    if closes_on < opens_on:
        raise ApplicationError(
            f"実施期間: 締切日（{format_date(closes_on)}）が開始日（{format_date(opens_on)}）"
            "より前です。"
        )
    first, last = fiscal_year_range(fiscal_year)
    if not (first <= opens_on <= last and first <= closes_on <= last):
        raise ApplicationError(
            f"実施期間は{format_fiscal_year(fiscal_year, with_western=False)}の中の"
            f"日付にしてください（{format_date(opens_on)}～{format_date(closes_on)}）。"
        )
    if AssessmentWindow.objects.filter(sheet=sheet, opens_on=opens_on).exists():
        raise ApplicationError(
            f"{format_date(opens_on)} に始まる実施期間は既にあります（{sheet.title}）。"
        )
    window = AssessmentWindow(
        sheet=sheet,
        fiscal_year=fiscal_year,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        is_illustrative=is_illustrative,
    )
    window.full_clean()
    window.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=window,
        detail={"sheet": sheet.code, "fiscal_year": fiscal_year, "period": _window_label(window)},
    )
    return window


@dataclass(frozen=True)
class WindowTemplate:
    """A schedule: a window every 年度 from `first_fiscal_year`, month/day to month/day."""

    code: str
    name: str
    opens: tuple[int, int]
    closes: tuple[int, int]
    first_fiscal_year: int
    is_illustrative: bool
    source: str


WINDOW_TEMPLATES: dict[str, WindowTemplate] = {
    "hokkaido": WindowTemplate(
        code="hokkaido",
        name="秋期",
        opens=(10, 1),
        closes=(11, 30),
        first_fiscal_year=2023,  # R5
        # The seed says only 「秋」: the dates are ours (例示).
        is_illustrative=True,
        source=(
            "seeds/000_ed3477084cc589e5.txt "
            "「アセスメントシートを活用した認定。R5秋から毎年実施。」"
        ),
    ),
}


def _date_in(fiscal_year: int, month_day: tuple[int, int]) -> dt.date:
    month, day = month_day
    return dt.date(fiscal_year if month >= 4 else fiscal_year + 1, month, day)


@transaction.atomic
def windows_from_template_create(
    *,
    actor: Actor,
    sheet: AssessmentSheet,
    template_code: str,
    fiscal_years: Sequence[int],
) -> list[AssessmentWindow]:
    """The schedule's window for each 年度 (idempotent: an existing window is kept).

    北海道: 秋期 10/1–11/30 (例示) every 年度 from R5 (2023); an earlier 年度 is refused.
    """
    template = WINDOW_TEMPLATES.get(template_code)
    if template is None:
        raise ApplicationError(f"実施期間のテンプレート「{template_code}」はありません。")
    windows: list[AssessmentWindow] = []
    for fiscal_year in fiscal_years:
        if fiscal_year < template.first_fiscal_year:
            raise ApplicationError(
                f"{template.name}の実施は{format_fiscal_year(template.first_fiscal_year)}からです"
                f"（{format_fiscal_year(fiscal_year)} は指定できません）。"
            )
        opens_on = _date_in(fiscal_year, template.opens)
        existing = AssessmentWindow.objects.filter(sheet=sheet, opens_on=opens_on).first()
        if existing is not None:
            _require_editor(actor, sheet.organization_id)
            windows.append(existing)
            continue
        windows.append(
            window_create(
                actor=actor,
                sheet=sheet,
                fiscal_year=fiscal_year,
                opens_on=opens_on,
                closes_on=_date_in(fiscal_year, template.closes),
                name=template.name,
                is_illustrative=template.is_illustrative,
            )
        )
    return windows


def window_contains(window: AssessmentWindow, day: dt.date) -> bool:
    return window.opens_on <= day <= window.closes_on


def window_period_label(window: AssessmentWindow) -> str:
    """「令和7年10月1日～令和7年11月30日」 (+ 例示 when the dates are ours)."""
    label = _window_label(window)
    return f"{label}（例示）" if window.is_illustrative else label
