"""Browsers send a textarea's line breaks as CRLF: saving unchanged text must change nothing.

Line endings are normalised to LF where input enters (core.forms for every form,
core.tabular_import for every import cell, frameworks.content for whole contents),
and the version diff compares normalised text.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.core.tabular_import import Column, read_table
from hagukumi.frameworks.forms import TalentTypeForm
from hagukumi.frameworks.selectors import framework_draft, framework_export
from hagukumi.frameworks.services import (
    framework_version_new_draft,
    framework_version_publish,
    talent_type_save,
)
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.frameworks.version_diff import framework_content_diff

TEXT = "一行目の説明\n二行目の説明\n\n四行目"


@pytest.fixture
def published(organization: Any, dx_actor: Any) -> Any:
    """v1 published with a multi-line description; v2 a fresh draft copied from it."""
    framework = framework_with_draft(organization)
    talent_type_save(
        actor=dx_actor,
        framework=framework,
        code="t1",
        values={"description": TEXT, "expected_role": TEXT},
    )
    framework_version_publish(actor=dx_actor, framework_version=framework.versions.get())
    framework_version_new_draft(actor=dx_actor, framework=framework)
    return framework


def test_saving_a_textarea_unchanged_from_the_browser_leaves_the_diff_empty(
    published, user_with_role
):
    client = Client()
    client.force_login(user_with_role(Role.DX_OFFICE))
    crlf = TEXT.replace("\n", "\r\n")
    response = client.post(
        reverse("frameworks:type_edit", args=[published.pk, "t1"]),
        {
            "name": "DX推進リーダー",
            "mic_type": "dx-leader",
            "description": crlf,
            "expected_role": crlf,
            "roles": "",
            "development_direction": "",
        },
    )
    assert response.status_code == 302
    draft = framework_export(framework_version=framework_draft(framework=published))
    assert draft["talent_types"][0]["description"] == TEXT
    diff = html.unescape(
        client.get(
            reverse("frameworks:diff", args=[published.pk]), {"old": 1, "new": 2}
        ).content.decode()
    )
    assert "違いはありません" in diff


def test_every_form_gets_lf_line_endings():
    form = TalentTypeForm(
        {"code": "x", "name": "名\r\n称", "description": "a\r\nb\rc", "roles": "甲\r\n乙"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == "a\nb\nc"
    assert form.cleaned_data["roles"] == ["甲", "乙"]


def test_the_diff_compares_normalised_text(published):
    version = published.versions.get(number=1)
    old = framework_export(framework_version=version)
    new = framework_export(framework_version=version)
    new["talent_types"][0]["description"] = TEXT.replace("\n", "\r\n")
    assert not any(section.entries for section in framework_content_diff(old, new))


def test_an_imported_text_cell_gets_lf_line_endings():
    csv = 'コード,目指す行動\r\nc1,"一つ目\r\n二つ目"\r\n'.encode()
    table = read_table(
        csv,
        columns=(Column("code", "コード", kind="code"), Column("text", "目指す行動")),
        filename="skill.csv",
    )
    assert [row.values["text"] for row in table.rows] == ["一つ目\n二つ目"]


def test_every_form_of_every_app_normalises_its_input():
    """Each app's forms module builds on core.forms.Form (or its mixin)."""
    import importlib
    import inspect

    from django import forms
    from django.apps import apps
    from django.contrib.auth.forms import SetPasswordForm

    from hagukumi.core.forms import NormalisedInputMixin

    plain = []
    for app in apps.get_app_configs():
        if not app.name.startswith("hagukumi."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, forms.BaseForm)
                # Passwords are one line: Django's own password forms stay as they are.
                and not issubclass(cls, SetPasswordForm)
                and not issubclass(cls, NormalisedInputMixin)
            ):
                plain.append(f"{module.__name__}.{cls.__name__}")
    assert not plain, "core.forms.Form を基にしてください: " + ", ".join(plain)
