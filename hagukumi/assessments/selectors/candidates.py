"""The certification engine: who meets a rule, and exactly what the others still lack.

A CertificationRule (per talent type and optional level) is clauses ANDed.
Each clause is met or not, and each shortfall is a structured reason::

    {"clause": "phases_completed", "message": "成果発表 未修了", "current": "未修了",
     "required": "修了", "source": "…の修了記録", "as_of": "2026-03-31",
     "next_chance": "成果発表（第2期） 令和9年3月12日"}

`message` is Japanese (「アセスメント 2.4 < 3.0」, 「資格 ITパスポート試験 未取得」,
「実践 9か月 < 12か月」); `next_chance` names the next dated session (or
assessment window) that would close the gap, or is None.

**Who is a candidate** for a rule in 年度 N: staff present on the day the
answer describes who are cohort members of a programme for the talent type
(or named by a clause) up to N, hold a 候補/育成中 designation of it in N,
were assessed on a sheet a clause names, or completed a course a clause names —
except those already holding the talent type from before (a certificate of an
earlier 年度, or a 認定/実践 designation without a certificate of N). So the
people certified in N still show as meeting it when N is asked again.

**As of**: facts count up to the end of 年度 N, or `today` when earlier (the
caller passes it; nothing here reads the clock).

**Cost**: per-staff facts come from bulk aggregates (training's
`certification_facts`, and one query per clause here) — a fixed number of
queries whatever the number of staff (tests pin it for 10 and 1,000).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Q, Sum

from hagukumi.assessments.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentKind,
    AssessmentWindow,
    Certificate,
    CertificationRule,
    ClauseKind,
    PracticeRecord,
    PracticeStatus,
    RuleClause,
)
from hagukumi.assessments.roles import CANDIDATE_ROLES
from hagukumi.assessments.selectors.practice_months import months_covered
from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_range, format_date, format_fiscal_year
from hagukumi.people.metrics import HeldUnit, held_units, present_on
from hagukumi.people.models import (
    HOLDING_STATUSES,
    Designation,
    Staff,
    StaffQualification,
)
from hagukumi.training.selectors.certification_facts import (
    NextSession,
    PhaseRow,
    aggregate_rows,
    attendance_hours,
    course_completion_masks,
    next_sessions,
    program_ids_for_talent_type,
    program_phase_rows,
    programme_first_years,
    programme_member_ids,
)

__all__ = [
    "CandidateReport",
    "CandidateRow",
    "Reason",
    "certification_candidates",
    "certification_evaluate",
    "certification_rule_for",
]

KIND_LABELS = dict(AssessmentKind.choices)
_OP_FAILED = {">=": "<", ">": "≤"}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one clause is not met for one person (`order`: the clause's, not shown)."""

    order: int
    clause: str
    message: str
    current: Any
    required: Any
    source: str
    as_of: str
    next_chance: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "message": self.message,
            "current": self.current,
            "required": self.required,
            "source": self.source,
            "as_of": self.as_of,
            "next_chance": self.next_chance,
        }


class CandidateRow(NamedTuple):
    """One candidate and what they lack (no reasons: they meet the rule). A NamedTuple:
    tens of thousands are built per evaluation."""

    staff_id: int
    staff_no: str
    name: str
    unit: str
    reasons: tuple[Reason, ...]

    @property
    def meets(self) -> bool:
        return not self.reasons

    def as_dict(self, *, with_reasons: bool) -> dict[str, Any]:
        row: dict[str, Any] = {"staff_no": self.staff_no, "name": self.name, "unit": self.unit}
        if with_reasons:
            row["reasons"] = [r.as_dict() for r in self.reasons]
        return row


@dataclass(frozen=True)
class CandidateReport:
    organization: Any
    rule: CertificationRule
    fiscal_year: int
    as_of: dt.date
    rows: tuple[CandidateRow, ...]
    clauses: tuple[RuleClause, ...] = field(default=())

    @property
    def meets(self) -> list[CandidateRow]:
        return [r for r in self.rows if r.meets]

    @property
    def missing(self) -> list[CandidateRow]:
        return [r for r in self.rows if not r.meets]

    def as_dict(self) -> dict[str, Any]:
        """The CLI's --json and the API's answer (sorted by 職員番号)."""
        return {
            "organization_code": self.organization.code,
            "organization_name": self.organization.name,
            "talent_type": self.rule.talent_type_code,
            "fiscal_year": self.fiscal_year,
            "meets": [r.as_dict(with_reasons=False) for r in self.meets],
            "missing": [r.as_dict(with_reasons=True) for r in self.missing],
        }


