"""取得年月日 that cannot be: after today, before birth; refused on every write path.

Paths: the profile form (service `staff_qualification_add`) and the qualification
import (`qualifications_import`, used by the upload job and `import_qualifications`).
A qualification obtained before 採用 is accepted (people bring qualifications with
them), but 受験料補助 does not cover it (`subsidy_evaluate`: 採用前の取得).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.people.models import StaffQualification, SubsidyRule
from hagukumi.people.qualification_dates import qualification_date_problem
from hagukumi.people.roster_import import qualifications_import
from hagukumi.people.selectors import BEFORE_HIRE, subsidy_evaluate
from hagukumi.people.services import staff_qualification_add, subsidy_rule_adopt
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
HEADER = "職員番号,資格,取得年月日,受験料\r\n"


def test_the_rule_names_each_impossible_date() -> None:
    born = dt.date(1990, 5, 1)
    assert qualification_date_problem(obtained_on=TODAY, birth_date=born, today=TODAY) is None
    future = qualification_date_problem(
        obtained_on=dt.date(2030, 1, 1), birth_date=born, today=TODAY
    )
    assert future == "取得年月日（2030年1月1日）が今日（2026年6月1日）より後です"
    before_birth = qualification_date_problem(
        obtained_on=dt.date(1990, 4, 30), birth_date=born, today=TODAY
    )
    assert before_birth == "取得年月日（1990年4月30日）が生年月日より前です"
    # Without a 生年月日 only the future is checked.
    assert qualification_date_problem(obtained_on=born, birth_date=None, today=TODAY) is None


def test_the_service_refuses_a_future_date_and_one_before_birth(organization, user_with_role):  # type: ignore[no-untyped-def]
    user = user_with_role(Role.STAFF)
    staff = StaffFactory(organization=organization, user=user, birth_date=dt.date(1990, 5, 1))
    me = actor_for(user, organization.pk)
    for day, reason in ((dt.date(2030, 1, 1), "今日"), (dt.date(1989, 1, 1), "生年月日")):
        with pytest.raises(ApplicationError, match=reason):
            staff_qualification_add(
                actor=me,
                staff_id=staff.pk,
                qualification_code="it-passport",
                obtained_on=day,
                today=TODAY,
            )
    assert not StaffQualification.objects.exists()
    staff_qualification_add(
        actor=me,
        staff_id=staff.pk,
        qualification_code="it-passport",
        obtained_on=TODAY,
        today=TODAY,
    )
    assert StaffQualification.objects.count() == 1


def test_the_profile_form_shows_why(organization, user_with_role, client):  # type: ignore[no-untyped-def]
    user = user_with_role(Role.STAFF)
    staff = StaffFactory(organization=organization, user=user)
    client.force_login(user)
    response = client.post(
        reverse("people:my_profile"),
        {"action": "qualification", "qualification": "it-passport", "obtained_on": "2999-01-01"},
    )
    assert response.status_code == 400
    assert "取得年月日（2999年1月1日）が今日" in response.content.decode()
    assert not staff.qualifications.exists()


def test_the_import_refuses_the_rows_with_their_row_number(organization):  # type: ignore[no-untyped-def]
    StaffFactory(organization=organization, number="000001", birth_date=dt.date(1990, 5, 1))
    source = (
        HEADER
        + "000001,ITパスポート,2030-01-01,\r\n"
        + "000001,ITパスポート,1980-04-01,\r\n"
        + "000001,ITパスポート,2026-06-01,\r\n"
    )
    with pytest.raises(TabularImportError) as exc:
        qualifications_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=source.encode(),
            filename="q.csv",
            today=TODAY,
        )
    lines = [str(e) for e in exc.value.errors]
    assert "行 2 列 取得年月日: 取得年月日（2030年1月1日）が今日（2026年6月1日）より後です" in lines
    assert "行 3 列 取得年月日: 取得年月日（1980年4月1日）が生年月日より前です" in lines
    assert len(lines) == 2
    assert not StaffQualification.objects.exists()  # all-or-nothing


def test_before_hire_is_kept_but_not_subsidised(organization):  # type: ignore[no-untyped-def]
    operator = Actor.command_line(organization)
    staff = StaffFactory(organization=organization, number="000001", hired_on=dt.date(2024, 4, 1))
    qualifications_import(
        actor=operator,
        organization=organization,
        source=(
            HEADER
            + "000001,ITパスポート,2023-10-01,7500\r\n000001,ITパスポート,2024-10-01,7500\r\n"
        ).encode(),
        filename="q.csv",
        today=TODAY,
    )
    rule = subsidy_rule_adopt(actor=operator, organization=organization, template_code="ibara")
    rule = SubsidyRule.objects.get(pk=rule.pk)
    before, after = StaffQualification.objects.filter(staff=staff).order_by("obtained_on")
    refused = subsidy_evaluate(rule=rule, record=before)
    assert (refused.eligible, refused.amount, refused.message) == (False, None, BEFORE_HIRE)
    paid = subsidy_evaluate(rule=rule, record=after)
    assert (paid.eligible, paid.amount) == (True, 3750)
