"""Forms of the user administration: parsing and field errors only (rules: core.user_admin)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings

from hagukumi.core.forms import Form
from hagukumi.core.user_admin.selectors import UserStatus

_MB = 1024 * 1024
Choices = Sequence[tuple[Any, str]]


class UserSearchForm(Form):
    q = forms.CharField(label="ユーザー名・氏名", required=False, max_length=100)
    status = forms.ChoiceField(label="状態", required=False, choices=UserStatus.CHOICES)


class _RoleFields(Form):
    """The role of a membership, its unit (所属長) and the 年度 it spans."""

    role = forms.ChoiceField(label="役割")
    unit = forms.TypedChoiceField(
        label="所属（所属長の場合）",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="所属長の場合だけ選びます。その所属と配下の職員が対象です。",
    )
    fiscal_year_from = forms.TypedChoiceField(
        label="開始年度", required=False, coerce=int, empty_value=None
    )
    fiscal_year_to = forms.TypedChoiceField(
        label="終了年度",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="空欄は「指定なし」です。所属長は、所属が廃止される年度で終わります。",
    )

    def __init__(
        self,
        *args: Any,
        role_choices: Choices,
        unit_choices: Choices,
        fiscal_year_choices: Choices,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(role_choices)  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", "（なし）"), *unit_choices]  # type: ignore[attr-defined]
        years = [("", "指定なし"), *fiscal_year_choices]
        self.fields["fiscal_year_from"].choices = years  # type: ignore[attr-defined]
        self.fields["fiscal_year_to"].choices = years  # type: ignore[attr-defined]


class MembershipForm(_RoleFields):
    """One more role for a user."""


class UserCreateForm(_RoleFields):
    username = forms.CharField(
        label="ユーザー名",
        max_length=150,
        help_text="ログインに使う名前です。半角英数字と @ . + - _ が使えます（後から変更不可）。",
    )
    display_name = forms.CharField(label="氏名", max_length=100)
    email = forms.EmailField(label="メールアドレス", required=False)
    staff_number = forms.CharField(
        label="職員番号",
        required=False,
        max_length=20,
        help_text="職員名簿の職員と紐付けます（職員本人として自分のプロフィールを見られます）。",
    )

    field_order = [
        "username",
        "display_name",
        "email",
        "staff_number",
        "role",
        "unit",
        "fiscal_year_from",
        "fiscal_year_to",
    ]


class UserEditForm(Form):
    display_name = forms.CharField(label="氏名", max_length=100)
    email = forms.EmailField(label="メールアドレス", required=False)


class StaffLinkForm(Form):
    staff_number = forms.CharField(
        label="職員番号",
        required=False,
        max_length=20,
        help_text="空欄にして保存すると、職員との紐付けを外します。",
    )


class UsersUploadForm(Form):
    """The users file (xlsx/CSV); the upload always runs as a dry run first."""

    file = forms.FileField(
        label="利用者と役割のファイル",
        help_text=(
            "Excel（.xlsx）または CSV（UTF-8 / Shift_JIS）。1行目は見出しです。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // _MB} MB まで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ExportForm(Form):
    format = forms.ChoiceField(
        label="形式",
        choices=(("xlsx", "Excel（.xlsx）"), ("csv", "CSV（UTF-8）")),
        required=False,
    )