# ---------------------------------------------------------------- the rule


def certification_rule_for(
    *,
    organization_id: int,
    talent_type_code: str,
    framework_code: str = "",
    level_code: str = "",
) -> CertificationRule:
    """The 団体's active rule for the talent type (and level); ApplicationError when none
    or when several frameworks have one and `framework_code` does not say which."""
    rules = CertificationRule.objects.filter(
        organization_id=organization_id,
        talent_type_code=talent_type_code,
        level_code=level_code,
        is_active=True,
    ).select_related("framework", "organization")
    if framework_code:
        rules = rules.filter(framework__code=framework_code)
    found = list(rules.order_by("framework__code"))
    level = f"（段階 {level_code}）" if level_code else ""
    if not found:
        where = f"フレームワーク「{framework_code}」の" if framework_code else ""
        raise ApplicationError(
            f"{where}人材類型「{talent_type_code}」{level}の認定基準がありません。"
            "先に認定基準を登録してください。"
        )
    if len(found) > 1:
        names = "、".join(f"{r.framework.code}（{r.name}）" for r in found)
        raise ApplicationError(
            f"人材類型「{talent_type_code}」{level}の認定基準が複数のフレームワークにあります: "
            f"{names}。--framework で指定してください。"
        )
    return found[0]


# ---------------------------------------------------------------- formatting


def _decimal_text(value: Decimal) -> str:
    """38.00 → "38", 30.50 → "30.5" (never an exponent)."""
    text = f"{value.normalize():f}"
    return text


def _places(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _shown_below(value: Decimal, threshold_text: str, *, minimum: int) -> str:
    """`value` with the threshold's decimals (at least `minimum`), rounded down, so a shown
    shortfall never looks like the threshold itself (2.96 → "2.9" against "3.0")."""
    places = max(minimum, _places(threshold_text))
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_FLOOR):f}"


def _session_label(name: str, session: NextSession) -> str:
    cohort = f"（第{session.cohort_number}期）" if session.cohort_number else ""
    return f"{name}{cohort} {format_date(session.date)}"


# ---------------------------------------------------------------- clause plans


@dataclass
class _Context:
    organization_id: int
    fiscal_year: int
    as_of: dt.date
    as_of_text: str


class _Plan:
    """One clause: `load()` runs its bulk queries, `evaluate(staff_id)` gives reasons."""

    def __init__(self, clause: RuleClause, ctx: _Context) -> None:
        self.clause = clause
        self.ctx = ctx
        self._reasons: dict[tuple[Any, ...], Reason] = {}

    def population(self) -> set[int]:
        """Staff the loaded facts make candidates (they did something towards the rule)."""
        return set()

    def load(self) -> None:  # pragma: no cover - every plan overrides
        raise NotImplementedError

    def met_ids(self) -> set[int]:  # pragma: no cover
        """Everyone (of those with facts) who meets the clause: a set operation, no loop
        over the population, so evaluating 50,000 people stays cheap."""
        raise NotImplementedError

    def evaluate(self, staff_id: int) -> list[Reason]:  # pragma: no cover
        """The reasons for someone who does not meet the clause."""
        raise NotImplementedError

    def reason(
        self, message: str, current: Any, required: Any, source: str, next_chance: str | None
    ) -> Reason:
        """The (immutable, so shared) Reason: thousands of people lack the same thing."""
        key = (message, current, required, source, next_chance)
        found = self._reasons.get(key)
        if found is None:
            found = self._reasons[key] = Reason(
                order=self.clause.order,
                clause=self.clause.kind,
                message=message,
                current=current,
                required=required,
                source=source,
                as_of=self.ctx.as_of_text,
                next_chance=next_chance,
            )
        return found


