"""Catalogue, 受験料補助, designations, 庁内公募 and the per-field edits."""

from __future__ import annotations

import datetime as dt

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_templates_load,
    framework_version_publish,
    talent_type_remove,
)
from hagukumi.frameworks.tests.conftest import assert_in_seed
from hagukumi.people.catalogue import SEED_FILE, SUBSIDY_TEMPLATES
from hagukumi.people.designations import designation_create, designation_transition
from hagukumi.people.job_challenges import (
    job_application_decide,
    job_application_opinion,
    job_application_submit,
    job_application_withdraw,
    job_applications_for,
    job_challenge_create,
)
from hagukumi.people.models import (
    ApplicationStatus,
    Designation,
    DesignationMethod,
    DesignationStatus,
    JobChallengeKind,
    Qualification,
    StaffQualification,
    SubsidyRule,
)
from hagukumi.people.selectors import designation_counts, leader_directory, staff_profile
from hagukumi.people.services import (
    staff_appraisal_update,
    staff_career_intent_update,
    staff_qualification_add,
)
from hagukumi.people.subsidies import (
    RATE_NOT_SET,
    subsidy_evaluate,
    subsidy_rule_adopt,
)
from hagukumi.people.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------- catalogue


def test_catalogue_text_is_verbatim_from_the_seed():  # type: ignore[no-untyped-def]
    seeded = list(Qualification.objects.filter(from_seed=True).order_by("order"))
    assert [q.name for q in seeded] == [
        "ITパスポート試験",
        "ITスキル標準",
        "情報システムユーザースキル標準",
        "デジタル・スキル標準",
        "情報セキュリティマネジメント試験",
        "情報処理安全確保支援士",
        "ITコーディネータ制度",
    ]
    for q in seeded:
        for text in (q.audience, q.content, q.contact, f"※{q.note}"):
            if text.strip("※"):
                assert_in_seed(text, SEED_FILE)
        if q.label:
            assert_in_seed(f"({q.label})", SEED_FILE)
        assert q.exam_fee is None  # the seed gives no fee
    assert [q.code for q in seeded if not q.holdable] == ["itss", "uiss", "dss"]
    levels = {q.code: q.itss_level for q in Qualification.objects.all()}
    assert (levels["it-passport"], levels["sg"], levels["sc"]) == (1, 2, 4)
    extra = {q.name: q.itss_level for q in Qualification.objects.filter(from_seed=False)}
    assert extra["基本情報技術者試験"] == 2
    assert extra["応用情報技術者試験"] == 3
    assert extra["ITストラテジスト試験"] == 4
    assert all(
        "資料（seeds）にはない" in q.source for q in Qualification.objects.filter(from_seed=False)
    )


def test_subsidy_templates_quote_the_seed():  # type: ignore[no-untyped-def]
    for template in SUBSIDY_TEMPLATES:
        assert_in_seed(template["quote"], SEED_FILE)
    rates = dict(SubsidyRule.objects.filter(organization=None).values_list("code", "rate_percent"))
    assert rates == {"kasama": None, "ibara": 50, "gotsu": 100}


# ---------------------------------------------------------------------- framework


@pytest.fixture
def framework(organization, user_with_role):  # type: ignore[no-untyped-def]
    framework_templates_load(actor=Actor.system())
    dx = actor_for(user_with_role(Role.DX_OFFICE), organization.pk)
    adopted = framework_adopt(actor=dx, template_code="mic", organization=organization)
    framework_version_publish(actor=dx, framework_version=adopted.versions.get())
    return adopted


@pytest.fixture
def dx(organization, user_with_role):  # type: ignore[no-untyped-def]
    return actor_for(user_with_role(Role.DX_OFFICE), organization.pk)


@pytest.fixture
def hr(organization, user_with_role):  # type: ignore[no-untyped-def]
    return actor_for(user_with_role(Role.HR), organization.pk)


def _record(staff, **fees):  # type: ignore[no-untyped-def]
    return StaffQualification.objects.create(
        staff=staff,
        qualification=Qualification.objects.get(code="it-passport"),
        obtained_on=dt.date(2025, 6, 1),
        **fees,
    )


