"""Loading, export shape, adopt → draft → publish; bad input refused with nothing saved."""

from __future__ import annotations

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.frameworks.models import (
    Competency,
    Framework,
    FrameworkVersion,
    IndividualLevel,
    TalentType,
    VersionStatus,
)
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.services import (
    TEMPLATE_DIR,
    framework_adopt,
    framework_create,
    framework_templates_load,
    framework_version_new_draft,
    framework_version_publish,
    framework_version_update,
)


def _counts() -> tuple[int, ...]:
    return (
        Framework.objects.count(),
        FrameworkVersion.objects.count(),
        TalentType.objects.count(),
        IndividualLevel.objects.count(),
        Competency.objects.count(),
    )


def test_reload_is_idempotent(templates):
    before = _counts()
    stamps = list(FrameworkVersion.objects.values_list("id", "updated_at"))
    changes = framework_templates_load(actor=Actor.system())
    assert {c.action for c in changes} == {"unchanged"}
    assert _counts() == before
    assert list(FrameworkVersion.objects.values_list("id", "updated_at")) == stamps


def test_changed_file_publishes_a_new_version(templates, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TEMPLATE_DIR, data)
    path = data / "aomori.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('name = "AI等活用"', 'name = "AI等の活用"'),
        encoding="utf-8",
    )
    changes = {c.code: c for c in framework_templates_load(actor=Actor.system(), directory=data)}
    assert changes["aomori"].action == "new_version"
    assert changes["aomori"].version == 2
    assert changes["mic"].action == "unchanged"
    aomori = Framework.objects.get(is_template=True, code="aomori")
    assert list(aomori.versions.values_list("number", "status")) == [
        (1, "published"),
        (2, "published"),
    ]


def test_a_bad_template_file_refuses_the_whole_load(national, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TEMPLATE_DIR, data)
    path = data / "sapporo.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('code = "in-training"', 'code = "apprentice"'),
        encoding="utf-8",
    )
    with pytest.raises(ApplicationError, match=r"sapporo\.toml.*apprentice.*重複"):
        framework_templates_load(actor=Actor.system(), directory=data)
    assert Framework.objects.count() == 0


def test_templates_are_owned_by_national(templates, national):
    assert set(Framework.objects.filter(is_template=True).values_list("owner_id", flat=True)) == {
        national.pk
    }


def test_export_shape(templates):
    mic = templates["mic"]
    assert list(mic)[:8] == [
        "code",
        "name",
        "version",
        "source",
        "talent_types",
        "maturity_levels",
        "competencies",
        "responsibilities",
    ]
    assert (mic["code"], mic["version"]) == ("mic", 1)
    t = mic["talent_types"][0]
    assert list(t)[:6] == ["code", "name", "mic_type", "description", "roles", "individual_levels"]
    hokkaido_level = templates["hokkaido"]["talent_types"][0]["individual_levels"][0]
    assert list(hokkaido_level)[:4] == ["code", "order", "name", "criteria"]
    assert list(mic["maturity_levels"][0])[:3] == ["level", "name", "statements"]
    competency = templates["kakegawa"]["competencies"][0]
    assert list(competency)[:4] == ["code", "kind", "name", "levels"]
    assert list(competency["levels"][0])[:2] == ["level", "behaviours"]
    assert list(templates["aomori"]["responsibilities"][0])[:2] == ["unit", "text"]
    json.dumps(mic, ensure_ascii=False)