class _CompletionPlan(_Plan):
    """phases_completed / courses_completed: every named course completed."""

    def __init__(
        self,
        clause: RuleClause,
        ctx: _Context,
        *,
        courses: list[tuple[int, str]],  # (course id, the name shown)
        source: str,
    ) -> None:
        super().__init__(clause, ctx)
        names: dict[int, str] = {}
        for course_id, name in courses:  # a course named twice counts once
            names.setdefault(course_id, name)
        self.courses = list(names.items())
        self.course_ids = [course_id for course_id, _name in self.courses]
        self.source = source

    def population(self) -> set[int]:
        return set(self.masks)

    def load(self) -> None:
        # Bit i of a mask = course self.course_ids[i] completed.
        self.masks = course_completion_masks(
            organization_id=self.ctx.organization_id,
            course_ids=self.course_ids,
            fiscal_year=self.ctx.fiscal_year,
            as_of=self.ctx.as_of,
        )
        self.next = next_sessions(
            organization_id=self.ctx.organization_id,
            course_ids=self.course_ids,
            after=self.ctx.as_of,
        )
        self.full = (1 << len(self.course_ids)) - 1

    def met_ids(self) -> set[int]:
        full = self.full
        return {staff_id for staff_id, mask in self.masks.items() if mask == full}

    def evaluate(self, staff_id: int) -> list[Reason]:
        mask = self.masks.get(staff_id, 0)
        reasons = []
        for bit, (course_id, name) in enumerate(self.courses):
            if mask >> bit & 1:
                continue
            session = self.next.get(course_id)
            reasons.append(
                self.reason(
                    f"{name} 未修了",
                    "未修了",
                    "修了",
                    self.source,
                    _session_label(name, session) if session else None,
                )
            )
        return reasons


class _HoursPlan(_Plan):
    def __init__(
        self, clause: RuleClause, ctx: _Context, *, course_names: dict[int, str], scope: str
    ) -> None:
        super().__init__(clause, ctx)
        # course id → name shown; empty: every course of the 団体.
        self.course_names = course_names
        self.course_ids = list(course_names) or None
        self.required = Decimal(clause.params["hours"])
        self.required_text = _decimal_text(self.required)
        self.source = f"出欠記録（{scope}）"
        self.noun = clause.label or "受講時間"

    def load(self) -> None:
        self.hours = attendance_hours(
            organization_id=self.ctx.organization_id,
            course_ids=self.course_ids,
            fiscal_year=self.ctx.fiscal_year,
            as_of=self.ctx.as_of,
        )
        self.next: NextSession | None = None
        self.next_name = ""
        if self.course_ids:
            upcoming = next_sessions(
                organization_id=self.ctx.organization_id,
                course_ids=self.course_ids,
                after=self.ctx.as_of,
            )
            if upcoming:
                self.next = min(upcoming.values(), key=lambda s: (s.date, s.course_id))
                self.next_name = self.course_names.get(self.next.course_id, "")

    def met_ids(self) -> set[int]:
        required = self.required
        return {staff_id for staff_id, hours in self.hours.items() if hours >= required}

    def evaluate(self, staff_id: int) -> list[Reason]:
        hours = self.hours.get(staff_id, Decimal("0"))
        current = _decimal_text(hours) if hours else "0"
        return [
            self.reason(
                f"{self.noun} {current}時間 < {self.required_text}時間",
                current,
                self.required_text,
                self.source,
                _session_label(self.next_name, self.next) if self.next else None,
            )
        ]


class _QualificationPlan(_Plan):
    def load(self) -> None:
        qualification = self.clause.qualification
        assert qualification is not None
        self.name = qualification.name
        self.holders = set(
            StaffQualification.objects.filter(
                staff__organization_id=self.ctx.organization_id,
                qualification_id=qualification.pk,
                obtained_on__lte=self.ctx.as_of,
            ).values_list("staff_id", flat=True)
        )

    def met_ids(self) -> set[int]:
        return self.holders

    def evaluate(self, staff_id: int) -> list[Reason]:
        noun = self.clause.label or "資格"
        return [self.reason(f"{noun} {self.name} 未取得", "未取得", "取得", "職員の資格", None)]


