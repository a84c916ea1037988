"""What management commands share: progress on a terminal, error reports, audit context.

Commands stay thin (parse input, call one service, report); these helpers are
the "report" part and the setting up around it:

    def handle(self, *args, path, dry_run, **options):
        with command_audit_context("import_units"):
            try:
                summary = units_import(..., dry_run=dry_run)
            except ApplicationError as exc:
                raise report_errors(exc, self.stderr) from exc  # every error; exit code 1
        for line in summary.lines(details=dry_run):
            self.stdout.write(line)

``progress_reporter`` is how the tabular readers and ``run_import`` report rows
done: a rich bar when stderr is a terminal, a callback (the job worker's), or
nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from django.core.management.base import CommandError, OutputWrapper
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from hagukumi.core.errors import ApplicationError

if TYPE_CHECKING:
    from hagukumi.core.audit import AuditContext
    from hagukumi.core.tabular_import import RowError

# progress=None/True: a rich bar when stderr is a TTY; False: quiet;
# a callable is called with (rows done, total rows or None) instead.
ProgressOption = bool | Callable[[int, int | None], None] | None

# The bar is not worth drawing for fewer rows than this.
PROGRESS_MIN_ROWS = 2_000
# Readers and run_import report every this many rows (and once at the end).
PROGRESS_EVERY = 500

COMMAND_PATH_PREFIX = "コマンドライン: hagukumi "


@contextlib.contextmanager
def progress_reporter(
    option: ProgressOption, count: int | Callable[[], int | None] | None, description: str
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(done)``: a rich bar on a TTY stderr, a callback, or nothing.

    ``count`` may be a function, called only when someone will see the total.
    """
    if option is False or (option is None and not sys.stderr.isatty()):
        yield _ignore
        return
    total = count() if callable(count) else count
    if callable(option) and not isinstance(option, bool):
        callback = option
        yield lambda done: callback(done, total)
        return
    if not sys.stderr.isatty() or (total is not None and total < PROGRESS_MIN_ROWS):
        yield _ignore
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TextColumn("残り"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(done: int) -> None:
            bar.update(task, completed=done if total is None else min(done, total))

        yield advance


def _ignore(done: int) -> None:
    return None


class _RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("" if speed is None else f"{speed:,.0f} 行/秒")


def report_errors(error: ApplicationError, stream: TextIO | OutputWrapper) -> CommandError:
    """Write every row error of ``error`` to ``stream`` (a command's stderr) and return
    a ``CommandError`` carrying its message, for the command to raise (exit code 1).

    Works for any ApplicationError; the row errors of TabularImportError and
    TabularExportError (their ``.errors``) get one line each.
    """
    row_errors: Sequence[RowError] = getattr(error, "errors", None) or []
    for line in map(str, row_errors):
        if isinstance(stream, OutputWrapper):
            stream.write(line)  # adds the newline itself
        else:
            stream.write(line + "\n")
    return CommandError(error.message)


def command_audit_context(name: str) -> contextlib.AbstractContextManager[AuditContext]:
    """The audit context of one run of ``hagukumi <name>``: its 画面 reads
    「コマンドライン: hagukumi <name>」 (no IP address, no browser)."""
    from hagukumi.core.audit import AuditContext, audit_context_set

    return audit_context_set(AuditContext(path=f"{COMMAND_PATH_PREFIX}{name}"[:255]))


__all__ = [
    "PROGRESS_EVERY",
    "PROGRESS_MIN_ROWS",
    "ProgressOption",
    "command_audit_context",
    "progress_reporter",
    "report_errors",
]
