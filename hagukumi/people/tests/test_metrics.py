"""People's metrics (core.metrics) and org-chart panel: as of the end of the 年度, few queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from factory.django import DjangoModelFactory

from hagukumi.core.errors import AccessDenied
from hagukumi.core.metrics import metric
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.registries import render_unit_panels
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import (
    Framework,
    FrameworkVersion,
    IndividualLevel,
    TalentType,
    VersionStatus,
)
from hagukumi.frameworks.selectors import talent_type_key
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.metrics import (
    DESIGNATION_HOLDERS,
    DESIGNATIONS,
    QUALIFICATION_HOLDERS,
)
from hagukumi.people.models import (
    Assignment,
    Designation,
    DesignationEvent,
    DesignationMethod,
    DesignationStatus,
    Qualification,
    StaffQualification,
)
from hagukumi.people.panels import unit_staff_panel
from hagukumi.people.services import designation_transition
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

S = DesignationStatus
TODAY = dt.date(2026, 6, 1)  # FY2026: every year before it is closed


class DesignationFactory(DjangoModelFactory):
    class Meta:
        model = Designation

    organization = factory.SelfAttribute("staff.organization")
    staff = factory.SubFactory(StaffFactory)
    talent_type_code = "dx-leader"
    method = DesignationMethod.RECOMMENDED
    from_fy = 2023
    status = S.CERTIFIED


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    staff = factory.SubFactory(StaffFactory)
    unit = factory.SubFactory(UnitFactory)
    starts_on = dt.date(2020, 4, 1)


def make_framework(organization: Any, code: str = "mic") -> Framework:
    """A published framework with dx-leader (levels l1, l2) and dx-expert."""
    framework = Framework.objects.create(owner=organization, code=code, name=f"{code}モデル")
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    leader = TalentType.objects.create(
        version=version, code="dx-leader", order=1, name="DX推進リーダー"
    )
    for order, level in enumerate(("l1", "l2"), start=1):
        IndividualLevel.objects.create(
            talent_type=leader, code=level, order=order, label=f"L{order}", name=f"段階{order}"
        )
    TalentType.objects.create(version=version, code="dx-expert", order=2, name="DX専門人材")
    return framework


@pytest.fixture
def framework(organization):  # type: ignore[no-untyped-def]
    return make_framework(organization)


def designate(
    staff: Any,
    framework: Framework,
    *,
    status: str = S.CERTIFIED,
    on: dt.date = dt.date(2023, 4, 1),
    **fields: Any,
) -> Designation:
    """A designation with its creation event, as designation_create writes them."""
    designation = DesignationFactory(staff=staff, framework=framework, status=status, **fields)
    DesignationEvent.objects.create(
        designation=designation, effective_on=on, status_from="", status_to=status
    )
    return designation


def move(designation: Designation, status: str, on: dt.date) -> None:
    """A forward transition with its event (the service refuses backdated 解除 checks)."""
    DesignationEvent.objects.create(
        designation=designation, effective_on=on, status_from=designation.status, status_to=status
    )
    designation.status = status
    designation.save(update_fields=["status"])


def counts(key: str, organization: Any, fiscal_year: int, group_by: str | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    kw.setdefault("today", TODAY)
    found = metric(key).counts(
        organizations=[organization], fiscal_year=fiscal_year, group_by=group_by, **kw
    )
    return found[organization.pk]


# ------------------------------------------------------------------- as of the 年度


def test_a_later_revocation_never_rewrites_a_past_year(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    designation = designate(staff, framework, status=S.CERTIFIED, on=dt.date(2023, 4, 1))
    assert counts(DESIGNATION_HOLDERS, organization, 2024) == {"": 1}

    # 解除 in FY2025 through the service (it also ends the FY range at 2025).
    designation_transition(
        actor=Actor.command_line(organization),
        designation=designation,
        status=S.REVOKED,
        effective_on=dt.date(2025, 6, 1),
    )
    designation.refresh_from_db()
    assert designation.status == S.REVOKED
    assert designation.to_fy == 2025

    assert counts(DESIGNATION_HOLDERS, organization, 2023) == {"": 1}
    assert counts(DESIGNATION_HOLDERS, organization, 2024) == {"": 1}
    assert counts(DESIGNATIONS, organization, 2024, "status") == {S.CERTIFIED: 1}
    assert counts(DESIGNATION_HOLDERS, organization, 2025) == {"": 0}
    assert counts(DESIGNATIONS, organization, 2025, "status") == {}
    assert counts(DESIGNATIONS, organization, 2026) == {"": 0}


def test_status_is_the_one_in_force_at_the_end_of_each_year(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    designation = designate(staff, framework, status=S.CANDIDATE, on=dt.date(2023, 4, 1))
    move(designation, S.TRAINING, dt.date(2023, 9, 1))
    move(designation, S.CERTIFIED, dt.date(2024, 10, 1))
    move(designation, S.PRACTISING, dt.date(2025, 4, 1))

    assert counts(DESIGNATIONS, organization, 2023, "status") == {S.TRAINING: 1}
    assert counts(DESIGNATIONS, organization, 2024, "status") == {S.CERTIFIED: 1}
    assert counts(DESIGNATIONS, organization, 2025, "status") == {S.PRACTISING: 1}
    assert counts(DESIGNATION_HOLDERS, organization, 2023) == {"": 0}
    assert counts(DESIGNATION_HOLDERS, organization, 2024) == {"": 1}


def test_the_current_year_counts_as_of_the_injected_today(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    designation = designate(staff, framework, status=S.CERTIFIED)
    move(designation, S.REVOKED, dt.date(2025, 6, 1))
    before = counts(DESIGNATION_HOLDERS, organization, 2025, today=dt.date(2025, 5, 31))
    after = counts(DESIGNATION_HOLDERS, organization, 2025, today=dt.date(2025, 6, 1))
    assert (before, after) == ({"": 1}, {"": 0})


def test_a_designation_recorded_late_counts_from_its_first_known_status(  # type: ignore[no-untyped-def]
    organization, tree, framework
) -> None:
    """Registered in FY2025 for a range from FY2023: the years before take its first status."""
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    designate(staff, framework, status=S.CERTIFIED, on=dt.date(2025, 5, 1), from_fy=2023)
    assert counts(DESIGNATION_HOLDERS, organization, 2023) == {"": 1}
    # Without any event (data written outside the services): its current status.
    DesignationFactory(staff=StaffFactory(organization=organization), framework=framework)
    assert counts(DESIGNATION_HOLDERS, organization, 2023) == {"": 2}


def test_staff_retired_before_the_end_of_the_year_do_not_count(  # type: ignore[no-untyped-def]
    organization, tree, framework
) -> None:
    staff = StaffFactory(
        organization=organization, unit=tree["0101"], retired_on=dt.date(2024, 9, 30)
    )
    designate(staff, framework)
    assert counts(DESIGNATION_HOLDERS, organization, 2023) == {"": 1}
    assert counts(DESIGNATION_HOLDERS, organization, 2024) == {"": 0}


# ------------------------------------------------------------------------- grouping


def test_group_by_unit_uses_the_unit_held_in_that_year(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    # Moved from 人事課 to デジタル推進課 on 2025-04-01; Staff.unit is today's.
    moved = StaffFactory(organization=organization, unit=tree["0201"])
    AssignmentFactory(
        staff=moved, unit=tree["0101"], starts_on=dt.date(2020, 4, 1), ends_on=dt.date(2025, 3, 31)
    )
    AssignmentFactory(staff=moved, unit=tree["0201"], starts_on=dt.date(2025, 4, 1))
    designate(moved, framework)
    # History that starts after the year asked: its first unit.
    late = StaffFactory(organization=organization, unit=tree["0102"])
    AssignmentFactory(staff=late, unit=tree["0102"], starts_on=dt.date(2025, 4, 1))
    designate(late, framework)
    # No history at all: Staff.unit.
    designate(StaffFactory(organization=organization, unit=tree["010101"]), framework)

    assert counts(DESIGNATIONS, organization, 2024, "unit") == {"0101": 1, "0102": 1, "010101": 1}
    assert counts(DESIGNATIONS, organization, 2025, "unit") == {"0201": 1, "0102": 1, "010101": 1}


def test_group_by_type_level_method_role(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    other = make_framework(organization, code="sapporo")  # shares the code dx-leader
    a = StaffFactory(organization=organization)
    b = StaffFactory(organization=organization)
    designate(a, framework, level_code="l1", role="行政DX支援")
    designate(a, framework, talent_type_code="dx-expert", method=DesignationMethod.VOLUNTEER)
    designate(b, other, level_code="l2", method=DesignationMethod.VOLUNTEER)
    mic = talent_type_key(framework=framework, code="dx-leader")
    sapporo = talent_type_key(framework=other, code="dx-leader")
    expert = talent_type_key(framework=framework, code="dx-expert")

    assert counts(DESIGNATIONS, organization, 2024, "talent_type") == {
        mic: 1,
        sapporo: 1,
        expert: 1,
    }
    assert counts(DESIGNATIONS, organization, 2024, "level") == {
        f"{mic}:l1": 1,
        f"{sapporo}:l2": 1,
        f"{expert}:": 1,
    }
    assert counts(DESIGNATIONS, organization, 2024, "method") == {
        DesignationMethod.RECOMMENDED: 1,
        DesignationMethod.VOLUNTEER: 2,
    }
    assert counts(DESIGNATIONS, organization, 2024, "role") == {"行政DX支援": 1, "": 2}
    # A person with two designations is one person in the total.
    assert counts(DESIGNATIONS, organization, 2024) == {"": 2}

    labels = metric(DESIGNATIONS).group_labels(
        organization=organization, fiscal_year=2024, group_by="talent_type"
    )
    assert labels[mic] == "DX推進リーダー（micモデル）"
    assert labels[sapporo] == "DX推進リーダー（sapporoモデル）"
    levels = metric(DESIGNATIONS).group_labels(
        organization=organization, fiscal_year=2024, group_by="level"
    )
    assert levels[f"{mic}:l1"] == "DX推進リーダー（micモデル） L1 段階1"


def test_unknown_grouping_is_refused(organization) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="cannot be grouped by"):
        counts(DESIGNATIONS, organization, 2024, "grade")
    with pytest.raises(ValueError, match="cannot be grouped by"):
        counts(QUALIFICATION_HOLDERS, organization, 2024, "talent_type")


def test_every_organization_asked_for_is_in_the_result(organization, tree, framework) -> None:  # type: ignore[no-untyped-def]
    empty = OrganizationFactory()
    designate(StaffFactory(organization=organization), framework)
    m = metric(DESIGNATION_HOLDERS)
    both = [organization, empty]
    assert m.counts(organizations=both, fiscal_year=2024, today=TODAY) == {
        organization.pk: {"": 1},
        empty.pk: {"": 0},
    }
    assert m.counts(organizations=both, fiscal_year=2024, group_by="status", today=TODAY) == {
        organization.pk: {S.CERTIFIED: 1},
        empty.pk: {},
    }


# ---------------------------------------------------------------------- qualifications


@pytest.fixture
def catalogue():  # type: ignore[no-untyped-def]
    return {
        "ip": Qualification.objects.create(code="t-ip", name="テストITパスポート", itss_level=1),
        "fe": Qualification.objects.create(code="t-fe", name="テスト基本情報", itss_level=2),
    }


def test_qualification_holders_as_of_the_end_of_the_year(organization, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    me = StaffFactory(organization=organization, unit=tree["0101"])
    StaffQualification.objects.create(
        staff=me, qualification=catalogue["ip"], obtained_on=dt.date(2023, 5, 1)
    )
    StaffQualification.objects.create(
        staff=me, qualification=catalogue["fe"], obtained_on=dt.date(2024, 10, 1)
    )
    gone = StaffFactory(
        organization=organization, unit=tree["0201"], retired_on=dt.date(2024, 6, 30)
    )
    StaffQualification.objects.create(
        staff=gone, qualification=catalogue["ip"], obtained_on=dt.date(2022, 5, 1)
    )
    assert counts(QUALIFICATION_HOLDERS, organization, 2023, "qualification") == {"t-ip": 2}
    assert counts(QUALIFICATION_HOLDERS, organization, 2024, "qualification") == {
        "t-ip": 1,
        "t-fe": 1,
    }
    assert counts(QUALIFICATION_HOLDERS, organization, 2024) == {"": 1}
    assert counts(QUALIFICATION_HOLDERS, organization, 2024, "itss_level") == {"1": 1, "2": 1}
    assert counts(QUALIFICATION_HOLDERS, organization, 2023, "unit") == {"0101": 1, "0201": 1}
    assert counts(QUALIFICATION_HOLDERS, organization, 2021) == {"": 0}


# ------------------------------------------------------------------------ query count


def _populate(organizations: list[Any], framework_of: dict[int, Framework], size: int) -> None:
    quals = [Qualification.objects.create(code=f"q-{size}-{i}", name=f"資格{i}") for i in range(2)]
    for org in organizations:
        unit_a = UnitFactory(organization=org)
        unit_b = UnitFactory(organization=org)
        for i in range(size):
            staff = StaffFactory(organization=org, unit=unit_b)
            AssignmentFactory(
                staff=staff,
                unit=unit_a,
                starts_on=dt.date(2020, 4, 1),
                ends_on=dt.date(2024, 3, 31),
            )
            AssignmentFactory(staff=staff, unit=unit_b, starts_on=dt.date(2024, 4, 1))
            designation = designate(staff, framework_of[org.pk], status=S.CANDIDATE)
            move(designation, S.CERTIFIED, dt.date(2023, 10, 1))
            StaffQualification.objects.create(
                staff=staff, qualification=quals[i % 2], obtained_on=dt.date(2022, 4, 1)
            )


@pytest.mark.parametrize("size", [3, 30])
def test_counts_cost_the_same_queries_at_any_size(organization, size) -> None:  # type: ignore[no-untyped-def]
    organizations = [organization, OrganizationFactory()]
    framework_of = {org.pk: make_framework(org) for org in organizations}
    _populate(organizations, framework_of, size)
    expected = {
        (DESIGNATIONS, None): 2,  # designations, events
        (DESIGNATIONS, "unit"): 3,  # + assignments
        (DESIGNATION_HOLDERS, "talent_type"): 2,
        (QUALIFICATION_HOLDERS, "qualification"): 1,
        (QUALIFICATION_HOLDERS, "unit"): 2,
    }
    for (key, group_by), queries in expected.items():
        with CaptureQueriesContext(connection) as captured:
            found = metric(key).counts(
                organizations=organizations, fiscal_year=2024, group_by=group_by, today=TODAY
            )
        assert len(captured) == queries, (key, group_by, [q["sql"] for q in captured])
        for org in organizations:
            assert sum(found[org.pk].values()) == size or key == QUALIFICATION_HOLDERS
    units = metric(DESIGNATIONS).counts(
        organizations=organizations, fiscal_year=2023, group_by="unit", today=TODAY
    )
    assert [sorted(units[o.pk].values()) for o in organizations] == [[size], [size]]


# ---------------------------------------------------------------------------- members


@pytest.fixture
def members_setup(organization, tree, framework, user_with_role):  # type: ignore[no-untyped-def]
    """Designated staff in 人事課 (0101, linked to a 職員), 人事係 (010101) and 0201."""
    me_user = user_with_role(Role.STAFF)
    me = StaffFactory(organization=organization, unit=tree["0101"], user=me_user, name="本人 太郎")
    below = StaffFactory(organization=organization, unit=tree["010101"], name="係員 次郎")
    other = StaffFactory(organization=organization, unit=tree["0201"], name="他課 三郎")
    for staff in (me, below, other):
        designate(staff, framework)
    return {"me": me, "below": below, "other": other, "me_user": me_user}


def _members(actor: Actor, organization: Any, **kw: Any):  # type: ignore[no-untyped-def]
    return metric(DESIGNATIONS).drill_down(
        actor=actor, organization=organization, fiscal_year=2024, today=TODAY, **kw
    )


def test_members_follow_the_visibility_matrix(  # type: ignore[no-untyped-def]
    organization, tree, members_setup, actor_of
) -> None:
    s = members_setup
    dx = _members(actor_of(Role.DX_OFFICE), organization)
    assert {r.person_id for r in dx.rows} == {s["me"].pk, s["below"].pk, s["other"].pk}
    assert dx.hidden == 0
    row = next(r for r in dx.rows if r.person_id == s["other"].pk)
    assert row.unit_name == tree["0201"].name
    assert row.detail == "DX推進リーダー（認定）"
    assert row.url.endswith(f"/{s['other'].pk}/")

    head = _members(actor_of(Role.UNIT_HEAD, unit=tree["0101"]), organization)
    assert {r.person_id for r in head.rows} == {s["me"].pk, s["below"].pk}
    assert head.hidden == 1

    from hagukumi.core.tenancy import actor_for

    me = _members(actor_for(s["me_user"], organization.pk), organization)
    assert [r.person_id for r in me.rows] == [s["me"].pk]
    assert me.hidden == 2

    pref = _members(actor_of(Role.PREFECTURE_SUPPORT), organization)
    assert (pref.rows, pref.hidden) == ([], 3)

    # One group only.
    unit = _members(actor_of(Role.HR), organization, group_by="unit", group="0201")
    assert [r.person_id for r in unit.rows] == [s["other"].pk]


def test_members_of_another_organization_are_404(organization, members_setup, actor_of) -> None:  # type: ignore[no-untyped-def]
    elsewhere = OrganizationFactory()
    with pytest.raises(AccessDenied):
        _members(actor_of(Role.DX_OFFICE, org=elsewhere), organization)
    with pytest.raises(AccessDenied):
        _members(Actor.system(), organization)


def test_members_write_an_audit_view_record(organization, members_setup, actor_of) -> None:  # type: ignore[no-untyped-def]
    actor = actor_of(Role.UNIT_HEAD, unit=members_setup["me"].unit)
    before = AuditEvent.objects.count()
    found = _members(actor, organization, group_by="status", group=S.CERTIFIED)
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert event.action == AuditEvent.Action.VIEW
    assert event.target_repr == "指標の内訳: 指定中の人材"
    assert event.detail["metric"] == DESIGNATIONS
    assert event.detail["group"] == S.CERTIFIED
    assert sorted(event.detail["staff"]) == sorted(r.number for r in found.rows)


def test_qualification_members_need_the_qualifications_group(  # type: ignore[no-untyped-def]
    organization, tree, catalogue, members_setup, actor_of
) -> None:
    for staff in (members_setup["me"], members_setup["other"]):
        StaffQualification.objects.create(
            staff=staff, qualification=catalogue["ip"], obtained_on=dt.date(2023, 5, 1)
        )
    found = metric(QUALIFICATION_HOLDERS).drill_down(
        actor=actor_of(Role.UNIT_HEAD, unit=tree["0101"]),
        organization=organization,
        fiscal_year=2024,
        group_by="qualification",
        group="t-ip",
        today=TODAY,
    )
    assert [r.person_id for r in found.rows] == [members_setup["me"].pk]
    assert found.rows[0].detail == "テストITパスポート（令和5年5月1日）"
    assert found.hidden == 1


# ------------------------------------------------------------------------ unit panel


def test_unit_panel_counts_staff_and_lists_leaders(  # type: ignore[no-untyped-def]
    organization, tree, members_setup, actor_of
) -> None:
    actor = actor_of(Role.STAFF)
    panel = unit_staff_panel(actor=actor, unit=tree["0101"], fiscal_year=2024, today=TODAY)
    assert panel is not None
    assert (panel.staff_count, panel.staff_count_below) == (1, 2)
    assert [leader.name for leader in panel.leaders] == ["本人 太郎", "係員 次郎"]
    dept = unit_staff_panel(actor=actor, unit=tree["01"], fiscal_year=2024, today=TODAY)
    assert dept is not None
    assert (dept.staff_count, dept.staff_count_below) == (0, 2)

    rendered = dict(
        (p.key, html)
        for p, html in render_unit_panels(actor=actor, unit=tree["0101"], fiscal_year=2024)
    )
    assert "1人（下位の所属を含めて2人）" in rendered["people-unit"]
    assert "係員 次郎（DX推進リーダー、" in rendered["people-unit"]


def test_unit_panel_is_empty_for_another_organization(organization, tree, actor_of) -> None:  # type: ignore[no-untyped-def]
    elsewhere = OrganizationFactory()
    actor = actor_of(Role.DX_OFFICE, org=elsewhere)
    assert unit_staff_panel(actor=actor, unit=tree["0101"], fiscal_year=2024) is None
    assert render_unit_panels(actor=actor, unit=tree["0101"], fiscal_year=2024) == []