def test_subsidy_rules(organization, tree, framework):  # type: ignore[no-untyped-def]
    ibara = subsidy_rule_adopt(
        actor=Actor.command_line(organization), organization=organization, template_code="ibara"
    )
    gotsu = subsidy_rule_adopt(
        actor=Actor.command_line(organization), organization=organization, template_code="gotsu"
    )
    kasama = subsidy_rule_adopt(
        actor=Actor.command_line(organization), organization=organization, template_code="kasama"
    )
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    assert (
        subsidy_evaluate(rule=ibara, record=_record(staff, exam_fee=7500, course_fee=10000)).amount
        == 8750
    )
    StaffQualification.objects.all().delete()
    assert subsidy_evaluate(rule=ibara, record=_record(staff, exam_fee=7501)).amount == 3750
    StaffQualification.objects.all().delete()
    record = _record(staff, exam_fee=7500, textbook_fee=1980, travel_fee=1200)
    assert subsidy_evaluate(rule=gotsu, record=record).amount == 10680
    non_leader = subsidy_evaluate(rule=kasama, record=record)
    assert (non_leader.eligible, non_leader.amount, non_leader.message) == (False, None, "対象外")
    designation_create(
        actor=Actor.command_line(organization),
        staff=staff,
        talent_type_code="dx-leader",
        method=DesignationMethod.RECOMMENDED,
        from_fy=2025,
        status=DesignationStatus.CERTIFIED,
    )
    leader = subsidy_evaluate(rule=kasama, record=record)
    assert (leader.eligible, leader.amount, leader.message) == (True, None, RATE_NOT_SET)
    assert RATE_NOT_SET == "補助率が未設定です"
    with pytest.raises(ApplicationError, match="採用済み"):
        subsidy_rule_adopt(
            actor=Actor.command_line(organization), organization=organization, template_code="ibara"
        )


# ------------------------------------------------------------------- designations


def test_designation_rules_and_history(organization, tree, framework, dx, hr):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    with pytest.raises(AccessDenied):
        designation_create(
            actor=hr, staff=staff, talent_type_code="dx-leader", method="volunteer", from_fy=2026
        )
    with pytest.raises(ApplicationError, match="兼務発令日が必須"):
        designation_create(
            actor=dx,
            staff=staff,
            talent_type_code="dx-leader",
            method=DesignationMethod.APPOINTED_CONCURRENT,
            from_fy=2026,
        )
    with pytest.raises(ApplicationError, match="兼務発令日は指定の期間"):
        designation_create(
            actor=dx,
            staff=staff,
            talent_type_code="dx-leader",
            method=DesignationMethod.APPOINTED_CONCURRENT,
            from_fy=2026,
            to_fy=2026,
            concurrent_order_date=dt.date(2027, 4, 1),
        )
    with pytest.raises(ApplicationError, match="公開済みのフレームワークにありません"):
        designation_create(
            actor=dx, staff=staff, talent_type_code="nope", method="volunteer", from_fy=2026
        )
    with pytest.raises(ApplicationError, match="役割"):
        designation_create(
            actor=dx,
            staff=staff,
            talent_type_code="dx-leader",
            method="volunteer",
            from_fy=2026,
            role="社長",
        )
    d = designation_create(
        actor=dx,
        staff=staff,
        talent_type_code="dx-leader",
        method=DesignationMethod.APPOINTED_CONCURRENT,
        from_fy=2026,
        concurrent_order_date=dt.date(2026, 4, 1),
        role="行政DX支援",
        cohort=1,
    )
    for status in ("training", "certified", "practising"):
        designation_transition(actor=dx, designation=d, status=status)
    with pytest.raises(ApplicationError, match="には変更できません"):
        designation_transition(actor=dx, designation=d, status="training")
    assert designation_counts(organization=organization, fiscal_year=2026) == {"dx-leader": 1}
    designation_transition(
        actor=dx, designation=d, status="revoked", effective_on=dt.date(2027, 3, 31)
    )
    d.refresh_from_db()
    assert d.to_fy == 2026
    assert [e.status_to for e in d.events.order_by("id")] == [
        "candidate",
        "training",
        "certified",
        "practising",
        "revoked",
    ]
    assert designation_counts(organization=organization, fiscal_year=2027) == {}
    assert designation_counts(
        organization=organization, fiscal_year=2026, by="status", statuses=None
    ) == {"revoked": 1}


def test_used_talent_type_cannot_be_removed(organization, tree, framework, dx):  # type: ignore[no-untyped-def]
    from hagukumi.frameworks.services import framework_version_new_draft

    staff = StaffFactory(organization=organization, unit=tree["0101"])
    designation_create(
        actor=dx, staff=staff, talent_type_code="dx-leader", method="volunteer", from_fy=2026
    )
    framework_version_new_draft(actor=dx, framework=framework)
    with pytest.raises(ApplicationError, match="1 人の指定に使われています"):
        talent_type_remove(actor=dx, framework=framework, code="dx-leader")


def test_leader_directory(organization, tree, framework, dx, user_with_role):  # type: ignore[no-untyped-def]
    leader = StaffFactory(organization=organization, unit=tree["0201"], name="𠮷田 三郎")
    StaffFactory(organization=organization, unit=tree["0101"])
    designation_create(
        actor=dx,
        staff=leader,
        talent_type_code="dx-leader",
        method="recommended",
        from_fy=2024,
        status="certified",
        role="行政DX支援",
    )
    anyone = actor_for(user_with_role(Role.STAFF), organization.pk)
    rows = leader_directory(actor=anyone, fiscal_year=2026)
    assert [(r.unit_name, r.talent_type_name, r.role, r.name) for r in rows] == [
        ("デジタル推進課", "DX推進リーダー", "行政DX支援", "𠮷田 三郎")
    ]
    assert AuditEvent.objects.filter(target_repr="DX推進リーダー名簿").exists()
    assert leader_directory(actor=anyone, fiscal_year=2023) == []


