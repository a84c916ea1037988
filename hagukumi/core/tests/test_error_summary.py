"""A page that reports input errors says so in its title and focuses its error summary
(WCAG 3.3.1), for every form page through base.html and includes/form_errors.html."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _title(page: str) -> str:
    return page.split("<title>")[1].split("</title>")[0]


def test_a_failed_submit_titles_the_page_and_focuses_the_summary(client: Client) -> None:
    url = reverse("core:login")
    assert not _title(client.get(url).content.decode()).startswith("エラー")
    page = client.post(url, {"username": "nobody", "password": "wrong"}).content.decode()
    assert _title(page).startswith("エラー：ログイン")
    summary = page.split('class="error-summary"')[1].split(">")[0]
    assert "autofocus" in summary
    assert 'tabindex="-1"' in summary


class _Form(forms.Form):
    code = forms.CharField()


def test_any_bound_form_with_errors_counts_whatever_its_name() -> None:
    tag = Template("{% load shell %}{% page_has_errors as e %}{{ e }}")
    assert tag.render(Context({"item_form": _Form({})})) == "True"
    assert tag.render(Context({"item_form": _Form()})) == "False"  # unbound: not an error
    assert tag.render(Context({"item_form": _Form({"code": "A"})})) == "False"
    formset = forms.formset_factory(_Form, min_num=1, validate_min=True)(
        {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    )
    assert tag.render(Context({"rows": formset})) == "True"
    assert tag.render(Context({"page_errors": True})) == "True"
