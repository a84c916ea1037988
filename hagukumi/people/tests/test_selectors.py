"""The visibility matrix at selector level (profile, search filter, export), search, counts."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tabular_export import TabularExportError
from hagukumi.core.tenancy import actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Qualification, StaffQualification
from hagukumi.people.selectors import (
    StaffSearchFilters,
    access_staff_by_id,
    qualification_counts,
    staff_export,
    staff_profile,
    staff_search,
)
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.people.visibility import FieldGroup, staff_visible_fields

pytestmark = pytest.mark.django_db

G = FieldGroup
SELF, HEAD, HR, DX, PREF = "職員本人", "所属長", "人事担当", "DX推進担当", "都道府県支援担当"
# The matrix of issue [職員]: the groups each role sees of a staff member in its scope.
MATRIX: dict[str, set[FieldGroup]] = {
    SELF: {G.BASIC, G.BIRTH_DATE, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    HEAD: {G.BASIC, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    HR: set(G),
    DX: {G.BASIC, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    PREF: set(),
}
FILTER_FOR = {
    G.BASIC: {"position": "主事"},
    G.BIRTH_DATE: {"born_from": "1980-01-01"},
    G.APPRAISAL: {"appraisal_text": "リーダー"},
    G.QUALIFICATIONS: {"itss_min": "1"},
    G.DESIGNATIONS: {"talent_type": "dx-leader"},
    G.CAREER_INTENT: {},  # free text (with 氏名): see test_text_search
}
HEADERS_FOR = {
    G.BASIC: "氏名",
    G.BIRTH_DATE: "生年月日",
    G.APPRAISAL: "評価",
    G.QUALIFICATIONS: "資格",
    G.DESIGNATIONS: "指定",
    G.CAREER_INTENT: "キャリア志向",
}


@pytest.fixture
def people(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    """Staff in 人事課 (0101, linked to the 職員本人 user), 人事係 (010101) and 0201."""
    me_user = user_with_role(Role.STAFF)
    me = StaffFactory(
        organization=organization,
        unit=tree["0101"],
        user=me_user,
        name="髙橋 一郎",
        name_kana="タカハシ\u3000イチロウ",
        birth_date=dt.date(1985, 1, 1),
        career_intent="データ分析で窓口を良くしたい",
        evaluation_notes="リーダーシップがある",
    )
    below = StaffFactory(organization=organization, unit=tree["010101"], name="山﨑 二郎")
    other = StaffFactory(organization=organization, unit=tree["0201"], name="𠮷田 三郎")
    from hagukumi.people.roster_import import staff_search_key

    for s in (me, below, other):
        s.search_key = staff_search_key(s)
        s.save()
    prefecture = OrganizationFactory(kind="prefecture", name="テスト県")
    actors = {
        SELF: actor_for(me_user, organization.pk),
        HEAD: actor_for(user_with_role(Role.UNIT_HEAD, unit=tree["0101"]), organization.pk),
        HR: actor_for(user_with_role(Role.HR), organization.pk),
        DX: actor_for(user_with_role(Role.DX_OFFICE), organization.pk),
        PREF: actor_for(user_with_role(Role.PREFECTURE_SUPPORT, org=prefecture), prefecture.pk),
    }
    return {"me": me, "below": below, "other": other, "actors": actors}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("group", list(G))
def test_matrix_cell_profile(people, role, group):  # type: ignore[no-untyped-def]
    """Profile of the staff member in the role's scope (self: own; 所属長: a unit member)."""
    actor = people["actors"][role]
    target = people["me"] if role in (SELF, HEAD) else people["other"]
    if not MATRIX[role]:
        with pytest.raises(AccessDenied):
            staff_profile(actor=actor, staff_id=target.pk)
        return
    profile = staff_profile(actor=actor, staff_id=target.pk)
    assert (group in profile.groups) == (group in MATRIX[role])
    fields = staff_visible_fields(actor, target)
    if group == G.BIRTH_DATE:
        assert ("birth_date" in profile.values) == (group in MATRIX[role])
    if group == G.APPRAISAL:
        assert ("evaluation_notes" in profile.values) == (group in MATRIX[role])
        assert ("evaluation_notes" in fields) == (group in MATRIX[role])
    if group == G.QUALIFICATIONS:
        assert (profile.qualifications is not None) == (group in MATRIX[role])
    if group == G.DESIGNATIONS:
        assert (profile.designations is not None) == (group in MATRIX[role])
    if group == G.CAREER_INTENT:
        assert ("career_intent" in profile.values) == (group in MATRIX[role])


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("group", list(G))
def test_matrix_cell_search_filter_and_export(people, role, group):  # type: ignore[no-untyped-def]
    actor = people["actors"][role]
    if role in (SELF, PREF):  # no search for 職員本人 or the prefecture: 404
        with pytest.raises(AccessDenied):
            staff_search(actor=actor, filters=FILTER_FOR[group])
        with pytest.raises(AccessDenied):
            staff_export(actor=actor, format="csv")
        return
    if FILTER_FOR[group]:
        if group in MATRIX[role]:
            staff_search(actor=actor, filters=FILTER_FOR[group])
        else:
            with pytest.raises(ApplicationError) as exc:
                staff_search(actor=actor, filters=FILTER_FOR[group])
            assert not isinstance(exc.value, AccessDenied)
            assert "この役割では使えません" in exc.value.message
    page = staff_search(actor=actor)
    header = HEADERS_FOR[group]
    exported = staff_export(actor=actor, format="csv").decode("utf-8-sig").splitlines()[0]
    assert (header in exported.split(",")) == (group in MATRIX[role])
    visible_names = {
        G.BIRTH_DATE: "birth_date",
        G.APPRAISAL: "evaluation_notes",
        G.QUALIFICATIONS: "qualifications",
        G.DESIGNATIONS: "designations",
        G.CAREER_INTENT: "career_intent",
        G.BASIC: "name",
    }
    for row in page.rows:
        assert (visible_names[group] in row) == (group in MATRIX[role])


