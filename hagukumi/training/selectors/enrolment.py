"""Enrolment reads: one enrolment for an actor, a cohort's enrolments, the 所属長's 推薦 list.

Who sees what (people.visibility): DX推進担当 and 人事担当 every enrolment of the
団体; 所属長 those of staff in their unit and below; 職員 their own; anyone
else (都道府県支援担当, another 団体) nothing — AccessDenied, 404. Lists of
enrolments are staff personal data and are audited (閲覧).

The per-unit quota facts (`quota_unit_of`, `quota_refusal`, `previous_designee`,
`earlier_cohort_of`) are shared with training.services.enrolment, so the 推薦
list shows exactly the reasons the service would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import section_of_units, unit_ancestor_of_kind
from hagukumi.people.models import Designation, DesignationStatus, Staff
from hagukumi.people.selectors import staff_of_user
from hagukumi.people.visibility import headed_unit_ids
from hagukumi.training.models import (
    LIVE_ENROLLMENT_STATUSES,
    SEATED_ENROLLMENT_STATUSES,
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentChannel,
    EnrollmentStatus,
    Program,
    Quota,
    QuotaChannel,
)
from hagukumi.training.roles import (
    ENROLMENT_WIDE_ROLES,
    RECOMMEND_ROLES,
    TRAINING_READ_ROLES,
)
from hagukumi.training.selectors.programs import organization_id_of, organization_of

__all__ = [
    "OPEN_COHORT_STATUSES",
    "RecommendList",
    "RecommendRow",
    "access_enrollment_by_id",
    "cohort_enrollments",
    "cohort_seat_counts",
    "earlier_cohort_of",
    "enrollment_approvals_pending",
    "my_enrollments",
    "previous_designee",
    "quota_full_message",
    "quota_unit_of",
    "recommendable_cohorts",
    "recommendable_staff",
    "staff_label",
]

# Cohorts that take 手挙げ and 推薦 (指名 also while running).
OPEN_COHORT_STATUSES = (CohortStatus.PLANNED, CohortStatus.RECRUITING)
# Designation statuses that make someone a holder of the talent type (「既に推進員」).
REACHED_STATUSES = (
    DesignationStatus.TRAINING,
    DesignationStatus.CERTIFIED,
    DesignationStatus.PRACTISING,
)


def staff_label(staff: Staff) -> str:
    """「000123 山田 太郎」: how messages name a staff member."""
    return f"{staff.number} {staff.name}"


def _head_unit_ids(actor: Actor, today: dt.date) -> frozenset[int]:
    return headed_unit_ids(actor, fiscal_year=fiscal_year_of(today))


def _enrollments(actor: Actor, *, today: dt.date) -> QuerySet[Enrollment]:
    """Enrolments of the actor's 団体 the actor may see (unit and below; own)."""
    if actor is None or actor.organization_id is None:
        return Enrollment.objects.none()
    qs = Enrollment.objects.filter(organization_id=organization_id_of(actor))
    if actor.has_role(*ENROLMENT_WIDE_ROLES):
        return qs
    reach = Q(pk__in=[])
    if actor.has_role(Role.UNIT_HEAD):
        reach |= Q(staff__unit_id__in=_head_unit_ids(actor, today))
    if actor.user is not None:
        reach |= Q(staff__user_id=actor.user.pk)
    return qs.filter(reach)


def access_enrollment_by_id(
    *, actor: Actor, enrollment_id: int | str, today: dt.date
) -> Enrollment:
    """The enrolment if the actor may see it (DX/人事: 団体; 所属長: unit and below; self)."""
    try:
        return (
            _enrollments(actor, today=today)
            .select_related("staff__unit", "cohort__program", "quota", "quota_unit")
            .get(pk=enrollment_id)
        )
    except (Enrollment.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc


@dataclass(frozen=True)
class SeatCounts:
    seated: int
    waitlisted: int
    applied: int


def cohort_seat_counts(cohorts: Iterable[Cohort]) -> dict[int, SeatCounts]:
    """cohort id → seats taken (申請中/承認/修了/未修了), 待機 and 申請中 (aggregates only)."""
    ids = [c.pk for c in cohorts]
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for cohort_id, status in Enrollment.objects.filter(
        cohort_id__in=ids, status__in=LIVE_ENROLLMENT_STATUSES
    ).values_list("cohort_id", "status"):
        counts[cohort_id][status] = counts[cohort_id].get(status, 0) + 1
    return {
        pk: SeatCounts(
            seated=sum(n for s, n in c.items() if s in SEATED_ENROLLMENT_STATUSES),
            waitlisted=c.get(EnrollmentStatus.WAITLISTED, 0),
            applied=c.get(EnrollmentStatus.APPLIED, 0),
        )
        for pk, c in counts.items()
    }


def _audit_list(actor: Actor, *, what: str, detail: dict[str, object]) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target_type=Enrollment._meta.label,
        target_repr=what,
        detail=detail,
    )


