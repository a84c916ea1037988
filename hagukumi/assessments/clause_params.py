"""The `params` JSON of each certification-rule clause kind: schema and validation.

Rows a clause refers to are foreign keys on `RuleClause` (so the database
refuses deleting a used programme, sheet, qualification or course); `params`
holds only the clause's scalars. Per kind (`ClauseKind`):

- ``phases_completed``: column ``program``; ``{"phases": "required"}`` (every
  required, counted phase) or ``{"phases": [1, 5]}`` (phase orders).
- ``courses_completed``: ``courses`` (RuleClauseCourse rows); ``{}``.
- ``hours_at_least``: ``program`` (its counted phases) or ``courses`` or
  neither (every course of the 団体); ``{"hours": "38"}`` (decimal text).
- ``qualification_held``: column ``qualification`` (catalogue code); ``{}``.
- ``assessment``: column ``sheet``; ``{"kind": "office", "statistic": "mean" |
  "test_score" (default mean), "op": ">=" | ">", "threshold": "3.0"}``.
- ``practice_months``: ``{"months": 12}`` (confirmed months, overlaps once).
- ``years_in_programme``: column ``program``; ``{"years": 2}`` (青森's stages).

`op` ``">"`` is 「基準値を上回った者」 (掛川, seed 001): with threshold 70 a score
of 70 fails. Thresholds and hours are decimal strings, never floats.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

COMPARISON_OPS = (">=", ">")
ASSESSMENT_STATISTICS = ("mean", "test_score")
# AssessmentKind values (kept here as text so this module needs no model import).
ASSESSMENT_KIND_VALUES = ("self", "supervisor", "office")


def _decimal_text(value: Any) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _only_keys(params: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return [f"条件の項目「{key}」は使えません。" for key in params if key not in allowed]


def _phases(params: dict[str, Any]) -> list[str]:
    errors = _only_keys(params, ("phases",))
    phases = params.get("phases")
    if phases == "required":
        return errors
    if isinstance(phases, list) and phases and all(_positive_int(order) for order in phases):
        if len(set(phases)) != len(phases):
            errors.append("フェーズ（phases）に同じ順序が重複しています。")
        return errors
    return [*errors, 'フェーズ（phases）は "required" か順序（1 以上の整数）の一覧です。']


def _none(params: dict[str, Any]) -> list[str]:
    return _only_keys(params, ())


def _hours(params: dict[str, Any]) -> list[str]:
    errors = _only_keys(params, ("hours",))
    hours = _decimal_text(params.get("hours"))
    if hours is None or hours <= 0:
        errors.append('時間数（hours）は正の数を文字列で指定してください（例: "38"）。')
    return errors


def _assessment(params: dict[str, Any]) -> list[str]:
    errors = _only_keys(params, ("kind", "statistic", "op", "threshold"))
    if params.get("kind") not in ASSESSMENT_KIND_VALUES:
        errors.append("アセスメントの種類（kind）は self / supervisor / office のいずれかです。")
    if params.get("statistic", "mean") not in ASSESSMENT_STATISTICS:
        errors.append("集計（statistic）は mean / test_score のいずれかです。")
    if params.get("op") not in COMPARISON_OPS:
        errors.append('比較（op）は ">="（以上）か ">"（を上回る）です。')
    if _decimal_text(params.get("threshold")) is None:
        errors.append('基準値（threshold）は数を文字列で指定してください（例: "3.0"）。')
    return errors


def _months(params: dict[str, Any]) -> list[str]:
    errors = _only_keys(params, ("months",))
    if not _positive_int(params.get("months")):
        errors.append("月数（months）は 1 以上の整数です。")
    return errors


def _years(params: dict[str, Any]) -> list[str]:
    errors = _only_keys(params, ("years",))
    if not _positive_int(params.get("years")):
        errors.append("年数（years）は 1 以上の整数です。")
    return errors


_VALIDATORS = {
    "phases_completed": _phases,
    "courses_completed": _none,
    "hours_at_least": _hours,
    "qualification_held": _none,
    "assessment": _assessment,
    "practice_months": _months,
    "years_in_programme": _years,
}


def clause_params_errors(kind: str, params: Any) -> list[str]:
    """Japanese messages for everything wrong with `params` of a `kind` clause."""
    validator = _VALIDATORS.get(kind)
    if validator is None:
        return [f"条件の種類「{kind}」は使えません。"]
    if not isinstance(params, dict):
        return ["条件の指定はオブジェクト（{…}）で指定してください。"]
    return validator(params)
