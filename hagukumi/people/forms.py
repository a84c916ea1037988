"""Forms of the people pages: parsing and field errors only (rules live in the services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from hagukumi.core.errors import ApplicationError
from hagukumi.core.forms import Form
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.frameworks.in_force import talent_type_key_parse
from hagukumi.people.models import (
    CareerModel,
    DesignationMethod,
    DesignationStatus,
    JobChallengeKind,
    SpecialDepartment,
)
from hagukumi.people.selectors.form_choices import CODE_KINDS, SearchChoices
from hagukumi.people.visibility import FieldGroup

_MB = 1024 * 1024


def _size_text(size: int) -> str:
    return f"{size / _MB:.1f}".removesuffix(".0") + " MB"


class TalentTypeFormMixin:
    """A `talent_type_code` choice field of `talent_type_key`s ("<framework id>:<code>").

    The choices come from `SearchChoices.talent_types` (their labels name the
    framework when the 団体 has several in force). Cleaned, the field gives the
    code, and `framework` the framework's id (None when nothing was chosen).
    """

    cleaned_data: dict[str, Any]

    def clean_talent_type_code(self) -> str:
        key = self.cleaned_data.get("talent_type_code") or ""
        if not key:
            self.cleaned_data["framework"] = None
            return ""
        try:
            framework_id, code = talent_type_key_parse(key)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        self.cleaned_data["framework"] = framework_id
        return code


class RosterUploadForm(Form):
    """職員名簿のファイル (xlsx/CSV); the upload always runs as a dry run first."""

    file = forms.FileField(
        label="職員名簿のファイル",
        help_text=(
            "Excel（.xlsx）または CSV（UTF-8 / Shift_JIS）。1行目は見出しです。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // _MB} MB まで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    effective_date = forms.DateField(
        label="発令日（適用日）",
        help_text="異動歴と退職の日付になります。所属コードはこの日の年度の組織で確かめます。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    retire_missing = forms.BooleanField(
        label="ファイルにない職員を退職にする",
        required=False,
        help_text="退職日は発令日の前日になります。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = int(settings.HAGUKUMI_UPLOAD_MAX_BYTES)
        size = upload.size or 0
        if size > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{_size_text(size)}）。上限は {_size_text(limit)} です。"
                "ファイルを分けて取り込んでください。"
            )
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Excel（.xlsx）か CSV（.csv）のファイルを選んでください。")
        return upload


class CareerIntentForm(Form):
    career_intent = forms.CharField(
        label="キャリア志向",
        required=False,
        max_length=4000,
        help_text="これから経験したい業務や、身につけたい知識・技能を書きます。",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppraisalForm(Form):
    aptitude_notes = forms.CharField(
        label="適性", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evaluation_notes = forms.CharField(
        label="評価", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QualificationAddForm(Form):
    qualification = forms.ChoiceField(label="資格")
    obtained_on = forms.DateField(
        label="取得年月日", widget=forms.DateInput(attrs={"type": "date"})
    )
    exam_fee = forms.IntegerField(label="受験料（円）", required=False, min_value=0)
    course_fee = forms.IntegerField(label="講座受講料（円）", required=False, min_value=0)
    textbook_fee = forms.IntegerField(label="テキスト代（円）", required=False, min_value=0)
    travel_fee = forms.IntegerField(label="交通費（円）", required=False, min_value=0)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["qualification"])
        field.choices = [("", "選んでください"), *choices]
        # The browser's date picker offers no day after today (the service refuses one).
        self.fields["obtained_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class DesignationAddForm(TalentTypeFormMixin, Form):
    talent_type_code = forms.ChoiceField(label="人材類型")
    method = forms.ChoiceField(label="指定方法", choices=DesignationMethod.choices)
    status = forms.ChoiceField(
        label="状態",
        choices=[c for c in DesignationStatus.choices if c[0] != DesignationStatus.REVOKED],
    )
    from_fy = forms.IntegerField(label="開始年度（西暦）", min_value=2000, max_value=2100)
    to_fy = forms.IntegerField(
        label="終了年度（西暦）",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="空のままなら期限なし",
    )
    concurrent_order_date = forms.DateField(
        label="兼務発令日",
        required=False,
        help_text="指名(兼務発令あり)の場合は必須です。",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    role = forms.ChoiceField(label="役割", required=False)
    cohort = forms.IntegerField(label="期", required=False, min_value=1, max_value=999)

    def __init__(
        self,
        *args: Any,
        talent_types: list[tuple[str, str]],
        roles: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        talent = cast(forms.ChoiceField, self.fields["talent_type_code"])
        role = cast(forms.ChoiceField, self.fields["role"])
        talent.choices = [("", "選んでください"), *talent_types]
        role.choices = [("", "（なし）"), *((r, r) for r in roles)]
        self.fields["from_fy"].initial = fiscal_year_of(timezone.localdate())


class DesignationTransitionForm(Form):
    designation = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="新しい状態", choices=DesignationStatus.choices)
    note = forms.CharField(label="メモ", required=False, max_length=500)


class MotivationForm(Form):
    motivation = forms.CharField(
        label="志望動機", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class OpinionForm(Form):
    opinion = forms.CharField(
        label="所属長意見", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="決定",
        choices=[("accept", "採用"), ("reject", "不採用")],
        widget=forms.RadioSelect,
    )


class JobChallengeForm(TalentTypeFormMixin, Form):
    kind = forms.ChoiceField(label="種類", choices=JobChallengeKind.choices)
    title = forms.CharField(label="件名", max_length=200)
    unit = forms.ChoiceField(label="所属")
    description = forms.CharField(
        label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    talent_type_code = forms.ChoiceField(
        label="人材類型",
        required=False,
        help_text="選ぶと、採用した職員をその人材類型の候補（手挙げ）に指定します。",
    )
    opens_on = forms.DateField(label="募集開始日", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="締切日", widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label="定員", min_value=1, max_value=999, initial=1)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[str, str]],
        talent_types: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = cast(forms.ChoiceField, self.fields["unit"])
        talent = cast(forms.ChoiceField, self.fields["talent_type_code"])
        unit.choices = [("", "選んでください"), *units]
        talent.choices = [("", "（なし）"), *talent_types]


# ----------------------------------------------------------------- talent search

ITSS_CHOICES = [("", "指定しない"), *((str(n), f"レベル{n}以上") for n in range(1, 5))]


class StaffSearchForm(Form):
    """The talent search; only the fields of the groups the role may search are kept."""

    q = forms.CharField(
        label="キーワード",
        required=False,
        max_length=200,
        help_text="氏名・カナ・キャリア志向から探します（髙橋は高橋でも、ﾔﾏﾀﾞはヤマダでも見つかります）。",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    unit_id = forms.ChoiceField(label="所属（下位の所属を含む）", required=False)
    position = forms.MultipleChoiceField(
        label="職位", required=False, widget=forms.CheckboxSelectMultiple
    )
    grade_min = forms.IntegerField(label="級（以上）", required=False, min_value=0, max_value=20)
    grade_max = forms.IntegerField(label="級（以下）", required=False, min_value=0, max_value=20)
    job_type = forms.MultipleChoiceField(
        label="職種", required=False, widget=forms.CheckboxSelectMultiple
    )
    employment = forms.MultipleChoiceField(
        label="任用形態", required=False, widget=forms.CheckboxSelectMultiple
    )
    recruitment = forms.MultipleChoiceField(
        label="採用区分", required=False, widget=forms.CheckboxSelectMultiple
    )
    career_model = forms.MultipleChoiceField(
        label="キャリアモデル",
        required=False,
        choices=CareerModel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    special_department = forms.MultipleChoiceField(
        label="特定部門",
        required=False,
        choices=SpecialDepartment.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    qualification = forms.MultipleChoiceField(
        label="資格", required=False, widget=forms.CheckboxSelectMultiple
    )
    itss_min = forms.ChoiceField(label="ITSSレベル", required=False, choices=ITSS_CHOICES)
    talent_type = forms.MultipleChoiceField(
        label="指定（人材類型）", required=False, widget=forms.CheckboxSelectMultiple
    )
    designation_status = forms.MultipleChoiceField(
        label="指定の状態",
        required=False,
        choices=DesignationStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    born_from = forms.DateField(
        label="生年月日（から）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    born_to = forms.DateField(
        label="生年月日（まで）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    appraisal_text = forms.CharField(label="評価・適性", required=False, max_length=200)
    include_retired = forms.BooleanField(label="退職者を含む", required=False)

    GROUP_OF = {
        "unit_id": FieldGroup.BASIC,
        "position": FieldGroup.BASIC,
        "grade_min": FieldGroup.BASIC,
        "grade_max": FieldGroup.BASIC,
        "job_type": FieldGroup.BASIC,
        "employment": FieldGroup.BASIC,
        "recruitment": FieldGroup.BASIC,
        "career_model": FieldGroup.BASIC,
        "special_department": FieldGroup.BASIC,
        "include_retired": FieldGroup.BASIC,
        "qualification": FieldGroup.QUALIFICATIONS,
        "itss_min": FieldGroup.QUALIFICATIONS,
        "talent_type": FieldGroup.DESIGNATIONS,
        "designation_status": FieldGroup.DESIGNATIONS,
        "born_from": FieldGroup.BIRTH_DATE,
        "born_to": FieldGroup.BIRTH_DATE,
        "appraisal_text": FieldGroup.APPRAISAL,
        "q": FieldGroup.CAREER_INTENT,
    }

    def __init__(
        self, *args: Any, choices: SearchChoices, groups: frozenset[FieldGroup], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if self.GROUP_OF.get(name) not in groups:
                del self.fields[name]
        options: dict[str, list[tuple[str, str]]] = {
            "unit_id": [("", "すべて"), *choices.units],
            "qualification": choices.qualifications,
            "talent_type": choices.talent_types,
            **{
                name: [(v, v) for v in choices.codes.get(str(kind), [])]
                for name, kind in CODE_KINDS.items()
            },
        }
        for name, values in options.items():
            field = self.fields.get(name)
            if isinstance(field, forms.ChoiceField):
                field.choices = values

    def filters(self) -> dict[str, Any]:
        """The cleaned conditions for `staff_search` (empty ones left out; not `q`)."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "q" or value in (None, "", [], False):
                continue
            out[name] = value
        return out