def cohort_enrollments(*, actor: Actor, cohort: Cohort, today: dt.date) -> list[Enrollment]:
    """A cohort's enrolments the actor may see, 待機 in their FCFS order (audited)."""
    require_role(actor, *TRAINING_READ_ROLES)
    if cohort.organization_id != actor.organization_id:
        raise AccessDenied()
    rows = list(
        _enrollments(actor, today=today)
        .filter(cohort=cohort)
        .select_related("staff__unit", "quota_unit")
        .order_by("requested_at", "id")
    )
    _audit_list(
        actor,
        what=f"受講申込の一覧 {cohort.program.title} {cohort}",
        detail={"cohort": cohort.pk, "rows": len(rows)},
    )
    return rows


def my_enrollments(*, actor: Actor) -> list[Enrollment]:
    """The actor's own enrolments (職員本人), newest 年度 first."""
    staff = staff_of_user(actor=actor)
    if staff is None:
        return []
    return list(
        Enrollment.objects.filter(organization_id=organization_id_of(actor), staff=staff)
        .select_related("cohort__program", "course")
        .order_by("-fiscal_year", "-requested_at", "-id")
    )


def enrollment_approvals_pending(*, actor: Actor, today: dt.date) -> list[Enrollment]:
    """手挙げ waiting for this 所属長's approval (申請中, or 待機 not yet approved); audited."""
    require_role(actor, *RECOMMEND_ROLES)
    rows = list(
        Enrollment.objects.filter(
            organization_id=organization_id_of(actor),
            channel=EnrollmentChannel.VOLUNTEER,
            staff__unit_id__in=_head_unit_ids(actor, today),
        )
        .filter(
            Q(status=EnrollmentStatus.APPLIED)
            | Q(status=EnrollmentStatus.WAITLISTED, approved_at__isnull=True)
        )
        .select_related("staff__unit", "cohort__program")
        .order_by("requested_at", "id")
    )
    _audit_list(actor, what="承認待ちの受講申込", detail={"rows": len(rows)})
    return rows


# ---------------------------------------------------------------------------
# Quota facts (shared with the enrolment service)


def quota_unit_of(*, quota: Quota, staff: Staff, fiscal_year: int) -> Unit | None:
    """The unit a staff member counts for in `quota` (a 係 member → its 課) as of the FY."""
    if staff.unit is None:
        return None
    return unit_ancestor_of_kind(unit=staff.unit, fiscal_year=fiscal_year, kinds=(quota.unit_kind,))


def quota_full_message(*, quota: Quota, unit: Unit) -> str:
    """「推薦枠（各所属1名）を超えています: 〇〇課 は推薦済みです」."""
    verb = "推薦" if quota.channel == QuotaChannel.RECOMMENDED else "申込"
    return (
        f"{quota.get_channel_display()}枠（各所属{quota.max_per_unit}名）を超えています: "
        f"{unit.name} は{verb}済みです"
    )


def previous_designee(*, staff: Staff, program: Program) -> Designation | None:
    """A designation of the programme's talent type that reached 育成中 or beyond (推進員)."""
    return (
        Designation.objects.filter(
            staff=staff,
            framework_id=program.framework_id,
            talent_type_code=program.talent_type_code,
        )
        .filter(Q(status__in=REACHED_STATUSES) | Q(events__status_to__in=REACHED_STATUSES))
        .order_by("from_fy")
        .first()
    )


def earlier_cohort_of(*, staff: Staff, cohort: Cohort) -> Cohort | None:
    """An earlier cohort (earlier 年度) of the same programme the staff member took part in."""
    found = (
        Enrollment.objects.filter(
            staff=staff,
            cohort__program_id=cohort.program_id,
            cohort__fiscal_year__lt=cohort.fiscal_year,
            status__in=(
                EnrollmentStatus.APPROVED,
                EnrollmentStatus.COMPLETED,
                EnrollmentStatus.NOT_COMPLETED,
            ),
        )
        .select_related("cohort")
        .order_by("cohort__fiscal_year")
        .first()
    )
    return found.cohort if found is not None else None


# ---------------------------------------------------------------------------
# The 所属長's 推薦 list (home task 「DX推進リーダーを推薦する」 → training:recommend)


def recommendable_cohorts(*, actor: Actor) -> list[Cohort]:
    """Cohorts of the 団体 open for 推薦 (計画中・募集中), by 年度 and programme."""
    require_role(actor, *RECOMMEND_ROLES)
    return list(
        Cohort.objects.filter(
            organization_id=organization_id_of(actor), status__in=OPEN_COHORT_STATUSES
        )
        .select_related("program")
        .order_by("fiscal_year", "program__code", "number")
    )