def test_export_command_json_and_xlsx(templates, tmp_path):
    out = StringIO()
    call_command("export_framework", "sapporo", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == templates["sapporo"]
    target = tmp_path / "mic.xlsx"
    call_command("export_framework", "mic", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_load_command_prints_changes(national):
    out = StringIO()
    call_command("load_framework_templates", stdout=out)
    assert "mic: 作成（v1）" in out.getvalue()
    out = StringIO()
    call_command("load_framework_templates", stdout=out)
    assert "mic: 変更なし（v1）" in out.getvalue()


def test_adopt_edit_new_draft_publish(templates, dx_actor, organization):
    framework = framework_adopt(actor=dx_actor, template_code="sapporo", organization=organization)
    assert framework.owner == organization
    assert not framework.is_template
    (v1,) = framework.versions.all()
    assert (v1.number, v1.status) == (1, VersionStatus.DRAFT)
    content = framework_export(framework_version=v1)
    assert content["talent_types"] == templates["sapporo"]["talent_types"]
    content["talent_types"][0]["name"] = "一般行政職員（本市）"
    framework_version_update(actor=dx_actor, framework_version=v1, content=content)
    framework_version_publish(actor=dx_actor, framework_version=v1)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.PUBLISHED
    assert v1.published_at
    v2 = framework_version_new_draft(actor=dx_actor, framework=framework)
    assert (v2.number, v2.status) == (2, VersionStatus.DRAFT)
    v2_content = framework_export(framework_version=v2)
    assert v2_content["talent_types"][0]["name"] == "一般行政職員（本市）"
    assert [t["code"] for t in v2_content["talent_types"]] == [
        t["code"] for t in content["talent_types"]
    ]
    framework_version_publish(actor=dx_actor, framework_version=v2)
    assert framework.versions.filter(status=VersionStatus.PUBLISHED).count() == 2


def _bad(content, change):  # type: ignore[no-untyped-def]
    change(content)
    return content


BAD_EDITS = {
    "duplicate level order": (
        lambda c: c["talent_types"][2]["individual_levels"][1].update(order=1),
        "重複",
    ),
    "missing level order": (
        lambda c: c["talent_types"][2]["individual_levels"][1].update(order=7),
        "連番",
    ),
    "empty type name": (lambda c: c["talent_types"][0].update(name=" "), "名称を入力"),
    "empty level name": (
        lambda c: c["talent_types"][2]["individual_levels"][0].update(name=""),
        "名称を入力",
    ),
    "duplicate type code": (
        lambda c: c["talent_types"][1].update(code=c["talent_types"][0]["code"]),
        "コード「general-staff」が重複",
    ),
    "duplicate competency code": (
        lambda c: c["competencies"][1].update(code=c["competencies"][0]["code"]),
        "重複",
    ),
    "competency of unknown type": (
        lambda c: c["competencies"][0].update(talent_type="nobody"),
        "nobody",
    ),
    "empty framework name": (lambda c: c.update(name=""), "名称を入力"),
}


@pytest.mark.parametrize("case", sorted(BAD_EDITS))
def test_bad_edits_are_refused_with_nothing_saved(templates, dx_actor, organization, case):
    framework = framework_adopt(actor=dx_actor, template_code="sapporo", organization=organization)
    version = framework.versions.get()
    before = framework_export(framework_version=version)
    change, message = BAD_EDITS[case]
    content = framework_export(framework_version=version)
    change(content)
    with pytest.raises(ApplicationError, match=message):
        framework_version_update(actor=dx_actor, framework_version=version, content=content)
    assert framework_export(framework_version=version) == before


def test_maturity_level_gaps_and_unknown_statement_codes_are_refused(
    templates, dx_actor, organization
):
    framework = framework_adopt(actor=dx_actor, template_code="mic", organization=organization)
    version = framework.versions.get()
    content = framework_export(framework_version=version)
    del content["maturity_levels"][2]
    with pytest.raises(ApplicationError, match="3 がありません"):
        framework_version_update(actor=dx_actor, framework_version=version, content=content)
    content = framework_export(framework_version=version)
    content["maturity_levels"][0]["statements"]["ghost"] = "…"
    with pytest.raises(ApplicationError, match="ghost"):
        framework_version_update(actor=dx_actor, framework_version=version, content=content)
    assert len(framework_export(framework_version=version)["maturity_levels"]) == 5


def test_published_versions_are_frozen(templates, dx_actor, organization):
    framework = framework_adopt(actor=dx_actor, template_code="aomori", organization=organization)
    version = framework.versions.get()
    framework_version_publish(actor=dx_actor, framework_version=version)
    content = framework_export(framework_version=version)
    content["talent_types"][0]["name"] = "変更"
    with pytest.raises(ApplicationError, match="公開済みの版（v1）は編集できません"):
        framework_version_update(actor=dx_actor, framework_version=version, content=content)
    with pytest.raises(ApplicationError, match="既に公開済み"):
        framework_version_publish(actor=dx_actor, framework_version=version)
    assert framework_export(framework_version=version)["talent_types"][0]["name"] == "全職員"


def test_publishing_an_invalid_draft_is_refused(templates, dx_actor, organization):
    framework = framework_create(actor=dx_actor, organization=organization, code="own", name="独自")
    version = framework.versions.get()
    with pytest.raises(ApplicationError, match="1つ以上登録してから公開"):
        framework_version_publish(actor=dx_actor, framework_version=version)
    # A draft broken behind the services' back (e.g. a later per-item editor) is caught too.
    framework_version_update(
        actor=dx_actor,
        framework_version=version,
        content={"name": "独自", "talent_types": [{"code": "a", "name": "A"}]},
    )
    TalentType.objects.filter(version=version).update(name="")
    with pytest.raises(ApplicationError, match="公開できません"):
        framework_version_publish(actor=dx_actor, framework_version=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_second_draft_and_duplicate_adoption_are_refused(templates, dx_actor, organization):
    framework = framework_adopt(actor=dx_actor, template_code="mic", organization=organization)
    with pytest.raises(ApplicationError, match="既にコード「mic」"):
        framework_adopt(actor=dx_actor, template_code="mic", organization=organization)
    with pytest.raises(ApplicationError, match="下書き v1 が既にあります"):
        framework_version_new_draft(actor=dx_actor, framework=framework)
    with pytest.raises(ApplicationError, match="見つかりません"):
        framework_adopt(actor=dx_actor, template_code="nowhere", organization=organization)
    assert Framework.objects.filter(is_template=False).count() == 1


@pytest.mark.parametrize("role", [Role.STAFF, Role.HR, Role.UNIT_HEAD])
def test_only_dx_office_or_admin_may_adopt(templates, user_with_role, organization, role):
    actor = actor_for(user_with_role(role), organization.pk)
    with pytest.raises(AccessDenied):
        framework_adopt(actor=actor, template_code="mic", organization=organization)
    assert Framework.objects.filter(is_template=False).count() == 0


def test_system_admin_may_adopt(templates, user_with_role, organization):
    actor = actor_for(user_with_role(Role.SYSTEM_ADMIN), organization.pk)
    assert framework_adopt(actor=actor, template_code="mic", organization=organization)


def test_another_organizations_framework_is_out_of_reach(templates, user_with_role, organization):
    from hagukumi.orgs.tests.factories import OrganizationFactory

    other = OrganizationFactory()
    other_actor = actor_for(user_with_role(Role.DX_OFFICE, org=other), other.pk)
    with pytest.raises(AccessDenied):
        framework_adopt(actor=other_actor, template_code="mic", organization=organization)
    mine = actor_for(user_with_role(Role.DX_OFFICE), organization.pk)
    framework = framework_adopt(actor=mine, template_code="mic", organization=organization)
    with pytest.raises(AccessDenied):
        framework_version_publish(actor=other_actor, framework_version=framework.versions.get())
    template_version = Framework.objects.get(is_template=True, code="mic").versions.get()
    with pytest.raises(AccessDenied):
        framework_version_update(
            actor=mine,
            framework_version=template_version,
            content=framework_export(framework_version=template_version),
        )


def test_demo_load_is_idempotent(national):
    from hagukumi.frameworks import demo

    assert "6 件（変更 6 件）" in demo.load()
    assert "6 件（変更 0 件）" in demo.load()
