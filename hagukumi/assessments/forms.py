"""assessments forms: the 実践記録 (PracticeRecord) form of the staff member.

Months are entered as `<input type="month">` (YYYY-MM); the services store the
first day of the month and refuse a period ending before it starts.
"""

from __future__ import annotations

from django import forms

from hagukumi.core.forms import Form

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class PracticeRecordForm(Form):
    title = forms.CharField(label="件名", max_length=200)
    period_start = forms.DateField(
        label="開始月", input_formats=MONTH_FORMATS, widget=MonthInput(), help_text="例: 2026-04"
    )
    period_end = forms.DateField(
        label="終了月", input_formats=MONTH_FORMATS, widget=MonthInput(), help_text="例: 2026-09"
    )
    as_is = forms.CharField(
        label="As-Is（実践前）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_be = forms.CharField(
        label="To-Be（目指す姿）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.CharField(
        label="成果",
        required=False,
        help_text="例: 約10時間/月の削減",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_url = forms.URLField(
        label="根拠のリンク",
        required=False,
        assume_scheme="https",
        help_text="業務アプリの画面や資料のURL（任意）",
    )
