"""Who may enrol in a course run: the 団体's own staff, plus what higher apps open up.

Sessions, courses and cohorts belong to one 団体, and by default only its own
staff may enrol. [支援] (joint training across 団体, with seat quotas) sits
above training and must not be imported by it, so it registers a checker from
its `AppConfig.ready()`, the way frameworks' usage checkers are filled::

    register_enrolment_scope_checker("support-joint-training", joint_training_allows)

    def joint_training_allows(scope: EnrolmentScope) -> ScopeDecision | None:
        # None: this checker has nothing to say; otherwise allowed or refused
        # with a Japanese reason (e.g. 「共同研修の枠（3名）を超えています」).

training's enrolment service asks `enrolment_scope_decide` before saving an
enrolment of a staff member of another 団体. See ADR 0007.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EnrolmentScope:
    """One proposed enrolment: the staff member's 団体 and the run (course, cohort, session)."""

    staff_organization_id: int
    course: Any  # training.Course
    cohort: Any = None  # training.Cohort | None
    session: Any = None  # training.Session | None


@dataclass(frozen=True)
class ScopeDecision:
    allowed: bool
    reason: str = ""
    # Which checker decided (e.g. "support-joint-training"); "" for the 団体's own staff.
    source: str = ""


EnrolmentScopeChecker = Callable[[EnrolmentScope], ScopeDecision | None]

_checkers: dict[str, EnrolmentScopeChecker] = {}


def register_enrolment_scope_checker(key: str, checker: EnrolmentScopeChecker) -> None:
    """Add (or replace, by key) a checker. Idempotent."""
    _checkers[key] = checker


def unregister_enrolment_scope_checker(key: str) -> None:
    _checkers.pop(key, None)


def enrolment_scope_decide(scope: EnrolmentScope) -> ScopeDecision:
    """Own staff: allowed. Otherwise the first refusal, else the first grant, else refused.

    Checkers are asked in key order; with none registered another 団体's staff
    member is refused with the same message as an unknown course, so nothing
    about other 団体 leaks.
    """
    if scope.staff_organization_id == scope.course.organization_id:
        return ScopeDecision(allowed=True)
    grant: ScopeDecision | None = None
    for key in sorted(_checkers):
        decision = _checkers[key](scope)
        if decision is None:
            continue
        if not decision.allowed:
            return ScopeDecision(allowed=False, reason=decision.reason, source=key)
        grant = grant or ScopeDecision(allowed=True, reason=decision.reason, source=key)
    return grant or ScopeDecision(allowed=False, reason="研修が見つかりません。")