def test_scope_of_unit_head_and_other_organizations(people, organization, user_with_role):  # type: ignore[no-untyped-def]
    head = people["actors"][HEAD]
    assert access_staff_by_id(actor=head, staff_id=people["below"].pk)  # unit and below
    with pytest.raises(AccessDenied):
        access_staff_by_id(actor=head, staff_id=people["other"].pk)
    assert {r["name"] for r in staff_search(actor=head).rows} == {"髙橋 一郎", "山﨑 二郎"}
    me = people["actors"][SELF]
    with pytest.raises(AccessDenied):
        access_staff_by_id(actor=me, staff_id=people["below"].pk)
    stranger_org = OrganizationFactory()
    stranger = actor_for(user_with_role(Role.HR, org=stranger_org), stranger_org.pk)
    with pytest.raises(AccessDenied):
        access_staff_by_id(actor=stranger, staff_id=people["me"].pk)
    assert staff_search(actor=stranger).total == 0
    with pytest.raises(AccessDenied):
        access_staff_by_id(actor=head, staff_id="not-a-number")


def test_reads_are_audited(people):  # type: ignore[no-untyped-def]
    hr = people["actors"][HR]
    before = AuditEvent.objects.count()
    staff_profile(actor=hr, staff_id=people["me"].pk)
    staff_search(actor=hr, text="高橋")
    staff_export(actor=hr, format="xlsx")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[before:]
    assert actions == ["view", "view", "export"]


def test_text_search_folds_variants_and_kana(people):  # type: ignore[no-untyped-def]
    dx = people["actors"][DX]
    assert [r["name"] for r in staff_search(actor=dx, text="高橋").rows] == ["髙橋 一郎"]
    assert [r["name"] for r in staff_search(actor=dx, text="山崎").rows] == ["山﨑 二郎"]
    assert [r["name"] for r in staff_search(actor=dx, text="吉田").rows] == ["𠮷田 三郎"]
    assert [r["name"] for r in staff_search(actor=dx, text="ﾀｶﾊｼ").rows] == ["髙橋 一郎"]
    assert [r["name"] for r in staff_search(actor=dx, text="たかはし").rows] == ["髙橋 一郎"]
    assert [r["name"] for r in staff_search(actor=dx, text="データ分析").rows] == ["髙橋 一郎"]


