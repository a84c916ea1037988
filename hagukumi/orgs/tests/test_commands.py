"""hagukumi find_organization and hagukumi import_units."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.orgs.tests.conftest import TREE_LINES, csv_bytes

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- find_organization -------------------------------------------------------


@pytest.mark.parametrize("text", ["札幌市", "さっぽろ", "ｻｯﾎﾟﾛ", "サッポロ", "011002", "01100"])
def test_find_organization(text: str) -> None:
    out, _ = run("find_organization", text)
    assert out.splitlines()[0] == "011002\t政令指定都市\t北海道札幌市\tサッポロシ"


def test_find_organization_json() -> None:
    out, _ = run("find_organization", "千代田区", "--json")
    assert json.loads(out) == [
        {
            "code": "131016",
            "kind": "special_ward",
            "kind_label": "特別区",
            "name": "千代田区",
            "full_name": "東京都千代田区",
            "name_kana": "チヨダク",
            "prefecture_code": "130001",
            "is_demo": False,
        }
    ]


def test_find_organization_no_match_exits_1() -> None:
    with pytest.raises(CommandError, match="一致する団体はありません") as exc:
        run("find_organization", "架空の村")
    assert exc.value.returncode == 1


def test_find_organization_bad_check_digit() -> None:
    with pytest.raises(CommandError, match="検査数字が正しくありません（正しくは 010006）"):
        run("find_organization", "010007")


# --- import_units ------------------------------------------------------------


@pytest.fixture
def sapporo() -> Organization:
    return Organization.objects.get(code="011002")


def write(tmp_path: Path, data: bytes, name: str = "units.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_units(tmp_path: Path, sapporo: Organization) -> None:
    path = write(tmp_path, csv_bytes(*TREE_LINES))
    out, err = run("import_units", path, "--organization", "011002", "--fiscal-year", "2026")
    assert "新規 5件 / 変更 0件 / 変更なし 0件 / 廃止 0件" in out
    assert "令和8年度 (2026)" in out
    assert err == ""
    assert len(units_as_of(organization=sapporo, fiscal_year=2026)) == 5


def test_import_units_dry_run(tmp_path: Path, sapporo: Organization) -> None:
    path = write(tmp_path, csv_bytes(*TREE_LINES))
    out, _ = run(
        "import_units", path, "--organization", "01100", "--fiscal-year", "R8", "--dry-run"
    )
    assert "新規 5件 / 変更 0件 / 変更なし 0件 / 廃止 0件" in out
    assert "行 3 0101 人事課: 新規" in out
    assert not Unit.objects.filter(organization=sapporo).exists()


def test_import_units_default_year_is_the_current_one(
    tmp_path: Path, sapporo: Organization
) -> None:
    from django.utils import timezone

    from hagukumi.core.wareki import fiscal_year_of

    run("import_units", write(tmp_path, csv_bytes("01,総務部,,部,")), "--organization", "011002")
    assert Unit.objects.get(organization=sapporo).valid_from_fy == fiscal_year_of(
        timezone.localdate()
    )


def test_import_units_errors_go_to_stderr(tmp_path: Path, sapporo: Organization) -> None:
    path = write(tmp_path, csv_bytes("01,総務部,,部,", "01,企画部,,部,", "02,市民部,77,部,"))
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_units", path, "--organization", "011002", stdout=StringIO(), stderr=err
        )
    assert exc.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "行 3 列 所属コード: 所属コード「01」が重複しています（行 2 と行 3）。",
        "行 4 列 上位所属コード: 上位所属コード「77」の所属がファイルにありません。",
    ]
    assert not Unit.objects.filter(organization=sapporo).exists()


def test_import_units_invalid_organization_code(tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes(*TREE_LINES))
    with pytest.raises(
        CommandError, match="団体コード 011003 の検査数字が正しくありません（正しくは 011002）"
    ):
        run("import_units", path, "--organization", "011003")
    assert not Unit.objects.exists()


def test_import_units_unknown_organization(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="登録されていません"):
        run("import_units", write(tmp_path, csv_bytes(*TREE_LINES)), "--organization", "990001")


def test_import_units_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="見つかりません"):
        run("import_units", str(tmp_path / "none.csv"), "--organization", "011002")


def test_import_units_bad_fiscal_year(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="年度"):
        run(
            "import_units",
            write(tmp_path, csv_bytes(*TREE_LINES)),
            "--organization",
            "011002",
            "--fiscal-year",
            "来年",
        )


def test_import_units_versioning_across_years(tmp_path: Path, sapporo: Organization) -> None:
    run(
        "import_units",
        write(tmp_path, csv_bytes(*TREE_LINES)),
        "--organization",
        "011002",
        "--fiscal-year",
        "2026",
    )
    renamed = [line.replace("デジタル推進課", "DX推進課") for line in TREE_LINES]
    out, _ = run(
        "import_units",
        write(tmp_path, csv_bytes(*renamed), "v2.csv"),
        "--organization",
        "011002",
        "--fiscal-year",
        "2027",
    )
    assert "新規 0件 / 変更 1件 / 変更なし 4件 / 廃止 0件" in out
    assert (
        units_as_of(organization=sapporo, fiscal_year=2026).node("0201").unit.name
        == "デジタル推進課"
    )
    assert units_as_of(organization=sapporo, fiscal_year=2027).node("0201").unit.name == "DX推進課"


def test_import_units_names_the_organization(tmp_path: Path) -> None:
    """--organization takes a unique name too: the demo 団体 has no code (issue #11 §6)."""
    from hagukumi.orgs import demo

    demo.load()
    org = demo.demo_organization()
    path = write(tmp_path, csv_bytes(*TREE_LINES))
    out, _ = run(
        "import_units", path, "--organization", "デモ市", "--fiscal-year", "2030", "--dry-run"
    )
    assert out.startswith("北海道デモ市（デモ） 令和12年度 (2030) の所属: 確認のみ")
    assert "廃止 74件" in out  # the demo tree (80 units) against a file of 5
    assert org is not None
    assert not Unit.objects.filter(organization=org, valid_from_fy=2030).exists()


def test_import_units_by_name_writes_as_the_command_line(
    tmp_path: Path, sapporo: Organization
) -> None:
    from hagukumi.core.models import AuditEvent
    from hagukumi.core.tenancy import COMMAND_LINE_LABEL

    run("import_units", write(tmp_path, csv_bytes(*TREE_LINES)), "--organization", "札幌市")
    assert len(units_as_of(organization=sapporo, fiscal_year=_this_year())) == 5
    event = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).latest("id")
    assert (event.actor_id, event.actor_username, event.organization_id) == (
        None,
        COMMAND_LINE_LABEL,
        sapporo.pk,
    )


