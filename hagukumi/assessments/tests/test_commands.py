"""hagukumi certification_candidates: --organization by code or name, --json, errors."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from hagukumi.assessments.tests.certification_world import add_member, build_world
from hagukumi.core.models import AuditEvent
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("certification_candidates", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    world = build_world(OrganizationFactory(name="候補テスト市"))
    add_member(world, number="000003")
    add_member(world, number="000001", skip=["成果発表"])
    add_member(world, number="000002", office_values=(3, 3, 2, 2, 3, 2, 2))
    return world


def test_json_by_name(world) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(
        _run(
            "--organization",
            "候補テスト市",
            "--talent-type",
            "dx-leader",
            "--fiscal-year",
            "2025",
            "--json",
        )
    )
    assert [m["staff_no"] for m in data["meets"]] == ["000003"]
    assert [(m["staff_no"], [r["message"] for r in m["reasons"]]) for m in data["missing"]] == [
        ("000001", ["成果発表 未修了"]),
        ("000002", ["アセスメント 2.4 < 3.0"]),
    ]
    assert data["missing"][0]["reasons"][0]["as_of"] == "2026-03-31"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("id")
    assert event.actor_username == "コマンドライン"
    assert event.path == "コマンドライン: hagukumi certification_candidates"


def test_text_by_code_with_framework_and_as_of(world) -> None:  # type: ignore[no-untyped-def]
    text = _run(
        "--organization",
        world.organization.code,
        "--talent-type",
        "dx-leader",
        "--framework",
        "mic",
        "--fiscal-year",
        "R7",
        "--as-of",
        "2026-03-31",
    )
    assert "基準を満たす: 1人" in text
    assert "満たさない: 2人" in text
    assert "- 成果発表 未修了 → 次の機会: 成果発表（第2期） 令和9年3月10日" in text


def test_errors_exit_non_zero_in_japanese(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="人材類型「nope」"):
        _run(
            "--organization",
            world.organization.code,
            "--talent-type",
            "nope",
            "--fiscal-year",
            "2025",
        )
    with pytest.raises(CommandError, match="--fiscal-year"):
        _run(
            "--organization",
            world.organization.code,
            "--talent-type",
            "dx-leader",
            "--fiscal-year",
            "x",
        )
    with pytest.raises(CommandError):
        _run("--organization", "存在しない市", "--talent-type", "dx-leader")
