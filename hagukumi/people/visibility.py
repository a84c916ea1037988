"""Who sees which staff fields: the matrix of issue [職員], written once.

- 職員本人: self — 基本情報, 生年月日, 資格 (adds), 指定, キャリア志向 (edits); no 評価/適性
- 所属長: unit and below — 基本情報, 資格, 指定, キャリア志向
- 人事担当: the 団体 — everything; edits 評価/適性
- DX推進担当: the 団体 — 基本情報, 資格, 指定 (edits), キャリア志向
- 都道府県支援担当: nothing (404 everywhere)

庁内公募 applicants (`people.selectors.job_challenges`): 人事担当 see every
posting's and decide 採用/不採用; DX推進担当 see those of a DX推進枠 (the posting
they run) as 氏名・所属 (基本情報) with 志望動機 and 状態, never 所属長意見; 所属長
those of their unit and below; 職員本人 their own. That a staff member applied to a
庁内公募 or a ジョブチャレンジ (a move) stays with 人事担当 and the 所属長.

A user's groups for one staff member are the union over their roles (and
"self" when the staff record is linked to them). No group at all → the staff
member does not exist for them (404). Pages, the API, search filters and
exports all read `staff_visible_fields` / `searchable_groups`, so a "—" field
is absent from HTML, JSON and files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone

from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.models import Unit
from hagukumi.orgs.selectors import unit_descendant_ids
from hagukumi.people.models import JobChallengeKind
from hagukumi.people.roles import SEARCH_ROLES, WIDE_ROLES


class FieldGroup(StrEnum):
    BASIC = "basic"
    BIRTH_DATE = "birth_date"
    APPRAISAL = "appraisal"
    QUALIFICATIONS = "qualifications"
    DESIGNATIONS = "designations"
    CAREER_INTENT = "career_intent"


GROUP_LABELS: dict[FieldGroup, str] = {
    FieldGroup.BASIC: "基本情報",
    FieldGroup.BIRTH_DATE: "生年月日",
    FieldGroup.APPRAISAL: "評価/適性",
    FieldGroup.QUALIFICATIONS: "資格",
    FieldGroup.DESIGNATIONS: "指定",
    FieldGroup.CAREER_INTENT: "キャリア志向",
}

# Field names (Staff attributes, or list names) per group.
GROUP_FIELDS: dict[FieldGroup, tuple[str, ...]] = {
    FieldGroup.BASIC: (
        "number",
        "name",
        "name_kana",
        "unit",
        "position",
        "grade",
        "job_type",
        "employment",
        "recruitment",
        "hired_on",
        "term_ends_on",
        "career_model",
        "special_department",
        "retired_on",
        "is_demo",
    ),
    FieldGroup.BIRTH_DATE: ("birth_date",),
    FieldGroup.APPRAISAL: ("aptitude_notes", "evaluation_notes"),
    FieldGroup.QUALIFICATIONS: ("qualifications",),
    FieldGroup.DESIGNATIONS: ("designations",),
    FieldGroup.CAREER_INTENT: ("career_intent",),
}
FIELD_GROUP: dict[str, FieldGroup] = {
    name: group for group, names in GROUP_FIELDS.items() for name in names
}

ALL_GROUPS = frozenset(FieldGroup)
SELF_GROUPS = frozenset(
    {
        FieldGroup.BASIC,
        FieldGroup.BIRTH_DATE,
        FieldGroup.QUALIFICATIONS,
        FieldGroup.DESIGNATIONS,
        FieldGroup.CAREER_INTENT,
    }
)
# Groups per role over the staff in the role's scope (所属長: unit and below).
ROLE_GROUPS: dict[str, frozenset[FieldGroup]] = {
    Role.HR: ALL_GROUPS,
    Role.DX_OFFICE: frozenset(
        {
            FieldGroup.BASIC,
            FieldGroup.QUALIFICATIONS,
            FieldGroup.DESIGNATIONS,
            FieldGroup.CAREER_INTENT,
        }
    ),
    Role.UNIT_HEAD: frozenset(
        {
            FieldGroup.BASIC,
            FieldGroup.QUALIFICATIONS,
            FieldGroup.DESIGNATIONS,
            FieldGroup.CAREER_INTENT,
        }
    ),
}
# Who edits what: self edits キャリア志向 and adds 資格; HR edits 評価/適性; DX edits 指定.
SELF_EDITS = frozenset({FieldGroup.CAREER_INTENT, FieldGroup.QUALIFICATIONS})
ROLE_EDITS: dict[str, frozenset[FieldGroup]] = {
    Role.HR: frozenset({FieldGroup.APPRAISAL}),
    Role.DX_OFFICE: frozenset({FieldGroup.DESIGNATIONS}),
}


# Roles other than 人事担当 that see every applicant of postings of these kinds.
APPLICANT_KINDS: dict[str, frozenset[str]] = {
    Role.DX_OFFICE: frozenset({JobChallengeKind.DX_QUOTA}),
}


def all_applicants_visible(actor: Actor, challenge: Any) -> bool:
    """Whether the actor sees every applicant of the posting (not only their own or unit's)."""
    if actor is None or actor.organization_id != challenge.organization_id:
        return False
    if actor.has_role(Role.HR):
        return True
    return any(
        actor.has_role(role) and challenge.kind in kinds for role, kinds in APPLICANT_KINDS.items()
    )


@dataclass(frozen=True)
class StaffScope:
    """What one actor may reach: the whole 団体, or these unit ids (所属長), plus self."""

    organization_id: int | None
    whole_organization: bool
    unit_ids: frozenset[int]
    user_id: int | None

    def reaches(self, *, organization_id: int, unit_id: int | None) -> bool:
        if organization_id != self.organization_id:
            return False
        return self.whole_organization or (unit_id is not None and unit_id in self.unit_ids)


def headed_unit_ids(actor: Actor, *, fiscal_year: int | None = None) -> frozenset[int]:
    """Every version id of the units the actor heads and all units below them."""
    if not actor.headed_unit_ids or not actor.has_role(Role.UNIT_HEAD):
        return frozenset()
    fiscal_year = fiscal_year or fiscal_year_of(timezone.localdate())
    found: set[int] = set()
    for unit in Unit.objects.filter(pk__in=actor.headed_unit_ids).select_related("organization"):
        found |= unit_descendant_ids(unit=unit, fiscal_year=fiscal_year, all_versions=True)
    return frozenset(found)


def staff_scope(actor: Actor) -> StaffScope:
    """The actor's reach over staff of their active 団体 (a few queries, once per request).

    No actor (None) or one without a 団体 reaches nobody.
    """
    if actor is None or actor.organization_id is None:
        return StaffScope(None, False, frozenset(), None)
    return StaffScope(
        organization_id=actor.organization_id,
        whole_organization=actor.has_role(*WIDE_ROLES),
        unit_ids=headed_unit_ids(actor),
        user_id=getattr(actor.user, "pk", None),
    )


def staff_visible_groups(
    actor: Actor, staff: Any, *, scope: StaffScope | None = None
) -> frozenset[FieldGroup]:
    """The field groups of `staff` the actor may see (empty: the staff member is 404)."""
    if actor is None or actor.organization_id is None:
        return frozenset()
    if staff.organization_id != actor.organization_id:
        return frozenset()
    scope = scope or staff_scope(actor)
    groups: set[FieldGroup] = set()
    if scope.user_id is not None and staff.user_id == scope.user_id:
        groups |= SELF_GROUPS
    for role in WIDE_ROLES:
        if actor.has_role(role):
            groups |= ROLE_GROUPS[role]
    if actor.has_role(Role.UNIT_HEAD) and staff.unit_id in scope.unit_ids:
        groups |= ROLE_GROUPS[Role.UNIT_HEAD]
    return frozenset(groups)


def fields_of(groups: frozenset[FieldGroup]) -> frozenset[str]:
    return frozenset(name for group in groups for name in GROUP_FIELDS[group])


def staff_visible_fields(
    actor: Actor, staff: Any, *, scope: StaffScope | None = None
) -> frozenset[str]:
    """Field names of `staff` the actor may see (see GROUP_FIELDS)."""
    return fields_of(staff_visible_groups(actor, staff, scope=scope))


def staff_editable_groups(
    actor: Actor, staff: Any, *, scope: StaffScope | None = None
) -> frozenset[FieldGroup]:
    """The groups the actor may change on this staff member's record."""
    visible = staff_visible_groups(actor, staff, scope=scope)
    if not visible or actor is None:
        return frozenset()
    edits: set[FieldGroup] = set()
    if staff.user_id is not None and staff.user_id == getattr(actor.user, "pk", None):
        edits |= SELF_EDITS
    for role, groups in ROLE_EDITS.items():
        if actor.has_role(role):
            edits |= groups
    return frozenset(edits & visible)


def searchable_groups(actor: Actor) -> frozenset[FieldGroup]:
    """Groups the actor may search, filter on and see as columns (by role, not by row)."""
    if actor is None or actor.organization_id is None:
        return frozenset()
    groups: set[FieldGroup] = set()
    for role in SEARCH_ROLES:
        if actor.has_role(role):
            groups |= ROLE_GROUPS[role]
    return frozenset(groups)
