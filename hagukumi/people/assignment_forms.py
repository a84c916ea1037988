"""Forms of 異動・任用の記録: parsing and field errors only (rules: services.assignments)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import Form

_MB = 1024 * 1024


class AssignmentStaffSearchForm(Form):
    q = forms.CharField(label="職員番号・氏名", required=False, max_length=100)


class AssignmentCorrectionForm(Form):
    """One 異動歴 period corrected, with the reason (audited)."""

    unit_code = forms.CharField(
        label="所属コード",
        max_length=30,
        help_text="発令日の年度の組織にある所属コードを書きます。",
    )
    position = forms.CharField(label="職位", required=False, max_length=50)
    grade = forms.IntegerField(label="級", required=False, min_value=0, max_value=99)
    starts_on = forms.DateField(label="発令日", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label="終了日",
        required=False,
        help_text="空欄は「現在も在籍」です。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label="訂正の理由",
        max_length=500,
        help_text="監査ログに残ります（例: 発令日の入力誤り）。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferUploadForm(Form):
    """The 人事異動 file (xlsx/CSV); the upload always runs as a dry run first."""

    file = forms.FileField(
        label="人事異動のファイル",
        help_text=(
            "Excel（.xlsx）または CSV（UTF-8 / Shift_JIS）。1行目は見出しです。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // _MB} MB まで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class FiscalYearSwitchForm(Form):
    """The switch button: the 年度 and the fingerprint of the plan the page showed."""

    fiscal_year = forms.IntegerField(min_value=2000, max_value=2200, widget=forms.HiddenInput)
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)


class FiscalYearChoiceForm(Form):
    fiscal_year = forms.TypedChoiceField(label="切り替える年度", coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = choices  # type: ignore[attr-defined]
