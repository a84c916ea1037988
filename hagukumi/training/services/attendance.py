"""Attendance writes: recording by hand, e-learning completions, and the LMS/xlsx import.

Per session each member has one record (unique (staff, session)): 出席 / 欠席 /
遅刻 / 早退 / 免除 (with a reason), and the hours taken (Decimal; None: not
recorded). The rules, the same for the page, the command line and the import:

- the session must be one of the actor's 団体: an unknown session and a
  session of another 団体 get the same message (「研修の回が見つかりません」),
  so nothing about other 団体 leaks;
- the staff member must be admitted to the session's run (the cohort, or the
  stand-alone course run: `training.selectors.attendance.session_members`);
- hours are not negative and not above the session's length; 欠席 has no
  hours; 免除 needs its reason (and only 免除 has one).

Every write is audited: one 登録/更新 record per attendance written by hand,
one 取込 record per import (with its counts). The import
(`attendance_import`, job kind ``training.attendance``) reads the columns
職員番号, 研修コード, 回, 日付, 出欠, 受講時間 (+ 免除の理由); a 団体's
`LmsColumnMapping` adds a vendor's headers and 出欠 values. It upserts by
(staff, session), so importing the same file again reports every row 変更なし;
any bad row stops the whole file (「行 N 列 X: 理由」, nothing stored). It
reads everything it needs in a fixed number of queries before the rows and
writes with one statement per kind of write, whatever the file's length.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tabular_import import (
    Column,
    ImportSummary,
    ParsedRow,
    ProgressOption,
    RowOutcome,
    RowProblem,
    Source,
    read_table,
    run_import,
)
from hagukumi.core.tabular_import.columns import norm_header
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_date
from hagukumi.training.lms_columns import ATTENDANCE_COLUMNS
from hagukumi.training.models import (
    Attendance,
    AttendanceStatus,
    LmsColumnMapping,
    RecordSource,
    Session,
)
from hagukumi.training.selectors.attendance import (
    SessionKey,
    _require_recorder,
    lms_mapping_by_name,
    session_members,
)

ATTENDANCE_LABEL = "出欠"
MSG_UNKNOWN_SESSION = "研修の回が見つかりません。"
MSG_UNKNOWN_STAFF = "職員が見つかりません。"
STATUS_LABELS = dict(AttendanceStatus.choices)
# Fields an import or a recording compares and writes.
_WRITTEN = ("status", "hours", "waived_reason")
_HEADINGS = {"status": "出欠", "hours": "受講時間", "waived_reason": "免除の理由"}


def _hours_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def _session_name(course_code: str, number: int) -> str:
    return f"研修コード「{course_code}」の第{number}回"


def attendance_problems(
    *,
    status: str,
    hours: Decimal | None,
    waived_reason: str,
    session_hours: Decimal | None,
    session_name: str,
) -> list[tuple[str, str]]:
    """(field, Japanese message) for every rule one record breaks (empty: valid)."""
    problems: list[tuple[str, str]] = []
    if status not in STATUS_LABELS:
        problems.append(("status", f"出欠「{status}」は選べません。"))
        return problems
    if hours is not None:
        if hours < 0:
            problems.append(("hours", f"受講時間 {_hours_text(hours)} は0以上で入力してください"))
        elif session_hours is not None and hours > session_hours:
            problems.append(
                (
                    "hours",
                    f"受講時間 {_hours_text(hours)} が{session_name}の時間数"
                    f"（{_hours_text(session_hours)}時間）を超えています",
                )
            )
        elif status == AttendanceStatus.ABSENT and hours > 0:
            problems.append(("hours", "欠席の受講時間は入力できません（空欄か0）"))
        elif hours.as_tuple().exponent < -2:  # type: ignore[operator]
            problems.append(("hours", "受講時間は小数第2位までで入力してください"))
    if status == AttendanceStatus.WAIVED and not waived_reason.strip():
        problems.append(("waived_reason", "免除には理由が必要です"))
    if status != AttendanceStatus.WAIVED and waived_reason.strip():
        problems.append(("waived_reason", "理由は免除のときだけ入力できます"))
    return problems


# ------------------------------------------------------------------ recording by hand


@dataclass(frozen=True)
class AttendanceEntry:
    """One staff member's attendance at the session being recorded."""

    staff_id: int
    status: str
    hours: Decimal | None = None
    waived_reason: str = ""


