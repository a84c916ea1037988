"""Answering assessments: who may answer which kind, the scale, the window, one per kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hagukumi.assessments.models import Assessment, AssessmentAnswer, AssessmentKind
from hagukumi.assessments.services import assessment_save
from hagukumi.assessments.tests.certification_world import SAPPORO_DX_LEADER_CODES, build_world
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import actor_for
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2025, 10, 15)
NOW = dt.datetime(2025, 10, 15, 10, 0, tzinfo=dt.UTC)
ALL_THREE = dict.fromkeys(SAPPORO_DX_LEADER_CODES, 3)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world(rule=False)


@pytest.fixture
def people(world, user_with_role):  # type: ignore[no-untyped-def]
    org = world.organization
    member_user = user_with_role(Role.STAFF, org=org)
    member = StaffFactory(organization=org, unit=world.units["0101"], user=member_user)
    head = user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0101"])
    other_head = user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0102"])
    office = user_with_role(Role.DX_OFFICE, org=org)
    return {
        "staff": member,
        "self": actor_for(member_user, org.pk),
        "head": actor_for(head, org.pk),
        "other_head": actor_for(other_head, org.pk),
        "office": actor_for(office, org.pk),
    }


def _save(world, actor, staff, kind, answers=None, **kw):  # type: ignore[no-untyped-def]
    return assessment_save(
        actor=actor,
        window=world.window,
        staff=staff,
        kind=kind,
        answers=ALL_THREE if answers is None else answers,
        today=kw.pop("today", IN_WINDOW),
        now=NOW,
        **kw,
    )


def test_each_kind_by_its_assessor(world, people) -> None:  # type: ignore[no-untyped-def]
    staff = people["staff"]
    for actor, kind in (
        (people["self"], AssessmentKind.SELF),
        (people["head"], AssessmentKind.SUPERVISOR),
        (people["office"], AssessmentKind.OFFICE),
    ):
        assessment = _save(world, actor, staff, kind, submit=True)
        assert assessment.submitted_at == NOW
        assert assessment.answers.count() == 7
    assert Assessment.objects.filter(staff=staff).count() == 3
    assert AuditEvent.objects.filter(target_type="assessments.Assessment").count() == 3


def test_supervisor_only_by_the_staff_members_unit_head(world, people) -> None:  # type: ignore[no-untyped-def]
    staff = people["staff"]
    with pytest.raises(ApplicationError, match="上司評価は所属長だけが入力できます"):
        _save(world, people["office"], staff, AssessmentKind.SUPERVISOR)
    with pytest.raises(AccessDenied):  # a 所属長 of another unit does not see them
        _save(world, people["other_head"], staff, AssessmentKind.SUPERVISOR)
    with pytest.raises(ApplicationError, match="本人評価は本人だけ"):
        _save(world, people["head"], staff, AssessmentKind.SELF)
    with pytest.raises(ApplicationError, match="事務局評価は DX推進担当だけ"):
        _save(world, people["head"], staff, AssessmentKind.OFFICE)
    assert not Assessment.objects.filter(staff=staff).exists()


def test_another_organization_gets_404(world, people) -> None:  # type: ignore[no-untyped-def]
    other = build_world(rule=False)
    with pytest.raises(AccessDenied):
        _save(world, other.actor, people["staff"], AssessmentKind.OFFICE)
    with pytest.raises(AccessDenied):
        _save(other, other.actor, people["staff"], AssessmentKind.OFFICE)
    assert not Assessment.objects.exists()


def test_values_outside_the_scale_name_the_item(world, people) -> None:  # type: ignore[no-untyped-def]
    answers = {**ALL_THREE, "dx-leader-skill-process-improvement": 5}
    with pytest.raises(ApplicationError, match=r"設問「業務改善能力」: 評価は 1～4 の範囲.*（5）"):
        _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, answers)
    answers = {**ALL_THREE, "dx-leader-mind-ownership": "2.5"}
    with pytest.raises(ApplicationError, match="設問「当事者意識」: 評価は 1～4 の整数"):
        _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, answers)
    with pytest.raises(ApplicationError, match="シートにない設問"):
        _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, {"x": 1})
    assert not Assessment.objects.exists()
    assert not AssessmentAnswer.objects.exists()


def test_outside_the_window_is_refused(world, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match=r"令和7年12月1日 は実施期間.*の外です"):
        _save(
            world,
            people["office"],
            people["staff"],
            AssessmentKind.OFFICE,
            today=dt.date(2025, 12, 1),
        )
    assert not Assessment.objects.exists()


def test_one_per_kind_draft_then_submitted_is_frozen(world, people) -> None:  # type: ignore[no-untyped-def]
    staff, office = people["staff"], people["office"]
    draft = _save(world, office, staff, AssessmentKind.OFFICE, {"dx-leader-mind-ownership": 2})
    assert draft.submitted_at is None
    with pytest.raises(ApplicationError, match="未回答の設問"):
        _save(
            world,
            office,
            staff,
            AssessmentKind.OFFICE,
            {"dx-leader-mind-ownership": 2},
            submit=True,
        )
    rest = {code: 4 for code in SAPPORO_DX_LEADER_CODES[1:]}
    done = _save(world, office, staff, AssessmentKind.OFFICE, rest, submit=True)
    assert done.pk == draft.pk
    values = dict(done.answers.values_list("item__competency_code", "value"))
    assert values["dx-leader-mind-ownership"] == 2
    assert values["dx-leader-skill-it-literacy"] == 4
    with pytest.raises(ApplicationError, match="提出済み"):
        _save(world, office, staff, AssessmentKind.OFFICE)
    assert Assessment.objects.filter(staff=staff, kind=AssessmentKind.OFFICE).count() == 1


def test_test_score_only_for_the_office_on_a_scored_sheet(world, people) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="テストの点数は"):
        _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, test_score="70")
    world.sheet.has_test_score = True
    world.sheet.test_score_max = Decimal("100")
    world.sheet.save()
    with pytest.raises(ApplicationError, match="満点（100）以下"):
        _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, test_score="101")
    saved = _save(world, people["office"], people["staff"], AssessmentKind.OFFICE, test_score="70")
    assert saved.test_score == Decimal("70")
