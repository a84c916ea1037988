"""Forms of the 所属 pages: parse and check input shape only; rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from hagukumi.core.forms import Form
from hagukumi.core.wareki import format_fiscal_year
from hagukumi.orgs.models import UNIT_KIND_SUGGESTIONS, Unit
from hagukumi.orgs.selectors import UnitTree

KIND_DATALIST_ID = "unit-kind-suggestions"


def fiscal_year_choices(years: list[int]) -> list[tuple[int, str]]:
    return [(y, format_fiscal_year(y)) for y in years]


class FiscalYearField(forms.TypedChoiceField):
    def __init__(self, *, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("label", "年度")
        super().__init__(choices=fiscal_year_choices(years), coerce=int, **kwargs)


class UnitFieldsForm(Form):
    """Name, 区分, 機能 and 上位所属 of a unit for one fiscal year."""

    name = forms.CharField(label="所属名", max_length=100)
    kind = forms.CharField(
        label="区分",
        max_length=20,
        required=False,
        help_text="局・部・室・課・係・担当など。候補から選ぶか、自由に入力してください。",
        widget=forms.TextInput(attrs={"list": KIND_DATALIST_ID, "size": 12}),
    )
    functions = forms.CharField(
        label="機能",
        max_length=300,
        required=False,
        help_text="情報政策、人事 など。複数あるときは「、」または「,」で区切ります。",
    )

    def __init__(
        self,
        *args: Any,
        tree: UnitTree,
        exclude_codes: set[str] = frozenset(),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Units of the tree as of the year, in tree order, indented by depth.
        self._units = {n.unit.pk: n.unit for n in tree if n.unit.code not in exclude_codes}
        self.fields["parent"] = forms.TypedChoiceField(
            label="上位所属",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "（最上位）")]
            + [
                (n.unit.pk, "\u3000" * n.depth + f"{n.unit.name}（{n.unit.code}）")
                for n in tree
                if n.unit.pk in self._units
            ],
            help_text=f"{format_fiscal_year(tree.fiscal_year)}の組織から選びます。",
        )

    def clean_parent(self) -> Unit | None:
        pk = self.cleaned_data.get("parent")
        return self._units[pk] if pk is not None else None

    kind_suggestions = UNIT_KIND_SUGGESTIONS


class UnitCreateForm(UnitFieldsForm):
    code = forms.CharField(
        label="所属コード",
        max_length=30,
        help_text="団体の中で所属を区別するコード（人事システムのコードなど）。",
        widget=forms.TextInput(attrs={"size": 12, "autocomplete": "off"}),
    )
    field_order = ["code", "name", "kind", "functions", "parent"]


class UnitEditForm(UnitFieldsForm):
    field_order = ["name", "kind", "functions", "parent"]


class UnitImportForm(Form):
    file = forms.FileField(
        label="所属ファイル（xlsx または CSV）",
        help_text=(
            "1行目の見出し: 所属コード、所属名、上位所属コード、区分、機能。"
            "その年度の組織全体を記入します（ファイルにない所属は廃止になります）。"
            f"{settings.HAGUKUMI_UPLOAD_MAX_BYTES // (1024 * 1024)}MB まで。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"] = FiscalYearField(
            years=years, help_text="この年度の4月1日時点の組織として取り込みます。"
        )
        self.order_fields(["fiscal_year", "file"])
