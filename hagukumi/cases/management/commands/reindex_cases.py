"""hagukumi reindex_cases: rebuild the case search index (after editing variants.tsv)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hagukumi.cases.search import cases_reindex


class Command(BaseCommand):
    help = "先進事例の検索索引を作り直します。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = cases_reindex()
        self.stdout.write(f"検索索引を作り直しました: {count} 件")
