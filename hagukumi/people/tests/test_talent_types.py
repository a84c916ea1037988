"""Designations name (framework, code): two frameworks that share a code never mix.

The scenario of issue 11 §3: the demo's `mic` framework is in force with
DX推進リーダー designations; the 団体 adopts the 札幌市 template beside it and
renames its `dx-leader`.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.frameworks.in_force import talent_type_key
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_templates_load,
    framework_version_publish,
    talent_type_save,
)
from hagukumi.people.forms import DesignationAddForm
from hagukumi.people.models import (
    Designation,
    DesignationMethod,
    DesignationStatus,
    JobChallenge,
    JobChallengeKind,
)
from hagukumi.people.selectors import (
    designation_counts,
    designation_list,
    leader_directory,
    staff_profile,
    staff_search,
    staff_search_choices,
    subsidy_evaluate,
)
from hagukumi.people.services import designation_create, subsidy_rule_adopt
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

RENAMED = "札幌型DXリーダー"


@pytest.fixture
def dx(organization, user_with_role):  # type: ignore[no-untyped-def]
    return actor_for(user_with_role(Role.DX_OFFICE), organization.pk)


def _adopt(dx, organization, code, *, rename=None):  # type: ignore[no-untyped-def]
    framework = framework_adopt(actor=dx, template_code=code, organization=organization)
    if rename:
        talent_type_save(actor=dx, framework=framework, code="dx-leader", values={"name": rename})
    framework_version_publish(actor=dx, framework_version=framework.versions.get())
    return framework


@pytest.fixture
def mic(organization, dx):  # type: ignore[no-untyped-def]
    framework_templates_load(actor=Actor.system())
    return _adopt(dx, organization, "mic")


def _leader(dx, staff, **kw):  # type: ignore[no-untyped-def]
    values = {
        "talent_type_code": "dx-leader",
        "method": DesignationMethod.RECOMMENDED,
        "from_fy": 2024,
        "status": DesignationStatus.CERTIFIED,
        **kw,
    }
    return designation_create(actor=dx, staff=staff, **values)


def test_in_force_is_the_fiscal_year_range(organization, tree, mic, dx):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    open_ended = _leader(dx, staff)
    closed = _leader(dx, staff, from_fy=2020, to_fy=2023)
    assert set(Designation.objects.in_force(2023)) == {closed}
    assert set(Designation.objects.in_force(2024)) == {open_ended}
    assert set(Designation.objects.in_force(2030).holding()) == {open_ended}
    assert not Designation.objects.in_force(2019).exists()


def test_a_second_framework_sharing_a_code_never_mixes(organization, tree, mic, dx):  # type: ignore[no-untyped-def]
    leaders = [StaffFactory(organization=organization, unit=tree["0101"]) for _ in range(2)]
    for staff in leaders:
        _leader(dx, staff)
    sapporo = _adopt(dx, organization, "sapporo", rename=RENAMED)

    # Existing designations keep mic's name, wherever they are shown.
    rows = designation_list(actor=dx)
    assert [r.designation.framework_id for r in rows] == [mic.pk, mic.pk]
    assert all(r.talent_type_name.startswith("DX推進リーダー") for r in rows)
    assert all(RENAMED not in r.talent_type_name for r in rows)
    profile = staff_profile(actor=dx, staff_id=leaders[0].pk)
    assert profile.designations is not None
    assert profile.designations[0].talent_type_name == rows[0].talent_type_name
    assert all(RENAMED not in r.talent_type_name for r in leader_directory(actor=dx))

    # The dropdowns list both frameworks' types, named with their framework.
    choices = dict(staff_search_choices(actor=dx).talent_types)
    assert choices[talent_type_key(framework=mic, code="dx-leader")] == (
        f"DX推進リーダー（{mic.name}）"
    )
    assert (
        choices[talent_type_key(framework=mic, code="general-staff")]
        == f"一般行政職員（{mic.name}）"
    )
    assert choices[talent_type_key(framework=sapporo, code="dx-leader")] == (
        f"{RENAMED}（{sapporo.name}）"
    )
    assert talent_type_key(framework=sapporo, code="general-staff") in choices

    # A new designation says which framework; without it, a shared code is refused.
    newcomer = StaffFactory(organization=organization, unit=tree["0102"])
    with pytest.raises(ApplicationError, match="複数のフレームワーク"):
        _leader(dx, newcomer)
    form = DesignationAddForm(
        {
            "talent_type_code": talent_type_key(framework=sapporo, code="dx-leader"),
            "method": DesignationMethod.VOLUNTEER,
            "status": DesignationStatus.CANDIDATE,
            "from_fy": 2026,
        },
        talent_types=list(choices.items()),
        roles=[],
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["framework"], form.cleaned_data["talent_type_code"]) == (
        sapporo.pk,
        "dx-leader",
    )
    created = _leader(
        dx,
        newcomer,
        framework=form.cleaned_data["framework"],
        from_fy=2026,
        status=DesignationStatus.CANDIDATE,
    )
    assert created.framework_id == sapporo.pk

    # Counts and the search keep them apart.
    assert designation_counts(
        organization=organization, fiscal_year=2026, by="talent_type_key", statuses=None
    ) == {f"{mic.pk}:dx-leader": 2, f"{sapporo.pk}:dx-leader": 1}
    assert designation_counts(organization=organization, fiscal_year=2026, framework=mic) == {
        "dx-leader": 2
    }
    found = staff_search(
        actor=dx, filters={"talent_type": talent_type_key(framework=sapporo, code="dx-leader")}
    )
    assert [row["id"] for row in found.rows] == [newcomer.pk]
    assert found.rows[0]["designations"][0]["talent_type_name"] == f"{RENAMED}（{sapporo.name}）"
    by_code = staff_search(actor=dx, filters={"talent_type": "dx-leader"})
    assert by_code.total == 3  # a bare code (API) still means "in any framework"


def test_subsidy_rule_names_its_framework(organization, tree, mic, dx):  # type: ignore[no-untyped-def]
    import datetime as dt

    from hagukumi.people.models import Qualification, StaffQualification

    kasama = subsidy_rule_adopt(
        actor=Actor.command_line(organization), organization=organization, template_code="kasama"
    )
    assert kasama.framework_id == mic.pk
    sapporo = _adopt(dx, organization, "sapporo")
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    _leader(dx, staff, framework=sapporo, from_fy=2025)
    record = StaffQualification.objects.create(
        staff=staff,
        qualification=Qualification.objects.get(code="it-passport"),
        obtained_on=dt.date(2025, 6, 1),
    )
    assert not subsidy_evaluate(rule=kasama, record=record).eligible  # 札幌's leader ≠ mic's
    _leader(dx, staff, framework=mic, from_fy=2025)
    assert subsidy_evaluate(rule=kasama, record=record).eligible


def test_data_migration_fills_the_framework(organization, tree, mic):  # type: ignore[no-untyped-def]
    migration = importlib.import_module(
        "hagukumi.people.migrations.0004_fill_talent_type_framework"
    )
    posting = JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.INTERNAL,
        title="DX推進枠",
        unit=tree["0201"],
        talent_type_code="dx-leader",
        opens_on="2026-04-01",
        closes_on="2026-04-30",
        fiscal_year=2026,
    )
    unknown = JobChallenge.objects.create(
        organization=organization,
        kind=JobChallengeKind.INTERNAL,
        title="不明",
        unit=tree["0201"],
        talent_type_code="no-such-type",
        opens_on="2026-04-01",
        closes_on="2026-04-30",
        fiscal_year=2026,
    )
    migration.fill(django_apps, None)
    posting.refresh_from_db()
    unknown.refresh_from_db()
    assert (posting.framework_id, unknown.framework_id) == (mic.pk, None)
    migration.empty(django_apps, None)
    posting.refresh_from_db()
    assert posting.framework_id is None
