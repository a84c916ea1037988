"""Import jobs: upload → dry run → confirm → progress, one flow for every app.

Every import run, web upload or command line, is one ImportJob record. See
docs/adr/0004-background-imports.md for why (and why not Celery or
django-tasks). Core owns the whole flow: storing the upload, the queue and its
worker (`hagukumi run_jobs`), who may see and run a job, the job page
(`core:job`, /jobs/<id>/, htmx progress that updates itself) and its 「取り込む」
button (`core:job_confirm`). An app adds a kind of import in three steps.

1. Register the kind from its `AppConfig.ready()`::

       @dataclass(frozen=True)
       class AttendanceOptions(JobOptions):          # dry_run comes from JobOptions
           fiscal_year: int = field(default=0, metadata={"label": "年度"})

       def run_attendance_import(run: JobRun) -> ImportSummary:
           return attendance_import(
               actor=run.actor,                       # the uploader, roles re-checked
               organization=run.organization,
               source=run.source,
               filename=run.filename,
               fiscal_year=run.options.fiscal_year,   # typed: AttendanceOptions
               dry_run=run.options.dry_run,
               progress=run.progress,
           )

       register_job_kind(JobKind(
           kind="training.attendance", lane="training", label="出欠の取込",
           run=run_attendance_import, roles=frozenset({Role.DX_OFFICE}),
           options=AttendanceOptions, dry_run_first=True,
           upload_url="training:attendance_upload", upload_label="出欠の取込",
       ))

2. The upload view queues it and goes to core's job page::

       job = job_submit(actor=actor_of(request), kind="training.attendance",
                        source=upload, filename=upload.name,
                        options=AttendanceOptions(fiscal_year=2026))
       return redirect(job_page_url(job))

   (A `dry_run_first` kind is always queued as a dry run from the web; the
   real run is only ever `job_confirm`'s, from the same stored file.)

3. The command line runs it inline (`job_run_inline`, exit code EXIT_BUSY on
   JobBusy). The upload page may list recent jobs with `jobs_recent(...)` and
   `{% include "core/partials/job_list.html" %}`.

What `run(run: JobRun)` gets and must do: `run.actor` (see `job_actor`),
`run.options` (an instance of the kind's options class), `run.source` (the
file), `run.progress(done, total)`. It imports all or nothing (in its own
transaction) and returns an ImportSummary (anything with `counts` and
`lines(details=...)`); an ApplicationError fails the job with its row errors
(`extra["errors"]`), any other exception with a generic message. Audit rows it
writes carry 「取込ジョブ #N」 as their 画面 (the audit context). The job's
row counter counts data rows: the last total `run.progress` was given (the
rows of the table, from `run_import`) is the job's total, and done never
exceeds it. Two more things a run may leave for the page (`JobResult`, kept in
`ImportJob.result`): links to what it made (`run.add_link(...)`, e.g. the cases
a case upload created) and, for a dry run that would change a lot at once
(`mass_change(count, total=...)`: more than MASS_CHANGE_MIN and more than
MASS_CHANGE_SHARE of them), a second step before 「取り込む」
(`run.require_confirmation(message=, acknowledge=, options=)`): the page shows
the warning and a checkbox, `job_confirm` refuses until it is ticked
(`acknowledged=True`) and gives the real run `options` (e.g.
`{"mass_retirement_confirmed": True}`), which the import checks again.

Who may do what (never from `options`):

- Web: `job_submit` (a role in `kind.roles`), `access_import_job_by_id` (a
  role in `kind.roles`, same 団体; anything else is AccessDenied → 404),
  `job_confirm`. The job runs as its uploader again: `job_actor(job)` re-reads
  their roles when it starts, and fails the job if they lost them.
- Command line: `job_run_inline()` records the job as 実行中 (`inline`) and
  runs it in the calling process as `Actor.command_line(organization)`;
  `JobBusy` (exit 3) when the lane is taken.

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
import dataclasses
import datetime as dt
import decimal
import enum
import logging
import math
import os
import re
import shutil
import threading
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Self, cast

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from hagukumi.core.audit import AuditContext, audit_context, audit_context_set
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import ImportJob, Role, User
from hagukumi.core.tenancy import Actor, actor_for

logger = logging.getLogger(__name__)

Status = ImportJob.Status
ProgressCallback = Callable[[int, int | None], None]
# A running job beats every HEARTBEAT_SECONDS (a thread of its worker, so a long write
# phase beats too); one silent for STALE_AFTER has lost its worker and is failed
# (issue 16: a killed import blocked its 団体's lane for 15 minutes).
HEARTBEAT_SECONDS = 5.0
STALE_AFTER = dt.timedelta(seconds=60)
# A dry run's file waits this long for 「取り込む」, a failed job's for 「もう一度実行する」.
DRY_RUN_FILE_TTL = dt.timedelta(hours=24)
MESSAGE_WORKER_GONE = (
    "取込処理が中断されました（処理していたプロセスが停止しました）。もう一度実行できます。"
)
MESSAGE_WORKER_GONE_INLINE = (
    "取込処理が中断されました（処理していたプロセスが停止しました）。何も変更していません。"
)
# Test-only (the kill test, core/tests/test_job_kill.py): a job stops inside its write
# transaction once it has applied this many rows, and writes the marker file named
# by HAGUKUMI_TEST_JOB_STALL_MARKER, so the test can kill its worker there.
STALL_AFTER_ROWS_ENV = "HAGUKUMI_TEST_JOB_STALL_AFTER_ROWS"
STALL_MARKER_ENV = "HAGUKUMI_TEST_JOB_STALL_MARKER"
PROGRESS_INTERVAL_SECONDS = 1.0
EXIT_BUSY = 3
# Outcome kinds every tabular import counts (core.tabular_import.KIND_LABELS), in page order.
COUNT_LABELS = {"new": "新規", "changed": "変更", "unchanged": "変更なし"}
MESSAGE_NOT_ALLOWED = "この取込を実行する権限がありません（何も変更していません）。"
MESSAGE_BAD_OPTIONS = "取込の指定が正しくありません（何も変更していません）。"
# A change touching more than this many records, and more than this share of
# them, needs an explicit second step (issue [品質]: 2,000 職員 retired by a
# 3-row roster, 76 units closed by a 2-row file). Routine turnover (a few
# percent of a large 団体) stays below it.
MASS_CHANGE_MIN = 10
MASS_CHANGE_SHARE = 0.10


def mass_change_threshold(total: int) -> int:
    """The largest change of `total` records that needs no second step."""
    return max(MASS_CHANGE_MIN, math.floor(max(total, 0) * MASS_CHANGE_SHARE))


def mass_change(count: int, *, total: int) -> bool:
    """Whether changing `count` of `total` records (retiring, closing) is a mass change."""
    return count > mass_change_threshold(total)


# -------------------------------------------------------------------------- options


class JobOptionsError(ValueError):
    """Options JSON that the kind's options class cannot read (a programming error)."""