@dataclass
class AttendanceRecorded:
    """What `attendance_record` did: records created, changed, and left as they were."""

    created: list[Attendance] = field(default_factory=list)
    changed: list[Attendance] = field(default_factory=list)
    unchanged: int = 0


def _session_in(organization_id: int, session_id: int | str) -> Session:
    try:
        pk = int(session_id)
    except (TypeError, ValueError):
        raise ApplicationError(MSG_UNKNOWN_SESSION) from None
    session = (
        Session.objects.filter(organization_id=organization_id, pk=pk)
        .select_related("course")
        .first()
    )
    if session is None:
        raise ApplicationError(MSG_UNKNOWN_SESSION)
    return session


def attendance_record(
    *,
    actor: Actor,
    session_id: int | str,
    entries: Sequence[AttendanceEntry],
    source: str = RecordSource.MANUAL,
) -> AttendanceRecorded:
    """Record many members' attendance at one session at once: all of them, or none.

    Errors name the staff member (「職員 000123 山田 太郎: 受講時間 5 が…を超えています」)
    and come together (ApplicationError, `extra["errors"]`). Each record created or
    changed writes an audit 登録/更新 record.
    """
    from hagukumi.people.models import Staff

    organization_id = _require_recorder(actor, actor.organization_id if actor is not None else None)
    session = _session_in(organization_id, session_id)
    members = session_members([session])[session.pk]
    staff_ids = [e.staff_id for e in entries]
    staff = Staff.objects.filter(organization_id=session.organization_id).in_bulk(staff_ids)
    existing = {
        a.staff_id: a for a in Attendance.objects.filter(session=session, staff_id__in=staff_ids)
    }
    name = _session_name(session.course.code, session.number)
    errors: list[dict[str, Any]] = []
    seen: set[int] = set()
    result = AttendanceRecorded()
    planned: list[tuple[Attendance, bool, dict[str, tuple[Any, Any]]]] = []
    for entry in entries:
        person = staff.get(entry.staff_id)
        if person is None:
            errors.append({"staff_id": entry.staff_id, "message": MSG_UNKNOWN_STAFF})
            continue
        who = f"職員 {person.number} {person.name}"
        if entry.staff_id in seen:
            errors.append({"staff_id": entry.staff_id, "message": f"{who}: 2回指定されています"})
            continue
        seen.add(entry.staff_id)
        if entry.staff_id not in members:
            errors.append(
                {"staff_id": entry.staff_id, "message": f"{who}: {_not_member_message(session)}"}
            )
            continue
        reason = (entry.waived_reason or "").strip()
        hours = None if entry.hours is None else Decimal(entry.hours)
        if entry.status == AttendanceStatus.ABSENT and hours == 0:
            hours = None
        problems = attendance_problems(
            status=entry.status,
            hours=hours,
            waived_reason=reason,
            session_hours=session.hours,
            session_name=name,
        )
        if problems:
            errors.extend(
                {"staff_id": entry.staff_id, "field": f, "message": f"{who}: {m}"}
                for f, m in problems
            )
            continue
        wanted = {"status": entry.status, "hours": hours, "waived_reason": reason}
        record = existing.get(entry.staff_id)
        if record is None:
            record = Attendance(
                organization_id=session.organization_id,
                session=session,
                staff=person,
                source=source,
                recorded_by_name=actor.audit_username[:150],
                **wanted,
            )
            planned.append((record, True, {}))
            continue
        changes = _changes(record, wanted)
        if not changes:
            result.unchanged += 1
            continue
        for name_, (_old, new) in changes.items():
            setattr(record, name_, new)
        record.source = source
        record.import_job = None
        record.recorded_by_name = actor.audit_username[:150]
        record.staff = person
        planned.append((record, False, changes))
    if errors:
        raise ApplicationError(
            f"出欠を記録できません。誤りが {len(errors)} 件あります（何も変更していません）。",
            extra={"errors": errors},
        )
    with transaction.atomic():
        for record, is_new, changes in planned:
            record.full_clean(validate_unique=False, validate_constraints=False)
            record.save()
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
                target=record,
                detail={
                    "session_id": session.pk,
                    "course": session.course.code,
                    "number": session.number,
                    "status": record.status,
                    "hours": _hours_text(record.hours),
                    "changes": {k: [_shown(o), _shown(n)] for k, (o, n) in changes.items()},
                },
            )
            (result.created if is_new else result.changed).append(record)
    return result


