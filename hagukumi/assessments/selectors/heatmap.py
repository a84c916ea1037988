"""Competency × unit heatmap: how many people answered each level, per 課.

DX推進担当 and 人事担当 see the whole 団体; a 所属長 sees the staff of their unit
and below. A person counts in the 課 (SECTION_KINDS: a 係 member counts for
its 課) of the unit they held on the window's closing day (異動歴, as people's
metrics do). Counts only: the page renders an accessible table whose cells
carry a shade (0–4) for colour, with the numbers in the text (no JavaScript).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hagukumi.assessments.models import AssessmentAnswer, AssessmentKind, AssessmentWindow
from hagukumi.assessments.roles import HEATMAP_ROLES, WIDE_ROLES
from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.selectors import section_of_unit_codes
from hagukumi.people.metrics import HeldUnit, held_units
from hagukumi.people.models import Staff
from hagukumi.people.visibility import staff_scope

__all__ = ["Heatmap", "HeatmapCell", "HeatmapColumn", "HeatmapRow", "competency_heatmap"]

NO_UNIT = HeldUnit("", "（所属なし）")
SHADES = 5  # shade 0 (lowest mean) … 4 (highest)


@dataclass(frozen=True)
class HeatmapColumn:
    code: str
    name: str
    staff_count: int


@dataclass(frozen=True)
class HeatmapCell:
    counts: tuple[int, ...]  # one per level of the scale, lowest first
    total: int
    mean: Decimal | None
    shade: int | None  # None: nobody answered

    @property
    def mean_text(self) -> str:
        return "—" if self.mean is None else f"{self.mean:f}"


@dataclass(frozen=True)
class HeatmapRow:
    competency_code: str
    text: str
    cells: tuple[HeatmapCell, ...]  # in the columns' order


@dataclass(frozen=True)
class Heatmap:
    window: AssessmentWindow
    kind: str
    levels: tuple[int, ...]
    columns: tuple[HeatmapColumn, ...]
    rows: tuple[HeatmapRow, ...]
    whole_organization: bool

    @property
    def kind_label(self) -> str:
        return dict(AssessmentKind.choices).get(self.kind, self.kind)


def _cell(values: Counter[int], levels: tuple[int, ...]) -> HeatmapCell:
    counts = tuple(values.get(level, 0) for level in levels)
    total = sum(counts)
    if not total:
        return HeatmapCell(counts, 0, None, None)
    mean = Decimal(sum(level * n for level, n in zip(levels, counts, strict=True))) / total
    low, high = levels[0], levels[-1]
    shade = int((mean - low) / (high - low) * (SHADES - 1) + Decimal("0.5"))
    return HeatmapCell(counts, total, mean.quantize(Decimal("0.1"), ROUND_HALF_UP), shade)


def competency_heatmap(
    *, actor: Actor, window: AssessmentWindow, kind: str = AssessmentKind.OFFICE
) -> Heatmap:
    """Counts per level of each item of the window's sheet, per 課 (submitted `kind` answers)."""
    require_role(actor, *HEATMAP_ROLES)
    sheet = window.sheet
    if sheet.organization_id != actor.organization_id:
        raise AccessDenied()
    if kind not in AssessmentKind.values:
        raise ApplicationError(f"アセスメントの種類「{kind}」はありません。")
    whole = actor.has_role(*WIDE_ROLES)
    staff = Staff.objects.filter(organization_id=sheet.organization_id)
    if not whole:
        staff = staff.filter(unit_id__in=staff_scope(actor).unit_ids)
    answers = list(
        AssessmentAnswer.objects.filter(
            assessment__window=window,
            assessment__kind=kind,
            assessment__submitted_at__isnull=False,
            assessment__staff__in=staff,
        ).values_list("assessment__staff_id", "item_id", "value")
    )
    assessed = {staff_id for staff_id, _item, _value in answers}
    current = {
        pk: HeldUnit(code or "", name or "")
        for pk, code, name in staff.filter(pk__in=assessed).values_list(
            "pk", "unit__code", "unit__name"
        )
    }
    held = held_units(
        staff_ids=staff.filter(pk__in=assessed).values("pk"), day=window.closes_on, current=current
    )
    sections = section_of_unit_codes(
        organization=sheet.organization, fiscal_year=window.fiscal_year
    )
    column_of: dict[int, HeldUnit] = {}
    for staff_id in assessed:
        unit = held.get(staff_id, NO_UNIT)
        section = sections.get(unit.code)
        column_of[staff_id] = HeldUnit(section.code, section.name) if section else unit
    columns_seen: dict[str, HeldUnit] = {}
    staff_per_column: Counter[str] = Counter()
    for unit in column_of.values():
        columns_seen.setdefault(unit.code, unit)
        staff_per_column[unit.code] += 1
    codes = sorted(columns_seen, key=lambda code: (code == "", code))
    items = list(sheet.items.order_by("order"))
    values: dict[tuple[int, str], Counter[int]] = {}
    for staff_id, item_id, value in answers:
        values.setdefault((item_id, column_of[staff_id].code), Counter())[value] += 1
    levels = tuple(range(sheet.scale_min, sheet.scale_max + 1))
    heatmap = Heatmap(
        window=window,
        kind=kind,
        levels=levels,
        columns=tuple(
            HeatmapColumn(code, columns_seen[code].name, staff_per_column[code]) for code in codes
        ),
        rows=tuple(
            HeatmapRow(
                competency_code=item.competency_code,
                text=item.text,
                cells=tuple(
                    _cell(values.get((item.pk, code), Counter()), levels) for code in codes
                ),
            )
            for item in items
        ),
        whole_organization=whole,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=window,
        target_repr=f"アセスメントのヒートマップ: {sheet.title} {window}",
        detail={"kind": kind, "staff": len(assessed), "whole_organization": whole},
    )
    return heatmap
