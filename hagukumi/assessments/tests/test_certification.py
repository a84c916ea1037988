"""Certifying candidates: designation → 認定 through people's services, numbered certificates."""

from __future__ import annotations

import datetime as dt

import pytest

from hagukumi.assessments.models import Certificate
from hagukumi.assessments.selectors import certification_evaluate
from hagukumi.assessments.services import certificate_prefix, certification_certify
from hagukumi.assessments.tests.certification_world import add_member, build_world
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Designation, DesignationEvent, DesignationStatus
from hagukumi.people.services import designation_create

pytestmark = pytest.mark.django_db
ISSUED = dt.date(2026, 3, 25)


def _certify(world, staff, **kw):  # type: ignore[no-untyped-def]
    return certification_certify(
        actor=kw.pop("actor", world.actor),
        rule=world.rule,
        fiscal_year=2025,
        staff_ids=[s.pk for s in staff],
        issued_on=kw.pop("issued_on", ISSUED),
        **kw,
    )


def test_certify_moves_the_designation_and_numbers_certificates() -> None:
    world = build_world()
    first = add_member(world, number="000002")
    second = add_member(world, number="000001")
    candidate = designation_create(
        actor=world.actor,
        staff=first,
        framework=world.framework,
        talent_type_code="dx-leader",
        method="recommended",
        from_fy=2025,
        effective_on=dt.date(2025, 5, 1),
    )
    certificates = _certify(world, [first, second])
    prefix = world.organization.code
    assert [(c.staff.number, c.number) for c in certificates] == [
        ("000001", f"{prefix}-2025-0001"),
        ("000002", f"{prefix}-2025-0002"),
    ]
    candidate.refresh_from_db()
    assert candidate.status == DesignationStatus.CERTIFIED
    event = DesignationEvent.objects.filter(designation=candidate).latest("id")
    assert (event.status_from, event.status_to, event.effective_on) == (
        "candidate",
        "certified",
        ISSUED,
    )
    created = Designation.objects.get(staff=second)
    assert (created.status, created.method, created.from_fy) == ("certified", "recommended", 2025)
    assert certificates[1].designation == candidate
    snapshot = certificates[0].rule_snapshot
    assert snapshot["rule"] == "DX推進リーダー認定基準（デモ）"
    assert snapshot["program"] == "【②DX推進リーダー】育成"
    assert [c["kind"] for c in snapshot["clauses"]] == ["phases_completed", "assessment"]
    assert AuditEvent.objects.filter(target_type="assessments.Certificate").count() == 2
    # The certified still show as meeting the rule of that 年度, and never again later.
    report = certification_evaluate(rule=world.rule, fiscal_year=2025)
    assert [r.staff_no for r in report.meets] == ["000001", "000002"]
    assert not certification_evaluate(rule=world.rule, fiscal_year=2026).rows
    with pytest.raises(ApplicationError, match="既に認定"):
        _certify(world, [first])


def test_someone_short_of_the_rule_is_refused_and_nothing_is_saved() -> None:
    world = build_world()
    good = add_member(world, number="000001")
    short = add_member(world, number="000002", skip=["成果発表"])
    with pytest.raises(
        ApplicationError, match=r"000002 .* は基準を満たしていません: 成果発表 未修了"
    ):
        _certify(world, [good, short])
    assert not Certificate.objects.exists()
    assert not Designation.objects.exists()


def test_only_the_office_of_the_organization_certifies(user_with_role) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    staff = add_member(world, number="000001")
    hr = actor_for(user_with_role(Role.HR, org=world.organization), world.organization.pk)
    other = build_world()
    for actor in (hr, other.actor):
        with pytest.raises(AccessDenied):
            _certify(world, [staff], actor=actor)
    with pytest.raises(AccessDenied):  # their own rule, our staff
        certification_certify(
            actor=other.actor,
            rule=other.rule,
            fiscal_year=2025,
            staff_ids=[staff.pk],
            issued_on=ISSUED,
        )
    assert not Certificate.objects.exists()


def test_a_demo_organization_without_a_code_uses_its_own_prefix() -> None:
    demo = OrganizationFactory(code=None, is_demo=True, name="デモ市")
    assert certificate_prefix(demo) == f"DEMO{demo.pk}"
    world = build_world(demo)
    staff = add_member(world, number="000001")
    (certificate,) = _certify(world, [staff])
    assert certificate.number == f"DEMO{demo.pk}-2025-0001"
    assert certificate.issued_by_name == ""


def test_issue_date_before_the_year_is_refused() -> None:
    world = build_world()
    staff = add_member(world, number="000001")
    with pytest.raises(ApplicationError, match="発行日"):
        _certify(world, [staff], issued_on=dt.date(2025, 3, 31))
