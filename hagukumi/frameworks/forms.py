"""Forms of the framework pages: parse and check input shape only; rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms

from hagukumi.frameworks.models import CompetencyKind, MicType

CODE_HELP = "半角英数字・ハイフン・下線（例: dx-leader）。後から変えられません。"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _code_field(label: str) -> forms.SlugField:
    return forms.SlugField(label=label, max_length=50, help_text=CODE_HELP)


def _text_area(label: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class FrameworkCreateForm(forms.Form):
    code = _code_field("フレームワークのコード")
    name = forms.CharField(label="名称", max_length=200)


class FrameworkAdoptForm(forms.Form):
    template = forms.ChoiceField(label="テンプレート")
    code = forms.SlugField(
        label="採用後のコード",
        max_length=50,
        required=False,
        help_text="空欄ならテンプレートと同じコードになります。半角英数字・ハイフン・下線。",
    )

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates  # type: ignore[attr-defined]


class TalentTypeForm(forms.Form):
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


class IndividualLevelForm(forms.Form):
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


class CompetencyForm(forms.Form):
    code = forms.SlugField(label="マインド・スキルのコード", max_length=80, help_text=CODE_HELP)
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


class CompetencyLevelForm(forms.Form):
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


class VersionChoiceForm(forms.Form):
    """The version selector (GET)."""

    version = forms.TypedChoiceField(label="版", coerce=int)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = versions  # type: ignore[attr-defined]


class DiffForm(forms.Form):
    old = forms.TypedChoiceField(label="比べる元の版", coerce=int)
    new = forms.TypedChoiceField(label="比べる先の版", coerce=int)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = versions  # type: ignore[attr-defined]
        self.fields["new"].choices = versions  # type: ignore[attr-defined]


class CompareForm(forms.Form):
    left = forms.TypedChoiceField(label="左に表示するフレームワーク", coerce=int)
    right = forms.TypedChoiceField(label="右に表示するフレームワーク", coerce=int)

    def __init__(self, *args: Any, frameworks: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = frameworks  # type: ignore[attr-defined]
        self.fields["right"].choices = frameworks  # type: ignore[attr-defined]