class _AssessmentPlan(_Plan):
    def __init__(self, clause: RuleClause, ctx: _Context) -> None:
        super().__init__(clause, ctx)
        params = clause.params
        self.kind = params["kind"]
        self.statistic = params.get("statistic", "mean")
        self.op = params["op"]
        self.threshold_text = params["threshold"]
        self.threshold = Decimal(self.threshold_text)
        self.sheet = clause.sheet
        assert self.sheet is not None
        self.noun = clause.label or "アセスメント"
        # (window, sum, count, score) → reasons: the same answers give the same reasons.
        self._evaluated: dict[Any, list[Reason]] = {}

    def population(self) -> set[int]:
        return set(self.latest)

    def load(self) -> None:
        sheet = self.sheet
        assert sheet is not None
        windows = list(
            AssessmentWindow.objects.filter(sheet_id=sheet.pk).order_by("opens_on", "pk")
        )
        self.window_labels = {
            w.pk: f"{format_fiscal_year(w.fiscal_year, with_western=False)}"
            + (f" {w.name}" if w.name else "")
            for w in windows
        }
        counted = [
            w
            for w in windows
            if w.fiscal_year <= self.ctx.fiscal_year and w.opens_on <= self.ctx.as_of
        ]
        # Windows in opening order: a later window's answer replaces an earlier one.
        rank = {w.pk: position for position, w in enumerate(counted)}
        # staff id → (window rank, window id, value sum, answer count, test score).
        self.latest: dict[int, tuple[int, int, int, int, Decimal | None]] = {}
        if counted and self.statistic == "mean":
            answers = (
                AssessmentAnswer.objects.filter(
                    assessment__window_id__in=list(rank),
                    assessment__organization_id=self.ctx.organization_id,
                    assessment__kind=self.kind,
                    assessment__submitted_at__isnull=False,
                )
                .values("assessment__staff_id", "assessment__window_id")
                .annotate(total=Sum("value"), n=Count("id"))
                .values_list("assessment__staff_id", "assessment__window_id", "total", "n")
            )
            for staff_id, window_id, total, n in aggregate_rows(answers):
                total, n = int(total), int(n)
                known = self.latest.get(staff_id)
                if known is None or rank[window_id] > known[0]:
                    self.latest[staff_id] = (rank[window_id], window_id, total, n, None)
        elif counted:
            for staff_id, window_id, score in Assessment.objects.filter(
                window_id__in=list(rank),
                organization_id=self.ctx.organization_id,
                kind=self.kind,
                submitted_at__isnull=False,
                test_score__isnull=False,
            ).values_list("staff_id", "window_id", "test_score"):
                known = self.latest.get(staff_id)
                if known is None or rank[window_id] > known[0]:
                    self.latest[staff_id] = (rank[window_id], window_id, 0, 0, score)
        upcoming = [w for w in windows if w.closes_on > self.ctx.as_of]
        self.next_chance = (
            f"{sheet.title} {self.window_labels[upcoming[0].pk]}"
            f"（{format_date(upcoming[0].opens_on)}～{format_date(upcoming[0].closes_on)}）"
            if upcoming
            else None
        )
        self.source_base = f"{sheet.title}（{KIND_LABELS.get(self.kind, self.kind)}評価"

    def met_ids(self) -> set[int]:
        latest = self.latest.items()
        strict = self.op == ">"
        if self.statistic == "mean":
            # mean op p/q ⇔ sum × q op p × count: exact integers, no rounding.
            p, q = self.threshold.as_integer_ratio()
            if strict:
                return {sid for sid, (_r, _w, total, n, _s) in latest if n and total * q > p * n}
            return {sid for sid, (_r, _w, total, n, _s) in latest if n and total * q >= p * n}
        limit = self.threshold
        return {
            sid
            for sid, (_r, _w, _t, _n, score) in latest
            if score is not None and (score > limit if strict else score >= limit)
        }

    def evaluate(self, staff_id: int) -> list[Reason]:
        known = self.latest.get(staff_id)
        key = known[1:] if known is not None else None
        cached = self._evaluated.get(key)
        if cached is None:
            cached = self._evaluated[key] = self._evaluate(known)
        return cached

    def _evaluate(self, known: tuple[int, int, int, int, Decimal | None] | None) -> list[Reason]:
        if known is None:
            return [
                self.reason(
                    f"{self.noun} 未実施",
                    None,
                    f"{self.op} {self.threshold_text}",
                    self.source_base + "）",
                    self.next_chance,
                )
            ]
        _rank, window_id, total, n, score = known
        source = f"{self.source_base}、{self.window_labels.get(window_id, '')}）"
        if self.statistic == "mean":
            mean = Decimal(total) / Decimal(n) if n else Decimal(0)
            shown = _shown_below(mean, self.threshold_text, minimum=1)
            current = f"{mean.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
        else:
            assert score is not None
            shown = current = _decimal_text(score)
        return [
            self.reason(
                f"{self.noun} {shown} {_OP_FAILED[self.op]} {self.threshold_text}",
                current,
                f"{self.op} {self.threshold_text}",
                source,
                self.next_chance,
            )
        ]


