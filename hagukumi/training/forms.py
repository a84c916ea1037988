"""Forms of the training pages: parsing and field errors only (rules live in the services).

Every form is a `core.forms.Form` (line breaks arrive as LF); messages are
Japanese and name the field by its label. The attendance sheet and the manual
groups are built per member (one field per person), named `<what>_<id>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from hagukumi.core.forms import Form
from hagukumi.training.lms_columns import ATTENDANCE_COLUMNS
from hagukumi.training.models import AttendanceStatus, CohortStatus

_MB = 1024 * 1024
DATE_WIDGET = {"type": "date"}
DATE_INVALID = "日付を 2026-04-01 の形で入力してください。"


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"required": f"{label}を入力してください。", "invalid": DATE_INVALID},
    )


def _int_field(
    label: str, *, required: bool = True, min_value: int = 1, max_value: int = 9999, **kw: Any
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "required": f"{label}を入力してください。",
            "invalid": f"{label}は半角の整数で入力してください。",
            "min_value": f"{label}は {min_value} 以上にしてください。",
            "max_value": f"{label}は {max_value} 以下にしてください。",
        },
        **kw,
    )


class TemplateAdoptForm(Form):
    template = forms.ChoiceField(
        label="育成プログラムのテンプレート",
        error_messages={"required": "テンプレートを選んでください。"},
    )
    framework = forms.TypedChoiceField(
        label="対応付けるフレームワーク",
        coerce=int,
        required=False,
        empty_value=None,
        help_text=(
            "テンプレートの人材類型・マインド・スキルのコードを、このフレームワーク（公開済みの版）"
            "の項目に対応付けます。ないコードがあれば採用できません。"
        ),
        error_messages={"invalid_choice": "フレームワークを一覧から選んでください。"},
    )

    def __init__(
        self,
        *args: Any,
        templates: list[tuple[str, str]],
        frameworks: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            ("", "選んでください"),
            *templates,
        ]
        cast(forms.ChoiceField, self.fields["framework"]).choices = [
            ("", "（対応付けない）"),
            *frameworks,
        ]


class CohortCreateForm(Form):
    number = _int_field("期", max_value=999, help_text="例: 1（第1期）")
    fiscal_year = _int_field("年度（西暦）", min_value=2000, max_value=2100)
    starts_on = _date_field("開始日")
    ends_on = _date_field("終了日")
    capacity = _int_field("定員", required=False, help_text="空欄なら定員なし。")
    status = forms.ChoiceField(
        label="状態",
        choices=[
            (CohortStatus.RECRUITING.value, CohortStatus.RECRUITING.label),
            (CohortStatus.PLANNED.value, CohortStatus.PLANNED.label),
        ],
        initial=CohortStatus.RECRUITING.value,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "終了日は開始日以降の日付にしてください。")
        return cleaned


class StaffNumberForm(Form):
    """指名: the staff member is named by 職員番号."""

    staff_number = forms.CharField(
        label="職員番号",
        max_length=20,
        error_messages={"required": "職員番号を入力してください。"},
    )


class RecommendForm(Form):
    cohort = forms.IntegerField(widget=forms.HiddenInput)
    staff = forms.IntegerField(widget=forms.HiddenInput)


class RejectForm(Form):
    reason = forms.CharField(
        label="却下の理由",
        max_length=2000,
        error_messages={"required": "却下の理由を入力してください。"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(Form):
    reason = forms.CharField(
        label="取消の理由", required=False, max_length=2000, widget=forms.TextInput()
    )


class CompletionForm(Form):
    as_of = _date_field("判定の基準日", help_text="この日までの出欠で修了を判定します。")


class AudienceForm(Form):
    fy = _int_field("年度（西暦）", min_value=2000, max_value=2100)


HOURS_ERRORS = {
    "invalid": "受講時間は半角の数字で入力してください（例: 1.5）。",
    "max_digits": "受講時間が大きすぎます。",
    "max_decimal_places": "受講時間は小数第2位までで入力してください。",
    "max_whole_digits": "受講時間が大きすぎます。",
}


class AttendanceSheetForm(Form):
    """One status / hours / 免除の理由 per member: `status_<staff id>` and so on.

    A member left 「未記録」 is not sent to the service (nothing recorded for them).
    """

    def __init__(self, *args: Any, staff_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_ids = list(staff_ids)
        choices = [("", "未記録"), *AttendanceStatus.choices]
        for pk in self.staff_ids:
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label="出欠", required=False, choices=choices
            )
            self.fields[f"hours_{pk}"] = forms.DecimalField(
                label="受講時間",
                required=False,
                max_digits=6,
                decimal_places=2,
                error_messages=HOURS_ERRORS,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label="免除の理由", required=False, max_length=200
            )

    def entries(self) -> list[tuple[int, str, Decimal | None, str]]:
        """(staff id, status, hours, 免除の理由) of the members given a status."""
        data = self.cleaned_data
        return [
            (pk, data[f"status_{pk}"], data.get(f"hours_{pk}"), data.get(f"reason_{pk}") or "")
            for pk in self.staff_ids
            if data.get(f"status_{pk}")
        ]


class GroupsForm(Form):
    """Manual groups: the group number of each member (`group_<enrolment id>`)."""

    def __init__(self, *args: Any, enrollment_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollment_ids = list(enrollment_ids)
        for pk in self.enrollment_ids:
            self.fields[f"group_{pk}"] = _int_field("グループ番号", max_value=99)

    def groups(self) -> list[list[int]]:
        """Enrolment ids per group, in group-number order (empty numbers are skipped)."""
        by_number: dict[int, list[int]] = {}
        for pk in self.enrollment_ids:
            by_number.setdefault(self.cleaned_data[f"group_{pk}"], []).append(pk)
        return [by_number[n] for n in sorted(by_number)]


class AttendanceUploadForm(Form):
    file = forms.FileField(
        label="出欠のファイル",
        help_text=(
            "Excel（.xlsx）または CSV（UTF-8 / Shift_JIS）。1行目は見出しです。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // _MB} MB まで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": "ファイルを選んでください。"},
    )
    mapping_name = forms.ChoiceField(
        label="LMSの列名の対応",
        required=False,
        help_text="LMS（学習管理システム）の出力をそのまま取り込むときに選びます。",
    )
    as_of = _date_field(
        "修了判定の基準日",
        required=False,
        help_text="入力すると、取り込んだ研修の修了をこの日の時点で判定し直します。",
    )

    def __init__(self, *args: Any, mappings: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["mapping_name"]).choices = [
            ("", "標準の見出し（職員番号, 研修コード, 回, 日付, 出欠, 受講時間）"),
            *((name, name) for name in mappings),
        ]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = int(settings.HAGUKUMI_UPLOAD_MAX_BYTES)
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます。上限は {limit // _MB} MB です。ファイルを分けてください。"
            )
        if not (upload.name or "").lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Excel（.xlsx）か CSV（.csv）のファイルを選んでください。")
        return upload


def _aliases(text: str) -> list[str]:
    """Headers written one a line or separated by 「,」「、」."""
    parts = text.replace("、", "\n").replace(",", "\n").splitlines()
    return [p.strip() for p in parts if p.strip()]


STATUS_BY_TEXT = {
    **{label: value for value, label in AttendanceStatus.choices},
    **{value: value for value in AttendanceStatus.values},
}


class LmsMappingForm(Form):
    """A provider and, per standard column, the headers its export uses instead."""

    provider_name = forms.CharField(
        label="LMS・提供元",
        max_length=100,
        help_text="取込の画面で選ぶ名前です（例: 〇〇ラーニング）。",
        error_messages={"required": "LMS・提供元の名前を入力してください。"},
    )
    status_aliases = forms.CharField(
        label="出欠の値の対応",
        required=False,
        help_text="1行に1つ「ファイルの値=出欠」の形で書きます（例: 完了=出席）。"
        "出欠は 出席・欠席・遅刻・早退・免除 のどれかです。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields.clear()
        self.fields["provider_name"] = fields["provider_name"]
        for key, header in ATTENDANCE_COLUMNS.items():
            self.fields[f"alias_{key}"] = forms.CharField(
                label=f"「{header}」の列名",
                required=False,
                max_length=500,
                help_text=(
                    "この LMS の見出し。複数あれば「,」で区切ります。空欄なら標準の見出しだけ。"
                ),
            )
        self.fields["status_aliases"] = fields["status_aliases"]

    def clean_status_aliases(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["status_aliases"].splitlines(), start=1):
            if not line.strip():
                continue
            value, sep, status = line.partition("=")
            target = STATUS_BY_TEXT.get(status.strip())
            if not sep or not value.strip() or target is None:
                raise forms.ValidationError(
                    f"{number}行目「{line.strip()}」は「ファイルの値=出欠」の形で、"
                    "出欠は 出席・欠席・遅刻・早退・免除 のどれかにしてください。"
                )
            found[value.strip()] = target
        return found

    def header_aliases(self) -> dict[str, list[str]]:
        return {
            key: _aliases(self.cleaned_data.get(f"alias_{key}") or "")
            for key in ATTENDANCE_COLUMNS
            if _aliases(self.cleaned_data.get(f"alias_{key}") or "")
        }
