"""hagukumi export_framework TEMPLATE_OR_ID [--framework-version N] [--format json|xlsx]."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_export import write_table
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.export_table import FRAMEWORK_COLUMNS, framework_table_rows
from hagukumi.frameworks.selectors import framework_export, framework_version_for_export


class Command(BaseCommand):
    help = (
        "人材育成フレームワークを JSON または xlsx で出力します。"
        "テンプレートのコード（mic など）かフレームワークの ID を指定します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("framework", metavar="TEMPLATE_OR_ID")
        parser.add_argument(
            "--framework-version",
            dest="framework_version",
            type=int,
            default=None,
            help="版（既定: 最新の公開版）",
        )
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="出力先ファイル（xlsx では必須）")

    def handle(
        self,
        *args: Any,
        framework: str,
        framework_version: int | None,
        format: str,
        output: str | None,
        **options: Any,
    ) -> None:
        try:
            found = framework_version_for_export(
                actor=Actor.system(), identifier=framework, version=framework_version
            )
            content = framework_export(framework_version=found)
            if format == "json":
                text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
                if output:
                    Path(output).write_text(text, encoding="utf-8")
                else:
                    self.stdout.write(text, ending="")
                return
            if not output:
                raise CommandError("xlsx の出力には --output FILE を指定してください。")
            data = write_table(
                framework_table_rows(content),
                columns=FRAMEWORK_COLUMNS,
                format="xlsx",
                sheet_title=content["code"][:31] or "framework",
            )
            if output == "-":
                sys.stdout.buffer.write(data)
            else:
                Path(output).write_bytes(data)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
