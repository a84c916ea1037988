"""hagukumi import_cases PATH… [--visibility 公開|団体内] [--organization CODE] [--dry-run].

Without --organization the cases are imported by the system actor (公開 only: the
seed documents, a library shared by every 団体); with it, by the command line for
that 団体 (団体コード or unique 団体名), which owns what it imports.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.cases.services import case_import_paths, parse_visibility
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.selectors import organization_by_code_or_name


class Command(BaseCommand):
    help = (
        "先進事例の文書を取り込みます（.txt/.md/.pdf/.docx/.xlsx、フォルダ指定可）。"
        "1ファイルずつ登録・更新・変更なし・失敗を表示し、失敗があれば終了コード 1 で終わります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="ファイルまたはフォルダ")
        parser.add_argument(
            "--visibility", default="公開", help="公開範囲: 公開（既定）または 団体内"
        )
        parser.add_argument(
            "--organization",
            metavar="CODE",
            help="取り込む団体の団体コードまたは団体名（団体内では必須）",
        )
        parser.add_argument("--dry-run", action="store_true", help="確認だけして保存しない")

    def handle(
        self,
        *args: Any,
        paths: list[str],
        visibility: str,
        organization: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            actor = (
                Actor.command_line(organization_by_code_or_name(organization))
                if organization
                else Actor.system()
            )
            report = case_import_paths(
                actor=actor, paths=paths, visibility=parse_visibility(visibility), dry_run=dry_run
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for outcome, line in zip(report.files, report.lines(), strict=False):
            (self.stderr if outcome.failed else self.stdout).write(line)
        self.stdout.write(report.lines()[-1])
        if report.failed:
            raise CommandError(f"{len(report.failed)} 件のファイルを取り込めませんでした。")
