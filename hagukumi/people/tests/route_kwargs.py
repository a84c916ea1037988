"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

A profile is reachable by 人事担当 and DX推進担当 (the whole 団体), by the
所属長 of the staff member's unit and by 職員本人 only. The matrix makes its
users after the builders run, so `_staff` places its staff member as they are
made: under the matrix 所属長's unit and linked to the matrix 職員's login
(a receiver on Membership, matched by a unique 職員番号 so that it never
touches another test's data). Another 団体's user still gets 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models.signals import post_save
from django.utils import timezone

from hagukumi.core.models import Membership, Role
from hagukumi.people.models import (
    Assignment,
    JobApplication,
    JobChallenge,
    JobChallengeKind,
    Staff,
)
from hagukumi.people.tests.factories import StaffFactory


def _follow_matrix_users(number: str, organization_id: int) -> None:
    def place(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
        if not created or instance.organization_id != organization_id:
            return
        staff = Staff.objects.filter(organization_id=organization_id, number=number)
        if instance.role == Role.UNIT_HEAD and instance.unit_id is not None:
            staff.update(unit_id=instance.unit_id)
        elif instance.role == Role.STAFF:
            staff.update(user_id=instance.user_id)

    post_save.connect(place, sender=Membership, weak=False, dispatch_uid=f"route-matrix-{number}")


def _staff(world: Any) -> dict[str, Any]:
    number = f"RM{uuid.uuid4().hex[:12]}"
    staff = StaffFactory(organization=world.organization, unit=world.unit, number=number)
    _follow_matrix_users(number, world.organization.pk)
    return {"pk": staff.pk}


def _challenge(world: Any) -> JobChallenge:
    today = timezone.localdate()
    return JobChallenge.objects.create(
        organization=world.organization,
        kind=JobChallengeKind.JOB_CHALLENGE,
        title="ルート確認用の公募",
        unit=world.unit,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
        fiscal_year=2026,
    )


def _challenge_kwargs(world: Any) -> dict[str, Any]:
    return {"pk": _challenge(world).pk}


def _application(world: Any) -> dict[str, Any]:
    staff = StaffFactory(organization=world.organization, unit=world.unit)
    application = JobApplication.objects.create(
        challenge=_challenge(world), staff=staff, motivation="やってみたい"
    )
    return {"pk": application.pk}


def _staff_plain(world: Any) -> dict[str, Any]:
    return {"pk": StaffFactory(organization=world.organization, unit=world.unit).pk}


def _assignment(world: Any) -> dict[str, Any]:
    staff = StaffFactory(organization=world.organization, unit=world.unit)
    period = Assignment.objects.create(
        staff=staff, unit=world.unit, position="主事", starts_on=dt.date(2024, 4, 1)
    )
    return {"pk": period.pk}


ROUTE_KWARGS = {
    "people:staff_assignments": _staff_plain,
    "people:assignment_edit": _assignment,
    "people:staff_detail": _staff,
    "people:challenge_detail": _challenge_kwargs,
    "people:challenge_apply": _challenge_kwargs,
    "people:application_withdraw": _application,
    "people:application_opinion": _application,
    "people:application_decide": _application,
}
