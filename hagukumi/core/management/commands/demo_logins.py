"""`hagukumi demo_logins`: print the demo accounts of every app's demo module, and the URL."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from hagukumi.core.management.commands import load_demo

SERVER_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "デモ用のログイン（利用者ID・パスワード・説明）と接続先URLを表示します。"

    def handle(self, *args: Any, **options: Any) -> None:
        rows: list[tuple[str, str, str]] = []
        for _label, module in load_demo.demo_modules():
            logins = getattr(module, "logins", None)
            if logins is not None:
                rows.extend((str(u), str(p), str(d)) for u, p, d in logins())
        self.stdout.write(f"はぐくみ: {SERVER_URL}")
        if not rows:
            self.stdout.write(
                "デモ用のログインはありません（先に hagukumi load_demo を実行してください）。"
            )
            return
        table = Table(title="デモ用ログイン", title_justify="left")
        table.add_column("利用者ID")
        table.add_column("パスワード")
        table.add_column("説明")
        for row in rows:
            table.add_row(*row)
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None, highlight=False).print(table)
        self.stdout.write("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))
