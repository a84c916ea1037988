"""staff_import / qualifications_import: upserts, 異動歴, and every bad input of issue [職員]."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tenancy import Actor
from hagukumi.people.models import Assignment, Staff, StaffQualification
from hagukumi.people.roster_import import (
    mass_retirement,
    mass_retirement_of,
    qualifications_import,
    staff_import,
)
from hagukumi.people.selectors import staff_as_of
from hagukumi.people.tests.conftest import roster_file, roster_row

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 4, 1)


def run(organization, data, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("effective_date", DAY)
    return staff_import(
        actor=Actor.command_line(organization), organization=organization, source=data, **kw
    )


def errors_of(exc: pytest.ExceptionInfo[TabularImportError]) -> list[str]:
    return [str(e) for e in exc.value.errors] or [exc.value.message]


def test_new_then_unchanged_then_changed(organization, tree):  # type: ignore[no-untyped-def]
    data = roster_file([roster_row("000001", "山田 太郎"), roster_row("000002", "佐藤 花子")])
    summary = run(organization, data)
    assert (summary.new, summary.changed, summary.unchanged) == (2, 0, 0)
    assert Assignment.objects.filter(starts_on=DAY).count() == 2
    assert run(organization, data).unchanged == 2
    moved = roster_file(
        [
            roster_row("000001", "山田 太郎", unit="0102", position="主任"),
            roster_row("000002", "佐藤 花子"),
        ]
    )
    summary = run(organization, moved, dry_run=True)
    assert summary.changed == 1
    change = next(d for d in summary.details if d.kind == "changed")
    assert change.changes["unit_code"] == ("0101", "0102")
    assert change.changes["position"] == ("主事", "主任")
    assert Staff.objects.get(number="000001").unit.code == "0101"  # dry run wrote nothing
    run(organization, moved, effective_date=dt.date(2026, 10, 1))
    history = list(Assignment.objects.filter(staff__number="000001").order_by("starts_on"))
    assert [(a.unit.code, a.starts_on, a.ends_on) for a in history] == [
        ("0101", DAY, dt.date(2026, 9, 30)),
        ("0102", dt.date(2026, 10, 1), None),
    ]


def test_effective_date_in_future_dates_the_move(organization, tree, settings):  # type: ignore[no-untyped-def]
    """--effective-date 2026-04-01 run on 2026-03-25: old unit as of 03-31, new from 04-01."""
    run(
        organization,
        roster_file([roster_row("000001", "山田 太郎")]),
        effective_date=dt.date(2025, 4, 1),
    )
    run(
        organization,
        roster_file([roster_row("000001", "山田 太郎", unit="0201")]),
        effective_date=dt.date(2026, 4, 1),
    )
    on_31 = staff_as_of(organization=organization, on=dt.date(2026, 3, 31))
    on_01 = staff_as_of(organization=organization, on=dt.date(2026, 4, 1))
    assert [s.unit.code for s in on_31] == ["0101"]
    assert [s.unit.code for s in on_01] == ["0201"]


def test_retire_missing(organization, tree):  # type: ignore[no-untyped-def]
    run(organization, roster_file([roster_row("000001", "甲"), roster_row("000002", "乙")]))
    only_one = roster_file([roster_row("000001", "甲")])
    summary = run(organization, only_one, effective_date=dt.date(2027, 4, 1))
    assert summary.counts.get("retiring") == 0
    assert Staff.objects.get(number="000002").retired_on is None
    summary = run(organization, only_one, effective_date=dt.date(2027, 4, 1), retire_missing=True)
    assert summary.counts["retiring"] == 1
    retired = Staff.objects.get(number="000002")
    assert retired.retired_on == dt.date(2027, 3, 31)
    assert retired.assignments.get().ends_on == dt.date(2027, 3, 31)


def test_a_mass_retirement_needs_confirmation(organization, tree):  # type: ignore[no-untyped-def]
    """A 3-row roster with 「退職にする」 must not retire everyone else by one click."""
    rows = [roster_row(f"{i:06d}", f"職員{i}") for i in range(1, 15)]
    run(organization, roster_file(rows))
    three = roster_file(rows[:3])
    dry = run(organization, three, retire_missing=True, dry_run=True)
    assert dry.counts["retiring"] == 11
    mass = mass_retirement_of(dry.counts, organization=organization)
    assert mass is not None
    assert (mass.retiring, mass.in_post) == (11, 14)
    assert mass.acknowledge == "11名を退職にすることを確認しました"
    with pytest.raises(TabularImportError) as exc:
        run(organization, three, retire_missing=True)
    assert any("ファイルにない職員 11名を退職にする取込です" in e for e in errors_of(exc))
    assert not Staff.objects.filter(retired_on__isnull=False).exists()
    run(organization, three, retire_missing=True, mass_retirement_confirmed=True)
    assert Staff.objects.filter(retired_on__isnull=False).count() == 11


def test_a_few_retirements_need_no_confirmation(organization, tree):  # type: ignore[no-untyped-def]
    assert mass_retirement(retiring=10, in_post=11) is None  # not more than MASS_CHANGE_MIN
    assert mass_retirement(retiring=150, in_post=2000) is None  # routine yearly turnover
    assert mass_retirement(retiring=2000, in_post=2003) is not None


def test_names_round_trip_xlsx_and_csv(organization, tree):  # type: ignore[no-untyped-def]
    names = ["𠮷田 一郎", "髙橋 二郎", "山﨑 三郎"]
    rows = [roster_row(f"00000{i}", n) for i, n in enumerate(names, start=1)]
    run(organization, roster_file(rows))
    assert list(Staff.objects.order_by("number").values_list("name", flat=True)) == names
    Staff.objects.all().delete()
    run(organization, roster_file(rows, format="csv"))
    assert list(Staff.objects.order_by("number").values_list("name", flat=True)) == names


def test_cp932_file_with_hashigo_taka_and_tatsusaki(organization, tree):  # type: ignore[no-untyped-def]
    header = "職員番号,氏名,所属コード,職位\r\n"
    body = "000123,髙橋 一郎,0101,主事\r\n000124,山﨑 二郎,0101,主事\r\n"
    data = (header + body).encode("cp932")
    assert b"\xee\xe0" in data
    assert b"\xed\x95" in data
    run(organization, data, filename="roster.csv")
    assert Staff.objects.get(number="000123").name == "髙橋 一郎"
    assert Staff.objects.get(number="000124").name == "山﨑 二郎"


def test_kana_is_normalised_or_refused(organization, tree):  # type: ignore[no-untyped-def]
    rows = [
        roster_row("000001", "山田 太郎", name_kana="ﾔﾏﾀﾞ ﾀﾛｳ"),
        roster_row("000002", "山田 花子", name_kana="やまだ　はなこ"),
    ]
    run(organization, roster_file(rows))
    assert Staff.objects.get(number="000001").name_kana == "ヤマダ\u3000タロウ"
    assert Staff.objects.get(number="000002").name_kana == "ヤマダ\u3000ハナコ"
    bad = roster_file(
        [roster_row("000003", "x", name_kana="山田"), roster_row("000004", "y", name_kana="Yamada")]
    )
    with pytest.raises(TabularImportError) as exc:
        run(organization, bad)
    lines = errors_of(exc)
    assert any(
        line.startswith("行 2 列 氏名カナ: カナ以外の文字（漢字「山田」）") for line in lines
    )
    assert any(line.startswith("行 3 列 氏名カナ: カナ以外の文字（英字") for line in lines)


def test_leading_zeros_stay_text_and_near_duplicates_refused(organization, tree):  # type: ignore[no-untyped-def]
    csv = "職員番号,氏名,所属コード,職位\r\n000123,甲,0101,主事\r\n".encode("utf-8-sig")
    run(organization, csv, filename="a.csv")
    run(
        organization,
        "職員番号,氏名,所属コード,職位\r\n000124,乙,0101,主事\r\n".encode("cp932"),
        filename="b.csv",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["職員番号", "氏名", "所属コード", "職位"])
    sheet.append([125, "丙", "0101", "主事"])
    sheet["A2"].number_format = "000000"
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    run(organization, buffer.getvalue())
    assert set(Staff.objects.values_list("number", flat=True)) == {"000123", "000124", "000125"}
    with pytest.raises(TabularImportError) as exc:
        run(
            organization,
            "職員番号,氏名,所属コード,職位\r\n123,丁,0101,主事\r\n".encode(),
            filename="c.csv",
        )
    assert errors_of(exc) == [
        "行 2 列 職員番号: 000123 と先頭の0だけが違います。先頭の0が落ちていませんか（000123）"
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("R2.4.1", dt.date(2020, 4, 1)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("43586", dt.date(2019, 5, 1)),
    ],
)
def test_wareki_dates(organization, tree, written, expected):  # type: ignore[no-untyped-def]
    data = f"職員番号,氏名,所属コード,職位,採用年月日\r\n000001,甲,0101,主事,{written}\r\n".encode()
    run(organization, data, filename="a.csv")
    assert Staff.objects.get().hired_on == expected


def test_serial_date_cell_in_xlsx(organization, tree):  # type: ignore[no-untyped-def]
    import io

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["職員番号", "氏名", "所属コード", "職位", "生年月日"])
    sheet.append(["000001", "甲", "0101", "主事", 43586])
    buffer = io.BytesIO()
    book.save(buffer)
    run(organization, buffer.getvalue())
    assert Staff.objects.get().birth_date == dt.date(2019, 5, 1)


def test_bad_rows_are_all_reported_and_nothing_written(organization, tree):  # type: ignore[no-untyped-def]
    header = (
        "職員番号,氏名,所属コード,職位,任用形態,任期満了日,採用年月日,キャリアモデル,特定部門\r\n"
    )
    rows = [
        "000001,甲,0101,主事,正規,,平成31年5月1日,,",
        "000002,乙,0101,主事,正規,,令和元年4月30日,,",
        "000003,丙,0101,主事,任期付,,,,",
        "000004,丁,9999,主事,正規,,,,",
        "000005,戊,0101,社長,正規,,,,",
        "000005,己,0101,主事,正規,,,,",
        "000007,庚,0101,主事,正規,,,特定部門エキスパート,",
        "000008,辛,0101,主事,正規,,,特定部門エキスパート,企画・計画",
    ]
    data = (header + "\r\n".join(rows) + "\r\n").encode()
    with pytest.raises(TabularImportError) as exc:
        run(organization, data, filename="a.csv")
    lines = errors_of(exc)
    assert any(
        line.startswith("行 2 列 採用年月日: 平成31年5月1日 は存在しません") for line in lines
    )
    assert any(
        line.startswith("行 3 列 採用年月日: 令和元年4月30日 は存在しません") for line in lines
    )
    assert "行 4 列 任期満了日: 任用形態が「任期付」の場合は必須です" in lines
    assert any(line.startswith("行 5 列 所属コード: 所属コード「9999」は") for line in lines)
    assert any(line.startswith("行 6 列 職位: 「社長」は選べません") for line in lines)
    assert "行 7 列 職員番号: 「000005」は行 6 と重複しています" in lines
    assert any(line.startswith("行 8 列 特定部門:") for line in lines)
    assert len(lines) == 7
    assert not Staff.objects.exists()


def test_empty_header_only_and_too_big(organization, tree, settings):  # type: ignore[no-untyped-def]
    with pytest.raises(TabularImportError, match="ファイルが空です"):
        run(organization, b"", filename="a.csv")
    with pytest.raises(TabularImportError, match="見出し行だけ"):
        run(organization, "職員番号,氏名,所属コード,職位\r\n".encode(), filename="a.csv")
    big = b"x" * (21 * 1024 * 1024)
    with pytest.raises(TabularImportError, match="ファイルが大きすぎます（21 MB）。上限は 20 MB"):
        run(organization, big, filename="a.csv")
    assert not Staff.objects.exists()


def test_unit_must_exist_in_that_fiscal_year(organization, tree):  # type: ignore[no-untyped-def]
    tree["0201"].valid_from_fy = 2027
    tree["0201"].save()
    with pytest.raises(TabularImportError) as exc:
        run(organization, roster_file([roster_row("000001", "甲", unit="0201")]))
    assert errors_of(exc) == [
        "行 2 列 所属コード: 所属コード「0201」は令和8年度 (2026)の組織にありません"
    ]
    run(
        organization,
        roster_file([roster_row("000001", "甲", unit="0201")]),
        effective_date=dt.date(2027, 4, 1),
    )


def test_requires_hr_role(organization, tree, actor_of):  # type: ignore[no-untyped-def]
    from hagukumi.core.errors import AccessDenied
    from hagukumi.core.models import Role

    with pytest.raises(AccessDenied):
        staff_import(
            actor=actor_of(Role.DX_OFFICE),
            organization=organization,
            source=roster_file([roster_row("000001", "甲")]),
            effective_date=DAY,
        )
    summary = staff_import(
        actor=actor_of(Role.HR),
        organization=organization,
        source=roster_file([roster_row("000001", "甲")]),
        effective_date=DAY,
    )
    assert summary.new == 1


def test_qualifications_import(organization, tree):  # type: ignore[no-untyped-def]
    run(organization, roster_file([roster_row("000001", "甲"), roster_row("000002", "乙")]))
    header = "職員番号,資格,取得年月日,受験料,講座受講料,テキスト代,交通費\r\n"
    good = (
        header
        + '000001,ITパスポート,R6.5.1,"7,500",10000,,\r\n000002,sg,2024-06-01,7500,,1980,1200\r\n'
    )
    summary = qualifications_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=good.encode(),
        filename="q.csv",
    )
    assert summary.new == 2
    record = StaffQualification.objects.get(staff__number="000001")
    assert (record.exam_fee, record.course_fee, record.obtained_on) == (
        7500,
        10000,
        dt.date(2024, 5, 1),
    )
    again = qualifications_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=good.encode(),
        filename="q.csv",
    )
    assert again.unchanged == 2
    bad = (
        header
        + "000001,ITパスポート,R6.5.1,7500.5,,,\r\n"
        + "000009,ITパスポート,R6.5.1,,,,\r\n"
        + "000001,ITスキル標準,R6.5.1,,,,\r\n"
    )
    with pytest.raises(TabularImportError) as exc:
        qualifications_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=bad.encode(),
            filename="q.csv",
        )
    lines = errors_of(exc)
    assert "行 2 列 受験料: 小数は入力できません" in lines
    assert "行 3 列 職員番号: 職員番号「000009」の職員は登録されていません" in lines
    assert any("スキル標準" in line for line in lines)
