"""Forms of the case library pages: parsing and field errors only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict

from hagukumi.cases.documents import SUPPORTED_SUFFIXES
from hagukumi.cases.models import Visibility
from hagukumi.cases.search import FILTER_FIELDS, MAX_QUERY_CHARS
from hagukumi.core.forms import Form

SORT_CHOICES = [("relevance", "関連度の高い順"), ("year", "公表年度の新しい順")]
# Bounds on what a shared URL may ask for: values per filter field, characters per value.
MAX_FILTER_VALUES = 20
MAX_FILTER_VALUE_CHARS = 200


class CaseSearchForm(Form):
    """The query box and the sort order of /cases/ (the facet filters: ``search_filters``)."""

    q = forms.CharField(
        label="検索語",
        required=False,
        strip=True,
        help_text=(
            "言葉をスペースで区切って入力します。例: 「ITパスポート 受験料 補助」「令和5年度」"
            "「副業」。空のまま検索すると、すべての事例を公表年度の新しい順に表示します。"
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # Not a ChoiceField: an unknown order from an old link falls back to relevance
    # instead of making the page an error page (the select is written by the template).
    sort = forms.CharField(label="並び順", required=False)

    def clean_q(self) -> str:
        # A longer query is cut (not refused) like the search service does.
        return str(self.cleaned_data.get("q") or "")[:MAX_QUERY_CHARS]

    def clean_sort(self) -> str:
        sort = str(self.cleaned_data.get("sort") or "")
        return sort if sort in dict(SORT_CHOICES) else "relevance"


def search_filters(params: QueryDict) -> dict[str, list[str]]:
    """The facet filters of a query string (``org_type=都道府県&fact_kind=people``).

    Only the search's filter fields are read; values of one field are alternatives.
    """
    filters: dict[str, list[str]] = {}
    for name in FILTER_FIELDS:
        values = [v.strip()[:MAX_FILTER_VALUE_CHARS] for v in params.getlist(name) if v.strip()][
            :MAX_FILTER_VALUES
        ]
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for ``multiple``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class CaseImportForm(Form):
    documents = MultipleFileField(
        label="事例のファイル",
        help_text=(
            "テキスト（.txt / .md）、PDF（文字を含むもの）、Word（.docx）、"
            "Excel の一覧（.xlsx、1行に1事例）を複数まとめて選べます。"
            f"合計 {settings.HAGUKUMI_UPLOAD_MAX_BYTES // (1024 * 1024)}MB まで。"
        ),
    )
    visibility = forms.ChoiceField(
        label="公開範囲",
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=(
            "公開: すべての団体の利用者が見られます。団体内: この団体の利用者だけが見られます。"
        ),
    )
    dry_run = forms.BooleanField(
        label="試しに読み込む（保存しない）",
        required=False,
        help_text="ファイルを読み取れるか、登録・更新のどちらになるかだけを確かめます。",
    )

    def clean_documents(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["documents"]
        limit = settings.HAGUKUMI_UPLOAD_MAX_BYTES
        if sum(f.size or 0 for f in files) > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（1回の取り込みは合計 {limit // (1024 * 1024)}MB まで）。"
                "ファイルを分けて取り込んでください。"
            )
        return files
