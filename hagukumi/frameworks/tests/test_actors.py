"""Who may act on frameworks: no actor sees nothing; the command line and the system (ADR 0005)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_export import write_table
from hagukumi.core.tabular_import import read_table
from hagukumi.core.tenancy import COMMAND_LINE_LABEL, Actor, actor_for
from hagukumi.frameworks import services
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import (
    access_framework_by_id,
    framework_draft,
    framework_export,
    framework_templates,
    framework_version_for_export,
    frameworks_for,
    frameworks_visible,
)
from hagukumi.frameworks.services import (
    framework_templates_load,
    skill_map_import,
    talent_type_save,
)
from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS, skill_map_rows
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.orgs.tests.factories import OrganizationFactory


@pytest.fixture
def framework(organization: Any) -> Framework:
    return framework_with_draft(organization)


def test_no_actor_sees_nothing(templates, framework):
    template = Framework.objects.filter(is_template=True).first()
    assert template is not None
    assert list(frameworks_for(actor=None)) == []  # type: ignore[arg-type]
    assert list(frameworks_visible(actor=None)) == []  # type: ignore[arg-type]
    assert list(framework_templates(actor=None)) == []  # type: ignore[arg-type]
    for framework_id in (framework.pk, template.pk):
        with pytest.raises(AccessDenied):
            access_framework_by_id(actor=None, framework_id=framework_id)  # type: ignore[arg-type]
    with pytest.raises(ApplicationError, match="見つかりません"):
        framework_version_for_export(actor=None, identifier="mic")  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        talent_type_save(
            actor=None,  # type: ignore[arg-type]
            framework=framework,
            code="t1",
            values={"name": "改名"},
        )
    with pytest.raises(AccessDenied):
        framework_templates_load(actor=None)  # type: ignore[arg-type]


def test_the_command_line_acts_for_its_own_団体_only(framework, organization):
    mine = Actor.command_line(organization)
    other = Actor.command_line(OrganizationFactory())
    assert access_framework_by_id(actor=mine, framework_id=framework.pk) == framework
    assert list(frameworks_for(actor=mine)) == [framework]
    with pytest.raises(AccessDenied):
        access_framework_by_id(actor=other, framework_id=framework.pk)
    assert list(frameworks_for(actor=other)) == []
    talent_type_save(actor=mine, framework=framework, code="t1", values={"name": "改名"})
    with pytest.raises(AccessDenied):
        talent_type_save(actor=other, framework=framework, code="t1", values={"name": "別名"})
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("id")
    assert (event.actor_username, event.organization_id) == (COMMAND_LINE_LABEL, organization.pk)


def test_the_system_finds_any_framework_by_id_but_may_not_edit_it(framework):
    system = Actor.system()
    assert access_framework_by_id(actor=system, framework_id=framework.pk) == framework
    assert framework_version_for_export(actor=system, identifier=str(framework.pk)).number == 1
    assert list(frameworks_for(actor=system)) == []
    with pytest.raises(AccessDenied):
        talent_type_save(actor=system, framework=framework, code="t1", values={"name": "改名"})


def test_a_web_user_sees_a_framework_by_id_only_in_its_own_団体(framework, user_with_role):
    outsider = actor_for(user_with_role(Role.DX_OFFICE, org=OrganizationFactory()))
    with pytest.raises(ApplicationError, match="見つかりません"):
        framework_version_for_export(actor=outsider, identifier=str(framework.pk))


def test_templates_are_loaded_by_the_operator_not_by_a_web_user(national, dx_actor, organization):
    with pytest.raises(AccessDenied):
        framework_templates_load(actor=dx_actor)
    assert not Framework.objects.filter(is_template=True).exists()
    changes = framework_templates_load(actor=Actor.system())
    assert {c.action for c in changes} == {"created"}
    assert {c.action for c in framework_templates_load(actor=Actor.command_line(organization))} == {
        "unchanged"
    }
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).latest("id")
    assert (event.actor_username, event.organization_id) == (COMMAND_LINE_LABEL, national.pk)


def _skill_map_table(framework: Framework, tmp_path: Any) -> Any:
    content = framework_export(framework_version=framework_draft(framework=framework))
    path = tmp_path / "map.xlsx"
    path.write_bytes(write_table(skill_map_rows(content), columns=SKILL_MAP_COLUMNS, format="xlsx"))
    return read_table(str(path), columns=SKILL_MAP_COLUMNS)


def test_skill_map_import_needs_an_editor_of_the_owning_団体(
    framework, organization, user_with_role, tmp_path
):
    staff = actor_for(user_with_role(Role.STAFF), organization.pk)
    for actor in (staff, Actor.system(), Actor.command_line(OrganizationFactory())):
        with pytest.raises(AccessDenied):
            skill_map_import(
                actor=actor,
                framework=framework,
                table=_skill_map_table(framework, tmp_path),
                dry_run=True,
            )
    summary = skill_map_import(
        actor=Actor.command_line(organization),
        framework=framework,
        table=_skill_map_table(framework, tmp_path),
        dry_run=True,
    )
    assert summary.lines()


def test_the_import_command_acts_as_the_command_line_of_the_framework_s_団体(
    framework, organization, tmp_path
):
    content = framework_export(framework_version=framework_draft(framework=framework))
    rows = skill_map_rows(content)
    rows[0]["behaviours"] = "新しい行動"
    path = tmp_path / "map.xlsx"
    path.write_bytes(write_table(rows, columns=SKILL_MAP_COLUMNS, format="xlsx"))
    out = StringIO()
    call_command("import_skill_map", str(path), "--framework", str(framework.pk), stdout=out)
    event = AuditEvent.objects.filter(target_type="frameworks.FrameworkVersion").latest("id")
    assert (event.actor_username, event.organization_id) == (COMMAND_LINE_LABEL, organization.pk)


def test_export_command_by_id_exports_a_団体_framework(framework):
    out = StringIO()
    call_command("export_framework", str(framework.pk), stdout=out)
    assert json.loads(out.getvalue())["code"] == framework.code


def test_access_denied_from_a_service_is_a_404_in_its_view(
    framework, organization, user_with_role, monkeypatch
):
    def refuse(**kwargs: Any) -> None:
        raise AccessDenied()

    monkeypatch.setattr(services, "talent_type_remove", refuse)
    monkeypatch.setattr(services, "talent_type_save", refuse)
    client = Client()
    client.force_login(user_with_role(Role.DX_OFFICE))
    response = client.post(
        reverse("frameworks:type_delete", args=[framework.pk, "t1"]), {"confirm": "yes"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("frameworks:type_edit", args=[framework.pk, "t1"]),
        {"name": "改名", "mic_type": "dx-leader"},
    )
    assert response.status_code == 404
