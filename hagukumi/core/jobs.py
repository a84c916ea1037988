"""Import jobs: one ImportJob record per import run, web upload or command line.

See docs/adr/0004-background-imports.md for why (and why not Celery or
django-tasks). An app registers what a kind of job does from its
`AppConfig.ready()`::

    register_job_kind(JobKind(kind="people.staff", lane="people",
                              label="職員データ取込", run=run_staff_import))

`run(job, source, progress)` performs the import (all or nothing, in its own
transaction) and returns an ImportSummary; an ApplicationError fails the job
with its row errors, any other exception fails it with a generic message.

- Web: `job_submit()` stores the upload under HAGUKUMI_DATA_DIR/jobs and
  queues the job (待機); `hagukumi run_jobs` claims and runs it.
- Command line: `job_run_inline()` records the job as 実行中 and runs it in
  the calling process; `JobBusy` (exit 3) when the lane is taken.

One job runs per (団体, lane) at a time: a partial unique index on
(organization, lane) WHERE status = 'running' makes the database refuse a
second one, whichever way it was started. Claiming takes the oldest queued job
whose lane is free: on PostgreSQL under SELECT … FOR UPDATE SKIP LOCKED, on
SQLite with an atomic UPDATE … WHERE status = 'queued' (one writer at a time).
An uploaded file is deleted when its job ends; a successful dry run keeps it
for `job_confirm()` (the 「取り込む」 button), which passes it on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import ImportJob, User

logger = logging.getLogger(__name__)

Status = ImportJob.Status
ProgressCallback = Callable[[int, int | None], None]
# Upper bound between heartbeats of a running job; older ones are reaped as 失敗.
STALE_AFTER = dt.timedelta(minutes=15)
# A dry run's file waits this long for 「取り込む」.
DRY_RUN_FILE_TTL = dt.timedelta(hours=24)
PROGRESS_INTERVAL_SECONDS = 1.0
EXIT_BUSY = 3


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does; `label` names it in messages (職員データ取込)."""

    kind: str
    lane: str
    label: str
    run: Callable[[ImportJob, Path, ProgressCallback], Any]


_kinds: dict[str, JobKind] = {}


def register_job_kind(job_kind: JobKind) -> None:
    """Add (or replace, by kind) a job kind. Idempotent."""
    _kinds[job_kind.kind] = job_kind


def job_kind(kind: str) -> JobKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise ApplicationError(f"取込の種類「{kind}」は登録されていません。") from None


class JobBusy(ApplicationError):
    """Another job of the same lane is running in the 団体 (CLI exit code 3)."""

    def __init__(self, running: ImportJob, label: str) -> None:
        organization = running.organization
        code = organization.code or organization.name
        super().__init__(
            f"団体 {code} の{label}が実行中です（ImportJob #{running.pk}）",
            extra={"job_id": running.pk},
        )
        self.job = running


def jobs_directory() -> Path:
    path = Path(settings.HAGUKUMI_DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ------------------------------------------------------------------------- starting


def job_submit(
    *,
    organization: Any,
    kind: str,
    source: bytes | IO[bytes] | Path,
    filename: str,
    options: dict[str, Any] | None = None,
    user: User | None = None,
) -> ImportJob:
    """Store the upload and queue a job (待機); a worker (`run_jobs`) runs it.

    The caller has checked the role; the size limit is the reader's (20 MB).
    """
    spec = job_kind(kind)
    target = jobs_directory() / f"{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"
    if isinstance(source, bytes):
        target.write_bytes(source)
    elif isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        with open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    return ImportJob.objects.create(
        organization=organization,
        kind=kind,
        lane=spec.lane,
        options=options or {},
        filename=filename[:255],
        file_path=str(target),
        created_by=user,
    )


def job_confirm(*, job: ImportJob, user: User | None = None) -> ImportJob:
    """Queue the real import of a successful dry run, with the same file and options."""
    if not (job.options.get("dry_run") and job.status == Status.SUCCEEDED and job.file_path):
        raise ApplicationError("この取込は確定できません。もう一度ファイルを選んでください。")
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not locked.file_path or not os.path.exists(locked.file_path):
            raise ApplicationError(
                "ファイルの保存期限が過ぎました。もう一度ファイルを選んでください。"
            )
        follow = ImportJob.objects.create(
            organization_id=locked.organization_id,
            kind=locked.kind,
            lane=locked.lane,
            options={**locked.options, "dry_run": False, "confirmed_from": locked.pk},
            filename=locked.filename,
            file_path=locked.file_path,
            created_by=user,
        )
        locked.file_path = ""
        locked.save(update_fields=["file_path", "updated_at"])
    return follow


def job_run_inline(
    *,
    organization: Any,
    kind: str,
    source: Path,
    options: dict[str, Any] | None = None,
    user: User | None = None,
    progress: ProgressCallback | None = None,
) -> ImportJob:
    """Run an import in this process through an ImportJob record (the command line).

    Raises JobBusy when the lane is taken; re-raises the ApplicationError that
    failed the job (after recording it). The file is the caller's: never deleted.
    """
    spec = job_kind(kind)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                organization=organization,
                kind=kind,
                lane=spec.lane,
                options=options or {},
                filename=source.name[:255],
                status=Status.RUNNING,
                inline=True,
                created_by=user,
                started_at=now,
                heartbeat_at=now,
            )
    except IntegrityError:
        running = _running_in_lane(organization, spec.lane)
        if running is None:  # it ended in between: one more try
            return job_run_inline(
                organization=organization,
                kind=kind,
                source=source,
                options=options,
                user=user,
                progress=progress,
            )
        raise JobBusy(running, spec.label) from None
    return job_execute(job, source=source, progress=progress, reraise=True)


