"""hagukumi run_jobs [--once]: the worker that runs queued imports (ImportJob)."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hagukumi.core.jobs import jobs_run_pending


class Command(BaseCommand):
    help = (
        "待機中の取込（ImportJob）を順に実行します。--once なしでは待ち続けます"
        "（Ctrl+C で終了）。何台で動かしても、1つの団体の同じ種類の取込は同時に1件だけです。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="今ある待機中の取込だけを実行して終了する"
        )
        parser.add_argument(
            "--poll", type=float, default=2.0, help="待機中の取込を確かめる間隔（秒、既定 2）"
        )

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
        try:
            for job in jobs_run_pending(once=once, poll_seconds=poll, stop=lambda: stopping):
                self.stdout.write(
                    f"ImportJob #{job.pk} {job.kind} {job.organization}: {job.get_status_display()}"
                )
                for line in job.result_lines[:20]:
                    self.stdout.write(f"  {line}")
        except KeyboardInterrupt:
            self.stdout.write("終了します。")
