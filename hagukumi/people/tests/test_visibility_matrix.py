"""Who sees what, through the web and the API: 5 roles × 6 field groups = 30 cells.

Each cell checks the four ways out (issue [職員] 「a test per cell」):
- the profile page: the group's values are in the HTML or absent from it (not CSS-hidden);
- the API profile (/api/v1/staff/<id>/): the group's keys are in the JSON or absent;
- a search filter on the group: accepted, or 400 (the role may not see it);
- the xlsx export: the group's column is in the file or absent.
職員本人 has no search or export (404); 都道府県支援担当 gets 404 everywhere.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.models import Role
from hagukumi.orgs.tests.factories import OrganizationFactory
from hagukumi.people.models import Qualification, StaffQualification
from hagukumi.people.roster_import import staff_search_key
from hagukumi.people.tests.factories import StaffFactory
from hagukumi.people.visibility import FieldGroup

pytestmark = pytest.mark.django_db

G = FieldGroup
SELF, HEAD, HR, DX, PREF = "職員本人", "所属長", "人事担当", "DX推進担当", "都道府県支援担当"
MATRIX: dict[str, set[FieldGroup]] = {
    SELF: {G.BASIC, G.BIRTH_DATE, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    HEAD: {G.BASIC, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    HR: set(G),
    DX: {G.BASIC, G.QUALIFICATIONS, G.DESIGNATIONS, G.CAREER_INTENT},
    PREF: set(),
}
SEARCHERS = {HEAD, HR, DX}

# What each group puts on the page, in the JSON and in the file.
HTML_MARKS = {
    G.BASIC: ["M00777", "タカハシ"],
    G.BIRTH_DATE: ["1985年1月1日"],
    G.APPRAISAL: ["適性メモ：調整役", "評価メモ：リーダーシップ"],
    G.QUALIFICATIONS: ['id="qualifications-heading"', "ITパスポート試験"],
    G.DESIGNATIONS: ['id="designations-heading"'],
    G.CAREER_INTENT: ["データ分析で窓口を良くしたい"],
}
JSON_KEYS = {
    G.BASIC: ["number", "name", "unit"],
    G.BIRTH_DATE: ["birth_date"],
    G.APPRAISAL: ["aptitude_notes", "evaluation_notes"],
    G.QUALIFICATIONS: ["qualifications"],
    G.DESIGNATIONS: ["designations"],
    G.CAREER_INTENT: ["career_intent"],
}
FILTERS = {
    G.BASIC: "position=主事",
    G.BIRTH_DATE: "born_from=1980-01-01",
    G.APPRAISAL: "appraisal_text=リーダー",
    G.QUALIFICATIONS: "itss_min=1",
    G.DESIGNATIONS: "talent_type=dx-leader",
    G.CAREER_INTENT: "q=データ分析",
}
HEADERS = {
    G.BASIC: "氏名",
    G.BIRTH_DATE: "生年月日",
    G.APPRAISAL: "評価",
    G.QUALIFICATIONS: "資格",
    G.DESIGNATIONS: "指定",
    G.CAREER_INTENT: "キャリア志向",
}


@pytest.fixture
def world(organization, tree, user_with_role):  # type: ignore[no-untyped-def]
    me_user = user_with_role(Role.STAFF)
    me = StaffFactory(
        organization=organization,
        unit=tree["0101"],
        user=me_user,
        number="M00777",
        name="髙橋 一郎",
        name_kana="タカハシ\u3000イチロウ",
        birth_date=dt.date(1985, 1, 1),
        career_intent="データ分析で窓口を良くしたい",
        aptitude_notes="適性メモ：調整役",
        evaluation_notes="評価メモ：リーダーシップ",
    )
    me.search_key = staff_search_key(me)
    me.save()
    StaffQualification.objects.create(
        staff=me,
        qualification=Qualification.objects.get(code="it-passport"),
        obtained_on=dt.date(2024, 6, 1),
        exam_fee=7500,
    )
    prefecture = OrganizationFactory(kind="prefecture", name="テスト県")
    users = {
        SELF: me_user,
        HEAD: user_with_role(Role.UNIT_HEAD, unit=tree["0101"]),
        HR: user_with_role(Role.HR),
        DX: user_with_role(Role.DX_OFFICE),
        PREF: user_with_role(Role.PREFECTURE_SUPPORT, org=prefecture),
    }
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {"me": me, "clients": clients}


def _xlsx_headers(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet is not None
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    return [str(v) for v in first if v is not None]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("group", list(G))
def test_cell(world: dict[str, Any], role: str, group: FieldGroup) -> None:
    client: Client = world["clients"][role]
    staff = world["me"]
    sees = group in MATRIX[role]

    # Page.
    page = client.get(reverse("people:staff_detail", kwargs={"pk": staff.pk}))
    if not MATRIX[role]:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        html = page.content.decode()
        for mark in HTML_MARKS[group]:
            assert (mark in html) == sees, f"{role} {group}: {mark}"

    # API profile.
    api = client.get(f"/api/v1/staff/{staff.pk}/")
    if not MATRIX[role]:
        assert api.status_code == 404
        assert api.json() == {"detail": "見つかりません。"}
    else:
        assert api.status_code == 200
        body = api.json()
        for key in JSON_KEYS[group]:
            assert (key in body) == sees, f"{role} {group}: {key}"

    # Search filter (API) and export.
    found = client.get(f"/api/v1/staff/?{FILTERS[group]}")
    export = client.get(f"{reverse('people:search_export')}?")
    if role not in SEARCHERS:
        assert found.status_code == 404
        assert export.status_code == 404
        return
    assert found.status_code == (200 if sees else 400), found.content
    if not sees:
        assert "この役割では使えません" in found.json()["detail"]
    listing = client.get("/api/v1/staff/").json()["results"]
    row = next(r for r in listing if r["id"] == staff.pk)
    for key in JSON_KEYS[group]:
        assert (key in row) == sees, f"search {role} {group}: {key}"
    assert export.status_code == 200
    assert (HEADERS[group] in _xlsx_headers(export.content)) == sees
