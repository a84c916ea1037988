"""先進事例 pages: search (browse, facets, snippets, sort, pages, htmx), detail, export, import."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hagukumi.cases import views
from hagukumi.cases.models import Case, Visibility
from hagukumi.cases.services import case_import_file
from hagukumi.core.errors import AccessDenied
from hagukumi.core.jobs import jobs_run_pending
from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SEARCH = "/cases/"


@pytest.fixture
def staff_client(client: Client, user_with_role: Callable[..., Any]) -> Client:
    client.force_login(user_with_role(Role.STAFF))
    return client


def _text(response: Any) -> str:
    return response.content.decode()


def _seed_no(case_id: int) -> str:
    return Case.objects.get(pk=case_id).source_file[:3]


def test_urls() -> None:
    assert reverse("cases:search") == SEARCH
    assert reverse("cases:detail", kwargs={"pk": 7}) == "/cases/7/"
    assert reverse("cases:export") == "/cases/export/"
    assert reverse("cases:import") == "/cases/import/"


def test_login_required(client: Client) -> None:
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    htmx = client.get(SEARCH, {"q": "副業"}, headers={"HX-Request": "true"})
    assert "HX-Redirect" in htmx


def test_nav_entry_for_every_role(client: Client, user_with_role: Callable[..., Any]) -> None:
    client.force_login(user_with_role(Role.UNIT_HEAD))
    page = _text(client.get(reverse("core:home")))
    assert 'href="/cases/"' in page
    assert "先進事例" in page


def test_empty_query_browses_every_case_newest_first(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    response = staff_client.get(SEARCH)
    assert response.status_code == 200
    page = _text(response)
    assert "検索語が入力されていないため" in page
    assert "すべての事例：<strong>5件</strong>" in page
    assert "エラー" not in page
    titles = [row.title for row in response.context["rows"]]
    years = [Case.objects.get(title=t).fiscal_year or 0 for t in titles]
    assert years[:3] == [2025, 2023, 2022]
    # 和暦 of the 公表年度, facets with counts
    assert "令和7年度公表" in page
    assert "政令指定都市" in page
    assert "（2件）" in page
    assert 'name="fact_kind"' in page
    assert 'value="people"' in page
    assert "数値目標のある事例" in page


def test_search_hits_snippets_and_metadata(seeded: dict[str, Case], staff_client: Client) -> None:
    response = staff_client.get(SEARCH, {"q": "ITパスポート 受験料 補助"})
    page = _text(response)
    rows = response.context["rows"]
    assert _seed_no(rows[0].case_id) == "001"
    assert "<mark>" in page
    assert "の検索結果：<strong>" in page
    assert "総務省" in page
    assert "国" in page
    assert f'href="/cases/{rows[0].case_id}/?q=' in page
    hokkaido = staff_client.get(SEARCH, {"q": "デジタル相談員 月曜"})
    assert "令和4年度公表" in _text(hokkaido)
    assert "事例No. 1627" in _text(hokkaido)


def test_typed_markup_is_escaped_and_no_hits_explained(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    response = staff_client.get(SEARCH, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    page = _text(response)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page
    nothing = _text(staff_client.get(SEARCH, {"q": "ぬるぽがっ"}))
    assert "に一致する事例は見つかりませんでした" in nothing
    assert "言葉を減らす" in nothing
    for nasty in ['"(人材 NEAR OR *', "-", "人材" * 6000]:
        assert staff_client.get(SEARCH, {"q": nasty}).status_code == 200


def test_facet_filters_and_fact_kind(seeded: dict[str, Case], staff_client: Client) -> None:
    response = staff_client.get(SEARCH, {"q": "デジタル人材", "org_type": "政令指定都市"})
    seeds = {_seed_no(r.case_id) for r in response.context["rows"]}
    assert seeds == {"002", "003"}
    page = _text(response)
    assert re.search(r'value="政令指定都市"\s+checked', page)
    assert "絞り込みを解除" in page
    people = staff_client.get(SEARCH, {"fact_kind": "people"})
    assert {_seed_no(r.case_id) for r in people.context["rows"]} >= {"000", "002", "003", "004"}
    several = staff_client.get(SEARCH, {"q": "人材", "org_type": ["国", "都道府県"]})
    assert {_seed_no(r.case_id) for r in several.context["rows"]} <= {"000", "001", "004"}
    bad_year = staff_client.get(SEARCH, {"q": "人材", "fiscal_year": "むかし"})
    assert bad_year.status_code == 200
    assert "年度「むかし」を読み取れません" in _text(bad_year)
    year = staff_client.get(SEARCH, {"fiscal_year": "2022"})
    assert [_seed_no(r.case_id) for r in year.context["rows"]] == ["000"]
    assert "令和4年度 (2022)" in _text(year)


def test_sort_by_year(seeded: dict[str, Case], staff_client: Client) -> None:
    response = staff_client.get(SEARCH, {"q": "デジタル人材", "sort": "year"})
    years = [Case.objects.get(pk=r.case_id).fiscal_year or 0 for r in response.context["rows"]]
    assert years == sorted(years, reverse=True)
    assert '<option value="year" selected>' in _text(response)


def test_htmx_gets_the_results_partial(seeded: dict[str, Case], staff_client: Client) -> None:
    response = staff_client.get(
        SEARCH, {"q": "副業"}, headers={"HX-Request": "true", "HX-Target": "case-results"}
    )
    page = _text(response)
    assert "<html" not in page
    assert "case-list" in page
    assert "case-facets" in page
    full = _text(staff_client.get(SEARCH, {"q": "副業"}))
    assert "<html" in full
    assert 'hx-get="/cases/"' in full
    assert 'hx-push-url="true"' in full


def _bulk_cases(count: int, owner: Any = None) -> None:
    Case.objects.bulk_create(
        Case(
            title=f"一覧の事例{i:03d}",
            org_name="架空市",
            org_type="市区町村",
            fiscal_year=2020 + i % 5,
            body=f"本文{i}",
            content_hash=f"{i:064d}",
        )
        for i in range(count)
    )


def test_pagination_of_the_browse_list(db: None, staff_client: Client) -> None:
    _bulk_cases(45)
    first = staff_client.get(SEARCH)
    assert len(first.context["rows"]) == 20
    page = _text(first)
    assert "全45件中 1〜20件を表示" in page
    assert "page=2" in page
    third = staff_client.get(SEARCH, {"page": "3"})
    assert len(third.context["rows"]) == 5
    assert _text(staff_client.get(SEARCH, {"page": "99"})).count("case-list__item") == 5
    assert staff_client.get(SEARCH, {"page": "x"}).status_code == 200


def _queries(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(SEARCH, params).status_code == 200
    return len(captured.captured_queries)


def _import_cases(start: int, count: int) -> None:
    for i in range(start, start + count):
        outcome = case_import_file(
            actor=Actor.system(),
            data=f"# 研修の事例{i}\n\n職員研修でデジタル人材を{i}人育成します。\n".encode(),
            filename=f"case{i}.md",
        )
        assert not outcome.failed, outcome.error


def test_query_counts_do_not_grow_with_the_library(
    db: None, staff_client: Client, django_assert_num_queries: Any
) -> None:
    _bulk_cases(5)
    _import_cases(0, 5)
    browse = _queries(staff_client, {})
    search = _queries(staff_client, {"q": "デジタル人材 研修"})
    filtered = _queries(staff_client, {"q": "研修", "org_type": "市区町村", "fact_kind": "人数"})
    _bulk_cases(45)
    Case.objects.filter(title__startswith="一覧の事例").update(content_hash="x" * 64)
    _import_cases(5, 45)
    # The browse list is this app's own: pinned exactly (session, user, membership,
    # count, page, five facets, 言及された団体).
    with django_assert_num_queries(browse):
        staff_client.get(SEARCH)
    assert browse <= 14
    with django_assert_num_queries(search):
        response = staff_client.get(SEARCH, {"q": "デジタル人材 研修"})
    assert response.context["total"] == 50
    assert search <= 20
    with django_assert_num_queries(filtered):
        staff_client.get(SEARCH, {"q": "研修", "org_type": "市区町村", "fact_kind": "人数"})


# Detail ---------------------------------------------------------------------------


def test_detail_metadata_facts_body_and_similar(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    case = seeded["000"]
    response = staff_client.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    page = _text(response)
    for label in [
        "事例No.",
        "公表年度",
        "団体の属性",
        "団体名",
        "事例区分（大）",
        "事例区分（小）",
        "事例種類",
        "出典",
        "URL",
    ]:
        assert f'<th scope="row">{label}</th>' in page
    assert "1627" in page
    assert "令和4年度 (2022)" in page
    assert "北海道" in page
    assert "行政改革" in page
    assert "組織改革" in page
    assert "人材育成・確保" in page
    assert "数値目標・実績" in page
    assert "団体数" in page
    assert "59" in page
    assert "似ている事例" in page
    assert response.context["similar"], "similar cases of a seed"
    assert case.pk not in [row.case_id for row in response.context["similar"]]
    body = page.split('<div class="case-body">')[1].split('<section aria-labelledby="case-similar')[
        0
    ]
    assert "<script" not in body
    if case.url.startswith(("http://", "https://")):
        assert f'<a href="{case.url}"' in page


def test_detail_shows_the_matching_passage(seeded: dict[str, Case], staff_client: Client) -> None:
    case = seeded["002"]
    url = reverse("cases:detail", kwargs={"pk": case.pk})
    page = _text(staff_client.get(url, {"q": "見習い 熟練者"}))
    assert "検索語に一致した箇所" in page
    match = page.split('class="case-match__snippet"')[1].split("</p>")[0]
    assert "<mark>" in match
    assert "検索結果に戻る" in page
    assert "/cases/?q=" in page
    missing = _text(staff_client.get(url, {"q": "ぬるぽがっ"}))
    assert "に一致する箇所がありません" in missing
    assert "検索語に一致した箇所" not in _text(staff_client.get(url))


def test_detail_of_another_organizations_case_is_404(
    seeded: dict[str, Case], client: Client, user_with_role: Callable[..., Any]
) -> None:
    owner = OrganizationFactory()
    outcome = case_import_file(
        actor=Actor.command_line(owner),
        data="# 庁内限定の事例\n\n副業人材の活用。\n".encode(),
        filename="private.md",
        visibility=Visibility.ORGANIZATION,
    )
    private = Case.objects.get(pk=outcome.cases[0].case_id)
    url = reverse("cases:detail", kwargs={"pk": private.pk})
    client.force_login(user_with_role(Role.DX_OFFICE))
    assert client.get(url).status_code == 404
    assert "private.md" not in _text(client.get(SEARCH, {"q": "副業"}))
    insider = Client()
    insider.force_login(user_with_role(Role.STAFF, org=owner))
    assert insider.get(url).status_code == 200
    assert "庁内限定の事例" in _text(insider.get(SEARCH, {"q": "副業"}))
    assert client.get("/cases/999999/").status_code == 404


def test_detail_never_runs_script_and_links_only_http(db: None, staff_client: Client) -> None:
    data = (
        "---\ntitle: 危険な事例\nurl: javascript:alert(1)\n---\n"
        "人材育成<script>window.__xss=1</script><img src=x onerror=alert(1)>"
        '<p onclick="x()">段落</p><a href="javascript:alert(2)">リンク</a>\n'
    ).encode()
    outcome = case_import_file(actor=Actor.system(), data=data, filename="evil.md")
    case_id = outcome.cases[0].case_id if outcome.cases else None
    if case_id is None:  # the importer refused the URL: import without it
        data = data.replace(b"url: javascript:alert(1)\n", b"")
        outcome = case_import_file(actor=Actor.system(), data=data, filename="evil.md")
        case_id = outcome.cases[0].case_id
    page = _text(staff_client.get(reverse("cases:detail", kwargs={"pk": case_id}), {"q": "人材"}))
    page = page.split("</head>")[1]
    for bad in ["<script", "onerror", "onclick", 'href="javascript']:
        assert bad not in page
    assert "段落" in page


# Export ---------------------------------------------------------------------------


def test_export_csv_utf8_cp932_and_xlsx(seeded: dict[str, Case], staff_client: Client) -> None:
    url = reverse("cases:export")
    response = staff_client.get(url, {"q": "デジタル人材", "org_type": "政令指定都市"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "事例No.",
        "タイトル",
        "団体名",
        "団体の属性",
        "公表年度",
        "事例区分(大)",
        "事例種類",
        "出典",
        "URL",
        "関連度",
    ]
    assert len(rows) == 3
    assert {r[2] for r in rows[1:]} == {"札幌市", "北九州市"}
    assert all(float(r[9]) > 0 for r in rows[1:])
    assert "令和7年度" in {r[4] for r in rows[1:]}
    sjis = staff_client.get(url, {"q": "デジタル人材", "format": "csv", "encoding": "cp932"})
    assert "Shift_JIS" in sjis["Content-Type"]
    assert "札幌市" in sjis.content.decode("cp932")
    xlsx = staff_client.get(url, {"q": "デジタル人材", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.active
    assert sheet is not None
    assert sheet.cell(1, 1).value == "事例No."
    assert sheet.cell(1, 10).value == "関連度"
    assert sheet.max_row == 6
    scores = [sheet.cell(row, 10).value for row in range(2, sheet.max_row + 1)]
    assert all(isinstance(score, float) and score > 0 for score in scores), scores
    browse = staff_client.get(url)
    assert len(list(csv.reader(io.StringIO(browse.content.decode("utf-8-sig"))))) == 6
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, target_type="cases.Case")
    assert events.count() == 4
    assert events.order_by("id").first().detail["query"] == "デジタル人材"  # type: ignore[union-attr]


def test_export_error_goes_back_to_the_search(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    response = staff_client.get(reverse("cases:export"), {"q": "人材", "fiscal_year": "むかし"})
    assert response.status_code == 302
    assert response["Location"].startswith("/cases/?")
    page = _text(staff_client.get(response["Location"]))
    assert "出力できませんでした" in page


def test_access_denied_from_a_selector_or_service_is_404(
    seeded: dict[str, Case],
    client: Client,
    user_with_role: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """AccessDenied is not an ApplicationError: no view turns it into a message; it is 404."""

    def denied(**kwargs: Any) -> Any:
        raise AccessDenied()

    client.force_login(user_with_role(Role.DX_OFFICE))
    monkeypatch.setattr(views, "case_export", denied)
    assert client.get(reverse("cases:export"), {"q": "人材"}).status_code == 404
    monkeypatch.setattr(views, "case_search", denied)
    assert client.get(SEARCH, {"q": "人材"}).status_code == 404
    monkeypatch.setattr(views, "job_submit", denied)
    response = client.post(
        reverse("cases:import"), {"documents": _upload("a.md", GOOD), "visibility": "public"}
    )
    assert response.status_code == 404
    assert not Case.objects.filter(source_file="a.md").exists()


# Import ---------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


GOOD = "# 副業人材の活用\n\n令和5年度から副業人材を3人受け入れます。\n".encode()


def test_import_roles(client: Client, user_with_role: Callable[..., Any]) -> None:
    url = reverse("cases:import")
    for role in [Role.STAFF, Role.HR, Role.UNIT_HEAD, Role.PREFECTURE_SUPPORT]:
        client.force_login(user_with_role(role))
        assert client.get(url).status_code == 404
        assert client.post(url, {"documents": _upload("a.md", GOOD)}).status_code == 404
    for role in [Role.DX_OFFICE, Role.SYSTEM_ADMIN]:
        client.force_login(user_with_role(role))
        page = _text(client.get(url))
        assert "csrfmiddlewaretoken" in page
        assert "multiple" in page


def _import_job(client: Client, data: dict[str, Any]) -> ImportJob:
    response = client.post(reverse("cases:import"), data)
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    assert response["Location"] == reverse("core:job", kwargs={"pk": job.pk})
    return job


def test_import_is_a_job_listing_each_file_and_linking_the_cases(
    db: None,
    client: Client,
    user_with_role: Callable[..., Any],
    organization: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    """Issue #14: the import result links to the cases it created; [基盤] §2: not in the request."""
    settings.HAGUKUMI_DATA_DIR = tmp_path
    client.force_login(user_with_role(Role.DX_OFFICE))
    job = _import_job(
        client,
        {
            "documents": [_upload("good.md", GOOD), _upload("broken.pdf", b"not a pdf at all")],
            "visibility": Visibility.ORGANIZATION,
        },
    )
    assert job.filename == "good.md ほか1件"
    assert not Case.objects.exists()  # queued, not imported in the request
    list(jobs_run_pending(once=True))
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.counts == {"new": 1, "changed": 0, "unchanged": 0, "failed": 1}
    case = Case.objects.get(source_file="good.md")
    assert case.visibility == Visibility.ORGANIZATION
    assert case.owner == organization
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, target_id=str(case.pk))
    page = _text(client.get(reverse("core:job", kwargs={"pk": job.pk})))
    assert "2 / 2 ファイル" in page
    assert "登録</th>" in page
    assert "失敗したファイル</th>" in page
    assert "登録: good.md「副業人材の活用」" in page
    assert "失敗: broken.pdf: " in page
    detail = reverse("cases:detail", kwargs={"pk": case.pk})
    assert f'<a href="{detail}">副業人材の活用</a>' in page
    assert "団体内" in page  # the labelled option
    again = _import_job(
        client, {"documents": _upload("good.md", GOOD), "visibility": "organization"}
    )
    list(jobs_run_pending(once=True))
    again.refresh_from_db()
    assert again.counts["unchanged"] == 1
    upload_page = _text(client.get(reverse("cases:import")))
    assert reverse("core:job", kwargs={"pk": again.pk}) in upload_page


