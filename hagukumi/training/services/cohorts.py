"""Cohorts (期) of a programme: creating one, its quotas, starting it, and its groups.

- `cohort_create` (DX推進担当) copies, for a programme adopted from a template,
  the template's planned sessions of each phase (回, hours, 内容; dates are set
  later) and its quotas (青森県 DX推進員: ①推薦枠 各所属1名（毎年度新規）, ②自薦枠).
- `cohort_quota_set` sets one channel's 枠 by hand.
- `cohort_start(actor=, cohort=, today=)`: 実施中; every 承認 member's designation
  of the programme's talent type moves 候補 → 育成中 (people's services, dated `today`).
- Groups for a phase with a group-size rule (札幌 スキル実践演習: グループ（5～6名）):
  `group_sizes` splits n people into as few groups as the upper bound allows,
  as even as possible (35 → 6,6,6,6,6,5; 34 → 6,6,6,6,5,5); when no split fits
  (19 with 5～6) it refuses and the groups are set by hand (`cohort_groups_set`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from hagukumi.core.access import access_organization_object, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.selectors import section_of_units
from hagukumi.training.models import (
    Cohort,
    CohortGroup,
    CohortGroupMembership,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramPhase,
    Quota,
    QuotaChannel,
    Session,
)
from hagukumi.training.program_templates import template_course_of, template_program_of
from hagukumi.training.roles import PROGRAM_EDIT_ROLES
from hagukumi.training.selectors.enrolment import staff_label
from hagukumi.training.selectors.programs import organization_id_of, organization_of
from hagukumi.training.services.enrolment import designation_start_for_enrollment
from hagukumi.training.services.templates import clean_or_raise

__all__ = [
    "GROUPED_STATUSES",
    "cohort_create",
    "cohort_groups_form",
    "cohort_groups_set",
    "cohort_quota_set",
    "cohort_start",
    "group_sizes",
]

# Members who take part in group work.
GROUPED_STATUSES = (
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.NOT_COMPLETED,
)


def _editor(actor: Actor) -> None:
    require_role(actor, *PROGRAM_EDIT_ROLES)


@transaction.atomic
def cohort_create(
    *,
    actor: Actor,
    program: Program,
    number: int,
    fiscal_year: int,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int | None = None,
    status: str = CohortStatus.RECRUITING,
    from_template: bool = True,
) -> Cohort:
    """Create 第`number`期 of the programme (DX推進担当); with `from_template`, the
    template's planned sessions (undated) and quotas are copied in."""
    _editor(actor)
    program = access_organization_object(actor, program)
    if Cohort.objects.filter(program=program, number=number).exists():
        raise ApplicationError(
            f"{program.title} の第{number}期は既にあります。", extra={"field": "number"}
        )
    if status not in (CohortStatus.PLANNED, CohortStatus.RECRUITING):
        raise ApplicationError("新しい期の状態は 計画中 か 募集中 にしてください。")
    cohort = Cohort(
        organization_id=program.organization_id,
        program=program,
        number=number,
        fiscal_year=fiscal_year,
        capacity=capacity,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )
    clean_or_raise(cohort)
    cohort.save()
    sessions = 0
    if from_template:
        for phase in program.phases.select_related("course").order_by("order"):
            plan = template_course_of(phase.course)
            for item in plan.sessions if plan is not None else ():
                session = Session(
                    organization_id=program.organization_id,
                    course=phase.course,
                    cohort=cohort,
                    fiscal_year=fiscal_year,
                    number=item.number,
                    title=item.title,
                    hours=item.hours,
                    is_online=item.online,
                )
                clean_or_raise(session)
                session.save()
                sessions += 1
        template = template_program_of(program)
        for quota_item in template.quotas if template is not None else ():
            quota = Quota(
                cohort=cohort,
                channel=quota_item.channel,
                unit_kind=quota_item.unit_kind,
                max_per_unit=quota_item.max_per_unit,
                new_every_year=quota_item.new_every_year,
                exclude_previous_designees=quota_item.exclude_previous_designees,
                label=quota_item.label,
                source=quota_item.source.text[:300],
            )
            clean_or_raise(quota)
            quota.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=cohort,
        target_repr=f"{program.title} {cohort}",
        detail={"program": program.code, "fiscal_year": fiscal_year, "sessions": sessions},
    )
    return cohort