def attendance_set(
    *,
    actor: Actor,
    session_id: int | str,
    staff_id: int,
    status: str,
    hours: Decimal | None = None,
    waived_reason: str = "",
) -> AttendanceRecorded:
    """Record one member's attendance (`attendance_record` with one entry)."""
    return attendance_record(
        actor=actor,
        session_id=session_id,
        entries=[AttendanceEntry(staff_id, status, hours, waived_reason)],
    )


def elearning_complete(
    *,
    actor: Actor,
    session_id: int | str,
    staff_ids: Iterable[int],
    hours: Decimal | None = None,
    source: str = RecordSource.MANUAL,
) -> AttendanceRecorded:
    """Mark a self-paced e-learning session (one without a date) as taken (出席).

    `hours` None counts the session's length. A dated session is refused:
    record its attendance instead.
    """
    organization_id = _require_recorder(actor, actor.organization_id if actor is not None else None)
    session = _session_in(organization_id, session_id)
    if session.date is not None:
        raise ApplicationError(
            f"{_session_name(session.course.code, session.number)}は日付のある回です。"
            "eラーニングの修了ではなく出欠を記録してください。"
        )
    return attendance_record(
        actor=actor,
        session_id=session.pk,
        entries=[AttendanceEntry(pk, AttendanceStatus.PRESENT, hours) for pk in staff_ids],
        source=source,
    )


def _not_member_message(session: Session) -> str:
    if session.cohort_id is not None:
        return "この期の受講者ではありません"
    return f"この研修（{session.fiscal_year}年度）の受講者ではありません"


