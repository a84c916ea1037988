"""Forms of the framework pages: parse and check input shape only; rules are in services.

Every form is a `core.forms.Form` (line breaks arrive as LF). Every message a user can
reach is Japanese and names the field by its label, never by an internal word such as
Django's “slug” (tests/test_form_messages.py walks them with bad input).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from hagukumi.core.forms import Form
from hagukumi.frameworks.models import CompetencyKind, MicType

CODE_HELP = "半角英数字・ハイフン・下線（例: dx-leader）。後から変えられません。"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _code_field(
    label: str, *, max_length: int = 50, required: bool = True, help_text: str = CODE_HELP
) -> forms.SlugField:
    """A stable code: ASCII letters, digits, hyphen and underscore, with Japanese messages."""
    return forms.SlugField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"{label}を入力してください。",
            "invalid": f"{label}には半角の英数字・ハイフン（-）・下線（_）だけを使ってください"
            "（例: dx-leader）。",
            "max_length": f"{label}は {max_length} 文字以内で入力してください。",
        },
    )


def _text_area(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class FrameworkCreateForm(Form):
    code = _code_field("フレームワークのコード")
    name = forms.CharField(label="名称", max_length=200)


class FrameworkAdoptForm(Form):
    template = forms.ChoiceField(label="テンプレート")
    code = _code_field(
        "採用後のコード",
        required=False,
        help_text="空欄ならテンプレートと同じコードになります。半角英数字・ハイフン・下線。",
    )

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates  # type: ignore[attr-defined]


class TalentTypeForm(Form):
    code = _code_field("人材類型のコード")
    name = forms.CharField(label="名称", max_length=200)
    mic_type = forms.ChoiceField(
        label="ガイドブックの類型",
        required=False,
        choices=[("", "対応なし"), *[(v, lbl) for v, lbl in MicType.choices if v]],
        help_text="総務省のガイドブックの3つの人材像のどれにあたるか（比較に使います）。",
    )
    description = _text_area("説明")
    expected_role = _text_area("期待する役割")
    roles = _text_area("役割", "1行に1つ（例: 札幌市の DX推進リーダーの4つの役割）。")
    development_direction = _text_area("育成・確保の方向性")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    def clean_roles(self) -> list[str]:
        return _lines(self.cleaned_data["roles"])


class IndividualLevelForm(Form):
    code = _code_field("段階のコード")
    label = forms.CharField(
        label="段階の表示", max_length=100, required=False, help_text="例: レベル1、①"
    )
    name = forms.CharField(label="名称", max_length=200)
    description = _text_area("説明")
    role_image = _text_area("目指す役割イメージ")
    development_direction = _text_area("育成・確保の方向性")
    criteria = _text_area("認定基準")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class CompetencyForm(Form):
    code = _code_field("マインド・スキルのコード", max_length=80)
    kind = forms.ChoiceField(
        label="区分",
        required=False,
        choices=[("", "区分なし"), *[(v, lbl) for v, lbl in CompetencyKind.choices if v]],
    )
    name = forms.CharField(label="名称", max_length=200)
    description = _text_area("説明")
    talent_type = forms.ChoiceField(label="人材類型", required=False)

    def __init__(
        self,
        *args: Any,
        talent_types: list[tuple[str, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["talent_type"].choices = [("", "（全類型に共通）"), *talent_types]  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]


class CompetencyLevelForm(Form):
    level = forms.IntegerField(label="レベル", min_value=1, max_value=99)
    label = forms.CharField(
        label="表示", max_length=50, required=False, help_text="出典での表記（LV3 など）"
    )
    behaviours = forms.CharField(
        label="目指す行動",
        required=False,
        help_text="1行に1つ。",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_behaviours(self) -> list[str]:
        return _lines(self.cleaned_data["behaviours"])


class VersionChoiceForm(Form):
    """The version selector (GET)."""

    version = forms.TypedChoiceField(label="版", coerce=int)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = versions  # type: ignore[attr-defined]


class DiffForm(Form):
    old = forms.TypedChoiceField(label="比べる元の版", coerce=int)
    new = forms.TypedChoiceField(label="比べる先の版", coerce=int)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = versions  # type: ignore[attr-defined]
        self.fields["new"].choices = versions  # type: ignore[attr-defined]


class CompareForm(Form):
    left = forms.TypedChoiceField(label="左に表示するフレームワーク", coerce=int)
    right = forms.TypedChoiceField(label="右に表示するフレームワーク", coerce=int)

    def __init__(self, *args: Any, frameworks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = frameworks  # type: ignore[attr-defined]
        self.fields["right"].choices = frameworks  # type: ignore[attr-defined]


class SkillMapUploadForm(Form):
    """A skill-map file (the page's download, edited); always read as a dry run first."""

    file = forms.FileField(
        label="スキルマップのファイル",
        help_text=(
            "このページからダウンロードした Excel（.xlsx）または CSV（UTF-8 / Shift_JIS）。"
            "1行が1つのセル（マインド・スキル × レベル）、目指す行動はセルの中で1行に1つ。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // (1024 * 1024)} MB まで。"
        ),
        error_messages={"required": "スキルマップのファイルを選んでください。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = int(settings.HAGUKUMI_UPLOAD_MAX_BYTES)
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{limit // (1024 * 1024)} MB まで）。"
            )
        return upload
