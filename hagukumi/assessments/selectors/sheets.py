"""Sheets, windows and the assessment form (with training's skill evidence beside each item).

The form shows, for each item, the value already saved (a draft) and the
evidence training recorded for that competency (CompetencyEvidence: course,
level, date). Evidence never changes an answer: it is shown so the assessor
can take it into account (ADR 0007).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from hagukumi.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSheet,
    AssessmentWindow,
)
from hagukumi.assessments.roles import READER_ROLES
from hagukumi.assessments.selectors.access import staff_relation
from hagukumi.core.access import require_role, scope_to_organization
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff
from hagukumi.training.selectors.certification_facts import EvidenceRow, competency_evidence

__all__ = [
    "AssessmentForm",
    "FormItem",
    "assessment_form",
    "sheets_for",
    "windows_for",
    "windows_open_on",
]

KIND_LABELS = dict(AssessmentKind.choices)


def sheets_for(*, actor: Actor) -> QuerySet[AssessmentSheet]:
    require_role(actor, *READER_ROLES)
    return scope_to_organization(actor, AssessmentSheet.objects.select_related("framework"))


def windows_for(*, actor: Actor, sheet: AssessmentSheet) -> QuerySet[AssessmentWindow]:
    require_role(actor, *READER_ROLES)
    if sheet.organization_id != actor.organization_id:
        raise AccessDenied()
    return sheet.windows.order_by("opens_on")


def windows_open_on(*, actor: Actor, day: dt.date) -> QuerySet[AssessmentWindow]:
    """The 団体's windows open on `day` (for a home task or a menu)."""
    require_role(actor, *READER_ROLES)
    return scope_to_organization(
        actor,
        AssessmentWindow.objects.select_related("sheet"),
        organization_field="sheet__organization",
    ).filter(opens_on__lte=day, closes_on__gte=day)


@dataclass(frozen=True)
class FormItem:
    item_id: int
    order: int
    competency_code: str
    text: str
    value: int | None  # saved (draft or submitted) value
    evidence: tuple[EvidenceRow, ...]  # newest first

    @property
    def best_evidence_level(self) -> int | None:
        levels = [e.level for e in self.evidence if e.level is not None]
        return max(levels) if levels else None


@dataclass(frozen=True)
class AssessmentForm:
    window: AssessmentWindow
    sheet: AssessmentSheet
    staff: Staff
    kind: str
    items: tuple[FormItem, ...]
    scale: tuple[int, ...]
    scale_labels: dict[str, str]
    assessment: Assessment | None
    may_answer: bool  # the actor is the right assessor for this kind
    is_open: bool  # `today` lies in the window

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def submitted(self) -> bool:
        return self.assessment is not None and self.assessment.submitted_at is not None


def assessment_form(
    *, actor: Actor, window: AssessmentWindow, staff: Staff, kind: str, today: dt.date
) -> AssessmentForm:
    """What the `kind` form for `staff` in `window` shows; 404 when the actor may not see them."""
    sheet = window.sheet
    if actor is None or sheet.organization_id != actor.organization_id:
        raise AccessDenied()
    relation = staff_relation(actor=actor, staff=staff)
    if not relation.visible or kind not in AssessmentKind.values:
        raise AccessDenied()
    may_answer = {
        AssessmentKind.SELF: relation.is_self,
        AssessmentKind.SUPERVISOR: relation.is_head,
        AssessmentKind.OFFICE: relation.is_office,
    }[AssessmentKind(kind)]
    assessment = (
        Assessment.objects.filter(window=window, staff=staff, kind=kind)
        .prefetch_related("answers")
        .first()
    )
    values = {a.item_id: a.value for a in assessment.answers.all()} if assessment else {}
    items = list(sheet.items.order_by("order"))
    evidence: dict[str, list[EvidenceRow]] = defaultdict(list)
    for row in competency_evidence(
        organization_id=sheet.organization_id,
        framework_id=sheet.framework_id,
        staff_ids=[staff.pk],
        competency_codes=[i.competency_code for i in items],
    ):
        evidence[row.competency_code].append(row)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"アセスメント（{KIND_LABELS[kind]}）の入力 {staff.number} {staff.name}",
        detail={"window": window.pk, "kind": kind},
    )
    return AssessmentForm(
        window=window,
        sheet=sheet,
        staff=staff,
        kind=kind,
        items=tuple(
            FormItem(
                item_id=i.pk,
                order=i.order,
                competency_code=i.competency_code,
                text=i.text,
                value=values.get(i.pk),
                evidence=tuple(evidence.get(i.competency_code, ())),
            )
            for i in items
        ),
        scale=tuple(range(sheet.scale_min, sheet.scale_max + 1)),
        scale_labels=dict(sheet.scale_labels or {}),
        assessment=assessment,
        may_answer=may_answer,
        is_open=window.opens_on <= today <= window.closes_on,
    )
