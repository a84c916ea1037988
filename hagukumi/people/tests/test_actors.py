"""Who acts on the 職員台帳: no actor sees nothing, the command line, audit labels."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from hagukumi.core.errors import AccessDenied
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.people.models import Staff
from hagukumi.people.roster_import import qualifications_import, staff_import
from hagukumi.people.selectors import (
    access_staff_by_id,
    designation_list,
    job_challenges_for,
    leader_directory,
    staff_export,
    staff_of_user,
    staff_profile,
    staff_search,
    staff_search_choices,
)
from hagukumi.people.services import (
    staff_appraisal_update,
    staff_user_link,
    subsidy_rule_adopt,
)
from hagukumi.people.tests.conftest import roster_file, roster_row
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.people.visibility import (
    searchable_groups,
    staff_editable_groups,
    staff_scope,
    staff_visible_groups,
)

pytestmark = pytest.mark.django_db

NOBODY = None  # what a caller that forgot its actor passes


def test_no_actor_sees_nothing(organization, tree):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    scope = staff_scope(NOBODY)  # type: ignore[arg-type]
    assert (scope.organization_id, scope.whole_organization, scope.unit_ids) == (
        None,
        False,
        frozenset(),
    )
    assert staff_visible_groups(NOBODY, staff) == frozenset()  # type: ignore[arg-type]
    assert staff_editable_groups(NOBODY, staff) == frozenset()  # type: ignore[arg-type]
    assert searchable_groups(NOBODY) == frozenset()  # type: ignore[arg-type]
    assert staff_of_user(actor=NOBODY) is None  # type: ignore[arg-type]
    assert not job_challenges_for(actor=NOBODY).exists()  # type: ignore[arg-type]
    assert staff_search_choices(actor=NOBODY).talent_types == []  # type: ignore[arg-type]
    for read in (
        lambda: access_staff_by_id(actor=NOBODY, staff_id=staff.pk),  # type: ignore[arg-type]
        lambda: staff_profile(actor=NOBODY, staff_id=staff.pk),  # type: ignore[arg-type]
        lambda: staff_search(actor=NOBODY),  # type: ignore[arg-type]
        lambda: staff_export(actor=NOBODY),  # type: ignore[arg-type]
        lambda: leader_directory(actor=NOBODY),  # type: ignore[arg-type]
        lambda: designation_list(actor=NOBODY),  # type: ignore[arg-type]
    ):
        with pytest.raises(AccessDenied):
            read()


def test_no_actor_writes_nothing(organization, tree):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    data = roster_file([roster_row("000001", "山田 太郎")])
    for write in (
        lambda: staff_import(
            actor=NOBODY,  # type: ignore[arg-type]
            organization=organization,
            source=data,
            effective_date=dt.date.today(),
        ),
        lambda: qualifications_import(
            actor=NOBODY,  # type: ignore[arg-type]
            organization=organization,
            source="職員番号,資格,取得年月日\r\n".encode(),
            filename="q.csv",
        ),
        lambda: subsidy_rule_adopt(
            actor=NOBODY,  # type: ignore[arg-type]
            organization=organization,
            template_code="ibara",
        ),
        lambda: staff_user_link(actor=NOBODY, staff=staff, user=None),  # type: ignore[arg-type]
        lambda: staff_appraisal_update(
            actor=NOBODY,  # type: ignore[arg-type]
            staff_id=staff.pk,
            aptitude_notes="x",
            evaluation_notes="y",
        ),
    ):
        with pytest.raises(AccessDenied):
            write()
    assert Staff.objects.count() == 1


def test_the_system_actor_sees_no_staff(organization, tree):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"])
    with pytest.raises(AccessDenied):
        access_staff_by_id(actor=Actor.system(), staff_id=staff.pk)
    with pytest.raises(AccessDenied):
        staff_search(actor=Actor.system())
    assert staff_scope(Actor.system()).organization_id is None


def test_the_command_line_is_audited_under_one_label(organization, tree):  # type: ignore[no-untyped-def]
    operator = Actor.command_line(organization)
    staff_import(
        actor=operator,
        organization=organization,
        source=roster_file([roster_row("000001", "山田 太郎")]),
        effective_date=dt.date.today(),
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.actor_username == "コマンドライン"
    assert event.actor_id is None


def test_staff_audit_label_is_the_audit_target(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    staff = StaffFactory(
        organization=organization, unit=tree["0101"], number="000123", name="山田 太郎"
    )
    assert staff.audit_label == "職員 000123 山田 太郎"
    hr = actor_for(user_with_role(Role.HR), organization.pk)
    staff_profile(actor=hr, staff_id=staff.pk)
    staff_appraisal_update(
        actor=hr, staff_id=staff.pk, aptitude_notes="分析が得意", evaluation_notes=""
    )
    shown = AuditEvent.objects.filter(target_id=str(staff.pk)).values_list("action", "target_repr")
    assert set(shown) == {
        (AuditEvent.Action.VIEW, "職員 000123 山田 太郎"),
        (AuditEvent.Action.UPDATE, "職員 000123 山田 太郎"),
    }


def test_appraisal_update_writes_only_what_changed(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    staff = StaffFactory(organization=organization, unit=tree["0101"], evaluation_notes="良好")
    hr = actor_for(user_with_role(Role.HR), organization.pk)
    staff_appraisal_update(
        actor=hr, staff_id=staff.pk, aptitude_notes="分析が得意", evaluation_notes="良好"
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail == {"fields": ["適性"]}
    staff_appraisal_update(
        actor=hr, staff_id=staff.pk, aptitude_notes="分析が得意", evaluation_notes="良好"
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_commands_name_the_organization_by_name(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_file([roster_row("000001", "山田 太郎")]))
    out = io.StringIO()
    call_command("import_staff", str(path), "--organization", organization.name, stdout=out)
    assert "新規 1件" in out.getvalue()
    target = tmp_path / "out.csv"
    call_command(
        "export_staff",
        "--organization",
        organization.name,
        "--format",
        "csv",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    assert "山田 太郎" in target.read_bytes().decode("utf-8-sig")
