"""core's registries that higher apps fill: metrics, home panels and org-chart unit panels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import format_html

from hagukumi.core.metrics import (
    Metric,
    MetricMember,
    MetricMembers,
    metric,
    metric_as_of,
    metrics,
    register_metric,
    unregister_metric,
)
from hagukumi.core.models import Role
from hagukumi.core.registries import (
    HomePanel,
    UnitPanel,
    register_home_panel,
    register_unit_panel,
    render_home_panels,
    render_unit_panels,
    unregister_home_panel,
    unregister_unit_panel,
)
from hagukumi.core.tenancy import Actor

# ------------------------------------------------------------------------- metrics


def test_a_count_describes_the_end_of_the_year_or_today() -> None:
    assert metric_as_of(2024, today=dt.date(2026, 1, 1)) == dt.date(2025, 3, 31)
    assert metric_as_of(2025, today=dt.date(2025, 7, 1)) == dt.date(2025, 7, 1)
    assert metric_as_of(2025, today=dt.date(2025, 3, 31)) == dt.date(2025, 3, 31)


def _fake_compute(
    *,
    organizations: Sequence[Any],
    fiscal_year: int,
    group_by: str | None,
    today: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    # Answers only for organization 1, to show `counts` fills the others in.
    if group_by is None:
        return {1: {"": fiscal_year - 2000}}
    return {1: {"a": 2, "b": 1}}


def _fake_members(
    *,
    actor: Actor,
    organization: Any,
    fiscal_year: int,
    group_by: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> MetricMembers:
    return MetricMembers(
        rows=[MetricMember(1, "000001", "山田 太郎", "人事課", detail=group or "")]
    )


@pytest.fixture
def fake_metric() -> Iterator[Metric]:
    item = Metric(
        key="test.fake",
        label="テスト",
        unit="人",
        compute=_fake_compute,
        members=_fake_members,
        group_bys=("kind",),
        labels=lambda *, organization, fiscal_year, group_by: {"a": "エー"},
        order=0,
    )
    register_metric(item)
    yield item
    unregister_metric(item.key)


def test_registered_metrics_are_found_by_key(fake_metric: Metric) -> None:
    assert metric("test.fake") is fake_metric
    assert metrics()[0] is fake_metric
    # people registers its own from PeopleConfig.ready().
    assert {"people.designations", "people.qualification_holders"} <= {m.key for m in metrics()}
    with pytest.raises(LookupError, match=r"no metric 'test\.missing'"):
        metric("test.missing")


def test_counts_checks_grouping_and_answers_for_every_organization(fake_metric: Metric) -> None:
    assert fake_metric.counts(organizations=[1, 2], fiscal_year=2024) == {1: {"": 24}, 2: {"": 0}}
    assert fake_metric.counts(organizations=[1, 2], fiscal_year=2024, group_by="kind") == {
        1: {"a": 2, "b": 1},
        2: {},
    }
    with pytest.raises(ValueError, match="cannot be grouped by 'unit'"):
        fake_metric.counts(organizations=[1], fiscal_year=2024, group_by="unit")
    assert fake_metric.group_labels(organization=1, fiscal_year=2024, group_by="kind") == {
        "a": "エー"
    }


def test_drill_down_checks_grouping(fake_metric: Metric) -> None:
    actor = Actor.system()
    found = fake_metric.drill_down(
        actor=actor, organization=1, fiscal_year=2024, group_by="kind", group="a"
    )
    assert found.rows[0].detail == "a"
    with pytest.raises(ValueError, match="cannot be grouped by"):
        fake_metric.drill_down(actor=actor, organization=1, fiscal_year=2024, group_by="x")
    bare = Metric(key="test.bare", label="件数", unit="件", compute=_fake_compute)
    with pytest.raises(ValueError, match="no drill-down"):
        bare.drill_down(actor=actor, organization=1, fiscal_year=2024)


# ----------------------------------------------------------------------- unit panels


def test_unit_panels_render_for_their_roles_and_skip_empty_ones() -> None:
    seen: list[tuple[Any, int]] = []

    def render(*, actor: Actor, unit: Any, fiscal_year: int) -> str:
        seen.append((unit, fiscal_year))
        return format_html("<p>{}</p>", unit)

    register_unit_panel(UnitPanel("test-unit", "テスト", render, order=0))
    register_unit_panel(UnitPanel("test-empty", "空", lambda **kw: "", order=1))
    register_unit_panel(UnitPanel("test-hr", "人事", render, order=2, roles=frozenset({Role.HR})))
    try:
        actor = Actor.command_line(object())  # DX推進担当, 人事担当, システム管理者
        keys = [p.key for p, _ in render_unit_panels(actor=actor, unit="人事課", fiscal_year=2025)]
        assert keys[:2] == ["test-unit", "test-hr"]
        assert seen[0] == ("人事課", 2025)
        no_role = Actor.system()
        keys = [p.key for p, _ in render_unit_panels(actor=no_role, unit="課", fiscal_year=2025)]
        assert "test-hr" not in keys
        assert "test-empty" not in keys
    finally:
        for key in ("test-unit", "test-empty", "test-hr"):
            unregister_unit_panel(key)


# ----------------------------------------------------------------------- home panels


@pytest.fixture
def home_panels() -> Iterator[None]:
    register_home_panel(
        HomePanel(
            "test-home",
            "今年度の目標",
            lambda *, actor: format_html("<p>{}さんの目標</p>", actor.display_name),
            order=0,
        )
    )
    register_home_panel(
        HomePanel(
            "test-home-hr",
            "人事の予定",
            lambda *, actor: format_html("<p>人事だけ</p>"),
            roles=frozenset({Role.HR}),
        )
    )
    yield
    unregister_home_panel("test-home")
    unregister_home_panel("test-home-hr")


@pytest.mark.django_db  # the apps' own home panels (e.g. 新着事例) read the database
def test_home_panels_for_roles(home_panels: None) -> None:
    keys = [p.key for p, _ in render_home_panels(actor=Actor.system())]
    assert "test-home" in keys
    assert "test-home-hr" not in keys


@pytest.mark.django_db
def test_the_home_page_shows_the_panels_the_user_may_see(  # type: ignore[no-untyped-def]
    client, user_with_role, home_panels
) -> None:
    user = user_with_role(Role.STAFF)
    client.force_login(user)
    html = client.get(reverse("core:home")).content.decode()
    assert 'aria-labelledby="home-panel-test-home"' in html
    assert "今年度の目標" in html
    assert "さんの目標</p>" in html  # the panel's HTML, not escaped
    assert "人事の予定" not in html
