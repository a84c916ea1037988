"""hagukumi import_staff / import_qualifications / export_staff."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hagukumi.core.models import AuditEvent, ImportJob
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Staff
from hagukumi.people.roster_import import staff_import
from hagukumi.people.tests.conftest import roster_file, roster_row

pytestmark = pytest.mark.django_db


def call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_staff_dry_run_then_real(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_file([roster_row("000001", "𠮷田 一郎")]))
    out, _ = call("import_staff", str(path), "--organization", organization.code, "--dry-run")
    assert "取り込みを試しました（保存していません）: 新規 1件" in out
    assert "行 2 000001 𠮷田 一郎: 新規" in out
    assert not Staff.objects.exists()
    out, _ = call(
        "import_staff", str(path), "--organization", organization.code, "--effective-date", "R8.4.1"
    )
    assert "取り込みが終わりました: 新規 1件" in out
    assert Staff.objects.get().name == "𠮷田 一郎"
    job = ImportJob.objects.get(options__dry_run=False)
    assert (job.status, job.inline, job.counts["new"]) == ("succeeded", True, 1)
    assert path.exists()  # the caller's file is never deleted
    path.write_bytes(roster_file([roster_row("000001", "𠮷田 一郎", unit="0102")]))
    out, _ = call("import_staff", str(path), "--organization", organization.code, "--dry-run")
    assert "行 2 000001 𠮷田 一郎: 変更 所属コード 「0101」 → 「0102」" in out


def test_import_staff_errors_exit_non_zero(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.csv"
    path.write_text("職員番号,氏名,所属コード,職位\r\n000001,甲,9999,主事\r\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call("import_staff", str(path), "--organization", organization.code)
    assert exc.value.returncode == 1
    assert ImportJob.objects.get().status == "failed"
    assert not Staff.objects.exists()


def test_second_cli_run_exits_3(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    # A live job: its worker beats (a running job without a heartbeat is reaped as stale).
    running = ImportJob.objects.create(
        organization=organization,
        kind="people.staff",
        lane="people",
        status="running",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_file([roster_row("000001", "甲")]))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_staff", str(path), "--organization", organization.code, stderr=err)
    assert exc.value.returncode == 3
    expected = f"団体 {organization.code} の職員データ取込が実行中です（ImportJob #{running.pk}）"
    assert str(exc.value) == expected
    assert not Staff.objects.exists()


def test_import_staff_needs_yes_for_a_mass_retirement(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.xlsx"
    rows = [roster_row(f"{i:06d}", f"職員{i}") for i in range(1, 15)]
    path.write_bytes(roster_file(rows))
    call("import_staff", str(path), "--organization", organization.code)
    path.write_bytes(roster_file(rows[:2]))
    args = ("import_staff", str(path), "--organization", organization.code, "--retire-missing")
    out, _ = call(*args, "--dry-run")
    assert "注意: この取込は、ファイルにない職員 12名を退職にします（在職 14名）" in out
    assert "--yes を付けてください" in out
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "ファイルにない職員 12名を退職にする取込です" in err.getvalue()
    assert "--yes" in err.getvalue()
    assert not Staff.objects.filter(retired_on__isnull=False).exists()
    out, _ = call(*args, "--yes")
    assert "退職 12件" in out
    assert Staff.objects.filter(retired_on__isnull=False).count() == 12


def test_import_qualifications(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(roster_file([roster_row("000001", "甲")]))
    call("import_staff", str(roster), "--organization", organization.code)
    path = tmp_path / "q.csv"
    path.write_text(
        '職員番号,資格,取得年月日,受験料\r\n000001,it-passport,令和6年5月1日,"7,500"\r\n',
        encoding="utf-8-sig",
    )
    out, _ = call("import_qualifications", str(path), "--organization", organization.code)
    assert "新規 1件" in out


def test_export_staff(organization, tree, tmp_path):  # type: ignore[no-untyped-def]
    roster = tmp_path / "roster.xlsx"
    roster.write_bytes(
        roster_file(
            [
                roster_row("000001", "髙橋 一郎"),
                roster_row("000002", "山﨑 二郎"),
                roster_row("000003", "=1+1"),
            ]
        )
    )
    call("import_staff", str(roster), "--organization", organization.code)
    target = tmp_path / "out.csv"
    call(
        "export_staff",
        "--organization",
        organization.code,
        "--format",
        "csv",
        "--encoding",
        "cp932",
        "--output",
        str(target),
    )
    text = target.read_bytes().decode("cp932")
    assert "髙橋 一郎" in text
    assert "山﨑 二郎" in text
    assert "'=1+1" in text
    assert "生年月日" in text.splitlines()[0]  # the command line is 人事担当-equivalent
    assert AuditEvent.objects.filter(action="export", actor_username="コマンドライン").exists()
    Staff.objects.filter(number="000003").update(name="𠮷田 三郎")
    bad = tmp_path / "bad.csv"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "export_staff",
            "--organization",
            organization.code,
            "--format",
            "csv",
            "--encoding",
            "cp932",
            "--output",
            str(bad),
            stderr=err,
        )
    assert not bad.exists()
    assert (
        "行 4 列 氏名: 「𠮷」は CP932 で出力できません。UTF-8 (BOM付き) を選んでください"
        in err.getvalue()
    )
    xlsx = tmp_path / "out.xlsx"
    call("export_staff", "--organization", organization.code, "--format", "xlsx", "-o", str(xlsx))
    # The export reads back in: the same staff, unchanged.
    summary = staff_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=xlsx,
        effective_date=dt.date.today(),
    )
    assert summary.unchanged == 3
