"""Who works in the units an org-chart import would close (people answers orgs through
core's unit occupants registry; orgs never imports people)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.registries import unit_occupants
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.orgs.services import units_import
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.people.tests.test_metrics import designate, make_framework

pytestmark = pytest.mark.django_db

HEADER = "所属コード,所属名,上位所属コード,区分,機能"


@pytest.fixture
def occupied(organization, tree):  # type: ignore[no-untyped-def]
    framework = make_framework(organization)
    leader = StaffFactory(organization=organization, unit=tree["0201"], name="髙橋 一郎")
    designate(leader, framework)
    StaffFactory(organization=organization, unit=tree["0201"], name="山﨑 二郎")
    StaffFactory(organization=organization, unit=tree["0101"], name="佐藤 花子")
    return tree


def _fy() -> int:
    return fiscal_year_of(timezone.localdate())


def test_occupants_name_staff_and_leaders_for_hr(organization, occupied, actor_of) -> None:  # type: ignore[no-untyped-def]
    found = unit_occupants(
        actor=actor_of(Role.HR),
        organization=organization,
        fiscal_year=_fy(),
        codes=["0201", "0102", "02"],
    )
    assert found == {
        "0201": [
            "在籍職員 2名（髙橋 一郎、山﨑 二郎）",
            "DX推進リーダー 髙橋 一郎（DX推進リーダー）",
        ]
    }
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target_repr="廃止する所属の在籍職員"
    ).exists()


def test_occupants_count_staff_for_other_editors_and_nothing_elsewhere(  # type: ignore[no-untyped-def]
    organization, occupied, actor_of
) -> None:
    admin = unit_occupants(
        actor=actor_of(Role.SYSTEM_ADMIN),
        organization=organization,
        fiscal_year=_fy(),
        codes=["0201"],
    )
    assert admin == {"0201": ["在籍職員 2名", "DX推進リーダー 髙橋 一郎（DX推進リーダー）"]}
    outsider = actor_of(Role.HR, org=OrganizationFactory())
    assert (
        unit_occupants(actor=outsider, organization=organization, fiscal_year=_fy(), codes=["0201"])
        == {}
    )


def test_a_unit_import_dry_run_names_who_works_in_closed_units(organization, occupied) -> None:  # type: ignore[no-untyped-def]
    lines = ["01,総務部,,部,", "0101,人事課,01,課,", "010101,人事係,0101,係,", "0102,財政課,01,課,"]
    summary = units_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source="\r\n".join([HEADER, *lines]).encode("utf-8-sig"),
        filename="units.csv",
        fiscal_year=_fy(),
        dry_run=True,
    )
    text = "\n".join(summary.lines(details=True))
    assert (
        "0201 デジタル推進課（在籍職員 2名（髙橋 一郎、山﨑 二郎）、"
        "DX推進リーダー 髙橋 一郎（DX推進リーダー））: 廃止"
    ) in text
    assert "02 企画部: 廃止" in text  # nobody works in the 部 itself
