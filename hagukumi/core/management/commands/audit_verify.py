"""`hagukumi audit_verify`: check the audit log's hash chain (hagukumi.core.audit_chain).

Exit 0 and print the head (last row id and hash; keep it somewhere the
application cannot write) when every row is intact; exit 1 naming the first
altered, removed or inserted row otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.audit_chain import chain_verify

HEAD_PATTERN = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "監査ログのハッシュの連鎖を確かめ、改ざん・削除・挿入された最初の記録を報告します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="ID:HASH",
            help="以前に表示された「最後の記録」。その記録が今も連鎖の中にあることも確かめます。",
        )
        parser.add_argument("--database", default="default", help="確かめるデータベース")

    def handle(self, *args: Any, expect_head: str | None, database: str, **options: Any) -> None:
        expected = None
        if expect_head:
            match = HEAD_PATTERN.match(expect_head.strip().lower())
            if match is None:
                raise CommandError(
                    "--expect-head は「ID:ハッシュ」（例: 120:3fa2…、ハッシュは64桁）"
                    "で指定してください。"
                )
            expected = (int(match[1]), match[2])
        report = chain_verify(using=database, expect_head=expected)
        if report.problem is not None:
            self.stderr.write(f"確認した記録: {report.rows} 件")
            raise CommandError(report.problem.message)
        if report.head_id is None:
            self.stdout.write("監査ログは空です。")
            return
        self.stdout.write(
            f"監査ログの連鎖を確認しました。{report.rows} 件、改ざん・削除・挿入はありません。"
        )
        self.stdout.write(f"最後の記録: {report.head_id}:{report.head_hash}")
