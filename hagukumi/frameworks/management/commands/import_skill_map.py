"""hagukumi import_skill_map FILE --framework ID [--dry-run]: behaviours into a draft."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.tabular_import import read_table, report_errors
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.selectors import access_framework_by_id
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
        try:
            found = access_framework_by_id(actor=Actor.system(), framework_id=framework)
        except AccessDenied:
            raise CommandError(f"フレームワーク ID {framework} が見つかりません。") from None
        # The command line of the framework's 団体; a template (refused by the
        # service with its own message) belongs to none.
        actor = Actor.system() if found.is_template else Actor.command_line(found.owner)
        try:
            table = read_table(path, columns=SKILL_MAP_COLUMNS)
            summary = skill_map_import(actor=actor, framework=found, table=table, dry_run=dry_run)
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)
