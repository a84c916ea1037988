"""One staff member's 受講歴: enrolments, course completions, hours and skill evidence.

Read through people's visibility matrix (people.visibility): the person
themself, their 所属長 (unit and below), DX推進担当 and 人事担当 of the 団体;
anyone else (都道府県支援担当, another 団体) gets nothing. Every read writes an
audit 閲覧 record: it is staff personal data. A fixed number of queries
whatever the length of the history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from hagukumi.core.audit import audit_record
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.selectors import competencies_in_force
from hagukumi.people.visibility import FieldGroup, staff_visible_groups
from hagukumi.training.models import (
    Attendance,
    CompetencyEvidence,
    CourseCompletion,
    Enrollment,
)
from hagukumi.training.selectors.attendance import HOURS_FIELD, counted_hours_expression


@dataclass(frozen=True)
class EnrollmentLine:
    title: str  # 「【②DX推進リーダー】育成 第1期」 or 「DX001 DX入門」
    fiscal_year: int
    channel: str
    status: str
    completed_on: dt.date | None


@dataclass(frozen=True)
class CompletionLine:
    course_code: str
    course_title: str
    fiscal_year: int
    completed_on: dt.date
    hours: Decimal | None


@dataclass(frozen=True)
class EvidenceLine:
    competency_code: str
    competency_name: str
    level: int | None
    course_code: str
    evidenced_on: dt.date


@dataclass(frozen=True)
class TrainingHistory:
    staff: Any
    enrollments: list[EnrollmentLine]
    completions: list[CompletionLine]
    evidence: list[EvidenceLine]
    hours_by_year: dict[int, Decimal]

    @property
    def is_empty(self) -> bool:
        return not (self.enrollments or self.completions or self.evidence or self.hours_by_year)


def training_history_visible(*, actor: Actor, staff: Any) -> bool:
    """Whether the actor may read this staff member's 受講歴 (people's matrix: 基本情報)."""
    return FieldGroup.BASIC in staff_visible_groups(actor, staff)


def training_history(*, actor: Actor, staff: Any) -> TrainingHistory | None:
    """The staff member's 受講歴 for the actor (None: not theirs to see), audited."""
    if actor is None or not training_history_visible(actor=actor, staff=staff):
        return None
    organization_id = staff.organization_id
    enrollments = [
        EnrollmentLine(
            title=(
                f"{e.cohort.program.title} {e.cohort}"
                if e.cohort is not None
                else f"{e.course.code} {e.course.title}"
                if e.course is not None
                else ""
            ),
            fiscal_year=e.fiscal_year,
            channel=e.get_channel_display(),
            status=e.get_status_display(),
            completed_on=e.completed_on,
        )
        for e in Enrollment.objects.filter(organization_id=organization_id, staff_id=staff.pk)
        .select_related("cohort__program", "course")
        .order_by("-fiscal_year", "requested_at", "pk")
    ]
    completions = [
        CompletionLine(c.course.code, c.course.title, c.fiscal_year, c.completed_on, c.hours)
        for c in CourseCompletion.objects.filter(organization_id=organization_id, staff_id=staff.pk)
        .select_related("course")
        .order_by("-completed_on", "course__code")
    ]
    rows = list(
        CompetencyEvidence.objects.filter(organization_id=organization_id, staff_id=staff.pk)
        .order_by("competency_code", "-evidenced_on", "-pk")
        .values_list("framework_id", "competency_code", "level", "course__code", "evidenced_on")
    )
    names: dict[tuple[int, str], str] = {}
    if rows:
        names = {
            (c.framework_id, c.code): c.name
            for c in competencies_in_force(organization=organization_id)
        }
    evidence = [
        EvidenceLine(code, names.get((framework_id, code), code), level, course_code, day)
        for framework_id, code, level, course_code, day in rows
    ]
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for fiscal_year, total in (
        Attendance.objects.filter(organization_id=organization_id, staff_id=staff.pk)
        .values("session__fiscal_year")
        .annotate(total=Sum(counted_hours_expression(), output_field=HOURS_FIELD))
        .order_by("-session__fiscal_year")
        .values_list("session__fiscal_year", "total")
    ):
        hours[fiscal_year] = Decimal(total or 0).quantize(Decimal("0.01"))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=staff,
        target_repr=f"受講歴: {getattr(staff, 'audit_label', staff)}",
        detail={
            "what": "受講歴",
            "enrollments": len(enrollments),
            "completions": len(completions),
            "evidence": len(evidence),
        },
    )
    return TrainingHistory(
        staff=staff,
        enrollments=enrollments,
        completions=completions,
        evidence=evidence,
        hours_by_year=dict(hours),
    )


__all__ = [
    "CompletionLine",
    "EnrollmentLine",
    "EvidenceLine",
    "TrainingHistory",
    "training_history",
    "training_history_visible",
]