def test_unknown_filter_is_refused(people):  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="検索条件「salary」は使えません"):
        staff_search(actor=people["actors"][HR], filters={"salary": "1"})
    with pytest.raises(ApplicationError, match="値が正しくありません"):
        StaffSearchFilters.parse({"grade_min": "abc"})


def test_unit_filter_includes_sub_units(people, tree):  # type: ignore[no-untyped-def]
    hr = people["actors"][HR]
    names = {
        r["name"] for r in staff_search(actor=hr, filters={"unit_id": str(tree["01"].pk)}).rows
    }
    assert names == {"髙橋 一郎", "山﨑 二郎"}


def test_search_query_count_is_fixed(organization, tree, people):  # type: ignore[no-untyped-def]
    hr = people["actors"][HR]
    head = people["actors"][HEAD]
    it_passport = Qualification.objects.get(code="it-passport")

    def counts(n: int) -> tuple[int, int]:
        StaffQualification.objects.all().delete()
        for _i in range(n):
            s = StaffFactory(organization=organization, unit=tree["0101"])
            StaffQualification.objects.create(
                staff=s, qualification=it_passport, obtained_on=dt.date(2024, 5, 1)
            )
        out = []
        for actor in (hr, head):
            with CaptureQueriesContext(connection) as ctx:
                page = staff_search(actor=actor, limit=500)
            assert len(page.rows) >= n
            out.append(len(ctx.captured_queries))
        return out[0], out[1]

    assert counts(5) == counts(50)


def test_export_escapes_formulas_and_cp932(people, organization, tree):  # type: ignore[no-untyped-def]
    hr = people["actors"][HR]
    StaffFactory(
        organization=organization, unit=tree["0101"], name="=HYPERLINK(1)", number="900001"
    )
    StaffFactory(organization=organization, unit=tree["0101"], name="+1", number="900002")
    StaffFactory(organization=organization, unit=tree["0101"], name="-1", number="900003")
    StaffFactory(organization=organization, unit=tree["0101"], name="@SUM", number="900004")
    text = staff_export(actor=hr, format="csv").decode("utf-8-sig")
    for cell in ("'=HYPERLINK(1)", "'+1", "'-1", "'@SUM"):
        assert cell in text
    book = openpyxl.load_workbook(io.BytesIO(staff_export(actor=hr, format="xlsx")))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values
    assert "𠮷田 三郎" in values
    with pytest.raises(TabularExportError) as exc:
        staff_export(actor=hr, format="csv", encoding="cp932")
    assert any(
        str(e).endswith(
            "列 氏名: 「𠮷」は CP932 で出力できません。UTF-8 (BOM付き) を選んでください"
        )
        for e in exc.value.errors
    )
    people["other"].delete()
    data = staff_export(actor=hr, format="csv", encoding="cp932")
    assert "髙橋 一郎" in data.decode("cp932")
    assert "山﨑 二郎" in data.decode("cp932")


def test_qualification_counts(people, organization):  # type: ignore[no-untyped-def]
    q = Qualification.objects.get(code="it-passport")
    ap = Qualification.objects.get(code="ap")
    me, other = people["me"], people["other"]
    StaffQualification.objects.create(staff=me, qualification=q, obtained_on=dt.date(2024, 5, 1))
    StaffQualification.objects.create(staff=me, qualification=q, obtained_on=dt.date(2025, 5, 1))
    StaffQualification.objects.create(
        staff=other, qualification=ap, obtained_on=dt.date(2025, 5, 1)
    )
    assert qualification_counts(organization=organization, as_of=dt.date(2024, 12, 31)) == {
        "it-passport": 1
    }
    assert qualification_counts(organization=organization, as_of=dt.date(2026, 1, 1)) == {
        "ap": 1,
        "it-passport": 1,
    }
    assert qualification_counts(
        organization=organization, as_of=dt.date(2026, 1, 1), itss_min=3, by=None
    ) == {"": 1}