def test_import_units_ambiguous_name_lists_the_candidates(tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes(*TREE_LINES))
    with pytest.raises(CommandError) as exc:
        run("import_units", path, "--organization", "府中市")
    message = str(exc.value)
    assert "「府中市」に当てはまる団体が2件あります" in message
    assert "東京都府中市" in message
    assert "広島県府中市" in message
    assert "団体コードで指定してください" in message
    assert not Unit.objects.exists()


def _this_year() -> int:
    from django.utils import timezone

    from hagukumi.core.wareki import fiscal_year_of

    return fiscal_year_of(timezone.localdate())


def test_import_units_needs_yes_for_a_mass_closure(tmp_path: Path, sapporo: Organization) -> None:
    lines = [f"{i:02d},部{i},,部," for i in range(1, 15)]
    run("import_units", write(tmp_path, csv_bytes(*lines)), "--organization", "011002")
    args = ("import_units", write(tmp_path, csv_bytes(*lines[:2])), "--organization", "011002")
    out, _ = run(*args, "--dry-run")
    assert "廃止 12件" in out
    assert "03 部3: 廃止" in out
    assert "注意: この取込は、ファイルにない所属 12件を廃止します（この年度の所属 14件）" in out
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "ファイルにない所属 12件を廃止する取込です" in err.getvalue()
    assert "--yes" in err.getvalue()
    assert len(units_as_of(organization=sapporo, fiscal_year=_current_fy())) == 14
    out, _ = run(*args, "--yes")
    assert "廃止 12件" in out
    assert len(units_as_of(organization=sapporo, fiscal_year=_current_fy())) == 2


def _current_fy() -> int:
    from django.utils import timezone

    from hagukumi.core.wareki import fiscal_year_of

    return fiscal_year_of(timezone.localdate())
