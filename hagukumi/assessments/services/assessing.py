"""Answering an assessment: 本人 / 上司 / 事務局, one per kind, staff member and window.

Rules (issue [研修]):
- 本人: the staff member themselves; 上司: only the staff member's 所属長 (unit
  and below, never for themselves); 事務局: the DX推進担当 (the command line
  holds it), who may also record a test score when the sheet has one (掛川's
  「DXリーダー向けアセスメント」). Someone who may see the staff member but is not
  the right person is refused by name; someone who may not see them gets 404.
- Answers are integers within the sheet's scale, given by competency code;
  each error names the item (「設問「業務改善能力」: 評価は 1～4 …」).
- Only inside the window (`today` is passed, never read from the clock).
- A saved draft may be changed until it is submitted; submitting needs every item.
Training's skill evidence (CompetencyEvidence) is shown beside the form and
never changes an answer (ADR 0007).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from hagukumi.assessments.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentKind,
    AssessmentWindow,
    SheetItem,
)
from hagukumi.assessments.selectors.access import staff_relation
from hagukumi.assessments.services.sheets import window_contains, window_period_label
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_date
from hagukumi.people.models import Staff

__all__ = ["assessment_save"]

KIND_LABELS = dict(AssessmentKind.choices)


def _check_assessor(actor: Actor, staff: Staff, kind: str) -> None:
    relation = staff_relation(actor=actor, staff=staff)
    if not relation.visible:
        raise AccessDenied()
    who = f"職員 {staff.number} {staff.name}"
    if kind == AssessmentKind.SELF and not relation.is_self:
        raise ApplicationError(f"本人評価は本人だけが入力できます（{who}）。")
    if kind == AssessmentKind.SUPERVISOR and not relation.is_head:
        raise ApplicationError(
            f"上司評価は所属長だけが入力できます（{who} の所属長ではありません）。"
        )
    if kind == AssessmentKind.OFFICE and not relation.is_office:
        raise ApplicationError(f"事務局評価は DX推進担当だけが入力できます（{who}）。")


def _answers(
    items: list[SheetItem], answers: Mapping[str, Any], scale: tuple[int, int]
) -> dict[int, int]:
    by_code = {item.competency_code: item for item in items}
    unknown = [code for code in answers if code not in by_code]
    if unknown:
        raise ApplicationError(f"シートにない設問です: {'、'.join(map(str, unknown))}")
    low, high = scale
    values: dict[int, int] = {}
    for item in items:
        if item.competency_code not in answers:
            continue
        raw = answers[item.competency_code]
        if raw is None or raw == "":
            continue
        try:
            value = int(str(raw).strip())
            if str(raw).strip() != str(value):
                raise ValueError(raw)
        except ValueError as exc:
            raise ApplicationError(
                f"設問「{item.text}」: 評価は {low}～{high} の整数で入力してください（{raw}）。"
            ) from exc
        if not low <= value <= high:
            raise ApplicationError(
                f"設問「{item.text}」: 評価は {low}～{high} の範囲で入力してください（{value}）。"
            )
        values[item.pk] = value
    return values


def _test_score(window: AssessmentWindow, kind: str, raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    sheet = window.sheet
    if kind != AssessmentKind.OFFICE or not sheet.has_test_score:
        raise ApplicationError(
            "テストの点数は、点数を記録するシートの事務局評価だけに入力できます。"
        )
    try:
        score = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ApplicationError(f"テストの点数は数で入力してください（{raw}）。") from exc
    if not score.is_finite() or score < 0 or score.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ApplicationError(f"テストの点数は 0 以上、小数第2位までで入力してください（{raw}）。")
    if sheet.test_score_max is not None and score > sheet.test_score_max:
        raise ApplicationError(
            f"テストの点数は満点（{sheet.test_score_max.normalize():f}）以下で入力してください"
            f"（{raw}）。"
        )
    return score


@transaction.atomic
def assessment_save(
    *,
    actor: Actor,
    window: AssessmentWindow,
    staff: Staff,
    kind: str,
    answers: Mapping[str, Any],
    today: dt.date,
    now: dt.datetime,
    test_score: Any = None,
    comment: str = "",
    submit: bool = False,
) -> Assessment:
    """Save (and with `submit`, submit) the `kind` assessment of `staff` in `window`.

    `answers`: competency code → value. Refused: a kind the sheet does not
    allow, the wrong assessor, a day outside the window, a value outside the
    scale, a submitted assessment, a missing answer at submission.
    """
    sheet = window.sheet
    if actor is None or sheet.organization_id != actor.organization_id:
        raise AccessDenied()
    if staff.organization_id != sheet.organization_id:
        raise AccessDenied()
    if kind not in AssessmentKind.values:
        raise ApplicationError(f"アセスメントの種類「{kind}」はありません。")
    _check_assessor(actor, staff, kind)
    if kind not in sheet.kinds_allowed:
        raise ApplicationError(f"「{sheet.title}」では{KIND_LABELS[kind]}評価は行いません。")
    if not window_contains(window, today):
        raise ApplicationError(
            f"{format_date(today)} は実施期間（{window_period_label(window)}）の外です。"
            "期間内に入力してください。"
        )
    items = list(sheet.items.order_by("order"))
    values = _answers(items, answers, (sheet.scale_min, sheet.scale_max))
    score = _test_score(window, kind, test_score)
    assessment = (
        Assessment.objects.select_for_update().filter(window=window, staff=staff, kind=kind).first()
    )
    created = assessment is None
    if assessment is not None and assessment.submitted_at is not None:
        raise ApplicationError(
            f"職員 {staff.number} の{KIND_LABELS[kind]}評価は提出済みです"
            f"（{format_date(assessment.submitted_at.date())}）。変更できません。"
        )
    if assessment is None:
        assessment = Assessment(
            organization_id=sheet.organization_id, window=window, staff=staff, kind=kind
        )
    assessment.assessor = actor.user
    assessment.assessor_name = actor.audit_username
    assessment.test_score = score
    assessment.comment = comment
    kept = {a.item_id: a for a in assessment.answers.all()} if not created else {}
    merged = {item_id: answer.value for item_id, answer in kept.items()}
    merged.update(values)
    if submit:
        missing = [item.text for item in items if item.pk not in merged]
        if missing:
            raise ApplicationError(
                f"未回答の設問があります: 「{'」「'.join(missing)}」。"
                "すべて回答してから提出してください。"
            )
        if sheet.has_test_score and kind == AssessmentKind.OFFICE and score is None:
            raise ApplicationError("テストの点数を入力してから提出してください。")
        assessment.submitted_at = now
    assessment.full_clean()
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:  # a concurrent first save of the same kind
        raise ApplicationError(
            f"職員 {staff.number} の{KIND_LABELS[kind]}評価は別の画面で保存されました。"
            "読み込み直してください。"
        ) from exc
    for item_id, value in values.items():
        answer = kept.get(item_id)
        if answer is None:
            AssessmentAnswer.objects.create(assessment=assessment, item_id=item_id, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=assessment,
        detail={
            "window": window.pk,
            "kind": kind,
            "answers": len(merged),
            "submitted": assessment.submitted_at is not None,
        },
    )
    return assessment
