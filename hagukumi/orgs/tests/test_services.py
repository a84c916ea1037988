"""Writes: unit create / update / close with FY versioning and permissions; the import."""

from __future__ import annotations

import pytest

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_import import TabularImportError
from hagukumi.core.tenancy import COMMAND_LINE_LABEL, Actor, actor_for
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.orgs.services import (
    parse_functions,
    unit_close,
    unit_create,
    unit_update,
    units_import,
)
from hagukumi.orgs.tests.conftest import FY, TREE_LINES, csv_bytes, make_tree, xlsx_bytes
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def snapshot(organization: Organization) -> list[tuple[object, ...]]:
    return list(
        Unit.objects.filter(organization=organization)
        .order_by("code", "valid_from_fy")
        .values_list(
            "code", "name", "kind", "functions", "parent__code", "valid_from_fy", "valid_to_fy"
        )
    )


def import_csv(
    organization: Organization, *lines: str, fiscal_year: int = FY, dry_run: bool = False, **kw
):  # type: ignore[no-untyped-def]
    return units_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=csv_bytes(*lines, **kw),
        filename="units.csv",
        fiscal_year=fiscal_year,
        dry_run=dry_run,
        progress=False,
    )


def error_lines(exc: pytest.ExceptionInfo[TabularImportError]) -> list[str]:
    return [str(e) for e in exc.value.errors]


# --- values --------------------------------------------------------------------


def test_parse_functions() -> None:
    assert parse_functions("情報政策、人事, 研修，広報・広聴、人事") == [
        "情報政策",
        "人事",
        "研修",
        "広報・広聴",
    ]
    assert parse_functions("") == []
    assert parse_functions(["ＤＸ推進", " 人事 "]) == ["DX推進", "人事"]


# --- permissions ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.HR, Role.DX_OFFICE, Role.SYSTEM_ADMIN])
def test_editor_roles_may_create(organization: Organization, user_with_role, role: str) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(user_with_role(role))
    unit = unit_create(
        actor=actor, organization=organization, fiscal_year=FY, code="9", name="新設課"
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(unit.pk))
    assert event.actor_id == actor.user.pk
    assert event.organization_id == organization.pk


@pytest.mark.parametrize("role", [Role.STAFF, Role.UNIT_HEAD, Role.PREFECTURE_SUPPORT])
def test_other_roles_may_not_edit(
    organization: Organization, tree, user_with_role, role: str
) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(user_with_role(role))
    with pytest.raises(AccessDenied):
        unit_create(actor=actor, organization=organization, fiscal_year=FY, code="9", name="x")
    with pytest.raises(AccessDenied):
        unit_close(actor=actor, unit=tree["010101"], fiscal_year=FY)
    with pytest.raises(AccessDenied):
        units_import(
            actor=actor, organization=organization, source=csv_bytes(*TREE_LINES), fiscal_year=FY
        )


def test_editor_of_another_organization_may_not_edit(
    organization: Organization, tree, user_with_role
) -> None:  # type: ignore[no-untyped-def]
    stranger = actor_for(user_with_role(Role.HR, org=OrganizationFactory()))
    with pytest.raises(AccessDenied):
        unit_update(
            actor=stranger,
            unit=tree["01"],
            fiscal_year=FY,
            name="乗っ取り部",
            kind="部",
            functions=[],
            parent=None,
        )
    assert Unit.objects.get(pk=tree["01"].pk).name == "総務部"


def test_command_line_writes_are_audited_as_such(organization: Organization) -> None:
    unit_create(
        actor=Actor.command_line(organization),
        organization=organization,
        fiscal_year=FY,
        code="9",
        name="新設課",
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).latest("id")
    assert (event.actor_id, event.actor_username) == (None, COMMAND_LINE_LABEL)


