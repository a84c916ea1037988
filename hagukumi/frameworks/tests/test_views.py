"""Pages: browsing, adopt → edit → publish → diff, role checks (another 団体 → 404)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.frameworks.models import Framework, VersionStatus
from hagukumi.frameworks.selectors import framework_export, framework_version_shown
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.orgs.tests.factories import OrganizationFactory

from .conftest import TEMPLATE_CODES


@pytest.fixture
def client_for(user_with_role: Any) -> Any:
    def make(role: str, **kwargs: Any) -> Client:
        client = Client()
        client.force_login(user_with_role(role, **kwargs))
        return client

    return make


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def every_name(content: dict[str, Any]) -> list[str]:
    """Every name and behaviour of an export: what the detail page must show."""
    names = [content["name"]]
    for t in content["talent_types"]:
        names += [t["name"], *(r["name"] for r in t["roles"])]
        names += [lv["name"] for lv in t["individual_levels"]]
        names += [s["name"] for s in t["development_steps"]]
    names += [m["name"] for m in content["maturity_levels"]]
    for c in content["competencies"]:
        names.append(c["name"])
        names += [b for cl in c["levels"] for b in cl["behaviours"]]
    names += [r["unit"] for r in content["responsibilities"]]
    return [n for n in names if n]


@pytest.mark.parametrize("code", TEMPLATE_CODES)
def test_template_page_shows_every_name_of_the_export(templates, client_for, code):
    framework = Framework.objects.get(is_template=True, code=code)
    response = client_for(Role.STAFF).get(reverse("frameworks:detail", args=[framework.pk]))
    assert response.status_code == 200
    text = page_text(response)
    missing = [n for n in every_name(templates[code]) if n not in text]
    assert not missing
    # The maturity table of mic: 5 levels × 3 types, every cell.
    for m in templates[code]["maturity_levels"]:
        for statement in m["statements"].values():
            assert all(line in text for line in statement.splitlines())


def test_index_lists_templates_and_offers_adoption_to_editors(templates, client_for):
    staff_page = page_text(client_for(Role.STAFF).get(reverse("frameworks:index")))
    editor_page = page_text(client_for(Role.DX_OFFICE).get(reverse("frameworks:index")))
    for content in templates.values():
        assert content["name"] in staff_page
    assert "採用する" not in staff_page
    assert "テンプレートを採用する" in editor_page


def test_adopt_edit_publish_new_draft_diff(templates, client_for, organization):
    client = client_for(Role.DX_OFFICE)
    response = client.post(reverse("frameworks:adopt"), {"template": "sapporo", "code": ""})
    framework = Framework.objects.get(owner=organization, code="sapporo")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:draft", args=[framework.pk])
    draft_page = page_text(client.get(response["Location"]))
    assert "下書きの編集" in draft_page
    assert "DX推進リーダー" in draft_page

    response = client.post(
        reverse("frameworks:type_add", args=[framework.pk]),
        {"code": "newcomer", "name": "新任職員", "mic_type": "general-staff"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("frameworks:level_add", args=[framework.pk, "newcomer"]),
        {"code": "first", "label": "①", "name": "はじめの段階"},
    )
    assert response.status_code == 302
    client.post(
        reverse("frameworks:level_add", args=[framework.pk, "newcomer"]),
        {"code": "second", "label": "②", "name": "つぎの段階"},
    )
    client.post(
        reverse("frameworks:level_move", args=[framework.pk, "newcomer", "second"]),
        {"direction": "up"},
    )
    draft = framework.versions.get(status=VersionStatus.DRAFT)
    newcomer = next(
        t
        for t in framework_export(framework_version=draft)["talent_types"]
        if t["code"] == "newcomer"
    )
    assert [lv["code"] for lv in newcomer["individual_levels"]] == ["second", "first"]
    assert [lv["order"] for lv in newcomer["individual_levels"]] == [1, 2]

    response = client.post(
        reverse("frameworks:draft_publish", args=[framework.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED

    client.post(reverse("frameworks:draft_new", args=[framework.pk]))
    client.post(
        reverse("frameworks:type_edit", args=[framework.pk, "newcomer"]),
        {"name": "新規採用職員", "mic_type": "general-staff"},
    )
    client.post(  # with its levels: ok
        reverse("frameworks:type_delete", args=[framework.pk, "newcomer"]), {"confirm": "yes"}
    )
    response = client.post(
        reverse("frameworks:competency_level_add", args=[framework.pk, "dx-leader-mind-ownership"]),
        {"level": 2, "label": "LV2", "behaviours": "自分の業務から課題を見つける\n改善を提案する"},
    )
    assert response.status_code == 302
    diff = page_text(client.get(reverse("frameworks:diff", args=[framework.pk])))
    assert "v1 → v2 の違い" in diff
    removed = re.search(r'<tr data-kind="removed">.*?</tr>', diff, re.S)
    assert removed is not None
    assert "新任職員" in removed.group(0)
    added = re.search(r'<tr data-kind="added">.*?</tr>', diff, re.S)
    assert added is not None
    assert "当事者意識" in added.group(0)
    assert "LV2" in added.group(0)


def test_item_form_errors_are_linked_to_the_field(client_for, organization):
    framework = framework_with_draft(organization)
    client = client_for(Role.DX_OFFICE)
    response = client.post(
        reverse("frameworks:type_add", args=[framework.pk]), {"code": "x", "name": ""}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'aria-invalid="true"' in text
    assert re.search(r'aria-describedby="[^"]*id_name_error', text)
    assert 'id="id_name_error"' in text
    assert "※必須" in text


def test_a_duplicate_code_is_refused_with_a_message(client_for, organization):
    framework = framework_with_draft(organization)
    response = client_for(Role.DX_OFFICE).post(
        reverse("frameworks:type_add", args=[framework.pk]), {"code": "t1", "name": "重複"}
    )
    assert response.status_code == 200
    assert "コード「t1」が重複しています" in page_text(response)


def test_publishing_an_invalid_draft_is_refused(client_for, organization):
    framework = Framework.objects.create(owner=organization, code="empty", name="空")
    framework.versions.create(number=1)
    client = client_for(Role.DX_OFFICE)
    response = client.post(
        reverse("frameworks:draft_publish", args=[framework.pk]), {"confirm": "yes"}, follow=True
    )
    assert "公開できません" in page_text(response)
    assert framework.versions.get().status == VersionStatus.DRAFT


def test_level_move_with_htmx_returns_the_partial(client_for, organization):
    framework = framework_with_draft(organization)
    client = client_for(Role.DX_OFFICE)
    client.post(
        reverse("frameworks:level_add", args=[framework.pk, "t1"]), {"code": "l2", "name": "中級"}
    )
    response = client.post(
        reverse("frameworks:level_move", args=[framework.pk, "t1", "l2"]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    text = page_text(response)
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="levels-t1"')
    assert text.index("中級") < text.index("初級")


@pytest.mark.parametrize(
    "name",
    ["frameworks:detail", "frameworks:draft", "frameworks:skill_map", "frameworks:diff"],
)
def test_another_organizations_framework_is_not_found(client_for, name):
    other = framework_with_draft(OrganizationFactory())
    response = client_for(Role.DX_OFFICE).get(reverse(name, args=[other.pk]))
    assert response.status_code == 404


def test_posts_on_another_organizations_framework_are_not_found(client_for):
    other = framework_with_draft(OrganizationFactory())
    client = client_for(Role.SYSTEM_ADMIN)
    for name, args in [
        ("frameworks:draft_publish", [other.pk]),
        ("frameworks:type_delete", [other.pk, "t1"]),
        ("frameworks:level_move", [other.pk, "t1", "l1"]),
    ]:
        assert client.post(reverse(name, args=args), {"direction": "up"}).status_code == 404
    assert other.versions.get().status == VersionStatus.DRAFT


def test_staff_may_browse_but_not_edit(client_for, organization):
    framework = framework_with_draft(organization)
    client = client_for(Role.STAFF)
    assert client.get(reverse("frameworks:detail", args=[framework.pk])).status_code == 200
    assert client.get(reverse("frameworks:draft", args=[framework.pk])).status_code == 404
    assert client.post(reverse("frameworks:draft_publish", args=[framework.pk])).status_code == 404


def test_templates_are_not_edited_in_place(templates, client_for):
    mic = Framework.objects.get(is_template=True, code="mic")
    client = client_for(Role.DX_OFFICE)
    assert client.get(reverse("frameworks:draft", args=[mic.pk])).status_code == 404
    assert client.post(reverse("frameworks:draft_new", args=[mic.pk])).status_code == 404


def test_compare_aligns_types_by_mic_type(templates, client_for):
    sapporo = Framework.objects.get(is_template=True, code="sapporo")
    aomori = Framework.objects.get(is_template=True, code="aomori")
    response = client_for(Role.STAFF).get(
        reverse("frameworks:compare"), {"left": sapporo.pk, "right": aomori.pk}
    )
    text = page_text(response)
    assert response.status_code == 200
    row = re.search(r"<th scope=\"row\">DX推進リーダー</th>(.*?)</tr>", text, re.S)
    assert row is not None
    assert "②DX推進リーダー" in row.group(1)


def test_skill_map_page_and_download(templates, client_for):
    kakegawa = Framework.objects.get(is_template=True, code="kakegawa")
    client = client_for(Role.STAFF)
    text = page_text(client.get(reverse("frameworks:skill_map", args=[kakegawa.pk])))
    for c in templates["kakegawa"]["competencies"]:
        assert c["name"] in text
        assert all(b in text for cl in c["levels"] for b in cl["behaviours"])
    response = client.get(reverse("frameworks:skill_map_xlsx", args=[kakegawa.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_version_selector_shows_an_older_version(client_for, organization, dx_actor):
    from hagukumi.frameworks.services import (
        framework_version_new_draft,
        framework_version_publish,
        talent_type_save,
    )

    framework = framework_with_draft(organization)
    framework_version_publish(actor=dx_actor, framework_version=framework.versions.get())
    framework_version_new_draft(actor=dx_actor, framework=framework)
    talent_type_save(actor=dx_actor, framework=framework, code="t1", values={"name": "改名後"})
    client = client_for(Role.STAFF)
    v1 = page_text(client.get(reverse("frameworks:detail", args=[framework.pk]), {"version": 1}))
    v2 = page_text(client.get(reverse("frameworks:detail", args=[framework.pk]), {"version": 2}))
    assert "DX推進リーダー" in v1
    assert "改名後" not in v1
    assert "改名後" in v2
    assert framework_version_shown(framework=framework).number == 1


def test_nav_item_is_registered(monkeypatch):
    from django.apps import apps

    from hagukumi.core import registries

    monkeypatch.setattr(registries, "_nav", {})
    apps.get_app_config("frameworks").ready()
    item = registries._nav["frameworks-list"]
    assert item.label == "人材育成フレームワーク"
    assert reverse(item.url_name) == "/frameworks/"


def test_index_query_count_does_not_grow_with_frameworks(
    templates, client_for, organization, django_assert_max_num_queries
):
    client = client_for(Role.STAFF)
    for n in range(5):
        framework_with_draft(organization, code=f"f{n}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("frameworks:index")).status_code == 200


def test_the_draft_editor_names_each_competencys_talent_type_and_links_its_behaviours(
    templates, client_for, organization
):
    client = client_for(Role.DX_OFFICE)
    client.post(reverse("frameworks:adopt"), {"template": "sapporo", "code": ""})
    framework = Framework.objects.get(owner=organization, code="sapporo")
    page = page_text(client.get(reverse("frameworks:draft", args=[framework.pk])))
    content = templates["sapporo"]
    names = {t["code"]: t["name"] for t in content["talent_types"]}
    same_name = [c for c in content["competencies"] if c["name"] == "当事者意識"]
    assert len(same_name) > 1
    for c in content["competencies"]:
        heading = re.search(rf'<h3 id="competency-{re.escape(c["code"])}">(.*?)</h3>', page, re.S)
        assert heading is not None, c["code"]
        if c["talent_type"]:
            assert names[c["talent_type"]] in heading.group(1), c["code"]
        for cl in c["levels"]:
            url = reverse(
                "frameworks:competency_level_edit", args=[framework.pk, c["code"], cl["level"]]
            )
            assert f'href="{url}"' in page
    # Behaviour levels of an adopted skill map are listed with their edit links, and
    # the edit form shows what is saved.
    client.post(reverse("frameworks:adopt"), {"template": "kakegawa", "code": ""})
    kakegawa = Framework.objects.get(owner=organization, code="kakegawa")
    page = page_text(client.get(reverse("frameworks:draft", args=[kakegawa.pk])))
    competencies = templates["kakegawa"]["competencies"]
    assert any(c["levels"] for c in competencies)
    for c in competencies:
        for cl in c["levels"]:
            url = reverse(
                "frameworks:competency_level_edit", args=[kakegawa.pk, c["code"], cl["level"]]
            )
            assert f'href="{url}"' in page
    c = next(c for c in competencies if c["levels"])
    cl = c["levels"][0]
    form = page_text(
        client.get(
            reverse("frameworks:competency_level_edit", args=[kakegawa.pk, c["code"], cl["level"]])
        )
    )
    assert cl["behaviours"][0] in form
