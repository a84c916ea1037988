"""import_cases: one transaction and one line per file, failures reported, exit code."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hagukumi.cases.models import Case, Visibility
from hagukumi.cases.services import case_import_file, case_import_paths
from hagukumi.cases.tests.conftest import SEEDS
from hagukumi.cases.tests.documents_factory import (
    docx_bytes,
    image_only_pdf,
    text_pdf,
    xlsx_bytes,
    zip_bomb,
)
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import COMMAND_LINE_LABEL, Actor, actor_for
from hagukumi.orgs.models import Organization

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_cases", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return out.getvalue(), err.getvalue(), 1
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    """Two good files of each kind we read, and every kind of broken file."""
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(SEEDS / "003_7c1bdbfa22e4fb34.txt", folder / "003.txt")
    (folder / "kakegawa.md").write_text(
        "---\ncase_no: K-1\ntitle: 掛川市のスキルマップ\norg_name: 掛川市\nfiscal_year: R5\n---\n"
        "全職員の3割が受講した。\n",
        encoding="utf-8",
    )
    (folder / "kitakyushu.pdf").write_bytes(
        text_pdf(["北九州市のDX人材", "3年間で2400名を育成する。"])
    )
    (folder / "aomori.docx").write_bytes(
        docx_bytes(title="青森県のDX推進員", paragraphs=["毎年200名を育成する。"])
    )
    (folder / "list.xlsx").write_bytes(
        xlsx_bytes(
            [["事例No.", "タイトル", "団体名", "本文"], ["X-1", "一覧の事例", "滋賀県", "本文"]]
        )
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.md").write_bytes(b"\x00\xff\x10" * 100)
    (folder / "bomb.docx").write_bytes(zip_bomb(name="word/document.xml"))
    (folder / "scan.pdf").write_bytes(image_only_pdf())
    (folder / "secret.pdf").write_bytes(text_pdf(["秘密"], encrypted=True))
    (folder / "notes.csv").write_text("ignored: not a case format", encoding="utf-8")
    return folder


def test_directory_import_reports_each_file_and_fails_at_the_end(mixed_dir: Path) -> None:
    out, err, code = _run(str(mixed_dir))
    assert code == 1
    assert "5 件のファイルを取り込めませんでした" in err
    for name in ("003.txt", "kakegawa.md", "kitakyushu.pdf", "aomori.docx", "list.xlsx"):
        assert f"登録: {name}" in out, out
    assert "失敗: empty.txt: ファイルが空です。" in err
    assert "失敗: garbage.md: テキストファイルではありません" in err
    assert "失敗: bomb.docx:" in err
    assert "zip 爆弾" in err
    assert "失敗: scan.pdf:" in err
    assert "画像だけの PDF" in err
    assert "失敗: secret.pdf:" in err
    assert "パスワード" in err
    assert "notes.csv" not in out + err  # not a case format: not picked from a folder
    assert "合計: 登録 5件 / 更新 0件 / 変更なし 0件 / 失敗 5件" in out
    assert Case.objects.count() == 5
    pdf_case = Case.objects.get(source_file="kitakyushu.pdf")
    assert pdf_case.organization is not None
    assert pdf_case.organization.code == "401005"
    assert pdf_case.facts.filter(kind="people", value=2400).exists()
    assert Case.objects.get(case_no="K-1").fiscal_year == 2023
    assert Case.objects.get(source_file="aomori.docx").facts.filter(per_year=True).exists()

    # Second run: every good file is unchanged, the broken ones still fail.
    out, err, code = _run(str(mixed_dir))
    assert code == 1
    assert "合計: 登録 0件 / 更新 0件 / 変更なし 5件 / 失敗 5件" in out
    assert Case.objects.count() == 5


def test_all_good_files_exit_zero(tmp_path: Path) -> None:
    out, err, code = _run(str(SEEDS / "000_ed3477084cc589e5.txt"))
    assert code == 0, err
    assert (
        out.splitlines()[0]
        == "登録: 000_ed3477084cc589e5.txt「北海道職員のデジタル人材育成に関する計画」"
    )


def test_missing_path_is_reported(tmp_path: Path) -> None:
    _out, err, code = _run(str(tmp_path / "nothing.txt"))
    assert code == 1
    assert "ファイルが見つかりません" in err


def test_dry_run_stores_nothing() -> None:
    out, _err, code = _run(str(SEEDS), "--dry-run")
    assert code == 0
    assert "（試行）登録: 000_ed3477084cc589e5.txt" in out
    assert "保存していません" in out
    assert Case.objects.count() == 0


def test_update_by_case_no_and_by_source_file(tmp_path: Path) -> None:
    path = tmp_path / "case.md"
    path.write_text("---\ncase_no: 77\ntitle: 旧タイトル\n---\n本文1\n", encoding="utf-8")
    assert "登録: case.md" in _run(str(path))[0]
    path.write_text("---\ncase_no: 77\ntitle: 新タイトル\n---\n本文2\n", encoding="utf-8")
    assert "更新: case.md「新タイトル」" in _run(str(path))[0]
    # Same 事例No. from another file: the same case, updated.
    other = tmp_path / "renamed.md"
    other.write_text("---\ncase_no: 77\ntitle: 別ファイル\n---\n本文3\n", encoding="utf-8")
    assert "更新: renamed.md" in _run(str(other))[0]
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert (case.title, case.body, case.source_file) == ("別ファイル", "本文3", "renamed.md")
    # No 事例No.: the same source file is the same case.
    plain = tmp_path / "plain.txt"
    plain.write_text("札幌市の取組\n\n本文A\n", encoding="utf-8")
    _run(str(plain))
    plain.write_text("札幌市の取組（改訂）\n\n本文B\n", encoding="utf-8")
    assert "更新: plain.txt「札幌市の取組（改訂）」" in _run(str(plain))[0]
    assert Case.objects.count() == 2


def test_broken_update_keeps_the_stored_version(tmp_path: Path) -> None:
    path = tmp_path / "case.md"
    path.write_text("---\ncase_no: 5\ntitle: 元\n---\n本文\n", encoding="utf-8")
    _run(str(path))
    path.write_text(
        "---\ncase_no: 5\ntitle: 壊れた\nfiscal_year: 来年\n---\n本文\n", encoding="utf-8"
    )
    _out, err, code = _run(str(path))
    assert code == 1
    assert "公表年度「来年」" in err
    assert Case.objects.get().title == "元"


def test_organization_visibility_needs_an_organization(tmp_path: Path) -> None:
    _out, err, code = _run(str(SEEDS), "--visibility", "団体内")
    assert code == 1
    assert "--organization" in err
    _out, err, code = _run(str(SEEDS), "--visibility", "秘密")
    assert code == 1
    assert "公開範囲「秘密」" in err


def test_organization_is_named_by_code_or_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text("---\ntitle: 自団体の事例\n---\n本文\n", encoding="utf-8")
    _out, err, code = _run(str(path), "--visibility", "団体内", "--organization", "札幌市")
    assert code == 0, err
    mine = Case.objects.get(visibility=Visibility.ORGANIZATION)
    assert mine.owner is not None
    assert mine.owner.code == "011002"
    event = AuditEvent.objects.get(target_type="cases.Case", target_id=str(mine.pk))
    assert (event.actor_username, event.organization_name) == (COMMAND_LINE_LABEL, "札幌市")
    _out, err, code = _run(str(path), "--visibility", "団体内", "--organization", "ない市")
    assert code == 1
    assert "「ない市」という名前の団体は登録されていません" in err


def test_organization_cases_are_scoped_to_their_owner(tmp_path: Path) -> None:
    path = tmp_path / "mine.md"
    path.write_text("---\ncase_no: 1627\ntitle: 自団体の事例\n---\n本文\n", encoding="utf-8")
    _run(str(SEEDS / "000_ed3477084cc589e5.txt"))
    out, err, code = _run(str(path), "--visibility", "団体内", "--organization", "011002")
    assert code == 0, err
    assert "登録: mine.md" in out  # same 事例No. as a public case, but another scope
    mine = Case.objects.get(visibility=Visibility.ORGANIZATION)
    assert mine.owner is not None
    assert mine.owner.code == "011002"
    assert Case.objects.filter(case_no="1627").count() == 2


def test_invalid_url_is_reported_with_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text(
        "---\ntitle: URL が壊れている\nurl: javascript:alert(1)\n---\n本文\n", encoding="utf-8"
    )
    _out, err, code = _run(str(path))
    assert code == 1
    assert "失敗: bad.md: URL:" in err
    assert not Case.objects.exists()


def test_import_is_audited() -> None:
    report = case_import_paths(actor=Actor.system(), paths=[SEEDS / "003_7c1bdbfa22e4fb34.txt"])
    case_id = report.files[0].cases[0].case_id
    event = AuditEvent.objects.get(target_type="cases.Case", target_id=str(case_id))
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor_username == COMMAND_LINE_LABEL
    assert event.organization_id is None


def test_service_refuses_organization_scope_without_owner() -> None:
    with pytest.raises(ApplicationError):
        case_import_file(
            actor=Actor.system(), data=b"x", filename="a.txt", visibility=Visibility.ORGANIZATION
        )


def test_only_importers_may_import(user_with_role) -> None:  # type: ignore[no-untyped-def]
    """No actor, or a web user without DX推進担当/システム管理者: AccessDenied, nothing stored."""
    for actor in (None, actor_for(user_with_role(Role.STAFF)), actor_for(user_with_role(Role.HR))):
        with pytest.raises(AccessDenied):
            case_import_file(actor=actor, data=b"# t\n\nbody\n", filename="a.md")
        with pytest.raises(AccessDenied):
            case_import_paths(actor=actor, paths=[SEEDS / "003_7c1bdbfa22e4fb34.txt"])
    assert not Case.objects.exists()
    web = actor_for(user_with_role(Role.DX_OFFICE))
    outcome = case_import_file(actor=web, data=b"# t\n\nbody\n", filename="a.md")
    assert not outcome.failed, outcome.error
    assert Case.objects.get().owner == web.organization


def test_html_in_bodies_is_stored_as_imported(tmp_path: Path) -> None:
    outcome = case_import_file(
        actor=Actor.command_line(Organization.objects.get(code="010006")),
        data="題名\n\n<p>段落</p><script>alert(1)</script>\n".encode(),
        filename="html.txt",
    )
    case = Case.objects.get(pk=outcome.cases[0].case_id)
    assert "<script>alert(1)</script>" in case.body  # stored as imported; escaped on display


def test_migration_rebuilds_facts_of_cases_imported_before(
    seeded: dict[str, Case],
) -> None:
    """Cases imported before the extraction fixes (issue #14) get their figures re-read."""
    from importlib import import_module

    from django.apps import apps

    from hagukumi.cases.models import CaseFact, FactKind

    migration = import_module("hagukumi.cases.migrations.0005_refresh_case_facts")
    guidebook = seeded["001"]
    CaseFact.objects.create(
        case=guidebook, kind=FactKind.PEOPLE, value=3600, unit="人", sentence="職員約3,600人"
    )
    migration.refresh_facts(apps, None)
    assert not guidebook.facts.filter(value=3600).exists()
    hundred = guidebook.facts.get(value=100, unit="名", sentence__contains="毎年20名")
    assert hundred.per_year is False
    assert guidebook.facts.filter(value=20, per_year=True).exists()