@transaction.atomic
def cohort_quota_set(
    *,
    actor: Actor,
    cohort: Cohort,
    channel: str,
    max_per_unit: int | None,
    unit_kind: str = "課",
    new_every_year: bool = False,
    exclude_previous_designees: bool = False,
    label: str = "",
) -> Quota:
    """Set the cohort's 推薦枠 or 自薦枠 (max None = 上限なし); DX推進担当."""
    _editor(actor)
    cohort = access_organization_object(actor, cohort)
    if channel not in QuotaChannel.values:
        raise ApplicationError(
            f"枠「{channel}」は選べません（推薦・自薦）。", extra={"field": "channel"}
        )
    quota = Quota.objects.filter(cohort=cohort, channel=channel).first() or Quota(
        cohort=cohort, channel=channel
    )
    counted = (
        Enrollment.objects.filter(quota=quota, quota_seat__isnull=False).exists()
        if quota.pk
        else False
    )
    if counted and (quota.unit_kind != unit_kind):
        raise ApplicationError("枠を数えた申込があるため、数える所属の区分は変えられません。")
    action = AuditEvent.Action.UPDATE if quota.pk else AuditEvent.Action.CREATE
    quota.max_per_unit = max_per_unit
    quota.unit_kind = unit_kind
    quota.new_every_year = new_every_year
    quota.exclude_previous_designees = exclude_previous_designees
    quota.label = label
    clean_or_raise(quota)
    quota.save()
    audit_record(
        actor=actor,
        action=action,
        target=quota,
        organization=organization_of(actor),
        detail={"cohort": cohort.pk, "channel": channel, "max_per_unit": max_per_unit},
    )
    return quota


@transaction.atomic
def cohort_start(*, actor: Actor, cohort: Cohort, today: dt.date) -> Cohort:
    """期の開始 (DX推進担当): 実施中, and each 承認 member's designation 候補 → 育成中
    (created in 育成中 when the member has none), dated `today`."""
    _editor(actor)
    locked = (
        Cohort.objects.select_for_update(of=("self",))
        .filter(pk=cohort.pk, organization_id=organization_id_of(actor))
        .select_related("program")
        .first()
    )
    if locked is None:
        raise AccessDenied()
    if locked.status not in (CohortStatus.PLANNED, CohortStatus.RECRUITING):
        raise ApplicationError(
            f"{locked.program.title} {locked}は{locked.get_status_display()}のため開始できません。"
        )
    before = locked.status
    locked.status = CohortStatus.RUNNING
    locked.save(update_fields=["status", "updated_at"])
    members = list(
        Enrollment.objects.filter(cohort=locked, status=EnrollmentStatus.APPROVED)
        .select_related("staff", "cohort__program")
        .order_by("staff__number")
    )
    for enrollment in members:
        designation_start_for_enrollment(actor=actor, enrollment=enrollment, on=today)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        target_repr=f"{locked.program.title} {locked}",
        detail={
            "status": [before, locked.status],
            "members": len(members),
            "on": today.isoformat(),
        },
    )
    return locked


# ---------------------------------------------------------------------------
# Groups


def _size_range(minimum: int, maximum: int) -> str:
    return f"{minimum}名" if minimum == maximum else f"{minimum}～{maximum}名"


def group_sizes(count: int, *, minimum: int, maximum: int) -> list[int]:
    """Split `count` people into groups of minimum..maximum: as few groups as the upper
    bound allows, sizes as even as possible, larger groups first.

    35 with 5～6 → [6, 6, 6, 6, 6, 5]; 34 → [6, 6, 6, 6, 5, 5]; 19 → ApplicationError
    「19名は5～6名のグループに分けられません」 (3 groups hold at most 18, 4 need 20).
    """
    if minimum < 1 or maximum < minimum:
        raise ApplicationError("グループ人数は 1 ≤ 下限 ≤ 上限 にしてください。")
    if count < 1:
        raise ApplicationError("グループに分ける受講者がいません。")
    groups = -(-count // maximum)  # ceil: the fewest groups that hold everyone
    if groups * minimum > count:
        raise ApplicationError(
            f"{count}名は{_size_range(minimum, maximum)}のグループに分けられません。"
            "グループを手作業で設定してください。",
            extra={"count": count, "minimum": minimum, "maximum": maximum},
        )
    base, larger = divmod(count, groups)
    return [base + 1] * larger + [base] * (groups - larger)


def _phase_of(cohort: Cohort, phase: ProgramPhase | None) -> ProgramPhase | None:
    if phase is None:
        return None
    if phase.program_id != cohort.program_id:
        raise ApplicationError("このフェーズは期のプログラムのものではありません。")
    return phase


def _members(cohort: Cohort) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(cohort=cohort, status__in=GROUPED_STATUSES)
        .select_related("staff__unit")
        .order_by("staff__number")
    )