# ------------------------------------------------------------------ job challenges


def test_job_challenge_flow(organization, tree, framework, dx, hr, user_with_role):  # type: ignore[no-untyped-def]
    applicant_user = user_with_role(Role.STAFF)
    applicant = StaffFactory(organization=organization, unit=tree["010101"], user=applicant_user)
    me = actor_for(applicant_user, organization.pk)
    head = actor_for(user_with_role(Role.UNIT_HEAD, unit=tree["0101"]), organization.pk)
    posting = job_challenge_create(
        actor=dx,
        kind=JobChallengeKind.DX_QUOTA,
        title="DX推進枠 行政DX支援",
        unit=tree["0201"],
        opens_on=dt.date(2026, 1, 5),
        closes_on=dt.date(2026, 1, 31),
        talent_type_code="dx-leader",
    )
    with pytest.raises(ApplicationError, match="締切を過ぎた"):
        job_application_submit(
            actor=me, challenge=posting, motivation="やりたい", today=dt.date(2026, 2, 1)
        )
    application = job_application_submit(
        actor=me, challenge=posting, motivation="やりたい", today=dt.date(2026, 1, 10)
    )
    with pytest.raises(ApplicationError, match="応募済み"):
        job_application_submit(
            actor=me, challenge=posting, motivation="再度", today=dt.date(2026, 1, 11)
        )
    job_application_opinion(actor=head, application_id=application.pk, opinion="推薦します")
    mine = job_applications_for(actor=me, challenge=posting)
    assert "head_opinion" not in mine[0]
    assert job_applications_for(actor=hr, challenge=posting)[0]["head_opinion"] == "推薦します"
    with pytest.raises(AccessDenied):
        job_application_decide(actor=dx, application_id=application.pk, accepted=True)
    decided = job_application_decide(actor=hr, application_id=application.pk, accepted=True)
    assert decided.status == ApplicationStatus.ACCEPTED
    designation = Designation.objects.get(staff=applicant)
    assert (designation.method, designation.status) == ("volunteer", "candidate")
    with pytest.raises(ApplicationError):
        job_application_withdraw(actor=me, application_id=application.pk)
    other_user = user_with_role(Role.STAFF)
    StaffFactory(organization=organization, unit=tree["0101"], user=other_user)
    other = actor_for(other_user, organization.pk)
    second = job_application_submit(
        actor=other, challenge=posting, motivation="x", today=dt.date(2026, 1, 31)
    )
    with pytest.raises(AccessDenied):
        job_application_withdraw(actor=me, application_id=second.pk)
    assert job_application_withdraw(actor=other, application_id=second.pk).status == "withdrawn"
    assert AuditEvent.objects.filter(target_type="people.JobApplication").count() >= 5


# ------------------------------------------------------------------------- edits


def test_edits_follow_the_matrix(organization, tree, framework, dx, hr, user_with_role):  # type: ignore[no-untyped-def]
    user = user_with_role(Role.STAFF)
    staff = StaffFactory(organization=organization, unit=tree["0101"], user=user)
    me = actor_for(user, organization.pk)
    staff_career_intent_update(actor=me, staff_id=staff.pk, text="データ活用をしたい")
    with pytest.raises(AccessDenied):
        staff_career_intent_update(actor=hr, staff_id=staff.pk, text="x")
    staff_appraisal_update(actor=hr, staff_id=staff.pk, aptitude_notes="a", evaluation_notes="b")
    with pytest.raises(AccessDenied):
        staff_appraisal_update(
            actor=me, staff_id=staff.pk, aptitude_notes="a", evaluation_notes="b"
        )
    with pytest.raises(AccessDenied):
        staff_appraisal_update(
            actor=dx, staff_id=staff.pk, aptitude_notes="a", evaluation_notes="b"
        )
    staff_qualification_add(
        actor=me,
        staff_id=staff.pk,
        qualification_code="it-passport",
        obtained_on=dt.date(2025, 5, 1),
        exam_fee=7500,
    )
    with pytest.raises(ApplicationError, match="スキル標準"):
        staff_qualification_add(
            actor=me, staff_id=staff.pk, qualification_code="itss", obtained_on=dt.date(2025, 5, 1)
        )
    with pytest.raises(AccessDenied):
        staff_qualification_add(
            actor=dx,
            staff_id=staff.pk,
            qualification_code="it-passport",
            obtained_on=dt.date(2025, 6, 1),
        )
    subsidy_rule_adopt(
        actor=Actor.command_line(organization), organization=organization, template_code="ibara"
    )
    profile = staff_profile(actor=me, staff_id=staff.pk)
    assert profile.qualifications is not None
    assert profile.qualifications[0].subsidies[0].amount == 3750
    assert profile.values["career_intent"] == "データ活用をしたい"
    assert "evaluation_notes" not in profile.values