@dataclass(frozen=True)
class RecommendRow:
    """One staff member of the head's unit and below, and whether 推薦 is possible now."""

    staff: Staff
    unit_name: str
    # The unit the quota counts for (a 係 member's 課), or "".
    quota_unit_name: str
    enrollment: Enrollment | None
    can_recommend: bool
    reason: str  # why not (Japanese), "" when possible


@dataclass(frozen=True)
class RecommendList:
    cohort: Cohort
    quota: Quota | None
    rows: list[RecommendRow]

    @property
    def recommendable(self) -> list[RecommendRow]:
        return [r for r in self.rows if r.can_recommend]


def recommendable_staff(*, actor: Actor, cohort: Cohort, today: dt.date) -> RecommendList:
    """The head's staff (unit and below, not retired) for 推薦 to `cohort`, with reasons.

    A row cannot be recommended when the person already has a live enrolment in
    the cohort, the 課's 推薦枠 is full, they already are a holder of the
    programme's talent type (枠 excludes previous designees) or took an earlier
    cohort (毎年度新規). A fixed number of queries; audited.
    """
    require_role(actor, *RECOMMEND_ROLES)
    if cohort.organization_id != actor.organization_id:
        raise AccessDenied()
    program = cohort.program
    unit_ids = _head_unit_ids(actor, today)
    staff_rows = list(
        Staff.objects.filter(organization_id=organization_id_of(actor), unit_id__in=unit_ids)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gte=today))
        .select_related("unit")
        .order_by("unit__position", "unit__code", "number")
    )
    staff_ids = [s.pk for s in staff_rows]
    quota = cohort.quotas.filter(channel=QuotaChannel.RECOMMENDED).first()
    live = {
        e.staff_id: e
        for e in Enrollment.objects.filter(
            cohort=cohort, staff_id__in=staff_ids, status__in=LIVE_ENROLLMENT_STATUSES
        )
    }
    sections = (
        section_of_units(
            organization=organization_of(actor),
            fiscal_year=cohort.fiscal_year,
            kinds=(quota.unit_kind,),
            all_versions=True,
        )
        if quota is not None
        else {}
    )
    seats_used: dict[int, int] = {}
    if quota is not None:
        for unit_id in Enrollment.objects.filter(quota=quota, quota_seat__isnull=False).values_list(
            "quota_unit_id", flat=True
        ):
            seats_used[unit_id] = seats_used.get(unit_id, 0) + 1
    designees: set[int] = set()
    earlier: set[int] = set()
    if quota is not None and quota.exclude_previous_designees:
        designees = set(
            Designation.objects.filter(
                staff_id__in=staff_ids,
                framework_id=program.framework_id,
                talent_type_code=program.talent_type_code,
            )
            .filter(Q(status__in=REACHED_STATUSES) | Q(events__status_to__in=REACHED_STATUSES))
            .values_list("staff_id", flat=True)
        )
    if quota is not None and quota.new_every_year:
        earlier = set(
            Enrollment.objects.filter(
                staff_id__in=staff_ids,
                cohort__program_id=cohort.program_id,
                cohort__fiscal_year__lt=cohort.fiscal_year,
                status__in=(
                    EnrollmentStatus.APPROVED,
                    EnrollmentStatus.COMPLETED,
                    EnrollmentStatus.NOT_COMPLETED,
                ),
            ).values_list("staff_id", flat=True)
        )
    rows = []
    for staff in staff_rows:
        section = sections.get(staff.unit_id) if staff.unit_id is not None else None
        enrollment = live.get(staff.pk)
        reason = ""
        if cohort.status not in OPEN_COHORT_STATUSES:
            reason = f"{cohort}は推薦を受け付けていません"
        elif enrollment is not None:
            reason = (
                f"申込済み（{enrollment.get_channel_display()}・{enrollment.get_status_display()}）"
            )
        elif quota is not None and section is None:
            reason = f"所属の{quota.unit_kind}が見つかりません"
        elif (
            quota is not None
            and section is not None
            and quota.max_per_unit is not None
            and seats_used.get(section.pk, 0) >= quota.max_per_unit
        ):
            reason = f"{section.name} は推薦済みです"
        elif staff.pk in designees:
            reason = "既に指定されています（推薦枠の対象外）"
        elif staff.pk in earlier:
            reason = "前の期で受講済みです（推薦枠は毎年度新規）"
        rows.append(
            RecommendRow(
                staff=staff,
                unit_name=staff.unit.name if staff.unit else "",
                quota_unit_name=section.name if section is not None else "",
                enrollment=enrollment,
                can_recommend=not reason,
                reason=reason,
            )
        )
    _audit_list(
        actor,
        what=f"推薦できる職員の一覧 {program.title} {cohort}",
        detail={"cohort": cohort.pk, "rows": len(rows)},
    )
    return RecommendList(cohort=cohort, quota=quota, rows=rows)
