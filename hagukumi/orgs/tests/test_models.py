"""The 団体 master (migration 0002), 団体コード check digits and model rules."""

from __future__ import annotations

import csv
import importlib
import unicodedata
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from hagukumi.core.errors import ApplicationError
from hagukumi.orgs.codes import check_digit, validate_organization_code, with_check_digit
from hagukumi.orgs.models import Organization, OrganizationKind, Unit
from hagukumi.orgs.tests.factories import OrganizationFactory, UnitFactory

master_migration = importlib.import_module("hagukumi.orgs.migrations.0002_load_organization_master")

pytestmark = pytest.mark.django_db

REAL_CODES = {
    "010006": "北海道",
    "011002": "札幌市",
    "020001": "青森県",
    "401005": "北九州市",
    "131016": "千代田区",
    "012131": "苫小牧市",  # remainder 0 → check digit 1
    "012050": "室蘭市",  # remainder 1 → check digit 0
}


def master() -> list[Organization]:
    return list(Organization.objects.filter(code__isnull=False, is_demo=False))


def test_master_counts() -> None:
    kinds = [o.kind for o in master()]
    assert kinds.count(OrganizationKind.PREFECTURE) == 47
    assert len(kinds) - kinds.count(OrganizationKind.PREFECTURE) == 1741
    assert kinds.count(OrganizationKind.DESIGNATED_CITY) == 20
    assert kinds.count(OrganizationKind.CORE_CITY) == 62
    assert kinds.count(OrganizationKind.SPECIAL_WARD) == 23
    assert kinds.count(OrganizationKind.CITY) == 792 - 20 - 62
    assert kinds.count(OrganizationKind.TOWN) == 743
    assert kinds.count(OrganizationKind.VILLAGE) == 183


@pytest.mark.parametrize(("code", "name"), REAL_CODES.items())
def test_known_codes(code: str, name: str) -> None:
    assert Organization.objects.get(code=code).name == name


def test_every_master_code_has_a_valid_check_digit() -> None:
    codes = [o.code for o in master()]
    assert codes
    assert all(validate_organization_code(c) == c for c in codes if c)


def test_master_kana_is_full_width_katakana() -> None:
    for org in master():
        assert org.name_kana, org
        assert unicodedata.normalize("NFKC", org.name_kana) == org.name_kana, org
        assert all("\u30a0" <= ch <= "\u30ff" for ch in org.name_kana), org


def test_municipalities_belong_to_their_prefecture() -> None:
    for org in Organization.objects.filter(code__isnull=False).select_related("prefecture"):
        if org.kind == OrganizationKind.PREFECTURE:
            assert org.prefecture is None
        else:
            assert org.prefecture is not None
            assert org.prefecture.code[:2] == org.code[:2]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("011002", OrganizationKind.DESIGNATED_CITY),  # 札幌市
        ("431001", OrganizationKind.DESIGNATED_CITY),  # 熊本市
        ("012025", OrganizationKind.CORE_CITY),  # 函館市
        ("202029", OrganizationKind.CORE_CITY),  # 松本市
        ("131016", OrganizationKind.SPECIAL_WARD),  # 千代田区
        ("132012", OrganizationKind.CORE_CITY),  # 八王子市
        ("132021", OrganizationKind.CITY),  # 立川市
        ("013030", OrganizationKind.TOWN),  # 当別町
        ("013960", OrganizationKind.VILLAGE),  # 真狩村
    ],
)
def test_kinds(code: str, kind: str) -> None:
    assert Organization.objects.get(code=code).kind == kind


def test_no_ward_of_a_designated_city() -> None:
    # 札幌市中央区 (011011) is an administrative ward, not a 団体.
    assert not Organization.objects.filter(code="011011").exists()
    assert (
        not Organization.objects.filter(name__endswith="区")
        .exclude(prefecture__code="130001")
        .exists()
    )


def test_national_ministry_has_no_code() -> None:
    mic = Organization.objects.get(kind=OrganizationKind.NATIONAL)
    assert (mic.name, mic.code) == ("総務省", None)


def test_full_and_display_names() -> None:
    sapporo = Organization.objects.get(code="011002")
    assert sapporo.full_name == "北海道札幌市"
    assert Organization.objects.get(code="010006").full_name == "北海道"
    demo = OrganizationFactory(
        code=None, is_demo=True, name="デモ市", prefecture=sapporo.prefecture
    )
    # One display name everywhere (issue #14): the full name, a demo marked （デモ）.
    assert demo.display_name == "北海道デモ市（デモ）"
    assert demo.display_full_name == demo.display_name
    assert str(demo) == "北海道デモ市（デモ）"
    assert sapporo.display_name == str(sapporo) == "北海道札幌市"


def test_fixture_file_matches_database() -> None:
    path = master_migration.MASTER_CSV
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1788
    assert rows[0] == {
        "code": "010006",
        "name": "北海道",
        "name_kana": "ホッカイドウ",
        "kind": "prefecture",
        "prefecture_code": "",
    }


def test_migration_reverse_removes_what_it_loaded_and_forward_restores() -> None:
    editor = SimpleNamespace(connection=connection)
    total = Organization.objects.count()
    master_migration.unload(apps, editor)
    assert Organization.objects.count() == total - 1789
    master_migration.load(apps, editor)
    assert Organization.objects.count() == total
    assert Organization.objects.get(code="011002").prefecture.code == "010006"


# --- check digits ------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_digit_rule(code: str) -> None:
    assert check_digit(code[:5]) == code[5]
    assert with_check_digit(code[:5]) == code


def test_validate_accepts_full_width_and_five_digits() -> None:
    assert validate_organization_code("０１１００２") == "011002"
    assert validate_organization_code(" 01100 ") == "011002"


def test_validate_wrong_check_digit_message() -> None:
    with pytest.raises(ApplicationError) as exc:
        validate_organization_code("010007")
    assert (
        exc.value.message == "団体コード 010007 の検査数字が正しくありません（正しくは 010006）。"
    )


@pytest.mark.parametrize("bad", ["", "1234", "1234567", "01100a", "札幌"])
def test_validate_refuses_other_shapes(bad: str) -> None:
    with pytest.raises(ApplicationError, match="6桁の数字"):
        validate_organization_code(bad)


# --- constraints -------------------------------------------------------------


def test_code_required_except_national_and_demo() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="無コード市", kind=OrganizationKind.CITY)
    Organization.objects.create(name="デモ町", kind=OrganizationKind.TOWN, is_demo=True)


def test_code_must_be_six_digits() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(code="12345", name="五桁市", kind=OrganizationKind.CITY)


def test_national_has_no_code() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(code="999997", name="某省", kind=OrganizationKind.NATIONAL)


def test_unit_version_rules(organization: Organization) -> None:
    UnitFactory(organization=organization, code="X", valid_from_fy=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(organization=organization, code="X", valid_from_fy=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(organization=organization, code="Y", valid_from_fy=2026, valid_to_fy=2025)


def test_unit_is_valid_in() -> None:
    unit = Unit(valid_from_fy=2024, valid_to_fy=2026)
    assert [unit.is_valid_in(y) for y in (2023, 2024, 2026, 2027)] == [False, True, True, False]
    assert Unit(valid_from_fy=2024).is_valid_in(2100)
