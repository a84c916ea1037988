"""Every validation message of the framework forms is Japanese without internal words.

Walks every form of frameworks.forms with bad input (a code with spaces and symbols,
too long text, a non-number, an unknown choice, and nothing at all) and checks that no
message contains Django's “slug”, a field's internal name or any other English word.
(The other apps' forms have no slug/code validators: their code fields are CharFields.)
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from django import forms

from hagukumi.frameworks import forms as framework_forms

# The one ASCII an error may show: the example of a valid code.
ALLOWED_ASCII = {"dx-leader"}
CHOICES = [("1", "一"), ("2", "二")]


def _form_classes() -> list[type[forms.BaseForm]]:
    return [
        cls
        for _, cls in inspect.getmembers(framework_forms, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == framework_forms.__name__
    ]


def _make(cls: type[forms.BaseForm], data: dict[str, Any]) -> forms.BaseForm:
    """The form with list arguments (choices) filled in, so every field is there."""
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is (
            inspect.Parameter.empty
        ):
            kwargs[name] = CHOICES
    return cls(data, **kwargs)


def _bad_value(field: forms.Field) -> str:
    if isinstance(field, forms.SlugField):
        return "コード に 空白!"
    if isinstance(field, forms.IntegerField | forms.TypedChoiceField | forms.ChoiceField):
        return "三"
    return "あ" * 1001


def _messages(form: forms.BaseForm) -> list[str]:
    assert not form.is_valid()
    return [str(m) for errors in form.errors.values() for m in errors]


@pytest.mark.parametrize("cls", _form_classes(), ids=lambda c: c.__name__)
def test_every_message_is_japanese_without_internal_words(cls):
    empty = _make(cls, {})
    field_names = set(empty.fields)
    bad = _make(cls, {name: _bad_value(field) for name, field in empty.fields.items()})
    messages = _messages(bad)
    if any(f.required for f in empty.fields.values()):
        messages += _messages(empty)
    assert messages, f"{cls.__name__}: bad input gave no message"
    for message in messages:
        assert "slug" not in message.lower(), message
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_-]*", message)) - ALLOWED_ASCII
        assert not words, f"{cls.__name__}: {message}"
        assert not field_names & words, message


def test_a_bad_code_names_the_field_and_says_what_is_allowed():
    form = framework_forms.TalentTypeForm({"code": "営業 課!", "name": "名称"})
    assert form.errors["code"] == [
        "人材類型のコードには半角の英数字・ハイフン（-）・下線（_）だけを使ってください"
        "（例: dx-leader）。"
    ]
