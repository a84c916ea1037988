"""hagukumi import_skill_map FILE --framework ID [--dry-run]: behaviours into a draft."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import read_table, report_errors
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.services import skill_map_import
from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS


class Command(BaseCommand):
    help = (
        "スキルマップ（xlsx/CSV、1行 = マインド・スキル × レベル）の目指す行動を"
        "フレームワークの下書きに取り込みます。エラーが1件でもあれば何も変更しません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="FILE")
        parser.add_argument("--framework", type=int, required=True, help="フレームワークの ID")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで保存しません")

    def handle(self, *args: Any, path: str, framework: int, dry_run: bool, **options: Any) -> None:
        found = Framework.objects.filter(pk=framework).first()
        if found is None:
            raise CommandError(f"フレームワーク ID {framework} が見つかりません。")
        try:
            table = read_table(path, columns=SKILL_MAP_COLUMNS)
            summary = skill_map_import(framework=found, table=table, dry_run=dry_run)
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)