def _changes(record: Attendance, wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in wanted.items():
        old = getattr(record, name)
        if name == "hours":
            same = (old is None and new is None) or (
                old is not None and new is not None and Decimal(old) == Decimal(new)
            )
        else:
            same = old == new
        if not same:
            changes[name] = (old, new)
    return changes


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return _hours_text(value)
    if value in STATUS_LABELS:
        return STATUS_LABELS[value]
    return "" if value is None else str(value)


# ------------------------------------------------------------------------- the import


def attendance_columns(*, mapping: LmsColumnMapping | None = None) -> tuple[Column, ...]:
    """The columns of an attendance file; a mapping adds a vendor's headers and 出欠 values.

    A vendor header that is another column's standard header is ignored (it
    would make the file ambiguous).
    """
    aliases: dict[str, list[str]] = dict(mapping.header_aliases) if mapping is not None else {}
    standard = {norm_header(h) for h in ATTENDANCE_COLUMNS.values()} | {norm_header("免除の理由")}

    def names(key: str, *defaults: str) -> tuple[str, ...]:
        found = [*defaults, *(a.strip() for a in aliases.get(key, []))]
        own = norm_header(ATTENDANCE_COLUMNS[key])
        kept: dict[str, str] = {}
        for header in found:
            norm = norm_header(header)
            if norm == own or norm in standard or norm in kept:
                continue
            kept[norm] = header
        return tuple(kept.values())

    status_choices: list[tuple[str, str]] = list(AttendanceStatus.choices)
    if mapping is not None and isinstance(mapping.status_aliases, dict):
        status_choices += [
            (str(target), str(value))
            for value, target in mapping.status_aliases.items()
            if target in STATUS_LABELS
        ]
    h = ATTENDANCE_COLUMNS
    return (
        Column(
            "staff_number",
            h["staff_number"],
            kind="code",
            required=True,
            max_length=20,
            aliases=names("staff_number"),
        ),
        Column(
            "course_code",
            h["course_code"],
            kind="code",
            required=True,
            max_length=30,
            aliases=names("course_code"),
        ),
        Column(
            "session_number",
            h["session_number"],
            kind="int",
            required=True,
            aliases=names("session_number"),
        ),
        Column("date", h["date"], kind="date", aliases=names("date", "受講日")),
        Column(
            "status",
            h["status"],
            kind="choice",
            choices=status_choices,
            required=True,
            aliases=names("status"),
        ),
        Column("hours", h["hours"], kind="decimal", aliases=names("hours")),
        Column("waived_reason", "免除の理由", max_length=200),
    )


# The standard layout (no vendor mapping): registered with core's importer registry.
ATTENDANCE_IMPORT_COLUMNS = attendance_columns()


@dataclass(frozen=True)
class _SessionRow:
    key: SessionKey
    course_code: str
    number: int
    date: dt.date | None
    hours: Decimal | None


@dataclass(frozen=True)
class _Existing:
    pk: int
    status: str
    hours: Decimal | None
    waived_reason: str


@dataclass
class _AttendanceImport:
    """The rows of one file checked against what was read up front; written in `finish`."""

    organization_id: int
    source: str
    recorder: str
    import_job_id: int | None
    as_of: dt.date | None
    actor: Actor
    staff: dict[str, tuple[int, str]]  # 職員番号 → (id, name)
    sessions: dict[tuple[str, int], list[_SessionRow]]  # (研修コード, 回) → its runs' sessions
    members: dict[int, set[int]]  # session id → admitted staff ids
    existing: dict[tuple[int, int], _Existing]  # (staff id, session id) → record
    seen: dict[tuple[int, int], int] = field(default_factory=dict)
    inserts: list[Attendance] = field(default_factory=list)
    updates: list[Attendance] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # session ids written

    def _session_for(self, row: ParsedRow, staff_id: int) -> _SessionRow:
        v = row.values
        code, number = v["course_code"], v["session_number"]
        candidates = self.sessions.get((code, number), [])
        if not candidates:
            raise RowProblem("course_code", f"{_session_name(code, number)}は見つかりません")
        mine = [s for s in candidates if staff_id in self.members.get(s.key.id, ())]
        if not mine:
            raise RowProblem(
                "staff_number",
                f"職員番号「{v['staff_number']}」の職員は{_session_name(code, number)}の"
                "受講者ではありません（期・研修に登録されていません）",
            )
        day = v.get("date")
        if len(mine) > 1 and day is not None:
            mine = [s for s in mine if s.date == day] or mine
        if len(mine) > 1:
            raise RowProblem(
                "date",
                f"{_session_name(code, number)}が複数の期にあります。日付で回を特定してください",
            )
        (session,) = mine
        if day is not None and session.date is not None and day != session.date:
            raise RowProblem(
                "date",
                f"日付 {day.isoformat()} が{_session_name(code, number)}の日付"
                f"（{session.date.isoformat()}）と違います",
            )
        return session

    def apply(self, row: ParsedRow) -> RowOutcome:
        v = row.values
        found = self.staff.get(v["staff_number"])
        if found is None:
            raise RowProblem(
                "staff_number", f"職員番号「{v['staff_number']}」の職員は登録されていません"
            )
        staff_id, staff_name = found
        session = self._session_for(row, staff_id)
        key = (staff_id, session.key.id)
        if key in self.seen:
            where = _session_name(session.course_code, session.number)
            raise RowProblem(
                None,
                f"行 {self.seen[key]} と 行 {row.number} が同じ職員・同じ回です"
                f"（職員番号「{v['staff_number']}」、{where}）",
            )
        self.seen[key] = row.number
        status = v["status"]
        record = self.existing.get(key)
        # No 受講時間 column: the hours already recorded stay.
        kept = record.hours if record is not None else None
        hours = v.get("hours", kept)  # RowValues: .get does not read the empty value
        if status == AttendanceStatus.ABSENT and (hours is None or hours == 0):
            hours = None
        reason = v["waived_reason"].strip() if "waived_reason" in v else ""
        if "waived_reason" not in v and record is not None and status == AttendanceStatus.WAIVED:
            reason = record.waived_reason
        problems = attendance_problems(
            status=status,
            hours=hours,
            waived_reason=reason,
            session_hours=session.hours,
            session_name=_session_name(session.course_code, session.number),
        )
        if problems:
            # One row, several problems: report the first (the runner shows one per raise).
            name, message = problems[0]
            raise RowProblem(name, message)
        label = f"{v['staff_number']} {staff_name} {session.course_code} 第{session.number}回"
        wanted = {"status": status, "hours": hours, "waived_reason": reason}
        if record is None:
            self.inserts.append(
                Attendance(
                    organization_id=self.organization_id,
                    session_id=session.key.id,
                    staff_id=staff_id,
                    source=self.source,
                    import_job_id=self.import_job_id,
                    recorded_by_name=self.recorder,
                    **wanted,
                )
            )
            self.touched.add(session.key.id)
            return RowOutcome("new", key=label)
        before = Attendance(
            status=record.status, hours=record.hours, waived_reason=record.waived_reason
        )
        changes = _changes(before, wanted)
        if not changes:
            return RowOutcome("unchanged", key=label)
        self.updates.append(
            Attendance(
                pk=record.pk,
                source=self.source,
                import_job_id=self.import_job_id,
                recorded_by_name=self.recorder,
                **wanted,
            )
        )
        self.touched.add(session.key.id)
        shown = {name: (_shown(old), _shown(new)) for name, (old, new) in changes.items()}
        return RowOutcome("changed", key=label, changes=shown)

    def finish(self, summary: ImportSummary) -> None:
        _insert_many(Attendance, self.inserts)
        _update_many(
            Attendance,
            self.updates,
            ["status", "hours", "waived_reason", "source", "import_job", "recorded_by_name"],
        )
        summary.headers.update(_HEADINGS)
        if self.as_of is None or not self.touched:
            return
        from hagukumi.training.services.completion import completion_runs_update

        runs = {
            (s.key.course_id, s.key.cohort_id, s.key.fiscal_year)
            for rows in self.sessions.values()
            for s in rows
            if s.key.id in self.touched
        }
        outcome = completion_runs_update(
            actor=self.actor, organization_id=self.organization_id, runs=runs, as_of=self.as_of
        )
        if outcome.created:
            summary.add("completed", count=outcome.created)


def attendance_import(
    *,
    actor: Actor,
    organization: Any,
    source: Source,
    filename: str | None = None,
    dry_run: bool = False,
    mapping_name: str = "",
    as_of: dt.date | None = None,
    import_job_id: int | None = None,
    progress: ProgressOption = None,
) -> ImportSummary:
    """Upsert attendance by (staff, session) from an xlsx/CSV file: every row, or none.

    `mapping_name` picks the 団体's LmsColumnMapping (its records are 入力元 LMS;
    others 取込). With `as_of`, the completions of the runs the file changed
    are computed again as of that day (`completions_update`), in the same
    transaction; the summary counts new ones as 修了.
    """
    organization_id = getattr(organization, "pk", organization)
    _require_recorder(actor, organization_id)
    mapping = None
    if mapping_name.strip():
        mapping = lms_mapping_by_name(organization=organization_id, name=mapping_name)
        if mapping is None:
            raise ApplicationError(
                f"LMSの列名の対応「{mapping_name.strip()}」は登録されていません。"
            )
    table = read_table(
        source, columns=attendance_columns(mapping=mapping), filename=filename, progress=progress
    )
    job = _prepare(
        actor=actor,
        organization_id=organization_id,
        rows=table.rows,
        source=RecordSource.LMS if mapping is not None else RecordSource.IMPORT,
        import_job_id=import_job_id,
        as_of=as_of,
    )
    summary = run_import(
        table,
        apply=job.apply,
        finish=job.finish,
        dry_run=dry_run,
        label=ATTENDANCE_LABEL,
        labels={"completed": "修了"},
        progress=progress,
    )
    if not dry_run:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            organization=organization,
            target_type=Attendance._meta.label,
            target_repr="出欠",
            detail={
                "what": ATTENDANCE_LABEL,
                "filename": filename or "",
                "mapping": mapping.provider_name if mapping is not None else "",
                "as_of": as_of.isoformat() if as_of is not None else "",
                "counts": dict(summary.counts),
            },
        )
    return summary


