"""Framework items in force, by (framework, stable code): what other apps read (ADR 0006)."""

from __future__ import annotations

import pytest

from hagukumi.core.errors import ApplicationError
from hagukumi.frameworks.in_force import (
    competencies_in_force,
    individual_levels_of,
    talent_type_choices,
    talent_type_in_force,
    talent_type_key,
    talent_type_key_parse,
    talent_type_labels,
    talent_type_name,
    talent_types_in_force,
    versions_in_force,
)
from hagukumi.frameworks.services import (
    framework_adopt,
    framework_version_new_draft,
    framework_version_publish,
    talent_type_save,
)
from hagukumi.orgs.tests.factories import OrganizationFactory

MIC_TYPES = [
    ("advanced-expert", "高度専門人材"),
    ("dx-leader", "DX推進リーダー"),
    ("general-staff", "一般行政職員"),
]


def adopt_and_publish(actor, organization, template_code):
    framework = framework_adopt(actor=actor, template_code=template_code, organization=organization)
    framework_version_publish(actor=actor, framework_version=framework.versions.get())
    return framework


@pytest.fixture
def mic(templates, dx_actor, organization):
    """The demo's framework: the 総務省 guidebook adopted and published."""
    return adopt_and_publish(dx_actor, organization, "mic")


def test_the_version_in_force_is_the_latest_published_one(mic, dx_actor, organization):
    assert versions_in_force(organization=organization) == [mic.versions.get()]
    assert versions_in_force(organization=organization.pk) == [mic.versions.get()]
    draft = framework_version_new_draft(actor=dx_actor, framework=mic)
    # a draft is not in force
    assert [v.number for v in versions_in_force(organization=organization)] == [1]
    framework_version_publish(actor=dx_actor, framework_version=draft)
    assert [v.number for v in versions_in_force(organization=organization)] == [2]
    # templates and other 団体' frameworks are never in force here
    assert versions_in_force(organization=OrganizationFactory()) == []
    assert versions_in_force(organization=None) == []


def test_one_framework_lists_its_types_without_its_name(mic, organization):
    types = talent_types_in_force(organization=organization)
    assert [(t.code, t.name) for t in types] == MIC_TYPES
    assert {(t.framework_id, t.framework_code, t.version.number) for t in types} == {
        (mic.pk, "mic", 1)
    }
    assert talent_type_choices(organization=organization) == [
        (f"{mic.pk}:{code}", name) for code, name in MIC_TYPES
    ]


def test_adopting_sapporo_beside_mic_and_renaming_its_dx_leader_never_mixes(
    mic, dx_actor, organization
):
    """Issue 11 §3: the 札幌市 template adopted beside the demo's `mic`, its dx-leader renamed."""
    sapporo = adopt_and_publish(dx_actor, organization, "sapporo")
    framework_version_new_draft(actor=dx_actor, framework=sapporo)
    talent_type_save(
        actor=dx_actor, framework=sapporo, code="dx-leader", values={"name": "DX推進サポーター"}
    )
    framework_version_publish(actor=dx_actor, framework_version=sapporo.versions.get(number=2))

    # mic's types keep their names
    assert talent_type_name(framework=mic, code="dx-leader") == "DX推進リーダー"
    assert talent_type_name(framework=mic.pk, code="general-staff") == "一般行政職員"
    assert talent_type_name(framework=sapporo, code="dx-leader") == "DX推進サポーター"
    assert talent_type_name(framework=sapporo, code="nowhere") == "nowhere"

    # both frameworks' types are listed, each with its framework
    types = talent_types_in_force(organization=organization)
    assert [(t.framework_code, t.code, t.name) for t in types] == [
        *[("mic", code, name) for code, name in MIC_TYPES],
        ("sapporo", "general-staff", "①デジタル技術を活用する一般行政職員"),
        ("sapporo", "dx-leader", "DX推進サポーター"),
        ("sapporo", "advanced-digital", "③高度デジタル人材"),
    ]
    assert [t.version.number for t in types if t.framework_code == "sapporo"] == [2, 2, 2]

    # the choice list keeps mic's DX推進リーダー and 一般行政職員, naming the frameworks
    choices = dict(talent_type_choices(organization=organization))
    assert len(choices) == 6
    assert choices[f"{mic.pk}:dx-leader"] == f"DX推進リーダー（{mic.name}）"
    assert choices[f"{mic.pk}:general-staff"] == f"一般行政職員（{mic.name}）"
    assert choices[f"{sapporo.pk}:dx-leader"] == f"DX推進サポーター（{sapporo.name}）"
    labels = talent_type_labels(organization=organization)
    assert labels[(mic.pk, "dx-leader")] == f"DX推進リーダー（{mic.name}）"

    # a code two frameworks share names one type only with its framework
    with pytest.raises(ApplicationError, match="複数のフレームワーク"):
        talent_type_in_force(organization=organization, code="dx-leader")
    found = talent_type_in_force(organization=organization, code="dx-leader", framework=mic)
    assert (found.framework, found.name) == (mic, "DX推進リーダー")
    assert found.key == f"{mic.pk}:dx-leader"
    only_sapporo = talent_type_in_force(organization=organization, code="advanced-digital")
    assert only_sapporo.framework == sapporo
    with pytest.raises(ApplicationError, match="公開済みのフレームワークにありません"):
        talent_type_in_force(organization=organization, code="advanced-digital", framework=mic)


def test_levels_and_competencies_of_a_framework_in_force(templates, dx_actor, organization):
    sapporo = adopt_and_publish(dx_actor, organization, "sapporo")
    levels = individual_levels_of(framework=sapporo, talent_type_code="advanced-digital")
    assert [lv.code for lv in levels] == ["apprentice", "in-training", "competent", "expert"]
    assert [lv.name for lv in levels][:2] == ["見習い", "修行中"]
    found = talent_type_in_force(organization=organization, code="advanced-digital")
    assert found.level_codes == tuple(lv.code for lv in levels)
    assert individual_levels_of(framework=sapporo, talent_type_code="nowhere") == []

    competencies = competencies_in_force(organization=organization)
    exported = templates["sapporo"]["competencies"]
    assert [c.code for c in competencies] == [c["code"] for c in exported]
    assert {c.framework_code for c in competencies} <= {"sapporo"}
    assert competencies_in_force(organization=organization, framework=sapporo.pk) == competencies
    assert competencies_in_force(organization=OrganizationFactory()) == []


def test_a_draft_framework_is_not_in_force(templates, dx_actor, organization):
    framework = framework_adopt(actor=dx_actor, template_code="mic", organization=organization)
    assert talent_types_in_force(organization=organization) == []
    assert talent_type_choices(organization=organization) == []
    assert individual_levels_of(framework=framework, talent_type_code="dx-leader") == []
    # the name is still known from the draft (a record is never shown as a bare code)
    assert talent_type_name(framework=framework, code="dx-leader") == "DX推進リーダー"


def test_talent_type_keys():
    assert talent_type_key(framework=12, code="dx-leader") == "12:dx-leader"
    assert talent_type_key_parse("12:dx-leader") == (12, "dx-leader")
    for bad in ["dx-leader", ":dx-leader", "x:dx-leader", "12:"]:
        with pytest.raises(ApplicationError, match="正しくありません"):
            talent_type_key_parse(bad)