def test_no_actor_may_write_nothing(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    """None is never "the trusted command line": every service refuses it."""
    before = snapshot(organization)
    audits = AuditEvent.objects.count()
    nobody = None
    with pytest.raises(AccessDenied):
        unit_create(actor=nobody, organization=organization, fiscal_year=FY, code="9", name="x")  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        unit_update(
            actor=nobody,  # type: ignore[arg-type]
            unit=tree["01"],
            fiscal_year=FY,
            name="改名部",
            kind="部",
            functions=[],
            parent=None,
        )
    with pytest.raises(AccessDenied):
        unit_close(actor=nobody, unit=tree["010101"], fiscal_year=FY)  # type: ignore[arg-type]
    with pytest.raises(AccessDenied):
        units_import(
            actor=nobody,  # type: ignore[arg-type]
            organization=organization,
            source=csv_bytes(*TREE_LINES),
            fiscal_year=FY,
        )
    # Nor the system actor (no 団体, no role), nor the command line of another 団体.
    for actor in (Actor.system(), Actor.command_line(OrganizationFactory())):
        with pytest.raises(AccessDenied):
            unit_close(actor=actor, unit=tree["010101"], fiscal_year=FY)
    assert snapshot(organization) == before
    assert AuditEvent.objects.count() == audits


# --- create / update / close ------------------------------------------------------


def test_create_refuses_a_code_in_use_and_a_formula(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="既に使われています"):
        unit_create(
            actor=Actor.command_line(organization),
            organization=organization,
            fiscal_year=FY,
            code="01",
            name="重複部",
        )
    with pytest.raises(ApplicationError, match="数式"):
        unit_create(
            actor=Actor.command_line(organization),
            organization=organization,
            fiscal_year=FY,
            code="X",
            name="=1+1",
        )


def test_create_under_a_parent_of_another_organization_is_refused(
    organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    foreign = make_tree(OrganizationFactory())
    with pytest.raises(ApplicationError, match="同じ団体"):
        unit_create(
            actor=Actor.command_line(organization),
            organization=organization,
            fiscal_year=FY,
            code="X",
            name="x",
            parent=foreign["01"],
        )


def test_rename_in_a_later_year_keeps_the_old_version(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    new = unit_update(
        actor=Actor.command_line(organization),
        unit=tree["0201"],
        fiscal_year=2027,
        name="DX推進課",
        kind="課",
        functions=["情報政策", "DX推進"],
        parent=tree["02"],
    )
    old = Unit.objects.get(pk=tree["0201"].pk)
    assert (old.name, old.valid_from_fy, old.valid_to_fy) == ("デジタル推進課", 2026, 2026)
    assert (new.name, new.valid_from_fy, new.valid_to_fy, new.code) == (
        "DX推進課",
        2027,
        None,
        "0201",
    )
    assert new.functions == ["情報政策", "DX推進"]


def test_change_in_the_first_year_is_made_in_place(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    same = unit_update(
        actor=Actor.command_line(organization),
        unit=tree["0201"],
        fiscal_year=FY,
        name="DX推進課",
        kind="課",
        functions=[],
        parent=tree["02"],
    )
    assert same.pk == tree["0201"].pk
    assert Unit.objects.filter(code="0201", organization=organization).count() == 1


def test_no_change_writes_nothing(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    unit_update(
        actor=Actor.command_line(organization),
        unit=tree["0201"],
        fiscal_year=2030,
        name="デジタル推進課",
        kind="課",
        functions=["情報政策"],
        parent=tree["02"],
    )
    assert AuditEvent.objects.count() == before
    assert Unit.objects.filter(code="0201").count() == 1


def test_move_to_another_parent(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    unit_update(
        actor=Actor.command_line(organization),
        unit=tree["0101"],
        fiscal_year=2027,
        name="人事課",
        kind="課",
        functions=["人事"],
        parent=tree["02"],
    )
    assert (
        units_as_of(organization=organization, fiscal_year=2027).node("0101").parent.unit.code
        == "02"
    )
    assert (
        units_as_of(organization=organization, fiscal_year=2026).node("0101").parent.unit.code
        == "01"
    )
    # 研修係 followed its 課 without a version of its own.
    assert (
        units_as_of(organization=organization, fiscal_year=2027).node("010101").path[0].code == "02"
    )


def test_move_under_itself_or_below_is_refused(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    for target in ("01", "010101"):
        with pytest.raises(ApplicationError, match="配下"):
            unit_update(
                actor=Actor.command_line(organization),
                unit=tree["01"],
                fiscal_year=FY,
                name="総務部",
                kind="部",
                functions=[],
                parent=tree[target],
            )


def test_close(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    unit_close(actor=Actor.command_line(organization), unit=tree["010101"], fiscal_year=2027)
    assert Unit.objects.get(pk=tree["010101"].pk).valid_to_fy == 2026
    assert units_as_of(organization=organization, fiscal_year=2027).node("010101") is None
    assert units_as_of(organization=organization, fiscal_year=2026).node("010101") is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_close_in_the_first_year_deletes_the_version(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    unit_close(actor=Actor.command_line(organization), unit=tree["010101"], fiscal_year=FY)
    assert not Unit.objects.filter(pk=tree["010101"].pk).exists()


def test_close_with_children_is_refused(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="人事課"):
        unit_close(actor=Actor.command_line(organization), unit=tree["01"], fiscal_year=2027)


def test_predecessors_record_a_merge(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    unit_close(actor=Actor.command_line(organization), unit=tree["010101"], fiscal_year=2027)
    merged = unit_create(
        actor=Actor.command_line(organization),
        organization=organization,
        fiscal_year=2027,
        code="0102",
        name="人材育成課",
        parent=tree["01"],
        predecessors=[tree["010101"]],
    )
    assert list(merged.predecessors.all()) == [tree["010101"]]
    assert list(tree["010101"].successors.all()) == [merged]


# --- import: happy paths ----------------------------------------------------------


def test_import_creates_the_tree(organization: Organization) -> None:
    summary = import_csv(organization, *TREE_LINES)
    assert (summary.new, summary.changed, summary.unchanged, summary.counts["closed"]) == (
        5,
        0,
        0,
        0,
    )
    tree = units_as_of(organization=organization, fiscal_year=FY)
    assert [(n.unit.code, n.depth) for n in tree] == [
        ("01", 0),
        ("0101", 1),
        ("010101", 2),
        ("02", 0),
        ("0201", 1),
    ]
    assert tree.node("0201").unit.functions == ["情報政策"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.detail["counts"]["new"] == 5


def test_import_equals_the_same_tree_built_by_services(organization: Organization) -> None:
    import_csv(organization, *TREE_LINES)
    other = OrganizationFactory()
    make_tree(other)
    assert snapshot(organization) == snapshot(other)


def test_import_children_before_parents_in_the_file(organization: Organization) -> None:
    import_csv(organization, "0101,人事課,01,課,", "01,総務部,,部,")
    assert (
        units_as_of(organization=organization, fiscal_year=FY).node("0101").parent.unit.code == "01"
    )


def test_reimport_is_unchanged_and_writes_nothing(organization: Organization) -> None:
    import_csv(organization, *TREE_LINES)
    before = snapshot(organization)
    stamps = list(Unit.objects.order_by("pk").values_list("updated_at", flat=True))
    summary = import_csv(organization, *TREE_LINES)
    assert (summary.new, summary.changed, summary.unchanged, summary.counts["closed"]) == (
        0,
        0,
        5,
        0,
    )
    assert snapshot(organization) == before
    assert list(Unit.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_dry_run_leaves_the_database_untouched(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(organization)
    audits = AuditEvent.objects.count()
    summary = import_csv(
        organization,
        "01,総務局,,局,",
        "0101,人事課,01,課,人事",
        "03,市民部,,部,",
        fiscal_year=2027,
        dry_run=True,
    )
    assert (summary.new, summary.changed, summary.unchanged, summary.counts["closed"]) == (
        1,
        1,
        1,
        3,
    )
    assert summary.dry_run
    assert snapshot(organization) == before
    assert AuditEvent.objects.count() == audits
    kinds = {(d.kind, d.key) for d in summary.details}
    assert ("closed", "0201 デジタル推進課") in kinds
    assert any(
        d.kind == "changed" and d.changes["所属名"] == ("総務部", "総務局") for d in summary.details
    )


def test_import_in_a_new_year_versions_changes_and_closes_absent_codes(
    organization: Organization,
) -> None:
    import_csv(organization, *TREE_LINES, fiscal_year=2026)
    summary = import_csv(
        organization,
        "01,総務部,,部,",
        "0101,職員課,01,課,人事、研修",  # renamed, tags changed
        "02,企画部,,部,",
        "0201,デジタル推進課,01,課,情報政策",  # moved under 総務部
        "03,市民部,,部,",  # new
        fiscal_year=2027,
    )  # 研修係 (010101) is absent: 廃止
    assert (summary.new, summary.changed, summary.unchanged, summary.counts["closed"]) == (
        1,
        2,
        2,
        1,
    )
    old_tree = units_as_of(organization=organization, fiscal_year=2026)
    new_tree = units_as_of(organization=organization, fiscal_year=2027)
    assert old_tree.node("0101").unit.name == "人事課"
    assert new_tree.node("0101").unit.name == "職員課"
    assert old_tree.node("0201").parent.unit.code == "02"
    assert new_tree.node("0201").parent.unit.code == "01"
    assert new_tree.node("010101") is None
    assert old_tree.node("010101") is not None
    assert new_tree.node("03") is not None
    assert old_tree.node("03") is None
    assert (
        Unit.objects.get(organization=organization, code="0101", valid_from_fy=2026).valid_to_fy
        == 2026
    )


def test_reimport_in_the_same_year_changes_in_place(organization: Organization) -> None:
    import_csv(organization, *TREE_LINES)
    import_csv(organization, "01,総務局,,局,", fiscal_year=FY)
    assert snapshot(organization) == [("01", "総務局", "局", [], None, 2026, None)]


def test_import_keeps_a_rare_kanji_verbatim(organization: Organization) -> None:
    import_csv(organization, "01,𠮷野支所,,所,")
    assert Unit.objects.get(organization=organization).name == "𠮷野支所"


def test_import_xlsx_keeps_leading_zeros(organization: Organization) -> None:
    data = xlsx_bytes(
        [["001", "総務部", None, "部", "総務"], ["00101", "人事課", "001", "課", "人事、研修"]]
    )
    units_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source=data,
        filename="units.xlsx",
        fiscal_year=FY,
        progress=False,
    )
    tree = units_as_of(organization=organization, fiscal_year=FY)
    assert tree.node("00101").parent.unit.code == "001"
    assert tree.node("00101").unit.functions == ["人事", "研修"]


def test_import_cp932(organization: Organization) -> None:
    import_csv(organization, "01,総務部,,部,", encoding="cp932")
    assert Unit.objects.get(organization=organization).name == "総務部"


# --- import: bad input, nothing stored ------------------------------------------------


def assert_refused(
    organization: Organization, source: bytes, *expected: str, filename: str = "units.csv"
) -> list[str]:
    before = snapshot(organization)
    audits = AuditEvent.objects.count()
    with pytest.raises(TabularImportError) as exc:
        units_import(
            actor=Actor.command_line(organization),
            organization=organization,
            source=source,
            filename=filename,
            fiscal_year=FY,
            progress=False,
        )
    lines = [str(e) for e in exc.value.errors] or [exc.value.message]
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    assert snapshot(organization) == before
    assert AuditEvent.objects.count() == audits
    return lines


def test_duplicate_codes_name_both_rows(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    assert_refused(
        organization,
        csv_bytes("01,総務部,,部,", "02,企画部,,部,", "01,市民部,,部,"),
        "行 4 列 所属コード: 所属コード「01」が重複しています（行 2 と行 4）",
    )


def test_unknown_parent(organization: Organization) -> None:
    assert_refused(
        organization,
        csv_bytes("01,総務部,,部,", "0101,人事課,09,課,"),
        "行 3 列 上位所属コード: 上位所属コード「09」の所属がファイルにありません",
    )


def test_cycle_names_the_codes(organization: Organization) -> None:
    assert_refused(
        organization,
        csv_bytes("A,甲,C,課,", "B,乙,A,課,", "C,丙,B,課,", "R,本部,,部,"),
        "行 2 列 上位所属コード: 上位所属が循環しています（A → C → B → A）",
    )


def test_self_parent_is_a_cycle(organization: Organization) -> None:
    assert_refused(organization, csv_bytes("A,甲,A,課,"), "循環しています（A → A）")


def test_encoding_garbage(organization: Organization) -> None:
    garbage = csv_bytes("01,総務部,,部,", encoding="utf-8") + b"\xff\xfe\x81\x00\x9f\xfc" * 50
    assert_refused(organization, garbage, "文字コード")


def test_binary_garbage(organization: Organization) -> None:
    assert_refused(organization, bytes(range(256)) * 10, "文字コード")


def test_empty_file(organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    assert_refused(organization, b"", "ファイルが空です")
    # A header without any unit would abolish the whole tree: refused too.
    assert_refused(organization, csv_bytes(), "データの行がありません")


def test_file_over_the_size_limit(organization: Organization, settings) -> None:  # type: ignore[no-untyped-def]
    big = csv_bytes("01,総務部,,部,") + b"#" * (50 * 1024 * 1024)
    assert_refused(organization, big, "大きすぎます")


def test_formula_cell_csv(organization: Organization) -> None:
    assert_refused(
        organization,
        csv_bytes("01,総務部,,部,", '02,=HYPERLINK("http://x"),,部,'),
        "行 3 列 所属名: 数式",
    )


def test_formula_cell_xlsx(organization: Organization) -> None:
    data = xlsx_bytes([["01", "総務部", None, "部", None], ["02", '=A2&"課"', "01", "課", None]])
    assert_refused(organization, data, "行 3 列 所属名: 数式", filename="units.xlsx")


def test_missing_required_name(organization: Organization) -> None:
    assert_refused(organization, csv_bytes("01,,,部,"), "行 2 列 所属名")


def test_every_error_is_reported_at_once(organization: Organization) -> None:
    lines = assert_refused(
        organization,
        csv_bytes(
            "01,総務部,,部,", "01,重複,,部,", "02,企画部,99,部,", f"03,市民部,,部,{'長' * 31}"
        ),
    )
    assert len(lines) == 3


# --- import: optional columns ------------------------------------------------------


def import_only(organization: Organization, header: str, *lines: str, fiscal_year: int = FY):  # type: ignore[no-untyped-def]
    return units_import(
        actor=Actor.command_line(organization),
        organization=organization,
        source="\r\n".join([header, *lines]).encode("utf-8-sig"),
        filename="units.csv",
        fiscal_year=fiscal_year,
        progress=False,
    )


def test_import_without_the_functions_column(organization: Organization) -> None:
    """所属コード,所属名,上位所属コード,区分 and no 機能: accepted (issue #11 §6)."""
    summary = import_only(
        organization, "所属コード,所属名,上位所属コード,区分", "01,総務部,,部", "0101,人事課,01,課"
    )
    assert summary.counts["new"] == 2
    tree = units_as_of(organization=organization, fiscal_year=FY)
    assert tree.node("0101").parent.unit.code == "01"
    assert tree.node("0101").unit.functions == []


def test_import_with_only_the_required_columns(organization: Organization) -> None:
    summary = import_only(organization, "所属コード,所属名", "01,総務部", "02,企画部")
    assert summary.counts["new"] == 2
    assert [n.unit.kind for n in units_as_of(organization=organization, fiscal_year=FY)] == [
        "",
        "",
    ]


def test_a_file_without_kind_or_functions_keeps_those_of_existing_units(
    organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    header = "所属コード,所属名,上位所属コード"
    lines = [",".join(line.split(",")[:3]) for line in TREE_LINES]
    lines[4] = "0201,DX推進課,02"
    summary = import_only(organization, header, *lines, fiscal_year=2027)
    assert (summary.counts["changed"], summary.counts["unchanged"]) == (1, 4)
    renamed = units_as_of(organization=organization, fiscal_year=2027).node("0201").unit
    assert (renamed.name, renamed.kind, renamed.functions) == ("DX推進課", "課", ["情報政策"])
    assert units_as_of(organization=organization, fiscal_year=2027).node("0101").unit.functions == [
        "人事"
    ]