def _prepare(
    *,
    actor: Actor,
    organization_id: int,
    rows: Sequence[ParsedRow],
    source: str,
    import_job_id: int | None,
    as_of: dt.date | None,
) -> _AttendanceImport:
    """Read everything the rows need in four queries (staff, sessions, members, records)."""
    from hagukumi.people.models import Staff

    codes = {r.values["course_code"] for r in rows}
    staff = {
        number: (pk, name)
        for pk, number, name in Staff.objects.filter(organization_id=organization_id)
        .order_by()
        .values_list("pk", "number", "name")
    }
    sessions: dict[tuple[str, int], list[_SessionRow]] = defaultdict(list)
    if codes:
        for pk, course_id, cohort_id, fiscal_year, code, number, date, hours in (
            Session.objects.filter(organization_id=organization_id, course__code__in=codes)
            .order_by("fiscal_year", "cohort_id", "pk")
            .values_list(
                "pk",
                "course_id",
                "cohort_id",
                "fiscal_year",
                "course__code",
                "number",
                "date",
                "hours",
            )
        ):
            sessions[(code, number)].append(
                _SessionRow(
                    SessionKey(pk, course_id, cohort_id, fiscal_year), code, number, date, hours
                )
            )
    keys = [s.key for found in sessions.values() for s in found]
    members = session_members(keys)
    existing: dict[tuple[int, int], _Existing] = {}
    if keys:
        for pk, staff_id, session_id, status, hours, reason in (
            Attendance.objects.filter(session_id__in=[k.id for k in keys])
            .order_by()
            .values_list("pk", "staff_id", "session_id", "status", "hours", "waived_reason")
        ):
            existing[(staff_id, session_id)] = _Existing(pk, status, hours, reason)
    return _AttendanceImport(
        organization_id=organization_id,
        source=source,
        recorder=actor.audit_username[:150],
        import_job_id=import_job_id,
        as_of=as_of,
        actor=actor,
        staff=staff,
        sessions=dict(sessions),
        members=members,
        existing=existing,
    )