@dataclass(frozen=True)
class JobOptions:
    """The typed options of a job kind; kinds subclass it (frozen dataclasses).

    Stored as JSON in `ImportJob.options` (`to_json`/`from_json`). Supported
    field types: bool, int, float, str, Decimal, date, datetime, Enum, `X | None`,
    `tuple[X, ...]` and `list[X]` of those. Unknown keys are ignored when read
    (so old records still load), a missing key takes the field's default. A
    field with `metadata={"label": "発令日"}` is shown on the job page
    (`metadata={"display": callable}` turns its value into the text shown).
    Options describe *what* to import, never *who* may: rights come from the
    job record (`job_actor`).
    """

    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {f.name: _json_value(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Self:
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for option in dataclasses.fields(cls):
            if option.init and data is not None and option.name in data:
                values[option.name] = _read_value(
                    hints[option.name], data[option.name], option.name
                )
        try:
            return cls(**values)
        except (TypeError, ValueError) as exc:
            raise JobOptionsError(f"{cls.__name__}: {exc}") from exc

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def display_items(self) -> list[tuple[str, str]]:
        """(label, text) of every labelled field, for the job page (「発令日」「令和8年4月1日」)."""
        items = []
        for option in dataclasses.fields(self):
            label = option.metadata.get("label")
            if label:
                value = getattr(self, option.name)
                display = option.metadata.get("display")
                text = str(display(value)) if display is not None else _display_value(value)
                items.append((str(label), text))
        return items


def _json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return _json_value(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, tuple | list | frozenset | set):
        return [_json_value(v) for v in value]
    return value


def _read_value(hint: Any, value: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for arg in (a for a in args if a is not type(None)):
            try:
                return _read_value(arg, value, name)
            except JobOptionsError:
                continue
        raise JobOptionsError(f"{name}: {value!r} は読めません")
    if origin in (tuple, list):
        if not isinstance(value, list | tuple):
            raise JobOptionsError(f"{name}: 一覧ではありません ({value!r})")
        item = args[0] if args else Any
        items = [_read_value(item, v, name) for v in value]
        return tuple(items) if origin is tuple else items
    try:
        if hint is bool:
            if not isinstance(value, bool):
                raise JobOptionsError(f"{name}: 真偽値ではありません ({value!r})")
            return value
        if hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise JobOptionsError(f"{name}: 整数ではありません ({value!r})")
            return value
        if hint is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise JobOptionsError(f"{name}: 数値ではありません ({value!r})")
            return float(value)
        if hint is str:
            if not isinstance(value, str):
                raise JobOptionsError(f"{name}: 文字列ではありません ({value!r})")
            return value
        if hint is decimal.Decimal:
            return decimal.Decimal(str(value))
        if hint is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if hint is dt.date:
            return dt.date.fromisoformat(value)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(value)
    except JobOptionsError:
        raise
    except (TypeError, ValueError, decimal.InvalidOperation) as exc:
        raise JobOptionsError(f"{name}: {value!r} は読めません") from exc
    return value


def _display_value(value: Any) -> str:
    from hagukumi.core.wareki import format_date

    if value is None or value == "":
        return "（指定なし）"
    if isinstance(value, bool):
        return "する" if value else "しない"
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        try:
            return f"{format_date(value)}（{value.isoformat()}）"
        except ValueError:
            return value.isoformat()
    if isinstance(value, tuple | list):
        return "、".join(_display_value(v) for v in value)
    return str(value)


# -------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ResultLink:
    """A link under a job's result (the case a case upload created, the chart it changed).

    Stored as a URL name with its arguments, resolved when the page is shown;
    `label` is an optional badge before the text (登録 / 更新). The page it
    leads to checks its own access.
    """

    text: str
    url_name: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""

    def url(self) -> str:
        try:
            url = reverse(self.url_name, kwargs=dict(self.kwargs) or None)
        except NoReverseMatch:
            return ""
        return f"{url}?{urlencode(dict(self.query))}" if self.query else url

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "url_name": self.url_name,
            "kwargs": _json_value(dict(self.kwargs)) if self.kwargs else {},
            "query": dict(self.query),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResultLink:
        return cls(
            text=str(data.get("text", "")),
            url_name=str(data.get("url_name", "")),
            kwargs=dict(data.get("kwargs") or {}),
            query=dict(data.get("query") or {}),
            label=str(data.get("label", "")),
        )


@dataclass(frozen=True)
class ConfirmStep:
    """The explicit second step a dry run's 「取り込む」 needs (a mass change).

    `message`: the warning (「この取込は 2,000名を退職にします…」); `acknowledge`:
    the checkbox that must be ticked (「2,000名を退職にすることを確認しました」);
    `options`: what the real run is given once it is (the kind's option names).
    """

    message: str
    acknowledge: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "acknowledge": self.acknowledge,
            "options": _json_value(dict(self.options)) if self.options else {},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConfirmStep:
        return cls(
            message=str(data.get("message", "")),
            acknowledge=str(data.get("acknowledge", "")),
            options=dict(data.get("options") or {}),
        )


@dataclass
class JobResult:
    """What a run leaves for its page besides counts and lines (`ImportJob.result`)."""

    links: list[ResultLink] = field(default_factory=list)
    confirmation: ConfirmStep | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.links:
            data["links"] = [link.to_json() for link in self.links]
        if self.confirmation is not None:
            data["confirmation"] = self.confirmation.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> JobResult:
        data = data if isinstance(data, Mapping) else {}
        links = [ResultLink.from_json(d) for d in data.get("links") or [] if isinstance(d, Mapping)]
        step = data.get("confirmation")
        return cls(
            links=links,
            confirmation=ConfirmStep.from_json(step) if isinstance(step, Mapping) else None,
        )


def job_result(job: ImportJob) -> JobResult:
    """The links and confirmation step a job's run left (empty for jobs that left none)."""
    return JobResult.from_json(job.result)


# ---------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class JobRun:
    """What a kind's `run` is given: the job, who acts, typed options, file, progress.

    `add_link` and `require_confirmation` leave a `JobResult` for the page
    (kept only when the run succeeds).
    """

    job: ImportJob
    actor: Actor
    options: Any  # an instance of the kind's `options` class (a JobOptions)
    source: Path
    progress: ProgressCallback
    result: JobResult = field(default_factory=JobResult)

    def add_link(
        self,
        *,
        text: str,
        url_name: str,
        kwargs: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        label: str = "",
    ) -> None:
        """A link the job page lists under its result (e.g. a case it created)."""
        self.result.links.append(
            ResultLink(
                text=text, url_name=url_name, kwargs=kwargs or {}, query=query or {}, label=label
            )
        )

    def require_confirmation(
        self, *, message: str, acknowledge: str, options: Mapping[str, Any] | None = None
    ) -> None:
        """This dry run's 「取り込む」 needs `acknowledge` ticked; the real run gets `options`."""
        self.result.confirmation = ConfirmStep(
            message=message, acknowledge=acknowledge, options=options or {}
        )

    @property
    def organization(self) -> Any:
        return self.job.organization

    @property
    def filename(self) -> str:
        return self.job.filename or self.source.name

    @property
    def dry_run(self) -> bool:
        return bool(self.options.dry_run)


@dataclass(frozen=True)
class JobKind:
    """What a kind of job does and who may use it.

    - `kind`: unique name, "app.thing" (people.staff).
    - `lane`: kinds that must not run at once in one 団体 share a lane.
    - `label`: names it in messages and on its page (職員データ取込).
    - `run(run: JobRun) -> ImportSummary`: the import itself (see module docstring).
    - `roles`: the core.models.Role values that may submit its jobs from the web
      and see them; empty: command line only.
    - `options`: its JobOptions subclass.
    - `dry_run_first`: from the web, always a dry run first; the real run is
      queued by 「取り込む」 (`job_confirm`).
    - `upload_url` / `upload_label`: URL name (no arguments) and title of the
      page the file is chosen on; the job page links back to it.
    - `count_labels`: Japanese names of outcome kinds beyond 新規/変更/変更なし
      (e.g. {"retiring": "退職"}), shown in this order after them; naming
      new/changed/unchanged renames those (a case upload's 登録 / 更新).
    - `progress_unit`: what the progress counter counts (行; ファイル for a case upload).
    """

    kind: str
    lane: str
    label: str
    run: Callable[[JobRun], Any]
    roles: frozenset[str] = frozenset()
    options: type[JobOptions] = JobOptions
    dry_run_first: bool = False
    upload_url: str = ""
    upload_label: str = ""
    count_labels: Mapping[str, str] = field(default_factory=dict)
    progress_unit: str = "行"

    def __post_init__(self) -> None:
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValueError(f"JobKind {self.kind}: unknown roles {sorted(unknown)}")
        if not (isinstance(self.options, type) and issubclass(self.options, JobOptions)):
            raise TypeError(f"JobKind {self.kind}: options must be a JobOptions subclass")

    def allows(self, actor: Actor) -> bool:
        """Whether `actor` may submit and see jobs of this kind (in their own 団体)."""
        return (
            bool(self.roles) and actor.organization_id is not None and actor.has_role(*self.roles)
        )


_kinds: dict[str, JobKind] = {}


def register_job_kind(job_kind: JobKind) -> None:
    """Add (or replace, by kind) a job kind. Idempotent."""
    _kinds[job_kind.kind] = job_kind


def job_kind(kind: str) -> JobKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise ApplicationError(f"取込の種類「{kind}」は登録されていません。") from None


def job_kinds() -> list[JobKind]:
    """Every registered kind, by name."""
    return [_kinds[name] for name in sorted(_kinds)]


def job_options(job: ImportJob) -> Any:
    """The job's options as an instance of its kind's options class (JobOptionsError if bad)."""
    return job_kind(job.kind).options.from_json(job.options)


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


# --------------------------------------------------------------------------- access


def _require_kind_access(actor: Actor, spec: JobKind) -> None:
    if actor is None or actor.is_operator or not spec.allows(actor):
        raise AccessDenied()


def access_import_job_by_id(*, actor: Actor, job_id: int | str) -> ImportJob:
    """A job of the actor's 団体 whose kind allows one of the actor's roles.

    AccessDenied (404) for another 団体's job, a role the kind does not allow,
    an unknown kind, a malformed or missing id. Any holder of the kind's roles
    in the 団体 sees its jobs (not only the uploader): they share the work.
    """
    if actor is None or actor.organization_id is None:
        raise AccessDenied()
    try:
        job = ImportJob.objects.select_related("organization", "created_by").get(
            pk=job_id, organization_id=actor.organization_id
        )
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
    spec = _kinds.get(job.kind)
    if spec is None:
        raise AccessDenied()
    _require_kind_access(actor, spec)
    return job


def job_actor(job: ImportJob) -> Actor:
    """Who a job runs as: the command line for an inline job, else its uploader.

    The uploader's memberships are read again (`actor_for`) and must still hold
    a role of the kind in the job's 団体; AccessDenied otherwise, or when the
    job has no uploader (`created_by` is None) or the account is disabled.
    `job.options` plays no part.
    """
    spec = job_kind(job.kind)
    if job.inline:
        return Actor.command_line(job.organization)
    user = job.created_by
    if user is None or not user.is_active:
        raise AccessDenied()
    actor = actor_for(user, job.organization_id)
    if actor.organization_id != job.organization_id:
        raise AccessDenied()
    _require_kind_access(actor, spec)
    return actor


def jobs_recent(*, actor: Actor, kinds: Iterable[str], limit: int = 10) -> list[ImportJob]:
    """The latest jobs of `kinds` in the actor's 団体, of the kinds the actor may see."""
    if actor is None or actor.organization_id is None or actor.is_operator:
        return []
    allowed = [k for k in kinds if k in _kinds and _kinds[k].allows(actor)]
    if not allowed:
        return []
    return list(
        ImportJob.objects.filter(organization_id=actor.organization_id, kind__in=allowed)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def job_page_url(job: ImportJob) -> str:
    """The URL of a job's page (`core:job`)."""
    return reverse("core:job", kwargs={"pk": job.pk})


# ------------------------------------------------------------------------- starting


def _options_for(spec: JobKind, options: JobOptions | None) -> JobOptions:
    if options is None:
        return spec.options()
    if not isinstance(options, spec.options):
        raise TypeError(f"{spec.kind} takes {spec.options.__name__}, not {type(options).__name__}")
    return options


def _store(source: bytes | IO[bytes] | Path, filename: str) -> Path:
    suffix = Path(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,9}", suffix):
        suffix = ""  # 「事例.txt ほか2件」 names the upload, not a file type
    target = jobs_directory() / f"{uuid.uuid4().hex}{suffix}"
    if isinstance(source, bytes):
        target.write_bytes(source)
    elif isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        with open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    return target


def job_submit(
    *,
    actor: Actor,
    kind: str,
    source: bytes | IO[bytes] | Path,
    filename: str,
    options: JobOptions | None = None,
) -> ImportJob:
    """Store the upload and queue a job (待機) for the web `actor`; `run_jobs` runs it.

    The actor needs a role in `kind.roles` (AccessDenied otherwise). A
    `dry_run_first` kind is always queued as a dry run. `options` is an
    instance of the kind's options class. The size limit is the reader's (20 MB).
    """
    spec = job_kind(kind)
    _require_kind_access(actor, spec)
    typed = _options_for(spec, options)
    if spec.dry_run_first and not typed.dry_run:
        typed = typed.replace(dry_run=True)
    stored = typed.to_json()
    organization_id = cast(int, actor.organization_id)  # checked by _require_kind_access
    target = _store(source, filename)
    return ImportJob.objects.create(
        organization_id=organization_id,
        kind=kind,
        lane=spec.lane,
        options=stored,
        filename=filename[:255],
        file_path=str(target),
        created_by=actor.user,
    )


def job_can_confirm(job: ImportJob) -> bool:
    """A successful dry run whose file is still kept: 「取り込む」 may queue the real run."""
    return bool(job.options.get("dry_run") and job.status == Status.SUCCEEDED and job.file_path)


def job_confirm(*, job: ImportJob, actor: Actor, acknowledged: bool = False) -> ImportJob:
    """「取り込む」: queue the real run of a successful dry run, same file, same options.

    The web actor needs a role of the kind in the job's 団体 (AccessDenied);
    the new job is theirs (`created_by`) and points back at the dry run
    (`confirmed_from`). A dry run is confirmed at most once: the file moves on.
    A dry run whose run asked for a second step (`JobRun.require_confirmation`)
    is refused (ApplicationError, nothing queued) unless `acknowledged`; then
    the real run also gets the step's options.
    """
    spec = job_kind(job.kind)
    if actor.organization_id != job.organization_id:
        raise AccessDenied()
    _require_kind_access(actor, spec)
    if not job_can_confirm(job):
        raise ApplicationError("この取込は確定できません。もう一度ファイルを選んでください。")
    step = job_result(job).confirmation
    options = {**job.options, "dry_run": False}
    if step is not None:
        if not acknowledged:
            raise ApplicationError(
                f"{step.message}取り込むには「{step.acknowledge}」にチェックを入れてください"
                "（まだ何も変更していません）。"
            )
        options = spec.options.from_json({**options, **step.options}).to_json()
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
            options=options,
            filename=locked.filename,
            file_path=locked.file_path,
            created_by=actor.user,
            confirmed_from=locked,
        )
        locked.file_path = ""
        locked.save(update_fields=["file_path", "updated_at"])
    job.file_path = ""
    return follow


def job_can_rerun(job: ImportJob) -> bool:
    """A failed job whose file is still kept: 「もう一度実行する」 may queue it again."""
    return bool(
        job.status == Status.FAILED
        and not job.inline
        and job.file_path
        and os.path.exists(job.file_path)
    )


def job_rerun(*, job: ImportJob, actor: Actor) -> ImportJob:
    """「もう一度実行する」: queue a failed job again from its kept file, same options.

    For a job whose worker died (or that failed for a reason since put right). The
    web actor needs a role of the kind in the job's 団体 (AccessDenied); the new
    job is theirs and the file moves on to it (a failed job is re-run once).
    """
    spec = job_kind(job.kind)
    if actor.organization_id != job.organization_id:
        raise AccessDenied()
    _require_kind_access(actor, spec)
    if not job_can_rerun(job):
        raise ApplicationError(
            "この取込はもう一度実行できません（ファイルの保存期限が過ぎたか、"
            "すでに実行しました）。もう一度ファイルを選んでください。"
        )
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job_can_rerun(locked):
            raise ApplicationError(
                "この取込はもう一度実行できません。もう一度ファイルを選んでください。"
            )
        again = ImportJob.objects.create(
            organization_id=locked.organization_id,
            kind=locked.kind,
            lane=locked.lane,
            options=dict(locked.options),
            filename=locked.filename,
            file_path=locked.file_path,
            created_by=actor.user,
            confirmed_from=locked.confirmed_from,
        )
        locked.file_path = ""
        locked.save(update_fields=["file_path", "updated_at"])
    job.file_path = ""
    return again


def job_run_inline(
    *,
    organization: Any,
    kind: str,
    source: Path,
    options: JobOptions | None = None,
    user: User | None = None,
    progress: ProgressCallback | None = None,
) -> ImportJob:
    """Run an import in this process through an ImportJob record (the command line).

    It runs as `Actor.command_line(organization)`. Raises JobBusy when the
    lane is taken; re-raises the ApplicationError that failed the job (after
    recording it). The file is the caller's: never deleted.
    """
    spec = job_kind(kind)
    typed = _options_for(spec, options)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                organization=organization,
                kind=kind,
                lane=spec.lane,
                options=typed.to_json(),
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
    """The job running in the lane; one whose worker is gone is failed, freeing the lane."""
    running = (
        ImportJob.objects.select_related("organization")
        .filter(organization=organization, lane=lane, status=Status.RUNNING)
        .first()
    )
    if running is not None and job_reap_if_stale(running):
        return None
    return running


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
                return ImportJob.objects.select_related("organization", "created_by").get(pk=job.pk)
    return None


# -------------------------------------------------------------------------- running


def job_audit_context(job: ImportJob) -> AuditContext:
    """The audit context of a running job: 画面 「取込ジョブ #N」 (after a command's own)."""
    outer = audit_context()
    path = f"取込ジョブ #{job.pk}"
    if outer.path:
        path = f"{outer.path} › {path}"
    return AuditContext(ip_address=outer.ip_address, user_agent=outer.user_agent, path=path[:255])


def job_execute(
    job: ImportJob,
    *,
    source: Path | None = None,
    progress: ProgressCallback | None = None,
    reraise: bool = False,
) -> ImportJob:
    """Run a claimed (実行中) job to 成功 or 失敗; the import itself is all or nothing.

    Who it runs as is `job_actor(job)` (a job whose uploader lost the role
    fails, nothing changed); its options are read through the kind's class.
    """
    spec = job_kind(job.kind)
    path = source if source is not None else Path(job.file_path)
    reporter = _ProgressReporter(job.pk, progress)
    with audit_context_set(job_audit_context(job)), _Heartbeat(job.pk):
        try:
            actor = job_actor(job)
        except AccessDenied:
            _finish(
                job,
                Status.FAILED,
                errors=[{"message": MESSAGE_NOT_ALLOWED}],
                lines=[MESSAGE_NOT_ALLOWED],
            )
            if reraise:
                raise
            return job
        try:
            options = spec.options.from_json(job.options)
        except JobOptionsError:
            logger.exception("ImportJob #%s has options its kind cannot read", job.pk)
            _finish(
                job,
                Status.FAILED,
                errors=[{"message": MESSAGE_BAD_OPTIONS}],
                lines=[MESSAGE_BAD_OPTIONS],
            )
            if reraise:
                raise ApplicationError(MESSAGE_BAD_OPTIONS) from None
            return job
        run = JobRun(job=job, actor=actor, options=options, source=path, progress=reporter)
        return _execute(job, spec, run, reporter, reraise=reraise)


def _execute(
    job: ImportJob, spec: JobKind, run: JobRun, reporter: _ProgressReporter, *, reraise: bool
) -> ImportJob:
    error: BaseException | None = None
    try:
        summary = spec.run(run)
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
    except AccessDenied as exc:
        error = exc
        _finish(
            job,
            Status.FAILED,
            errors=[{"message": MESSAGE_NOT_ALLOWED}],
            lines=[MESSAGE_NOT_ALLOWED],
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
        total = reporter.total
        if total is None:
            declared = getattr(summary, "rows", None)
            total = declared if isinstance(declared, int) else None
        result = run.result
        if not run.dry_run:
            result = dataclasses.replace(result, confirmation=None)  # only a dry run asks
        _finish(
            job,
            Status.SUCCEEDED,
            counts=dict(getattr(summary, "counts", {})),
            lines=summary.lines(details=run.dry_run),
            rows_done=total if total is not None else reporter.done,
            rows_total=total,
            result=result.to_json(),
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
    result: dict[str, Any] | None = None,
) -> None:
    # A successful dry run keeps its file for 「取り込む」, a failed job for 「もう一度実行する」.
    keep_file = status == Status.FAILED or (
        status == Status.SUCCEEDED and bool(job.options.get("dry_run"))
    )
    _heartbeat_path(job.pk).unlink(missing_ok=True)
    if job.file_path and not keep_file:
        _delete_file(job.file_path)
        job.file_path = ""
    now = timezone.now()
    job.status = status
    job.errors = errors or []
    job.result_lines = lines or []
    job.counts = counts or {}
    job.result = result or {}
    if rows_total is not None:
        job.rows_total = rows_total
    if rows_done is not None:
        job.rows_done = rows_done
    if job.rows_total is not None:
        job.rows_done = min(job.rows_done, job.rows_total)
    job.finished_at = now
    job.heartbeat_at = now
    job.save(
        update_fields=[
            "status",
            "errors",
            "result_lines",
            "counts",
            "result",
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

    `total` is the last total given (an import reports reading the file, then
    applying its data rows: the last is the data-row count); `done` is kept
    within it. Outside a transaction it updates the row directly. Inside the
    import's transaction an UPDATE on this connection would stay invisible (and
    be rolled back), so on PostgreSQL a short-lived thread writes it on its own
    connection; on SQLite (one writer) progress inside the transaction is kept
    in memory only and published when the job ends.
    """

    def __init__(self, job_id: int, forward: ProgressCallback | None) -> None:
        self.job_id = job_id
        self.forward = forward
        self.done = 0
        self.total: int | None = None
        self._last = 0.0
        stall = os.environ.get(STALL_AFTER_ROWS_ENV, "")
        self.stall_after = int(stall) if stall.isdigit() else None

    def __call__(self, done: int, total: int | None) -> None:
        if total is not None:
            self.total = total
        self.done = min(done, self.total) if self.total is not None else done
        if self.forward is not None:
            self.forward(done, total)
        if self.stall_after is not None and self.done >= self.stall_after:
            _stall_for_kill_test()
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL_SECONDS:
            return
        self._last = now
        job_heartbeat(self.job_id, rows_done=self.done, rows_total=self.total)


def _stall_for_kill_test() -> None:
    """Wait, inside the write transaction, for the kill test to SIGKILL this process."""
    if not connection.in_atomic_block:
        return
    marker = os.environ.get(STALL_MARKER_ENV, "")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(600)


def _heartbeat_path(job_id: int) -> Path:
    return jobs_directory() / f"job-{job_id}.alive"


class _Heartbeat:
    """A thread that shows a running job is alive every HEARTBEAT_SECONDS until it ends.

    It touches a file beside the uploads (`job-<id>.alive`), which works while the
    import holds SQLite's only write lock, and on PostgreSQL also writes
    `heartbeat_at` on its own connection. A job whose worker died stops beating;
    `job_reap_stale` looks at both.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.path = _heartbeat_path(job_id)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"job-{job_id}-heartbeat", daemon=True
        )
        self._database = connection.vendor != "sqlite" and not getattr(
            settings, "HAGUKUMI_JOBS_SAME_CONNECTION", False
        )

    def __enter__(self) -> _Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_SECONDS * 2)
        self.path.unlink(missing_ok=True)

    def beat(self) -> None:
        with contextlib.suppress(OSError):
            self.path.touch()

    def _run(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                self.beat()
                if self._database:
                    try:
                        ImportJob.objects.filter(pk=self.job_id, status=Status.RUNNING).update(
                            heartbeat_at=timezone.now()
                        )
                    except Exception:  # best effort: the file still beats
                        logger.debug(
                            "heartbeat of ImportJob #%s failed", self.job_id, exc_info=True
                        )
        finally:
            if self._database:
                connections.close_all()


def _last_beat(job: ImportJob) -> dt.datetime | None:
    """The latest sign of life of a running job: heartbeat_at or its heartbeat file."""
    latest = job.heartbeat_at or job.started_at
    try:
        touched = dt.datetime.fromtimestamp(_heartbeat_path(job.pk).stat().st_mtime, tz=dt.UTC)
    except OSError:
        return latest
    return touched if latest is None or touched > latest else latest


def job_is_stale(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """A 実行中 job whose worker has not beaten for STALE_AFTER (it died)."""
    if job.status != Status.RUNNING:
        return False
    last = _last_beat(job)
    return last is None or last < (now or timezone.now()) - STALE_AFTER


def _reap(job: ImportJob) -> None:
    inline = job.inline or not job.file_path
    message = MESSAGE_WORKER_GONE_INLINE if inline else MESSAGE_WORKER_GONE
    # What it had done was rolled back with its transaction: no frozen 「500 / 50001」.
    _finish(
        job,
        Status.FAILED,
        errors=[{"message": message}],
        lines=[message],
        rows_done=0,
        rows_total=0,
    )
    logger.warning("ImportJob #%s: worker gone, marked failed", job.pk)


def job_reap_if_stale(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """Fail `job` if its worker is gone (conditional: only a still 実行中 row); True if so."""
    if not job_is_stale(job, now=now):
        return False
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None or not job_is_stale(locked, now=now):
            return False
        _reap(locked)
    job.refresh_from_db()
    return True


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
    candidates = ImportJob.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True)
    )
    stale = [job for job in candidates if job_reap_if_stale(job, now=now)]
    for job in ImportJob.objects.filter(
        status__in=[Status.SUCCEEDED, Status.FAILED], finished_at__lt=now - DRY_RUN_FILE_TTL
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


# ------------------------------------------------------------------------- the page


def job_status(*, job: ImportJob) -> dict[str, Any]:
    """What a progress page shows: status, rows, percent, result lines and errors.

    A 実行中 job whose worker is gone is failed first (the page tells at once)."""
    job.refresh_from_db()
    job_reap_if_stale(job)
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
        "can_confirm": job_can_confirm(job),
        "can_rerun": job_can_rerun(job),
    }


@dataclass(frozen=True)
class JobWait:
    """Why a queued job waits: the running job of the same 団体 and lane, jobs ahead."""

    running_id: int | None
    ahead: int


def job_wait(*, job: ImportJob) -> JobWait | None:
    """For a 待機 job: the job it waits for (same 団体 and lane) and how many are ahead."""
    if job.status != Status.QUEUED:
        return None
    same_lane = ImportJob.objects.filter(organization_id=job.organization_id, lane=job.lane)
    running = same_lane.filter(status=Status.RUNNING).values_list("pk", flat=True).first()
    ahead = (
        same_lane.filter(status=Status.QUEUED)
        .filter(Q(created_at__lt=job.created_at) | Q(created_at=job.created_at, pk__lt=job.pk))
        .count()
    )
    return JobWait(running_id=running, ahead=ahead)


# Row errors (and result links) listed on the page; the rest are counted.
PAGE_ERROR_LIMIT = 200
PAGE_LINK_LIMIT = 200


@dataclass(frozen=True)
class PageLink:
    """A result link as the page shows it (the URL resolved)."""

    label: str
    text: str
    url: str


@dataclass(frozen=True)
class JobPage:
    """Everything the job page (`core/job.html`) and its status partial show."""

    job: ImportJob
    kind: JobKind
    status: dict[str, Any]
    wait: JobWait | None
    busy_message: str
    counts: list[tuple[str, int]]
    option_items: list[tuple[str, str]]
    row_errors: list[dict[str, Any]]
    more_errors: int
    message: str
    upload_url: str
    confirmed_from_id: int | None
    general_errors: list[str] = field(default_factory=list)
    links: list[PageLink] = field(default_factory=list)
    more_links: int = 0
    confirmation: ConfirmStep | None = None

    @property
    def title(self) -> str:
        return f"{self.kind.label} #{self.job.pk}"

    @property
    def polling(self) -> bool:
        return not self.status["finished"]

    @property
    def tone(self) -> str:
        if self.job.status == Status.SUCCEEDED:
            return "success"
        return "error" if self.job.status == Status.FAILED else "pending"

    @property
    def live_text(self) -> str:
        """One short sentence for the aria-live region (changes only with the status)."""
        status = self.status["status"]
        if status == Status.QUEUED:
            return "順番を待っています。"
        if status == Status.RUNNING:
            return "処理しています。"
        if status == Status.FAILED:
            return "取り込めませんでした（何も保存していません）。"
        if self.status["can_confirm"] and self.confirmation is not None:
            return (
                "試し読みが終わりました。大きな変更です。警告を読み、"
                "確認の欄にチェックを入れてから「取り込む」を押してください。"
            )
        if self.status["can_confirm"]:
            return "試し読みが終わりました。内容を確かめて「取り込む」を押してください。"
        if self.status["dry_run"]:
            return "試し読みが終わりました（保存していません）。"
        return "取込が終わりました。"


def job_page(*, actor: Actor, job_id: int | str) -> JobPage:
    """The job page of `job_id` for `actor` (AccessDenied → 404 outside their scope)."""
    job = access_import_job_by_id(actor=actor, job_id=job_id)
    spec = job_kind(job.kind)
    status = job_status(job=job)
    wait = job_wait(job=job)
    busy = job_busy_error(organization=job.organization, kind=job.kind) if wait else None
    try:
        option_items = job_options(job).display_items()
    except JobOptionsError:
        option_items = []
    errors = [e for e in job.errors if isinstance(e, dict)] if job.status == Status.FAILED else []
    row_errors = [e for e in errors if e.get("row") is not None or e.get("column")]
    message = job.result_lines[0] if job.result_lines and job.status == Status.FAILED else ""
    if job.status == Status.FAILED and not row_errors:
        # File-level problems: the lines say it all.
        message = message or (errors[0].get("message", "") if errors else "")
    # Problems of no row (e.g. a finish hook's refusal), unless the message says it.
    general = [
        str(e.get("message", ""))
        for e in errors
        if e.get("row") is None and not e.get("column") and e.get("message") != message
    ]
    labels = {**COUNT_LABELS, **spec.count_labels}
    counts = [(label, int(job.counts.get(key, 0))) for key, label in labels.items()]
    counts += [(key, int(n)) for key, n in job.counts.items() if key not in labels]
    upload_url = ""
    if spec.upload_url:
        with contextlib.suppress(NoReverseMatch):
            upload_url = reverse(spec.upload_url)
    result = job_result(job) if job.status == Status.SUCCEEDED else JobResult()
    links = [PageLink(link.label, link.text, link.url()) for link in result.links]
    return JobPage(
        job=job,
        kind=spec,
        status=status,
        wait=wait,
        busy_message=busy.message if busy is not None and busy.job.pk != job.pk else "",
        counts=counts,
        option_items=option_items,
        row_errors=row_errors[:PAGE_ERROR_LIMIT],
        more_errors=max(0, len(row_errors) - PAGE_ERROR_LIMIT),
        message=message,
        upload_url=upload_url,
        confirmed_from_id=job.confirmed_from_id,
        general_errors=[m for m in general if m][:PAGE_ERROR_LIMIT],
        links=links[:PAGE_LINK_LIMIT],
        more_links=max(0, len(links) - PAGE_LINK_LIMIT),
        confirmation=result.confirmation if status["can_confirm"] else None,
    )


__all__ = [
    "COUNT_LABELS",
    "EXIT_BUSY",
    "MASS_CHANGE_MIN",
    "MASS_CHANGE_SHARE",
    "ConfirmStep",
    "JobBusy",
    "JobKind",
    "JobOptions",
    "JobOptionsError",
    "JobPage",
    "JobResult",
    "JobRun",
    "JobWait",
    "PageLink",
    "ProgressCallback",
    "ResultLink",
    "access_import_job_by_id",
    "job_actor",
    "job_audit_context",
    "job_busy_error",
    "job_can_confirm",
    "job_can_rerun",
    "job_claim",
    "job_confirm",
    "job_execute",
    "job_heartbeat",
    "job_is_stale",
    "job_kind",
    "job_kinds",
    "job_options",
    "job_page",
    "job_page_url",
    "job_reap_if_stale",
    "job_reap_stale",
    "job_rerun",
    "job_result",
    "job_run_inline",
    "job_status",
    "job_submit",
    "job_wait",
    "jobs_recent",
    "jobs_run_pending",
    "mass_change",
    "mass_change_threshold",
    "register_job_kind",
]
