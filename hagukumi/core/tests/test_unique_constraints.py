"""Unique constraints over a nullable column hold on SQLite too (issue [品質] 12).

`UniqueConstraint(nulls_distinct=False)` is not created on SQLite (models.W047),
so the embedded default allowed duplicates; each is now two partial unique
indexes, created and enforced by SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from hagukumi.core.models import Membership, Role
from hagukumi.core.tests.factories import UserFactory
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.models import SubsidyEligibility, SubsidyRule


def _refused(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
def test_a_role_is_held_once_per_organization():
    user, org = UserFactory(), OrganizationFactory()
    Membership.objects.create(user=user, organization=org, role=Role.HR)
    _refused(lambda: Membership.objects.create(user=user, organization=org, role=Role.HR))
    # Another role, 団体 or user is fine.
    Membership.objects.create(user=user, organization=org, role=Role.STAFF)
    Membership.objects.create(user=user, organization=OrganizationFactory(), role=Role.HR)
    Membership.objects.create(user=UserFactory(), organization=org, role=Role.HR)


@pytest.mark.django_db
def test_a_unit_head_heads_a_unit_once():
    user, org = UserFactory(), OrganizationFactory()
    unit, other = UnitFactory(organization=org), UnitFactory(organization=org)
    Membership.objects.create(user=user, organization=org, role=Role.UNIT_HEAD, unit=unit)
    _refused(
        lambda: Membership.objects.create(
            user=user, organization=org, role=Role.UNIT_HEAD, unit=unit
        )
    )
    Membership.objects.create(user=user, organization=org, role=Role.UNIT_HEAD, unit=other)


def _rule(organization, code="exam"):  # type: ignore[no-untyped-def]
    return SubsidyRule.objects.create(
        organization=organization,
        code=code,
        name="受験料補助",
        eligibility=SubsidyEligibility.values[0],
        costs=["exam_fee"],
    )


@pytest.mark.django_db
def test_a_subsidy_rule_code_is_unique_per_organization_and_among_templates():
    org = OrganizationFactory()
    _rule(org)
    _refused(lambda: _rule(org))
    _rule(None)
    _refused(lambda: _rule(None))  # templates (no 団体): this was allowed on SQLite
    _rule(OrganizationFactory())
    _rule(None, code="course")


@pytest.mark.django_db
def test_no_constraint_is_skipped_on_this_database():
    # The system check that migrate runs warns (models.W047) about a skipped constraint.
    call_command("check", databases=["default"], fail_level="WARNING")