# ------------------------------------------------------------- one statement per write


def _db_values(model: type[Model], obj: Model, names: Sequence[str]) -> list[Any]:
    values = []
    for name in names:
        model_field = model._meta.get_field(name)
        values.append(
            model_field.get_db_prep_save(getattr(obj, model_field.attname), connection)  # type: ignore[union-attr]
        )
    return values


def _insert_many(model: type[Model], objects: list[Any]) -> None:
    """INSERT the objects with one executemany (no primary keys read back).

    bulk_create splits a batch by the database's parameter limit (90 rows of
    attendance on SQLite), so its number of statements grows with the file;
    executemany is one statement however many rows there are.
    """
    if not objects:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objects:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    names = [f.name for f in fields]
    rows = [tuple(_db_values(model, obj, names)) for obj in objects]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            rows,
        )


def _update_many(model: type[Model], objects: list[Any], names: Sequence[str]) -> None:
    """UPDATE `names` (and updated_at) of each object by primary key, one executemany."""
    if not objects:
        return
    now = timezone.now()
    all_names = [*names, "updated_at"]
    for obj in objects:
        obj.updated_at = now
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    assignments = ", ".join(
        f"{ops.quote_name(str(model._meta.get_field(n).column))} = %s"  # type: ignore[union-attr]
        for n in all_names
    )
    pk_column = ops.quote_name(str(model._meta.pk.column))
    rows = [(*_db_values(model, obj, all_names), obj.pk) for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",  # noqa: S608
            rows,
        )


def session_label(session: Session) -> str:
    """「DX001 第2回（令和7年7月10日）」 for messages and pages."""
    when = f"（{format_date(session.date)}）" if session.date else "（日付なし）"
    return f"{session.course.code} 第{session.number}回{when}"


__all__ = [
    "ATTENDANCE_IMPORT_COLUMNS",
    "ATTENDANCE_LABEL",
    "MSG_UNKNOWN_SESSION",
    "MSG_UNKNOWN_STAFF",
    "AttendanceEntry",
    "AttendanceRecorded",
    "attendance_columns",
    "attendance_import",
    "attendance_problems",
    "attendance_record",
    "attendance_set",
    "elearning_complete",
    "session_label",
]
