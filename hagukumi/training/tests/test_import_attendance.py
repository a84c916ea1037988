"""`hagukumi import_attendance` and job kind training.attendance: upsert, LMS mappings, errors."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagukumi.core.jobs import job_execute, job_kind, job_submit
from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tabular_import import importer_by_key
from hagukumi.core.tenancy import actor_for
from hagukumi.training.import_jobs import ATTENDANCE_KIND, AttendanceImportOptions
from hagukumi.training.models import (
    Attendance,
    AttendanceStatus,
    CourseCompletion,
    RecordSource,
)
from hagukumi.training.services.attendance import attendance_import
from hagukumi.training.tests.factories import LmsColumnMappingFactory
from hagukumi.training.tests.test_attendance_world import World, add_members, build_world, csv_bytes

pytestmark = pytest.mark.django_db
S = AttendanceStatus


@pytest.fixture
def world() -> World:
    return build_world()


def run(world: World, path: Path, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_attendance",
        str(path),
        "--organization",
        world.organization.name,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue() + err.getvalue()


def failing(world: World, path: Path, *extra: str) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_attendance",
            str(path),
            "--organization",
            world.organization.code or world.organization.name,
            *extra,
            stdout=io.StringIO(),
            stderr=err,
        )
    return err.getvalue().splitlines()


def write(tmp_path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    path = tmp_path / "attendance.csv"
    path.write_bytes(csv_bytes(rows, header))
    return path


GOOD = [
    ["000001", "C1", "1", "2025-07-10", "出席", "4"],
    ["000002", "C1", "1", "2025-07-10", "遅刻", "3.5"],
    ["000003", "C1", "1", "", "欠席", ""],
    ["000001", "C2", "1", "", "出席", "1.5"],
]


def test_import_then_reimport_reports_everything_unchanged(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    first = run(world, path)
    assert "出欠の取り込みが終わりました: 新規 4件 / 変更 0件 / 変更なし 0件" in first
    rows = {(a.staff.number, a.session_id): a for a in Attendance.objects.select_related("staff")}
    late = rows[("000002", world.sessions["C1-1"].pk)]
    assert (late.status, late.hours, late.source) == (S.LATE, Decimal("3.5"), RecordSource.IMPORT)
    assert late.import_job_id == ImportJob.objects.get(kind=ATTENDANCE_KIND).pk
    assert rows[("000003", world.sessions["C1-1"].pk)].hours is None
    assert rows[("000001", world.sessions["C2-1"].pk)].hours == Decimal("1.5")

    second = run(world, path)
    assert "新規 0件 / 変更 0件 / 変更なし 4件" in second
    assert Attendance.objects.count() == 4
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 2


def test_a_changed_row_is_reported_with_what_changed(world: World, tmp_path: Path) -> None:
    run(world, write(tmp_path, GOOD))
    changed = [row[:] for row in GOOD]
    changed[1][4], changed[1][5] = "早退", "2"
    output = run(world, write(tmp_path, changed), "--dry-run")
    assert "新規 0件 / 変更 1件 / 変更なし 3件" in output
    assert "行 3 000002" in output
    assert "出欠 「遅刻」 → 「早退」" in output
    assert Attendance.objects.get(
        staff=world.members[1], session=world.sessions["C1-1"]
    ).status == (S.LATE)  # a dry run stores nothing


def test_dry_run_stores_nothing(world: World, tmp_path: Path) -> None:
    output = run(world, write(tmp_path, GOOD), "--dry-run")
    assert "試しました（保存していません）: 新規 4件" in output
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ["999999", "C1", "1", "", "出席", ""],
            "行 3 列 職員番号: 職員番号「999999」の職員は登録されていません",
        ),
        (
            ["000001", "NOPE1", "1", "", "出席", ""],
            "行 3 列 研修コード: 研修コード「NOPE1」の第1回は見つかりません",
        ),
        (
            ["000001", "C1", "7", "", "出席", ""],
            "行 3 列 研修コード: 研修コード「C1」の第7回は見つかりません",
        ),
        # A session of another 団体: the same message as an unknown one.
        (
            ["000001", "OTHER1", "1", "", "出席", ""],
            "行 3 列 研修コード: 研修コード「OTHER1」の第1回は見つかりません",
        ),
        (
            ["000099", "C1", "1", "", "出席", ""],
            "行 3 列 職員番号: 職員番号「000099」の職員は研修コード「C1」の第1回の受講者では"
            "ありません（期・研修に登録されていません）",
        ),
        (
            ["000004", "C1", "1", "", "出席", "1,5"],
            "行 3 列 受講時間: 「1,5」は数値ではありません（小数点は「.」: 1.5）",
        ),
        (
            ["000004", "C1", "1", "", "出席", "4.25"],
            "行 3 列 受講時間: 受講時間 4.25 が研修コード「C1」の第1回の時間数（4時間）を"
            "超えています",
        ),
        (
            ["000004", "C1", "1", "", "出席", "-1"],
            "行 3 列 受講時間: 受講時間 -1 は0以上で入力してください",
        ),
        (
            ["000004", "C1", "1", "2025-07-11", "出席", ""],
            "行 3 列 日付: 日付 2025-07-11 が研修コード「C1」の第1回の日付（2025-07-10）と違います",
        ),
        (
            ["000004", "C1", "1", "", "免除", ""],
            "行 3 列 免除の理由: 免除には理由が必要です",
        ),
        (
            ["000004", "C1", "1", "", "参加", ""],
            "行 3 列 出欠: 「参加」は選べません。次のいずれかを入力してください: "
            "出席、欠席、遅刻、早退、免除",
        ),
    ],
    ids=[
        "unknown-staff",
        "unknown-course",
        "unknown-session",
        "other-organization",
        "not-in-cohort",
        "comma-decimal",
        "over-length",
        "negative",
        "wrong-date",
        "waived-without-reason",
        "bad-status",
    ],
)
def test_a_bad_row_stops_the_file(
    world: World, tmp_path: Path, row: list[str], expected: str
) -> None:
    path = write(tmp_path, [GOOD[0], row])
    lines = failing(world, path)
    assert lines == [expected]
    assert not Attendance.objects.exists()
    job = ImportJob.objects.get(kind=ATTENDANCE_KIND)
    assert job.status == ImportJob.Status.FAILED


def test_duplicate_rows_name_both_row_numbers(world: World, tmp_path: Path) -> None:
    rows = [GOOD[0], GOOD[1], ["000001", "C1", "1", "2025-07-10", "欠席", ""]]
    lines = failing(world, write(tmp_path, rows))
    assert lines == [
        "行 4: 行 2 と 行 4 が同じ職員・同じ回です（職員番号「000001」、研修コード「C1」の第1回）"
    ]
    assert not Attendance.objects.exists()


def test_every_bad_row_is_reported_at_once(world: World, tmp_path: Path) -> None:
    rows = [
        ["999999", "C1", "1", "", "出席", ""],
        GOOD[1],
        ["000004", "C1", "1", "", "出席", "1,5"],
    ]
    lines = failing(world, write(tmp_path, rows))
    assert [line.split(":")[0] for line in lines] == ["行 2 列 職員番号", "行 4 列 受講時間"]


def test_waived_with_its_reason(world: World, tmp_path: Path) -> None:
    header = ["職員番号", "研修コード", "回", "出欠", "免除の理由"]
    run(world, write(tmp_path, [["000004", "C1", "1", "免除", "前年度に受講済み"]], header))
    record = Attendance.objects.get()
    assert (record.status, record.waived_reason, record.hours) == (
        S.WAIVED,
        "前年度に受講済み",
        None,
    )


def test_a_file_without_hours_keeps_the_recorded_hours(world: World, tmp_path: Path) -> None:
    run(world, write(tmp_path, [GOOD[1]]))
    header = ["職員番号", "研修コード", "回", "出欠"]
    output = run(world, write(tmp_path, [["000002", "C1", "1", "遅刻"]], header))
    assert "変更なし 1件" in output
    assert Attendance.objects.get().hours == Decimal("3.5")


def test_a_saved_lms_mapping_reads_a_vendor_export(world: World, tmp_path: Path) -> None:
    LmsColumnMappingFactory(
        organization=world.organization,
        provider_name="まなびLMS",
        header_aliases={
            "staff_number": ["社員番号"],
            "course_code": ["コースID"],
            "session_number": ["単元"],
            "status": ["受講状況"],
            "hours": ["学習時間(h)"],
        },
        status_aliases={"完了": "present", "未受講": "absent"},
    )
    header = ["社員番号", "コースID", "単元", "受講状況", "学習時間(h)"]
    rows = [["000001", "C2", "1", "完了", "3"], ["000002", "C2", "1", "未受講", ""]]
    path = write(tmp_path, rows, header)
    output = run(world, path, "--mapping", "まなびLMS")
    assert "新規 2件" in output
    done = {a.staff.number: a for a in Attendance.objects.select_related("staff")}
    assert done["000001"].status == S.PRESENT
    assert done["000001"].source == RecordSource.LMS
    assert done["000002"].status == S.ABSENT
    # Without the mapping the vendor's headers are not known.
    with pytest.raises(CommandError, match="職員番号"):
        run(world, path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="LMSの列名の対応「なしLMS」は登録されていません"):
        call_command(
            "import_attendance",
            str(path),
            "--organization",
            world.organization.name,
            "--mapping",
            "なしLMS",
            stdout=io.StringIO(),
            stderr=err,
        )


def test_as_of_computes_completions_of_the_runs_the_file_changed(
    world: World, tmp_path: Path
) -> None:
    rows = [
        ["000001", "C1", "1", "2025-07-10", "出席", ""],
        ["000001", "C1", "2", "2025-08-10", "出席", ""],
    ]
    output = run(world, write(tmp_path, rows), "--as-of", "2025-09-01")
    assert "修了 1件" in output
    completion = CourseCompletion.objects.get()
    assert (completion.staff, completion.course, completion.completed_on) == (
        world.members[0],
        world.c1,
        dt.date(2025, 8, 10),
    )
    again = run(world, write(tmp_path, rows), "--as-of", "2025-09-01")
    assert "修了" not in again.split(": ", 1)[1]


def test_the_job_kind_and_the_importer_are_registered() -> None:
    spec = job_kind(ATTENDANCE_KIND)
    assert spec.roles == frozenset({Role.DX_OFFICE})
    assert spec.dry_run_first
    assert spec.options is AttendanceImportOptions
    options = AttendanceImportOptions(
        dry_run=True, mapping_name="まなびLMS", as_of=dt.date(2026, 3, 31)
    )
    assert AttendanceImportOptions.from_json(options.to_json()) == options
    assert dict(options.display_items()) == {
        "LMSの列名の対応": "まなびLMS",
        "修了判定の基準日": "令和8年3月31日（2026-03-31）",
    }
    importer = importer_by_key("training-attendance")
    assert [c.header for c in importer.required_columns()] == [
        "職員番号",
        "研修コード",
        "回",
        "出欠",
    ]
    assert importer.command == "import_attendance"
    assert [c.header for c in importer.column_list()][:6] == [
        "職員番号",
        "研修コード",
        "回",
        "日付",
        "出欠",
        "受講時間",
    ]


def test_a_web_upload_runs_as_its_uploader(world: World, user_with_role) -> None:  # type: ignore[no-untyped-def]
    dx = actor_for(user_with_role(Role.DX_OFFICE, org=world.organization), world.organization.pk)
    job = job_submit(
        actor=dx,
        kind=ATTENDANCE_KIND,
        source=csv_bytes(GOOD),
        filename="attendance.csv",
        options=AttendanceImportOptions(),
    )
    job = job_execute(job)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.options["dry_run"] is True  # the web always tries first
    assert job.counts == {"new": 4}
    assert not Attendance.objects.exists()


def test_a_job_of_another_organization_changes_nothing(world: World, user_with_role) -> None:  # type: ignore[no-untyped-def]
    # The uploader's 団体 is the job's: another 団体's DX推進担当 cannot reach this roster.
    stranger = actor_for(user_with_role(Role.DX_OFFICE, org=world.other), world.other.pk)
    job = job_submit(
        actor=stranger,
        kind=ATTENDANCE_KIND,
        source=csv_bytes(GOOD),
        filename="attendance.csv",
        options=AttendanceImportOptions(),
    )
    job = job_execute(job)
    assert job.status == ImportJob.Status.FAILED
    assert not Attendance.objects.exists()


def _file(people: list[object], hours: str) -> bytes:
    rows = [
        [p.number, "C1", "1", "2025-07-10", "出席", hours]  # type: ignore[attr-defined]
        for p in people
    ]
    return csv_bytes(rows)


def test_query_count_does_not_grow_with_the_file(world: World) -> None:
    """10 rows and 100 rows: the same queries (reads up front, one statement per write)."""
    small = add_members(world, 10, start=200)
    large = add_members(world, 100, start=300)

    def queries(people: list[object], hours: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            attendance_import(
                actor=world.actor,
                organization=world.organization,
                source=_file(people, hours),
                filename="a.csv",
                as_of=dt.date(2025, 9, 1),
            )
        return len(ctx.captured_queries)

    assert queries(small, "4") == queries(large, "4")  # inserts
    assert Attendance.objects.count() == 110
    assert queries(small, "3.5") == queries(large, "3.5")  # updates
    assert set(Attendance.objects.values_list("hours", flat=True)) == {Decimal("3.5")}
    assert queries(small, "3.5") == queries(large, "3.5")  # nothing to write
