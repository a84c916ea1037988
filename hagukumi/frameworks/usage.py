"""Who uses a talent type, an individual level or a competency: checked before removing one.

Designations (people), assessments and targets (plans) sit above frameworks, so
frameworks cannot ask them directly. Each of those apps registers a checker from
its `AppConfig.ready()`::

    register_usage_checker("people-designations", designations_using)

    def designations_using(removal: Removal) -> list[str]:
        # one Japanese sentence per item still in use, e.g.
        # "人材類型「DX推進リーダー」は 3 人の指定に使われています。"

A draft edit that removes an item some checker reports is refused with those
sentences, and nothing is saved (services._content_replace).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Removal:
    """What one edit of a draft would remove, by stable code."""

    framework: Any  # frameworks.Framework
    talent_type_codes: frozenset[str]
    # (talent type code, level code)
    level_codes: frozenset[tuple[str, str]]
    competency_codes: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.talent_type_codes or self.level_codes or self.competency_codes)


UsageChecker = Callable[[Removal], list[str]]

_checkers: dict[str, UsageChecker] = {}


def register_usage_checker(key: str, checker: UsageChecker) -> None:
    """Add (or replace, by key) a checker. Idempotent."""
    _checkers[key] = checker


def unregister_usage_checker(key: str) -> None:
    _checkers.pop(key, None)


def usages_of(removal: Removal) -> list[str]:
    """Every reason, from every registered checker, why the removal may not happen."""
    if not removal:
        return []
    found: list[str] = []
    for key in sorted(_checkers):
        found.extend(_checkers[key](removal))
    return found