class _PracticePlan(_Plan):
    def load(self) -> None:
        self.required = int(self.clause.params["months"])
        periods: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for staff_id, start, end in PracticeRecord.objects.filter(
            organization_id=self.ctx.organization_id,
            status=PracticeStatus.CONFIRMED,
            period_start__lte=self.ctx.as_of,
        ).values_list("staff_id", "period_start", "period_end"):
            periods[staff_id].append((start, end))
        self.months = {
            staff_id: months_covered(spans, until=self.ctx.as_of)
            for staff_id, spans in periods.items()
        }

    def met_ids(self) -> set[int]:
        return {staff_id for staff_id, months in self.months.items() if months >= self.required}

    def evaluate(self, staff_id: int) -> list[Reason]:
        months = self.months.get(staff_id, 0)
        noun = self.clause.label or "実践"
        return [
            self.reason(
                f"{noun} {months}か月 < {self.required}か月",
                months,
                self.required,
                "実践記録（所属長の確認済み）",
                None,
            )
        ]


class _YearsPlan(_Plan):
    def population(self) -> set[int]:
        return set(self.first)

    def load(self) -> None:
        self.required = int(self.clause.params["years"])
        self.first = programme_first_years(
            organization_id=self.ctx.organization_id,
            program_id=self.clause.program_id,  # type: ignore[arg-type]
            fiscal_year=self.ctx.fiscal_year,
        )
        program = self.clause.program
        self.source = f"{program.title if program else ''} の受講申込"

    def met_ids(self) -> set[int]:
        last_first = self.ctx.fiscal_year - self.required + 1
        return {staff_id for staff_id, first in self.first.items() if first <= last_first}

    def evaluate(self, staff_id: int) -> list[Reason]:
        first = self.first.get(staff_id)
        years = self.ctx.fiscal_year - first + 1 if first is not None else 0
        noun = self.clause.label or "在籍"
        next_chance = (
            f"{format_fiscal_year(first + self.required - 1, with_western=False)}に"
            f"{self.required}年目"
            if first is not None
            else None
        )
        return [
            self.reason(
                f"{noun} {years}年 < {self.required}年",
                years,
                self.required,
                self.source,
                next_chance,
            )
        ]


