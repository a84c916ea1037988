"""実践記録: the staff member writes, the 所属長 confirms; periods by month."""

from __future__ import annotations

import datetime as dt

import pytest

from hagukumi.assessments.models import PracticeRecord, PracticeStatus
from hagukumi.assessments.services import (
    practice_evidence_add,
    practice_record_confirm,
    practice_record_create,
    practice_record_return,
    practice_record_submit,
    practice_record_update,
)
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
DATA = {
    "title": "申請受付の業務アプリ化",
    "period_start": dt.date(2026, 4, 15),
    "period_end": dt.date(2026, 9, 30),
    "as_is": "紙とExcelで受付",
    "to_be": "業務アプリで受付から集計まで",
    "result": "約10時間/月の削減",
}


@pytest.fixture
def people(organization, user_with_role):  # type: ignore[no-untyped-def]
    unit = UnitFactory(organization=organization, name="行政課")
    other_unit = UnitFactory(organization=organization, name="財政課")
    user = user_with_role(Role.STAFF, org=organization)
    staff = StaffFactory(organization=organization, unit=unit, user=user)
    return {
        "staff": staff,
        "self": actor_for(user, organization.pk),
        "head": actor_for(user_with_role(Role.UNIT_HEAD, unit=unit), organization.pk),
        "other_head": actor_for(user_with_role(Role.UNIT_HEAD, unit=other_unit), organization.pk),
        "office": actor_for(user_with_role(Role.DX_OFFICE), organization.pk),
    }


def test_write_submit_confirm(people) -> None:  # type: ignore[no-untyped-def]
    record = practice_record_create(actor=people["self"], staff=people["staff"], data=DATA)
    assert (record.period_start, record.period_end) == (dt.date(2026, 4, 1), dt.date(2026, 9, 1))
    assert record.status == PracticeStatus.DRAFT
    practice_evidence_add(actor=people["self"], record=record, url="https://example.jp/app/1")
    record = practice_record_update(
        actor=people["self"], record=record, data={"result": "約12時間/月の削減"}
    )
    assert record.result == "約12時間/月の削減"
    record = practice_record_submit(actor=people["self"], record=record)
    with pytest.raises(ApplicationError, match="変更できません"):
        practice_record_update(actor=people["self"], record=record, data={"title": "x"})
    record = practice_record_confirm(actor=people["head"], record=record, now=NOW)
    assert record.status == PracticeStatus.CONFIRMED
    assert record.confirmed_at == NOW
    assert record.confirmed_by == people["head"].user


def test_a_period_ending_before_it_starts_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    bad = {**DATA, "period_start": dt.date(2026, 4, 1), "period_end": dt.date(2026, 3, 31)}
    with pytest.raises(
        ApplicationError, match="終了月（令和8年3月）が開始月（令和8年4月）より前です"
    ):
        practice_record_create(actor=people["self"], staff=people["staff"], data=bad)
    assert not PracticeRecord.objects.exists()
    record = practice_record_create(actor=people["self"], staff=people["staff"], data=DATA)
    with pytest.raises(ApplicationError, match="より前です"):
        practice_record_update(
            actor=people["self"], record=record, data={"period_end": dt.date(2025, 1, 1)}
        )
    record.refresh_from_db()
    assert record.period_end == dt.date(2026, 9, 1)


def test_only_the_staff_member_writes_and_only_their_head_confirms(people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="本人だけが作成"):
        practice_record_create(actor=people["office"], staff=people["staff"], data=DATA)
    with pytest.raises(AccessDenied):
        practice_record_create(actor=people["other_head"], staff=people["staff"], data=DATA)
    record = practice_record_create(actor=people["self"], staff=people["staff"], data=DATA)
    practice_record_submit(actor=people["self"], record=record)
    with pytest.raises(ApplicationError, match="所属長だけ"):
        practice_record_confirm(actor=people["self"], record=record, now=NOW)
    with pytest.raises(ApplicationError, match="所属長だけ"):
        practice_record_confirm(actor=people["office"], record=record, now=NOW)
    with pytest.raises(AccessDenied):
        practice_record_confirm(actor=people["other_head"], record=record, now=NOW)
    practice_record_return(actor=people["head"], record=record, reason="成果の数字を")
    record.refresh_from_db()
    assert record.status == PracticeStatus.RETURNED
    with pytest.raises(ApplicationError, match="確認待ち"):
        practice_record_confirm(actor=people["head"], record=record, now=NOW)


def test_another_organization_changes_nothing(people) -> None:  # type: ignore[no-untyped-def]
    record = practice_record_create(actor=people["self"], staff=people["staff"], data=DATA)
    outsider = Actor.command_line(OrganizationFactory())
    for call in (
        lambda: practice_record_update(actor=outsider, record=record, data={"title": "x"}),
        lambda: practice_record_submit(actor=outsider, record=record),
        lambda: practice_record_confirm(actor=outsider, record=record, now=NOW),
        lambda: practice_record_create(actor=outsider, staff=people["staff"], data=DATA),
    ):
        with pytest.raises(AccessDenied):
            call()
    record.refresh_from_db()
    assert (record.title, record.status) == (DATA["title"], PracticeStatus.DRAFT)
