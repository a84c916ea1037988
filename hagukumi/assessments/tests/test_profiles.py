"""Profile reads, the assessment form with training's evidence, panels, and the heatmap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hagukumi.assessments.models import Assessment, AssessmentAnswer, AssessmentKind
from hagukumi.assessments.panels import ASSESSMENT_PANEL, CERTIFICATE_PANEL, PRACTICE_PANEL
from hagukumi.assessments.selectors import (
    assessment_form,
    competency_heatmap,
    staff_assessment_profile,
    staff_certificates,
    staff_practice_records,
)
from hagukumi.assessments.tests.certification_world import add_member, build_world
from hagukumi.assessments.tests.factories import CertificateFactory, PracticeRecordFactory
from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.registries import render_profile_panels
from hagukumi.core.tenancy import actor_for
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.training.tests.factories import CompetencyEvidenceFactory, CourseCompletionFactory

pytestmark = pytest.mark.django_db
PROCESS = "dx-leader-skill-process-improvement"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    return build_world(rule=False)


@pytest.fixture
def people(world, user_with_role):  # type: ignore[no-untyped-def]
    org = world.organization
    user = user_with_role(Role.STAFF, org=org)
    staff = StaffFactory(organization=org, unit=world.units["0101"], user=user, number="000123")
    return {
        "staff": staff,
        "self": actor_for(user, org.pk),
        "head": actor_for(
            user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0101"]), org.pk
        ),
        "other_head": actor_for(
            user_with_role(Role.UNIT_HEAD, org=org, unit=world.units["0102"]), org.pk
        ),
        "office": actor_for(user_with_role(Role.DX_OFFICE, org=org), org.pk),
        "hr": actor_for(user_with_role(Role.HR, org=org), org.pk),
        "prefecture": actor_for(user_with_role(Role.PREFECTURE_SUPPORT, org=org), org.pk),
    }


def _supervisor_two_and_evidence_three(world, people):  # type: ignore[no-untyped-def]
    staff = people["staff"]
    item = world.sheet.items.get(competency_code=PROCESS)
    assessment = Assessment.objects.create(
        organization=world.organization,
        window=world.window,
        staff=staff,
        kind=AssessmentKind.SUPERVISOR,
        assessor=people["head"].user,
        submitted_at=timezone.make_aware(dt.datetime(2025, 10, 20, 9, 0)),
    )
    AssessmentAnswer.objects.create(assessment=assessment, item=item, value=2)
    completion = CourseCompletionFactory(
        organization=world.organization,
        staff=staff,
        course=world.phases["スキル習得"].course,
        completed_on=dt.date(2025, 11, 20),
    )
    CompetencyEvidenceFactory(
        completion=completion,
        framework=world.framework,
        competency_code=PROCESS,
        level=3,
    )


def test_profile_shows_the_supervisor_value_and_the_evidence(world, people) -> None:  # type: ignore[no-untyped-def]
    _supervisor_two_and_evidence_three(world, people)
    (profile,) = staff_assessment_profile(actor=people["office"], staff=people["staff"])
    row = next(r for r in profile.rows if r.competency_code == PROCESS)
    assert row.text == "業務改善能力"
    assert row.values == {"self": None, "supervisor": 2, "office": None}
    assert row.best_evidence_level == 3
    assert row.evidence[0].course_title == "スキル習得"
    assert profile.window_labels == {"supervisor": "令和7年度 秋期"}
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("id")
    assert event.target_repr == f"アセスメント 000123 {people['staff'].name}"


def test_next_assessment_form_shows_the_evidence_and_no_answer(world, people) -> None:  # type: ignore[no-untyped-def]
    _supervisor_two_and_evidence_three(world, people)
    form = assessment_form(
        actor=people["office"],
        window=world.window,
        staff=people["staff"],
        kind=AssessmentKind.OFFICE,
        today=dt.date(2025, 11, 25),
    )
    item = next(i for i in form.items if i.competency_code == PROCESS)
    assert item.value is None  # evidence never fills in an answer
    assert item.best_evidence_level == 3
    assert form.may_answer
    assert form.is_open
    assert form.scale == (1, 2, 3, 4)
    head_form = assessment_form(
        actor=people["head"],
        window=world.window,
        staff=people["staff"],
        kind=AssessmentKind.SUPERVISOR,
        today=dt.date(2025, 12, 1),
    )
    assert head_form.submitted
    assert not head_form.is_open
    assert next(i for i in head_form.items if i.competency_code == PROCESS).value == 2


def test_visibility_of_profile_reads(world, people) -> None:  # type: ignore[no-untyped-def]
    staff = people["staff"]
    for who in ("self", "head", "office", "hr"):
        staff_assessment_profile(actor=people[who], staff=staff)
        staff_practice_records(actor=people[who], staff=staff)
        staff_certificates(actor=people[who], staff=staff)
    other = build_world(rule=False)
    for actor in (people["other_head"], people["prefecture"], other.actor):
        for read in (staff_assessment_profile, staff_practice_records, staff_certificates):
            with pytest.raises(AccessDenied):
                read(actor=actor, staff=staff)
        with pytest.raises(AccessDenied):
            assessment_form(
                actor=actor,
                window=world.window,
                staff=staff,
                kind=AssessmentKind.OFFICE,
                today=dt.date(2025, 10, 2),
            )


def test_drafts_are_the_authors_own(world, people) -> None:  # type: ignore[no-untyped-def]
    staff = people["staff"]
    PracticeRecordFactory(organization=world.organization, staff=staff, title="下書きの件")
    PracticeRecordFactory(
        organization=world.organization,
        staff=staff,
        title="確認済みの件",
        status="confirmed",
        confirmed_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9, 0)),
    )
    mine = staff_practice_records(actor=people["self"], staff=staff)
    theirs = staff_practice_records(actor=people["head"], staff=staff)
    assert len(mine.records) == 2
    assert [r.title for r in theirs.records] == ["確認済みの件"]
    assert theirs.confirmed_months == 6


def test_panels_render_through_the_registry(world, people) -> None:  # type: ignore[no-untyped-def]
    _supervisor_two_and_evidence_three(world, people)
    CertificateFactory(
        organization=world.organization, staff=people["staff"], framework=world.framework
    )
    panels = {
        p.key: html
        for p, html in render_profile_panels(actor=people["head"], staff=people["staff"])
    }
    assert "業務改善能力" in panels[ASSESSMENT_PANEL]
    assert "レベル3（スキル習得）" in panels[ASSESSMENT_PANEL]
    assert "実践記録はありません" in panels[PRACTICE_PANEL]
    assert "-2025-" in panels[CERTIFICATE_PANEL]
    outsider = {
        p.key: html
        for p, html in render_profile_panels(actor=people["other_head"], staff=people["staff"])
    }
    assert outsider[ASSESSMENT_PANEL] == outsider[CERTIFICATE_PANEL] == ""


def test_heatmap_counts_per_level_for_the_office_and_for_a_unit_head(world, people) -> None:  # type: ignore[no-untyped-def]
    add_member(world, number="000001", unit="0101", office_values=(4, 4, 4, 4, 4, 4, 4))
    add_member(world, number="000002", unit="0101", office_values=(1, 2, 3, 4, 1, 2, 3))
    add_member(world, number="000003", unit="0102", office_values=(2, 2, 2, 2, 2, 2, 2))
    heatmap = competency_heatmap(actor=people["office"], window=world.window)
    assert heatmap.levels == (1, 2, 3, 4)
    assert [(c.code, c.name, c.staff_count) for c in heatmap.columns] == [
        ("0101", "行政課", 2),
        ("0102", "財政課", 1),
    ]
    first = heatmap.rows[0]
    assert first.text == "当事者意識"
    assert [c.counts for c in first.cells] == [(1, 0, 0, 1), (0, 1, 0, 0)]
    assert first.cells[0].mean_text == "2.5"
    assert first.cells[0].shade is not None
    assert first.cells[1].shade == 1
    mine = competency_heatmap(actor=people["head"], window=world.window)
    assert [c.code for c in mine.columns] == ["0101"]
    assert not mine.whole_organization
    with pytest.raises(AccessDenied):
        competency_heatmap(actor=people["self"], window=world.window)
    with pytest.raises(AccessDenied):
        competency_heatmap(actor=build_world(rule=False).actor, window=world.window)