def _plans(clauses: Sequence[RuleClause], phases: list[PhaseRow], ctx: _Context) -> list[_Plan]:
    by_program: dict[int, list[PhaseRow]] = defaultdict(list)
    for phase in phases:
        by_program[phase.program_id].append(phase)
    plans: list[_Plan] = []
    for clause in clauses:
        kind = clause.kind
        if kind == ClauseKind.PHASES_COMPLETED:
            chosen_phases = clause.params.get("phases")
            rows = by_program[clause.program_id]  # type: ignore[index]
            if chosen_phases == "required":
                rows = [p for p in rows if p.required and p.counted]
            else:
                rows = [p for p in rows if p.order in set(chosen_phases or [])]
            program = clause.program
            plans.append(
                _CompletionPlan(
                    clause,
                    ctx,
                    courses=[(p.course_id, p.name) for p in rows],
                    source=f"{program.title if program else ''} の修了記録",
                )
            )
        elif kind == ClauseKind.COURSES_COMPLETED:
            courses = [(cc.course_id, cc.course.title) for cc in clause.clause_courses.all()]
            plans.append(_CompletionPlan(clause, ctx, courses=courses, source="研修の修了記録"))
        elif kind == ClauseKind.HOURS_AT_LEAST:
            if clause.program_id is not None:
                rows = [p for p in by_program[clause.program_id] if p.counted]
                names = {p.course_id: p.name for p in rows}
                scope = clause.program.title if clause.program else ""
            elif clause.clause_courses.all():
                names = {cc.course_id: cc.course.title for cc in clause.clause_courses.all()}
                scope = "、".join(names.values())
            else:
                names = {}
                scope = "すべての研修"
            plans.append(_HoursPlan(clause, ctx, course_names=names, scope=scope))
        elif kind == ClauseKind.QUALIFICATION_HELD:
            plans.append(_QualificationPlan(clause, ctx))
        elif kind == ClauseKind.ASSESSMENT:
            plans.append(_AssessmentPlan(clause, ctx))
        elif kind == ClauseKind.PRACTICE_MONTHS:
            plans.append(_PracticePlan(clause, ctx))
        elif kind == ClauseKind.YEARS_IN_PROGRAMME:
            plans.append(_YearsPlan(clause, ctx))
        else:  # pragma: no cover - ClauseKind is closed
            raise ApplicationError(f"条件の種類「{kind}」は評価できません。")
    return plans


# ---------------------------------------------------------------- the population


def _population(
    *,
    rule: CertificationRule,
    plans: list[_Plan],
    program_ids: list[int],
    ctx: _Context,
) -> set[int]:
    """Candidate staff ids: programme members, 候補/育成中, and whoever the loaded facts name,
    less those already holding the talent type from before (a few queries, one per source)."""
    type_filter = Q(framework_id=rule.framework_id, talent_type_code=rule.talent_type_code)
    if rule.level_code:
        type_filter &= Q(level_code=rule.level_code)
    designations = Designation.objects.in_force(ctx.fiscal_year).filter(
        type_filter, organization_id=ctx.organization_id
    )
    found: set[int] = set()
    holders: set[int] = set()
    for staff_id, status in designations.not_revoked().values_list("staff_id", "status"):
        (holders if status in HOLDING_STATUSES else found).add(staff_id)
    if program_ids:
        found.update(
            programme_member_ids(
                organization_id=ctx.organization_id,
                program_ids=program_ids,
                fiscal_year=ctx.fiscal_year,
            ).values_list("staff_id", flat=True)
        )
    for plan in plans:
        found |= plan.population()
    certificates = Certificate.objects.filter(
        type_filter, organization_id=ctx.organization_id, revoked_on__isnull=True
    )
    earlier: set[int] = set()
    this_year: set[int] = set()
    for staff_id, fiscal_year in certificates.filter(fiscal_year__lte=ctx.fiscal_year).values_list(
        "staff_id", "fiscal_year"
    ):
        (this_year if fiscal_year == ctx.fiscal_year else earlier).add(staff_id)
    return found - earlier - (holders - this_year)


# Up to this many candidates, the unit history is read for them by id; beyond, for the 団体.
_UNIT_IDS_LIMIT = 2000


# ---------------------------------------------------------------- the engine


def as_of_day(fiscal_year: int, today: dt.date | None) -> dt.date:
    """The day an answer for `fiscal_year` describes: its last day, or `today` if earlier."""
    last = fiscal_year_range(fiscal_year)[1]
    return last if today is None or today > last else today


