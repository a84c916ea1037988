"""hagukumi export_staff --organization CODE|NAME --format csv|xlsx [--encoding utf-8-sig|cp932]."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import report_errors
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.selectors import organization_by_code_or_name
from hagukumi.people.selectors import staff_export


class Command(BaseCommand):
    help = (
        "職員台帳を xlsx/CSV に出力します。コマンドラインは人事担当と同じ列を出力します"
        "（サーバーの管理者として実行。監査ログに「コマンドライン」として記録）。"
        "CP932 で表せない文字があれば何も出力せずに終了します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="団体コードまたは団体名")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
        parser.add_argument("--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig")
        parser.add_argument("--output", "-o", type=Path, help="出力先（既定: 職員台帳.xlsx/.csv）")
        parser.add_argument("--include-retired", action="store_true", help="退職者も出力する")

    def handle(
        self,
        *args: Any,
        organization: str,
        format: str,
        encoding: str,
        output: Path | None,
        include_retired: bool,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            data = staff_export(
                actor=Actor.command_line(org),
                filters={"include_retired": "1"} if include_retired else None,
                format=format,  # type: ignore[arg-type]
                encoding=encoding,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        target = output or Path(f"職員台帳.{format}")
        target.write_bytes(data)
        self.stdout.write(f"{target} に出力しました（{len(data):,} バイト）。")
