"""hagukumi search_cases QUERY [--json] [--limit N] [--offset N] [--filter F=V]… | --batch FILE.

Searches as the system actor: every case of every 団体, 団体内 ones included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.cases.search import case_search, parse_filter_args
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor


class Command(BaseCommand):
    help = (
        "先進事例を検索します（コマンドラインは全事例が対象）。--batch FILE は1行1検索で、"
        "1行1件の JSON を順に出力します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default=None, help="検索語")
        parser.add_argument("--json", action="store_true", help="JSON で出力")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument("--sort", choices=["relevance", "year"], default="relevance")
        parser.add_argument(
            "--filter", action="append", default=[], metavar="FIELD=VALUE", help="絞り込み"
        )
        parser.add_argument("--batch", type=Path, metavar="FILE", help="1行1検索のファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = parse_filter_args(options["filter"])
            if options["batch"]:
                self._batch(options["batch"], filters, options)
                return
            if options["query"] is None:
                raise CommandError("検索語（または --batch FILE）を指定してください。")
            result = case_search(
                actor=Actor.system(),
                query=options["query"],
                filters=filters,
                sort=options["sort"],
                limit=options["limit"],
                offset=options["offset"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(f"「{result.query}」: {result.total} 件")
        for rank, hit in enumerate(result.hits, start=options["offset"] + 1):
            self.stdout.write(
                f"{rank}. [{hit.score:.3f}] {hit.title}（{hit.org_name} {hit.wareki}）"
            )
            self.stdout.write(f"   {hit.snippet}")

    def _batch(self, path: Path, filters: dict[str, list[str]], options: dict[str, Any]) -> None:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {path}（{exc.strerror}）") from exc
        for line in lines:
            try:
                data = case_search(
                    actor=Actor.system(),
                    query=line,
                    filters=filters,
                    sort=options["sort"],
                    limit=options["limit"],
                    offset=options["offset"],
                ).as_json()
            except ApplicationError as exc:
                data = {"query": line, "error": exc.message}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
