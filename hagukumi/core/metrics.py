"""The metric registry: numbers that plans, support and reports show, filled from below.

Plans (KPI 実績), support (prefecture aggregates) and reports sit above people,
training and assessments, and must not read their models. Each app below them
registers its metrics from `AppConfig.ready()`, the way usage checkers are::

    register_metric(Metric(
        key="people.designations",
        label="人材の指定数",
        unit="人",
        group_bys=("talent_type", "status", "unit"),
        compute=designations_compute,
        members=designations_members,
    ))

and a reader asks `metric("people.designations").counts(organizations=[org],
fiscal_year=2025, group_by="talent_type")`.

The contract every metric keeps:

- **As of the end of the 年度.** A count for FY N is the state on 31 March of
  N+1, or today when that is earlier (`metric_as_of`): a later change (解除,
  異動, 退職) never rewrites a past year. Nothing reads the wall clock without
  a way round it: `compute` and `members` take `today` (None: the local date),
  so tests pass the date.
- **Grouping.** `group_by` is None (one total under the key "") or one of the
  metric's `group_bys`; any other value raises ValueError. A group key is a
  stable code as text, never a display name (`group_labels()` gives the
  names): a talent type is frameworks' `talent_type_key` ("<framework
  id>:<code>", two frameworks sharing a code never mix), a 所属 its 所属コード,
  a qualification its code; "" is "none" (所属なし, 段階なし). Grouping by
  "unit" uses the unit each person held in that 年度 (異動歴), not today's;
  `orgs.selectors.section_of_unit_codes` maps those codes to their 課 or 部.
- **Cost.** `compute` answers for many 団体 at once in a few queries, never
  one query per person or per 団体.
- **Result.** `{organization_id: {group: n}}` with every organization asked
  for (an empty dict when nothing counts; {"": 0} for a total). A group with
  no one in it may be absent.
- **Drill-down.** `members` lists the people behind one group of one 団体 for
  an actor, applying the app's visibility rules (someone the actor may not see
  is left out, and the result says how many were), and writes an audit 閲覧
  record: it reads personal data. An actor of another 団体 gets AccessDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone

from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_range

# A count of people is an int; hours and amounts may be Decimal.
MetricValue = int | Decimal
MetricCounts = Mapping[int, Mapping[str, MetricValue]]


def metric_as_of(fiscal_year: int, *, today: dt.date | None = None) -> dt.date:
    """The day a count for `fiscal_year` describes: 31 March closing it, or `today` if
    earlier (the local date when None)."""
    last_day = fiscal_year_range(fiscal_year)[1]
    today = today or timezone.localdate()
    return min(last_day, today)


class MetricCompute(Protocol):
    def __call__(
        self,
        *,
        organizations: Sequence[Any],
        fiscal_year: int,
        group_by: str | None,
        today: dt.date | None = None,
    ) -> MetricCounts: ...


@dataclass(frozen=True)
class MetricMember:
    """One person behind a count, as a drill-down table shows them."""

    person_id: int
    number: str  # 職員番号
    name: str
    unit_name: str  # the unit they held in that 年度
    detail: str = ""  # e.g. 「DX推進リーダー・認定」, 「ITパスポート（2024-05-01）」
    url: str = ""


@dataclass(frozen=True)
class MetricMembers:
    """The people of one group the actor may see, and how many others were left out."""

    rows: list[MetricMember]
    hidden: int = 0


class MetricMembersFunction(Protocol):
    def __call__(
        self,
        *,
        actor: Actor,
        organization: Any,
        fiscal_year: int,
        group_by: str | None = None,
        group: str | None = None,
        today: dt.date | None = None,
    ) -> MetricMembers: ...


class MetricLabels(Protocol):
    def __call__(
        self, *, organization: Any, fiscal_year: int, group_by: str
    ) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Metric:
    """A number apps above can show, computed by the app that owns the data.

    `key` is "<app>.<name>"; `unit` the counting word shown after the number
    (人, 件, 時間). `members` (None: no drill-down) lists the people behind one
    group; `labels` gives group key → display name for one `group_by`.
    Readers call `counts`, `group_labels` and `drill_down` rather than the raw
    callables: they check `group_by` first.
    """

    key: str
    label: str
    unit: str
    compute: MetricCompute
    members: MetricMembersFunction | None = None
    group_bys: tuple[str, ...] = ()
    # Display name of each group_by, e.g. {"talent_type": "人材類型"}.
    group_by_labels: Mapping[str, str] = field(default_factory=dict)
    labels: MetricLabels | None = None
    description: str = ""
    order: int = 100

    def check_group_by(self, group_by: str | None) -> None:
        if group_by is not None and group_by not in self.group_bys:
            raise ValueError(
                f"metric {self.key!r} cannot be grouped by {group_by!r} "
                f"(choose from {', '.join(self.group_bys) or 'nothing'})"
            )

    def counts(
        self,
        *,
        organizations: Sequence[Any],
        fiscal_year: int,
        group_by: str | None = None,
        today: dt.date | None = None,
    ) -> dict[int, dict[str, MetricValue]]:
        """`compute`, with `group_by` checked and every organization present in the result."""
        self.check_group_by(group_by)
        found = self.compute(
            organizations=organizations, fiscal_year=fiscal_year, group_by=group_by, today=today
        )
        empty: dict[str, MetricValue] = {"": 0} if group_by is None else {}
        result: dict[int, dict[str, MetricValue]] = {}
        for organization in organizations:
            pk = getattr(organization, "pk", organization)
            result[pk] = dict(found.get(pk, empty))
        return result

    def drill_down(
        self,
        *,
        actor: Actor,
        organization: Any,
        fiscal_year: int,
        group_by: str | None = None,
        group: str | None = None,
        today: dt.date | None = None,
    ) -> MetricMembers:
        """`members`, with `group_by` checked; ValueError when the metric has no drill-down."""
        self.check_group_by(group_by)
        if self.members is None:
            raise ValueError(f"metric {self.key!r} has no drill-down")
        return self.members(
            actor=actor,
            organization=organization,
            fiscal_year=fiscal_year,
            group_by=group_by,
            group=group,
            today=today,
        )

    def group_labels(self, *, organization: Any, fiscal_year: int, group_by: str) -> dict[str, str]:
        """Group key → display name for one 団体 and 年度 (a key without a name shows as is)."""
        self.check_group_by(group_by)
        if self.labels is None:
            return {}
        return dict(
            self.labels(organization=organization, fiscal_year=fiscal_year, group_by=group_by)
        )


_metrics: dict[str, Metric] = {}


def register_metric(item: Metric) -> None:
    """Add (or replace, by key) a metric. Idempotent; called from AppConfig.ready()."""
    _metrics[item.key] = item


def unregister_metric(key: str) -> None:
    _metrics.pop(key, None)


def metric(key: str) -> Metric:
    """The registered metric `key`; LookupError names the keys there are."""
    try:
        return _metrics[key]
    except KeyError:
        raise LookupError(
            f"no metric {key!r} is registered (registered: {', '.join(sorted(_metrics))})"
        ) from None


def metrics() -> list[Metric]:
    """Every registered metric, by `order` then key."""
    return sorted(_metrics.values(), key=lambda m: (m.order, m.key))


__all__ = [
    "Metric",
    "MetricCompute",
    "MetricCounts",
    "MetricLabels",
    "MetricMember",
    "MetricMembers",
    "MetricMembersFunction",
    "MetricValue",
    "metric",
    "metric_as_of",
    "metrics",
    "register_metric",
    "unregister_metric",
]