def certification_evaluate(
    *,
    rule: CertificationRule,
    fiscal_year: int,
    today: dt.date | None = None,
    staff_ids: Iterable[int] | None = None,
) -> CandidateReport:
    """Evaluate `rule` for every candidate (or only `staff_ids`) in `fiscal_year`.

    Not access-checked or audited: for `certification_candidates` and the
    certification service, which have checked who asks. A fixed number of
    queries whatever the number of staff.
    """
    organization = rule.organization
    as_of = as_of_day(fiscal_year, today)
    ctx = _Context(rule.organization_id, fiscal_year, as_of, as_of.isoformat())
    clauses = list(
        rule.clauses.select_related("program", "sheet", "qualification")
        .prefetch_related("clause_courses__course")
        .order_by("order")
    )
    program_ids = program_ids_for_talent_type(
        organization_id=ctx.organization_id,
        framework_id=rule.framework_id,
        talent_type_code=rule.talent_type_code,
        level_code=rule.level_code,
    )
    clause_programs = {c.program_id for c in clauses if c.program_id is not None}
    phases = program_phase_rows(program_ids=sorted(clause_programs))
    plans = _plans(clauses, phases, ctx)
    for plan in plans:
        plan.load()
    candidates = _population(
        rule=rule,
        plans=plans,
        program_ids=sorted(set(program_ids) | clause_programs),
        ctx=ctx,
    )
    if staff_ids is not None:
        candidates &= set(staff_ids)
    staff = Staff.objects.filter(organization_id=ctx.organization_id).filter(present_on(ctx.as_of))
    if len(candidates) <= _UNIT_IDS_LIMIT:
        staff = staff.filter(pk__in=sorted(candidates))
    people = [
        row
        for row in staff.order_by("number", "pk").values_list(
            "pk", "number", "name", "unit__code", "unit__name"
        )
        if row[0] in candidates
    ]
    unit_of: dict[tuple[str, str], HeldUnit] = {}  # one HeldUnit per 所属, not per person
    current = {
        pk: unit_of.get((code, name))
        or unit_of.setdefault((code, name), HeldUnit(code or "", name or ""))
        for pk, _no, _name, code, name in people
    }
    units = held_units(
        staff_ids=staff.values("pk"), day=fiscal_year_range(fiscal_year)[1], current=current
    )
    everyone = set(current)
    failing = [(plan, everyone - plan.met_ids()) for plan in plans]
    short = set().union(*(ids for _plan, ids in failing))
    rows = []
    for pk, number, name, _code, _unit_name in people:
        if pk not in short:  # most people: no per-clause work at all
            rows.append(CandidateRow(pk, number, name, units[pk].name, ()))
            continue
        reasons: list[Reason] = []
        for plan, ids in failing:
            if pk in ids:
                reasons.extend(plan.evaluate(pk))
        rows.append(CandidateRow(pk, number, name, units[pk].name, tuple(reasons)))
    return CandidateReport(
        organization=organization,
        rule=rule,
        fiscal_year=fiscal_year,
        as_of=as_of,
        rows=tuple(rows),
        clauses=tuple(clauses),
    )


def certification_candidates(
    *,
    actor: Actor,
    talent_type_code: str,
    fiscal_year: int,
    framework_code: str = "",
    level_code: str = "",
    today: dt.date | None = None,
) -> CandidateReport:
    """Who meets the 団体's rule for the talent type in `fiscal_year`, and what the others lack.

    DX推進担当 and 人事担当 of the 団体 (the command line holds both); others 404.
    The read lists staff, so it writes one audit 閲覧 record.
    """
    require_role(actor, *CANDIDATE_ROLES)
    if actor.organization_id is None:
        raise AccessDenied()
    rule = certification_rule_for(
        organization_id=actor.organization_id,
        talent_type_code=talent_type_code,
        framework_code=framework_code,
        level_code=level_code,
    )
    report = certification_evaluate(rule=rule, fiscal_year=fiscal_year, today=today)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=rule,
        target_repr=f"認定候補: {rule.name}（{format_fiscal_year(fiscal_year)}）",
        detail={
            "fiscal_year": fiscal_year,
            "meets": len(report.meets),
            "missing": len(report.missing),
        },
    )
    return report


def certification_rules_active(*, actor: Actor) -> list[CertificationRule]:
    """The actor's 団体's active certification rules, by talent type and level."""
    from hagukumi.core.access import scope_to_organization

    rules = scope_to_organization(actor, CertificationRule.objects.filter(is_active=True))
    return list(rules.order_by("talent_type_code", "level_code", "pk"))
