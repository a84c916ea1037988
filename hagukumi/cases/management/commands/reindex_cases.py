"""hagukumi reindex_cases: rebuild the case search index (after editing variants.tsv).

Runs as the system actor: the index holds every 団体's cases.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hagukumi.cases.search import cases_reindex
from hagukumi.core.tenancy import Actor


class Command(BaseCommand):
    help = "先進事例の検索索引を作り直します。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = cases_reindex(actor=Actor.system())
        self.stdout.write(f"検索索引を作り直しました: {count} 件")
