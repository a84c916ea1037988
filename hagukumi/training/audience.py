"""A course's 受講対象 rule (`Course.audience_rule`): its JSON schema, parsed and validated.

The rule is a small JSON object whose keys are ANDed; `{}` means every staff
member (全職員). Keys (all optional):

- ``"hire_year"``: int ≥ 1, the 採用年次 in the 年度 asked for: 1 = hired in
  that 年度 (新規採用), 3 = 採用3年次 (年度 − 採用年度 + 1 == 3). Seed 003
  北九州 階層別研修.
- ``"positions"``: non-empty list of 職位 values (people's code list, as text),
  e.g. ``["部長", "課長"]``.
- ``"new_in_fy"``: bool; with ``true`` the person must have taken up one of
  ``positions`` in that 年度 (新任部長・課長等: the 異動歴 row that gave the
  職位 starts in the 年度). Requires ``positions``.
- ``"job_types"``: non-empty list of 職種 values.
- ``"employments"``: non-empty list of 任用形態 values.

Examples: ``{"hire_year": 1}``; ``{"positions": ["部長", "課長"], "new_in_fy": true}``.
This module only knows the shape; who matches is computed against the roster by
training's services (audiences) through people's selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

_LIST_KEYS = ("positions", "job_types", "employments")
AUDIENCE_KEYS = ("hire_year", "new_in_fy", *_LIST_KEYS)


@dataclass(frozen=True)
class AudienceRule:
    """The parsed rule; None / empty tuple = that key is not part of the rule."""

    hire_year: int | None = None
    positions: tuple[str, ...] = ()
    new_in_fy: bool = False
    job_types: tuple[str, ...] = ()
    employments: tuple[str, ...] = ()

    @property
    def is_everyone(self) -> bool:
        return self == AudienceRule()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.hire_year is not None:
            data["hire_year"] = self.hire_year
        for key in _LIST_KEYS:
            if getattr(self, key):
                data[key] = list(getattr(self, key))
        if self.new_in_fy:
            data["new_in_fy"] = True
        return data


def audience_rule_errors(value: Any) -> list[str]:
    """Japanese messages for everything wrong with `value` (empty list: valid)."""
    if not isinstance(value, dict):
        return ["受講対象の条件はオブジェクト（{…}）で指定してください。"]
    errors = [
        f"受講対象の条件に不明な項目「{key}」があります。"
        for key in value
        if key not in AUDIENCE_KEYS
    ]
    if "hire_year" in value:
        year = value["hire_year"]
        if isinstance(year, bool) or not isinstance(year, int) or year < 1:
            errors.append("採用年次（hire_year）は 1 以上の整数で指定してください。")
    for key, label in (("positions", "職位"), ("job_types", "職種"), ("employments", "任用形態")):
        if key in value:
            items = value[key]
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(item, str) and item.strip() for item in items)
            ):
                errors.append(f"{label}（{key}）は空でない文字列の一覧で指定してください。")
    if "new_in_fy" in value:
        if not isinstance(value["new_in_fy"], bool):
            errors.append("新任（new_in_fy）は true / false で指定してください。")
        elif value["new_in_fy"] and "positions" not in value:
            errors.append("新任（new_in_fy）を指定するときは職位（positions）も指定してください。")
    return errors


def validate_audience_rule(value: Any) -> None:
    """Model-field validator (so `full_clean()` reports the rule's errors)."""
    errors = audience_rule_errors(value)
    if errors:
        raise ValidationError(errors)


def audience_rule_parse(value: dict[str, Any]) -> AudienceRule:
    """The rule as a typed value; raises ValidationError when `value` is invalid."""
    validate_audience_rule(value)
    return AudienceRule(
        hire_year=value.get("hire_year"),
        positions=tuple(value.get("positions", ())),
        new_in_fy=bool(value.get("new_in_fy", False)),
        job_types=tuple(value.get("job_types", ())),
        employments=tuple(value.get("employments", ())),
    )
