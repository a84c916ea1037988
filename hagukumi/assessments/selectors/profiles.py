"""What a staff profile shows of assessments, practice and certificates (one read each, audited).

Visibility is people's: a staff member the actor may not see gets 404 here
(職員 self, 所属長 unit and below, DX推進担当/人事担当 the 団体). Assessment values
and training's skill evidence (CompetencyEvidence) are shown side by side:
with 上司 2 on 業務改善能力 and evidence 3 from a course, the row shows both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from hagukumi.assessments.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentSheet,
    Certificate,
    PracticeRecord,
    PracticeStatus,
)
from hagukumi.assessments.selectors.access import staff_relation
from hagukumi.assessments.selectors.practice_months import months_covered
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_fiscal_year
from hagukumi.people.models import Staff
from hagukumi.training.selectors.certification_facts import EvidenceRow, competency_evidence

__all__ = [
    "CompetencyRow",
    "SheetProfile",
    "staff_assessment_profile",
    "staff_certificates",
    "staff_practice_records",
]

KINDS = tuple(AssessmentKind.values)


def _require_visible(actor: Actor, staff: Staff) -> None:
    if not staff_relation(actor=actor, staff=staff).visible:
        raise AccessDenied()


@dataclass(frozen=True)
class CompetencyRow:
    competency_code: str
    text: str
    values: dict[str, int | None]  # kind → latest submitted value
    evidence: tuple[EvidenceRow, ...]  # newest first

    @property
    def best_evidence_level(self) -> int | None:
        levels = [e.level for e in self.evidence if e.level is not None]
        return max(levels) if levels else None


@dataclass(frozen=True)
class SheetProfile:
    sheet: AssessmentSheet
    window_labels: dict[str, str]  # kind → the window its values come from
    rows: tuple[CompetencyRow, ...]


def staff_assessment_profile(*, actor: Actor, staff: Staff) -> list[SheetProfile]:
    """Per sheet the staff member was assessed on: each item's latest submitted value per kind
    (本人/上司/事務局) and the skill evidence from training for its competency."""
    _require_visible(actor, staff)
    answers = (
        AssessmentAnswer.objects.filter(
            assessment__staff=staff,
            assessment__organization_id=staff.organization_id,
            assessment__submitted_at__isnull=False,
        )
        .select_related("assessment__window", "item")
        .order_by("assessment__window__opens_on", "item__order")
    )
    # (sheet, kind) → the values of its latest window (answers come in window order).
    latest: dict[tuple[int, str], dict[str, int]] = {}
    window_of: dict[tuple[int, str], int] = {}
    windows: dict[tuple[int, str], str] = {}
    sheet_ids: set[int] = set()
    for answer in answers:
        window = answer.assessment.window
        key = (window.sheet_id, answer.assessment.kind)
        if window_of.get(key) != window.pk:
            window_of[key] = window.pk
            latest[key] = {}
            windows[key] = format_fiscal_year(window.fiscal_year, with_western=False) + (
                f" {window.name}" if window.name else ""
            )
        latest[key][answer.item.competency_code] = answer.value
        sheet_ids.add(window.sheet_id)
    profiles: list[SheetProfile] = []
    sheets = AssessmentSheet.objects.filter(pk__in=sheet_ids).prefetch_related("items")
    for sheet in sheets.order_by("code"):
        items = sorted(sheet.items.all(), key=lambda i: i.order)
        evidence: dict[str, list[EvidenceRow]] = defaultdict(list)
        for row in competency_evidence(
            organization_id=staff.organization_id,
            framework_id=sheet.framework_id,
            staff_ids=[staff.pk],
            competency_codes=[i.competency_code for i in items],
        ):
            evidence[row.competency_code].append(row)
        profiles.append(
            SheetProfile(
                sheet=sheet,
                window_labels={
                    kind: windows[(sheet.pk, kind)] for kind in KINDS if (sheet.pk, kind) in windows
                },
                rows=tuple(
                    CompetencyRow(
                        competency_code=i.competency_code,
                        text=i.text,
                        values={
                            kind: latest.get((sheet.pk, kind), {}).get(i.competency_code)
                            for kind in KINDS
                        },
                        evidence=tuple(evidence.get(i.competency_code, ())),
                    )
                    for i in items
                ),
            )
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"アセスメント {staff.number} {staff.name}",
        detail={"sheets": len(profiles)},
    )
    return profiles


@dataclass(frozen=True)
class PracticeSummary:
    records: tuple[PracticeRecord, ...]
    confirmed_months: int


def staff_practice_records(*, actor: Actor, staff: Staff) -> PracticeSummary:
    """The staff member's 実践記録 (newest first) and their confirmed months (overlaps once).

    Drafts are the author's own: others see records from 確認待ち on.
    """
    relation = staff_relation(actor=actor, staff=staff)
    if not relation.visible:
        raise AccessDenied()
    records = PracticeRecord.objects.filter(
        organization_id=staff.organization_id, staff=staff
    ).prefetch_related("evidence")
    if not relation.is_self:
        records = records.exclude(status=PracticeStatus.DRAFT)
    rows = tuple(records.order_by("-period_start", "-id"))
    months = months_covered(
        (r.period_start, r.period_end) for r in rows if r.status == PracticeStatus.CONFIRMED
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"実践記録 {staff.number} {staff.name}",
        detail={"records": len(rows)},
    )
    return PracticeSummary(records=rows, confirmed_months=months)


def staff_certificates(*, actor: Actor, staff: Staff) -> list[Certificate]:
    """The staff member's 修了証 (newest first)."""
    _require_visible(actor, staff)
    certificates = list(
        Certificate.objects.filter(organization_id=staff.organization_id, staff=staff)
        .select_related("framework")
        .order_by("-issued_on", "-serial")
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"修了証 {staff.number} {staff.name}",
        detail={"certificates": len(certificates)},
    )
    return certificates
