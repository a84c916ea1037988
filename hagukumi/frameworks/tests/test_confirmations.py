"""Irreversible actions ask first: publishing a version, deleting a type, a level, a
competency or a level of behaviours. The button leads to a confirmation page (GET) whose
form posts `confirm`; a POST without it only shows that page again. No JavaScript needed.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.frameworks.models import VersionStatus
from hagukumi.frameworks.selectors import framework_draft, framework_export
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.orgs.tests.factories import OrganizationFactory


@pytest.fixture
def editor(user_with_role: Any) -> Client:
    client = Client()
    client.force_login(user_with_role(Role.DX_OFFICE))
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def draft_of(framework: Any) -> dict[str, Any]:
    return framework_export(framework_version=framework_draft(framework=framework))


# name, args after pk, what the page names, how to tell it is still there
ACTIONS = [
    ("frameworks:type_delete", ["t1"], "DX推進リーダー"),
    ("frameworks:level_delete", ["t1", "l1"], "初級"),
    ("frameworks:competency_delete", ["c1"], "当事者意識"),
    ("frameworks:competency_level_delete", ["c1", 1], "レベル1"),
]


def _still_there(framework: Any, name: str) -> bool:
    content = draft_of(framework)
    if name == "frameworks:type_delete":
        return bool(content["talent_types"])
    if name == "frameworks:level_delete":
        return bool(content["talent_types"][0]["individual_levels"])
    if name == "frameworks:competency_delete":
        return bool(content["competencies"])
    return bool(content["competencies"][0]["levels"])


@pytest.fixture
def framework(organization: Any) -> Any:
    return framework_with_draft(organization)


def test_publish_asks_first_and_says_it_cannot_be_changed(editor, framework):
    url = reverse("frameworks:draft_publish", args=[framework.pk])
    page = editor.get(url)
    assert page.status_code == 200
    assert "公開した版は変更できません" in text(page)
    assert 'name="confirm"' in text(page)
    # A POST without the confirmation (an old form, a double click) publishes nothing.
    again = editor.post(url)
    assert again.status_code == 200
    assert "公開した版は変更できません" in text(again)
    assert framework.versions.get().status == VersionStatus.DRAFT
    done = editor.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert framework.versions.get().status == VersionStatus.PUBLISHED


def test_the_draft_page_links_to_the_confirmation_instead_of_publishing(editor, framework):
    page = text(editor.get(reverse("frameworks:draft", args=[framework.pk])))
    publish = reverse("frameworks:draft_publish", args=[framework.pk])
    assert f'href="{publish}"' in page
    assert f'action="{publish}"' not in page
    for name, args, _ in ACTIONS:
        url = reverse(name, args=[framework.pk, *args])
        assert f'href="{url}"' in page, name
        assert f'action="{url}"' not in page, name


@pytest.mark.parametrize(("name", "args", "shown"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_delete_asks_first(editor, framework, name, args, shown):
    url = reverse(name, args=[framework.pk, *args])
    page = editor.get(url)
    assert page.status_code == 200
    body = text(page)
    assert shown in body
    assert "削除すると元に戻せません" in body
    assert editor.post(url).status_code == 200
    assert _still_there(framework, name)
    response = editor.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not _still_there(framework, name)


@pytest.mark.parametrize(
    ("name", "args"),
    [("frameworks:draft_publish", []), *[(a[0], a[1]) for a in ACTIONS]],
)
def test_another_organization_gets_404_and_nothing_changes(user_with_role, name, args):
    other = framework_with_draft(OrganizationFactory())
    client = Client()
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    url = reverse(name, args=[other.pk, *args])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    content = draft_of(other)
    assert other.versions.get().status == VersionStatus.DRAFT
    assert content["talent_types"][0]["individual_levels"]
    assert content["competencies"][0]["levels"]


def test_a_refused_delete_says_why_on_the_draft_page(editor, organization):
    framework = framework_with_draft(organization)
    version = framework.versions.get()
    version.competencies.update(talent_type=version.talent_types.get())  # c1 belongs to t1
    response = editor.post(
        reverse("frameworks:type_delete", args=[framework.pk, "t1"]),
        {"confirm": "yes"},
        follow=True,
    )
    assert "マインド・スキルが 1 件あります" in text(response)
    assert draft_of(framework)["talent_types"]