def _running_in_lane(organization: Any, lane: str) -> ImportJob | None:
    return (
        ImportJob.objects.select_related("organization")
        .filter(organization=organization, lane=lane, status=Status.RUNNING)
        .first()
    )


def job_busy_error(*, organization: Any, kind: str) -> JobBusy | None:
    """The JobBusy a new run would meet now (None when the lane is free)."""
    spec = job_kind(kind)
    running = _running_in_lane(organization, spec.lane)
    return JobBusy(running, spec.label) if running is not None else None


# ------------------------------------------------------------------------- claiming


def job_claim(*, kinds: list[str] | None = None) -> ImportJob | None:
    """Take the oldest queued job whose (団体, lane) has nothing running; mark it 実行中.

    Safe with many workers: rows other workers hold are skipped (PostgreSQL),
    the status UPDATE is conditional, and the partial unique index refuses a
    second running job of a lane (the loser moves on to the next candidate).
    """
    features = connection.features
    now = timezone.now()
    with transaction.atomic():
        queued = ImportJob.objects.filter(status=Status.QUEUED).order_by("created_at", "id")
        if kinds is not None:
            queued = queued.filter(kind__in=kinds)
        if features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        for job in list(queued[:50]):
            if ImportJob.objects.filter(
                organization_id=job.organization_id, lane=job.lane, status=Status.RUNNING
            ).exists():
                continue
            try:
                with transaction.atomic():
                    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
                        status=Status.RUNNING, started_at=now, heartbeat_at=now, updated_at=now
                    )
            except IntegrityError:
                continue
            if claimed:
                return ImportJob.objects.select_related("organization").get(pk=job.pk)
    return None


# -------------------------------------------------------------------------- running


def job_execute(
    job: ImportJob,
    *,
    source: Path | None = None,
    progress: ProgressCallback | None = None,
    reraise: bool = False,
) -> ImportJob:
    """Run a claimed (実行中) job to 成功 or 失敗; the import itself is all or nothing."""
    spec = job_kind(job.kind)
    path = source if source is not None else Path(job.file_path)
    reporter = _ProgressReporter(job.pk, progress)
    error: ApplicationError | None = None
    try:
        summary = spec.run(job, path, reporter)
    except ApplicationError as exc:
        error = exc
        lines = exc.lines() if hasattr(exc, "lines") else [exc.message]
        _finish(
            job,
            Status.FAILED,
            errors=list(cast(list[Any], exc.extra.get("errors") or []))
            or [{"message": exc.message}],
            lines=lines,
            counts=dict(getattr(getattr(exc, "summary", None), "counts", {}) or {}),
            rows_done=reporter.done,
            rows_total=reporter.total,
        )
    except BaseException as exc:
        logger.exception("ImportJob #%s failed", job.pk)
        message = f"予期しないエラーで中止しました（何も変更していません）: {type(exc).__name__}"
        _finish(job, Status.FAILED, errors=[{"message": message}], lines=[message])
        if not isinstance(exc, Exception):
            raise
        if reraise:
            raise
    else:
        rows = sum(summary.counts.values()) if hasattr(summary, "counts") else reporter.done
        _finish(
            job,
            Status.SUCCEEDED,
            counts=dict(getattr(summary, "counts", {})),
            lines=summary.lines(details=bool(job.options.get("dry_run"))),
            rows_done=rows,
            rows_total=reporter.total or rows,
        )
    if error is not None and reraise:
        raise error
    return job


