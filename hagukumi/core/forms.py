"""Forms of core's pages: they parse and validate input; services do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.http import QueryDict
from django.utils.text import normalize_newlines

from hagukumi.core.audit import AuditFilters
from hagukumi.core.auth import old_password_verify
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import AuditEvent


def input_normalise(data: Any) -> Any:
    """Form data with every line break as LF.

    Browsers send a textarea's line breaks as CRLF (HTML's form encoding), so text
    saved unchanged would differ from what is stored and show up as 変更 in diffs.
    """
    if data is None or not any(_has_cr(v) for v in _values(data)):
        return data  # nothing to change: the caller's object as given
    if isinstance(data, QueryDict):
        normalised = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            normalised.setlist(key, [_newlines(v) for v in values])
        return normalised
    return {key: _newlines(value) for key, value in data.items()}


def _values(data: Any) -> list[Any]:
    if isinstance(data, QueryDict):
        return [v for _, values in data.lists() for v in values]
    return list(data.values())


def _has_cr(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    return isinstance(value, list) and any(_has_cr(v) for v in value)


def _newlines(value: Any) -> Any:
    if isinstance(value, str) and "\r" in value:
        return normalize_newlines(value)
    if isinstance(value, list):
        return [_newlines(v) for v in value]
    return value


class NormalisedInputMixin:
    """Every form of the project: input line breaks become LF before any field sees them.

    Use `hagukumi.core.forms.Form` / `ModelForm` (or this mixin first in the bases of
    a form built on another Django form) instead of `django.forms.Form`.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(input_normalise(data), *args, **kwargs)  # type: ignore[call-arg]


class Form(NormalisedInputMixin, forms.Form):
    """django.forms.Form with LF line endings (NormalisedInputMixin)."""


class ModelForm(NormalisedInputMixin, forms.ModelForm):
    """django.forms.ModelForm with LF line endings (NormalisedInputMixin)."""


class LoginForm(Form):
    username = forms.CharField(
        label="利用者ID",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": "利用者IDを入力してください。"},
    )
    password = forms.CharField(
        label="パスワード",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "パスワードを入力してください。"},
    )


class OrganizationChoiceForm(Form):
    organization = forms.TypedChoiceField(
        label="団体",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "団体を選んでください。",
            "invalid_choice": "団体を選んでください。",
        },
    )

    def __init__(self, *args: Any, organizations: tuple[Any, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            (org.pk, str(org)) for org in organizations
        ]


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's checks (old password, validators, confirmation) with our labels."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "現在のパスワード"
        self.fields["new_password1"].label = "新しいパスワード"
        self.fields["new_password1"].help_text = "10文字以上で、推測されにくいものにしてください。"
        self.fields["new_password2"].label = "新しいパスワード（確認）"
        self.fields["new_password2"].help_text = "確認のため、もう一度入力してください。"

    def clean_old_password(self) -> str:
        """The current password, checked through the login lockout (core.auth, issue [品質] 2)."""
        old_password: str = self.cleaned_data["old_password"]
        try:
            old_password_verify(user=self.user, password=old_password)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message, code="password_incorrect") from exc
        return old_password

    def clean(self) -> dict[str, Any]:
        """Also refuse keeping the current one (a one-time password must really change)."""
        cleaned: dict[str, Any] = super().clean() or {}
        new_password = cleaned.get("new_password1")
        if new_password and new_password == cleaned.get("old_password"):
            self.add_error(
                "new_password1",
                forms.ValidationError(
                    "現在のパスワードとは異なるパスワードにしてください。",
                    code="password_unchanged",
                ),
            )
        return cleaned


class AuditSearchForm(Form):
    date_from = forms.DateField(
        label="期間（開始日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "日付を 2026-04-01 の形で入力してください。"},
    )
    date_to = forms.DateField(
        label="期間（終了日）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "日付を 2026-04-01 の形で入力してください。"},
    )
    username = forms.CharField(label="利用者ID", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作",
        required=False,
        choices=[("", "すべて"), *AuditEvent.Action.choices],
        error_messages={"invalid_choice": "操作を一覧から選んでください。"},
    )
    target = forms.CharField(label="対象", required=False, max_length=255)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "終了日は開始日以降の日付にしてください。")
        return cleaned

    def filters(self) -> AuditFilters | None:
        """The search as AuditFilters, or None when the form is invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return AuditFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            username=(data.get("username") or "").strip(),
            action=data.get("action") or "",
            target=(data.get("target") or "").strip(),
        )