def _groups_write(
    *, actor: Actor, cohort: Cohort, phase: ProgramPhase | None, groups: list[list[Enrollment]]
) -> list[CohortGroup]:
    """Replace the cohort's groups of `phase` (None: cohort-wide) by `groups`."""
    CohortGroup.objects.filter(cohort=cohort, phase=phase).delete()
    written = []
    for number, members in enumerate(groups, start=1):
        group = CohortGroup.objects.create(cohort=cohort, phase=phase, number=number)
        CohortGroupMembership.objects.bulk_create(
            [CohortGroupMembership(group=group, enrollment=e, phase=phase) for e in members]
        )
        written.append(group)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=cohort,
        target_repr=f"{cohort.program.title} {cohort} のグループ",
        detail={
            "phase": phase.order if phase is not None else None,
            "groups": [[e.staff.number for e in members] for members in groups],
        },
    )
    return written


@transaction.atomic
def cohort_groups_form(*, actor: Actor, cohort: Cohort, phase: ProgramPhase) -> list[CohortGroup]:
    """Form the phase's groups by its size rule (DX推進担当); replaces earlier groups.

    Members are dealt in turn into the groups, ordered by their 課 and 職員番号,
    so that people of one 課 land in different groups. Refused (nothing written)
    when no split fits the rule: set the groups by hand with `cohort_groups_set`.
    """
    _editor(actor)
    cohort = access_organization_object(actor, cohort)
    chosen = _phase_of(cohort, phase)
    if chosen is None or chosen.group_size_min is None or chosen.group_size_max is None:
        raise ApplicationError("このフェーズにはグループ人数の決まりがありません。")
    members = _members(cohort)
    sizes = group_sizes(len(members), minimum=chosen.group_size_min, maximum=chosen.group_size_max)
    sections = section_of_units(
        organization=organization_of(actor), fiscal_year=cohort.fiscal_year, all_versions=True
    )

    def unit_key(e: Enrollment) -> tuple[str, str]:
        section = sections.get(e.staff.unit_id) if e.staff.unit_id else None
        return (section.code if section is not None else "", e.staff.number)

    groups: list[list[Enrollment]] = [[] for _ in sizes]
    turn = 0
    for member in sorted(members, key=unit_key):
        while len(groups[turn % len(sizes)]) >= sizes[turn % len(sizes)]:
            turn += 1
        groups[turn % len(sizes)].append(member)
        turn += 1
    return _groups_write(actor=actor, cohort=cohort, phase=chosen, groups=groups)


@transaction.atomic
def cohort_groups_set(
    *,
    actor: Actor,
    cohort: Cohort,
    phase: ProgramPhase | None,
    groups: Sequence[Sequence[int]],
) -> list[CohortGroup]:
    """Set the groups by hand (DX推進担当): each inner list is one group's enrolment ids.

    Every member (承認/修了/未修了) of the cohort must be in exactly one group;
    the size rule is advice here, not enforced (the case it cannot fit is why
    groups are set by hand). Replaces earlier groups of the phase.
    """
    _editor(actor)
    cohort = access_organization_object(actor, cohort)
    chosen = _phase_of(cohort, phase)
    members = {e.pk: e for e in _members(cohort)}
    seen: dict[int, int] = {}
    resolved: list[list[Enrollment]] = []
    for number, ids in enumerate(groups, start=1):
        if not ids:
            raise ApplicationError(f"グループ{number}に受講者がいません。")
        group = []
        for enrollment_id in ids:
            member = members.get(enrollment_id)
            if member is None:
                raise ApplicationError(
                    f"グループ{number}: 申込 {enrollment_id} はこの期の受講者ではありません。"
                )
            if enrollment_id in seen:
                raise ApplicationError(
                    f"{staff_label(member.staff)} がグループ{seen[enrollment_id]}と"
                    f"グループ{number}の両方に入っています。"
                )
            seen[enrollment_id] = number
            group.append(member)
        resolved.append(group)
    left = [e for pk, e in members.items() if pk not in seen]
    if left:
        names = "、".join(staff_label(e.staff) for e in left[:5])
        raise ApplicationError(f"どのグループにも入っていない受講者がいます: {names}")
    return _groups_write(actor=actor, cohort=cohort, phase=chosen, groups=resolved)