def _finish(
    job: ImportJob,
    status: str,
    *,
    errors: list[Any] | None = None,
    lines: list[str] | None = None,
    counts: dict[str, int] | None = None,
    rows_done: int | None = None,
    rows_total: int | None = None,
) -> None:
    keep_file = status == Status.SUCCEEDED and bool(job.options.get("dry_run"))
    if job.file_path and not keep_file:
        _delete_file(job.file_path)
        job.file_path = ""
    now = timezone.now()
    job.status = status
    job.errors = errors or []
    job.result_lines = lines or []
    job.counts = counts or {}
    if rows_done is not None:
        job.rows_done = rows_done
    if rows_total is not None:
        job.rows_total = rows_total
    job.finished_at = now
    job.heartbeat_at = now
    job.save(
        update_fields=[
            "status",
            "errors",
            "result_lines",
            "counts",
            "rows_done",
            "rows_total",
            "file_path",
            "finished_at",
            "heartbeat_at",
            "updated_at",
        ]
    )


def _delete_file(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class _ProgressReporter:
    """The progress callback handed to a job: records rows done and the heartbeat.

    Outside a transaction it updates the row directly. Inside the import's
    transaction an UPDATE on this connection would stay invisible (and be
    rolled back), so on PostgreSQL a short-lived thread writes it on its own
    connection; on SQLite (one writer) progress inside the transaction is kept
    in memory only and published when the job ends.
    """

    def __init__(self, job_id: int, forward: ProgressCallback | None) -> None:
        self.job_id = job_id
        self.forward = forward
        self.done = 0
        self.total: int | None = None
        self._last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if self.forward is not None:
            self.forward(done, total)
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL_SECONDS:
            return
        self._last = now
        job_heartbeat(self.job_id, rows_done=done, rows_total=self.total)


def job_heartbeat(
    job_id: int, *, rows_done: int | None = None, rows_total: int | None = None
) -> None:
    """Record that a running job is alive (and how far it got), visible to other sessions."""
    values: dict[str, Any] = {"heartbeat_at": timezone.now()}
    if rows_done is not None:
        values["rows_done"] = rows_done
    if rows_total is not None:
        values["rows_total"] = rows_total
    if not connection.in_atomic_block:
        ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(**values)
        return
    if connection.vendor != "postgresql" or getattr(
        settings, "HAGUKUMI_JOBS_SAME_CONNECTION", False
    ):
        return

    def write() -> None:
        try:
            ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(**values)
        except Exception:  # progress is best effort; the job's own result is what counts
            logger.debug("progress update of ImportJob #%s failed", job_id, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    thread.join(timeout=5)


# --------------------------------------------------------------------------- upkeep


def job_reap_stale(*, now: dt.datetime | None = None) -> int:
    """Fail running jobs whose heartbeat stopped (a crashed worker or CLI); clean old files.

    Their import never committed (it is one transaction), so nothing is partial.
    """
    now = now or timezone.now()
    stale = list(
        ImportJob.objects.filter(status=Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    )
    message = "処理が応答しなくなったため中止しました（何も変更していません）。"
    for job in stale:
        _finish(job, Status.FAILED, errors=[{"message": message}], lines=[message])
    for job in ImportJob.objects.filter(
        status=Status.SUCCEEDED, finished_at__lt=now - DRY_RUN_FILE_TTL
    ).exclude(file_path=""):
        _delete_file(job.file_path)
        job.file_path = ""
        job.save(update_fields=["file_path", "updated_at"])
    return len(stale)


def jobs_run_pending(
    *, once: bool = False, poll_seconds: float = 2.0, stop: Callable[[], bool] | None = None
) -> Iterator[ImportJob]:
    """The worker loop of `hagukumi run_jobs`: claim, run, repeat; yields each finished job.

    With `once`, runs what is queued now and returns.
    """
    while True:
        job_reap_stale()
        job = job_claim()
        if job is not None:
            yield job_execute(job)
            continue
        if once or (stop is not None and stop()):
            return
        time.sleep(poll_seconds)


def job_status(*, job: ImportJob) -> dict[str, Any]:
    """What a progress page shows: status, rows, percent, result lines and errors."""
    job.refresh_from_db()
    percent = None
    if job.rows_total:
        percent = min(100, int(job.rows_done * 100 / job.rows_total))
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": percent,
        "counts": job.counts,
        "lines": job.result_lines,
        "errors": job.errors,
        "dry_run": bool(job.options.get("dry_run")),
        "can_confirm": bool(
            job.options.get("dry_run") and job.status == Status.SUCCEEDED and job.file_path
        ),
    }


__all__ = [
    "EXIT_BUSY",
    "JobBusy",
    "JobKind",
    "job_busy_error",
    "job_claim",
    "job_confirm",
    "job_execute",
    "job_heartbeat",
    "job_reap_stale",
    "job_run_inline",
    "job_status",
    "job_submit",
    "jobs_run_pending",
    "register_job_kind",
]