def test_import_dry_run_and_size_cap(
    db: None, client: Client, user_with_role: Callable[..., Any], settings: Any, tmp_path: Any
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    client.force_login(user_with_role(Role.SYSTEM_ADMIN))
    url = reverse("cases:import")
    dry = _import_job(
        client, {"documents": _upload("good.md", GOOD), "visibility": "public", "dry_run": "on"}
    )
    list(jobs_run_pending(once=True))
    dry.refresh_from_db()
    assert dry.counts["new"] == 1
    page = _text(client.get(reverse("core:job", kwargs={"pk": dry.pk})))
    assert "保存していません" in page
    assert "取り込む</button>" in page  # a dry run is confirmed on its page
    assert not Case.objects.exists()
    client.post(reverse("core:job_confirm", kwargs={"pk": dry.pk}))
    list(jobs_run_pending(once=True))
    assert Case.objects.filter(source_file="good.md").exists()
    settings.HAGUKUMI_UPLOAD_MAX_BYTES = 50
    too_big = client.post(url, {"documents": _upload("big.md", GOOD), "visibility": "public"})
    assert "ファイルが大きすぎます" in _text(too_big)
    assert not Case.objects.filter(source_file="big.md").exists()
    missing = client.post(url, {"visibility": "public"})
    assert missing.context["form"].errors["documents"]
    assert "入力内容を確認してください" in _text(missing)
    assert ImportJob.objects.count() == 2


def test_import_job_of_another_organization_changes_nothing(
    db: None, client: Client, user_with_role: Callable[..., Any], settings: Any, tmp_path: Any
) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path
    client.force_login(user_with_role(Role.DX_OFFICE))
    dry = _import_job(
        client, {"documents": _upload("good.md", GOOD), "visibility": "public", "dry_run": "on"}
    )
    list(jobs_run_pending(once=True))
    outsider = Client()
    outsider.force_login(user_with_role(Role.DX_OFFICE, org=OrganizationFactory()))
    assert outsider.get(reverse("core:job", kwargs={"pk": dry.pk})).status_code == 404
    assert outsider.post(reverse("core:job_confirm", kwargs={"pk": dry.pk})).status_code == 404
    assert ImportJob.objects.count() == 1
    assert not Case.objects.exists()


def test_import_requires_csrf(db: None, user_with_role: Callable[..., Any]) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user_with_role(Role.DX_OFFICE))
    response = strict.post(
        reverse("cases:import"), {"documents": _upload("good.md", GOOD), "visibility": "public"}
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


# Issue #14: what a new user trips over on the case pages ---------------------------


def test_guidebook_markdown_is_rendered_and_snippets_are_plain(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    guidebook = seeded["001"]
    page = _text(staff_client.get(reverse("cases:detail", kwargs={"pk": guidebook.pk})))
    assert "**" in guidebook.body  # stored as imported
    assert page.count("**") == 0
    assert "<strong>デジタル人材像の明確化</strong>" in page
    response = staff_client.get(SEARCH, {"q": "デジタル人材像の明確化"})
    assert _seed_no(response.context["rows"][0].case_id) == "001"
    snippets = [str(row.snippet) for row in response.context["rows"]]
    assert all("**" not in snippet and "- ①" not in snippet for snippet in snippets)
    assert "**" not in _text(staff_client.get(SEARCH))


def test_detail_shows_the_document_not_the_file_name(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    aomori = seeded["004"]
    page = _text(staff_client.get(reverse("cases:detail", kwargs={"pk": aomori.pk})))
    assert "004_bbc9afb52334891c.txt" not in page
    assert "取込ファイル" not in page
    assert '<th scope="row">元の文書</th>' in page
    assert "「青森県デジタル人材育成方針」（青森県）" in page


def test_detail_table_of_contents_and_jump_to_the_match(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    guidebook = seeded["001"]
    url = reverse("cases:detail", kwargs={"pk": guidebook.pk})
    response = staff_client.get(url, {"q": "ITパスポート 受験料 補助"})
    page = _text(response)
    toc = page.split('<nav class="case-toc"')[1].split("</nav>")[0]
    anchors = [part.split('"')[0] for part in toc.split('href="#')[1:]]
    assert len(anchors) >= 5
    for anchor in anchors:
        assert f'id="{anchor}"' in page  # every entry jumps to a passage of the body
    passage = response.context["match_passage"]
    assert passage is not None
    jump = f'href="#case-passage-{passage.order}"'
    assert jump in page.split('class="case-match"')[1].split("</section>")[0]
    # The whole text is still there: every passage, in order.
    body = page.split('<div class="case-body">')[1]
    assert body.count('id="case-passage-') == guidebook.passages.count()


def test_export_files_are_named_by_encoding(seeded: dict[str, Case], staff_client: Client) -> None:
    url = reverse("cases:export")
    names = {
        encoding: staff_client.get(url, {"q": "人材", "format": "csv", "encoding": encoding})[
            "Content-Disposition"
        ]
        for encoding in ("utf-8", "cp932")
    }
    assert names["utf-8"] != names["cp932"]
    assert "UTF-8.csv" in names["utf-8"]
    assert "SJIS.csv" in names["cp932"]


def test_sort_select_is_honest_and_applies_on_change(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    browse = _text(staff_client.get(SEARCH))
    select = browse.split('id="id_sort"')[1].split("</select>")[0]
    # Without a query the list is newest first, and the select says so.
    assert '<option value="year" selected>' in select
    assert '<option value="relevance" selected>' not in select
    # Any change of a facet or the sort sends the form (htmx) — one trigger filter,
    # so the facet filter never swallows the sort's change event.
    assert 'hx-trigger="submit, change target:.case-search__refine"' in browse
    assert 'class="select case-search__refine"' in _text(staff_client.get(SEARCH, {"q": "人材"}))
    assert "並べ替える" in browse  # the no-JavaScript fallback button
    # A sort value from an old link is not an error.
    bad = _text(staff_client.get(SEARCH, {"q": "人材", "sort": "zzz"}))
    assert "<title>エラー" not in bad


def test_one_live_region_outside_the_swapped_results(
    seeded: dict[str, Case], staff_client: Client
) -> None:
    full = _text(staff_client.get(SEARCH, {"q": "副業"}))
    assert full.count('role="status"') == 1
    before_results = full.split('id="case-results"')[0]
    assert 'id="case-results-count"' in before_results
    assert 'role="status"' in before_results
    partial = _text(
        staff_client.get(
            SEARCH, {"q": "副業"}, headers={"HX-Request": "true", "HX-Target": "case-results"}
        )
    )
    assert 'role="status"' not in partial
    assert 'id="case-results-count" hx-swap-oob="innerHTML"' in partial
    assert "「副業」の検索結果" in partial.split('hx-swap-oob="innerHTML"')[1]


def test_skip_link_and_filter_disclosure(seeded: dict[str, Case], staff_client: Client) -> None:
    page = _text(staff_client.get(SEARCH, {"q": "人材"}))
    after_box = page.split('id="id_q"')[1]
    assert after_box.index('href="#case-results-list"') < after_box.index("case-facets")
    assert 'id="case-results-list" tabindex="-1"' in page
    assert '<details class="case-facets__disclosure"' in page
    assert "<summary" in page.split("case-facets__disclosure")[1]
    filtered = _text(staff_client.get(SEARCH, {"q": "人材", "org_type": "都道府県"}))
    # A ticked filter keeps the disclosure open after the swap (narrow screens).
    assert '<details class="case-facets__disclosure" open' in filtered
