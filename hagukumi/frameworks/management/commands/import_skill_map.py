"""hagukumi import_skill_map FILE --framework ID [--dry-run]: behaviours into a draft.

Runs through core's job flow inline (an ImportJob record, as every import), as the
command line of the framework's 団体; the browser uploads the same kind of job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.jobs import EXIT_BUSY, JobBusy, job_run_inline
from hagukumi.core.tabular_import import report_errors
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.import_jobs import SKILL_MAP_KIND, SkillMapOptions
from hagukumi.frameworks.selectors import access_framework_by_id


class Command(BaseCommand):
    help = (
        "スキルマップ（xlsx/CSV、1行 = マインド・スキル × レベル）の目指す行動を"
        "フレームワークの下書きに取り込みます。エラーが1件でもあれば何も変更しません。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="FILE", type=Path)
        parser.add_argument("--framework", type=int, required=True, help="フレームワークの ID")
        parser.add_argument("--dry-run", action="store_true", help="確かめるだけで保存しません")

    def handle(self, *args: Any, path: Path, framework: int, dry_run: bool, **options: Any) -> None:
        try:
            found = access_framework_by_id(actor=Actor.system(), framework_id=framework)
        except AccessDenied:
            raise CommandError(f"フレームワーク ID {framework} が見つかりません。") from None
        try:
            if not path.is_file():
                raise ApplicationError(f"ファイル {path} が見つかりません。")
            # As the command line of the framework's 団体; a template's import is
            # refused by the service with its own message.
            job = job_run_inline(
                organization=found.owner,
                kind=SKILL_MAP_KIND,
                source=path,
                options=SkillMapOptions(
                    dry_run=dry_run, framework_id=found.pk, framework_name=found.name
                ),
            )
        except JobBusy as exc:
            self.stderr.write(exc.message)
            raise CommandError(exc.message, returncode=EXIT_BUSY) from exc
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        for line in job.result_lines:
            self.stdout.write(line)
