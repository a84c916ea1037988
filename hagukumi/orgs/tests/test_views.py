"""所属 pages: browse by year, add / change / close, import with preview; role checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hagukumi.core.access import view_roles
from hagukumi.core.errors import AccessDenied
from hagukumi.core.jobs import job_options, jobs_run_pending
from hagukumi.core.models import AuditEvent, ImportJob, Role
from hagukumi.core.tenancy import Actor
from hagukumi.orgs import views
from hagukumi.orgs.import_jobs import UnitImportOptions
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_as_of
from hagukumi.orgs.services import UNIT_EDITOR_ROLES, unit_create
from hagukumi.orgs.tests.conftest import FY, TREE_LINES, csv_bytes
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

EDITORS = list(UNIT_EDITOR_ROLES)
NON_EDITORS = [Role.STAFF, Role.UNIT_HEAD, Role.PREFECTURE_SUPPORT]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    return tmp_path


def login(client: Client, user_with_role, role: str, **kw) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user_with_role(role, **kw))
    return client


def tree_url(fy: int = FY) -> str:
    return f"{reverse('orgs:unit_tree')}?fy={fy}"


def test_every_view_declares_its_roles() -> None:
    assert view_roles(views.unit_tree) == frozenset(Role.values)
    for view in (
        views.unit_create_view,
        views.unit_edit_view,
        views.unit_close_view,
        views.unit_import_view,
    ):
        assert view_roles(view) == frozenset(UNIT_EDITOR_ROLES)


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(tree_url())
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


# --- browse ------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_browses_the_tree(client: Client, user_with_role, tree, role: str) -> None:  # type: ignore[no-untyped-def]
    response = login(client, user_with_role, role).get(tree_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "令和8年度 (2026)" in html
    assert "デジタル推進課" in html
    assert "情報政策" in html
    assert "研修係" in html
    assert (reverse("orgs:unit_create") in html) == (role in EDITORS)


def test_tree_shows_the_chosen_year(client: Client, user_with_role, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    client.post(
        reverse("orgs:unit_edit", args=[tree["0201"].pk]),
        {
            "fy": 2027,
            "name": "DX推進課",
            "kind": "課",
            "functions": "情報政策",
            "parent": tree["02"].pk,
        },
    )
    assert "DX推進課" in client.get(tree_url(2027)).content.decode()
    html_2026 = client.get(tree_url(2026)).content.decode()
    assert "DX推進課" not in html_2026
    assert "デジタル推進課" in html_2026


def test_tree_page_query_count(
    client: Client, user_with_role, tree, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.STAFF)
    with django_assert_max_num_queries(8):
        client.get(tree_url())


def test_another_organizations_tree_is_not_shown(client: Client, user_with_role, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR, org=OrganizationFactory())
    assert "デジタル推進課" not in client.get(tree_url()).content.decode()


# --- edit ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_EDITORS)
def test_non_editors_get_404_on_every_edit_page(
    client: Client, user_with_role, tree, role: str
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, role)
    pk = tree["0101"].pk
    for url in (
        reverse("orgs:unit_create"),
        reverse("orgs:unit_edit", args=[pk]),
        reverse("orgs:unit_close", args=[pk]),
        reverse("orgs:unit_import"),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"fy": FY, "name": "x", "code": "x"}).status_code == 404, url
    assert Unit.objects.get(pk=pk).name == "人事課"


def test_editor_of_another_organization_gets_404(client: Client, user_with_role, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR, org=OrganizationFactory())
    pk = tree["0101"].pk
    assert client.get(reverse("orgs:unit_edit", args=[pk])).status_code == 404
    response = client.post(
        reverse("orgs:unit_edit", args=[pk]), {"fy": FY, "name": "乗っ取り課", "kind": "課"}
    )
    assert response.status_code == 404
    assert client.post(reverse("orgs:unit_close", args=[pk]), {"fy": FY}).status_code == 404
    assert Unit.objects.get(pk=pk).name == "人事課"


@pytest.mark.parametrize("role", EDITORS)
def test_add_a_child_unit(
    client: Client, user_with_role, organization: Organization, tree, role: str
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, role)
    url = f"{reverse('orgs:unit_create')}?fy={FY}&parent={tree['0101'].pk}"
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "※必須" in html
    assert 'list="unit-kind-suggestions"' in html
    response = client.post(
        url,
        {
            "fy": FY,
            "code": "010102",
            "name": "給与係",
            "kind": "係",
            "functions": "人事、給与",
            "parent": tree["0101"].pk,
        },
    )
    assert response.status_code == 302
    node = units_as_of(organization=organization, fiscal_year=FY).node("010102")
    assert node.parent.unit.code == "0101"
    assert node.unit.functions == ["人事", "給与"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, target_id=str(node.unit.pk))
    # Where it came from is the audit context's (middleware), not a service parameter.
    assert event.path == reverse("orgs:unit_create")
    assert event.ip_address == "127.0.0.1"


def test_add_with_errors_shows_them_accessibly(client: Client, user_with_role, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    response = client.post(reverse("orgs:unit_create"), {"fy": FY, "code": "", "name": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html
    assert "aria-describedby" in html
    response = client.post(reverse("orgs:unit_create"), {"fy": FY, "code": "01", "name": "重複部"})
    assert "既に使われています" in response.content.decode()


def test_rename_and_move_for_a_year(
    client: Client, user_with_role, organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.DX_OFFICE)
    url = f"{reverse('orgs:unit_edit', args=[tree['0101'].pk])}?fy=2027"
    page = client.get(url).content.decode()
    assert 'value="人事課"' in page
    assert "履歴" in page
    response = client.post(
        url,
        {"fy": 2027, "name": "職員課", "kind": "課", "functions": "人事", "parent": tree["02"].pk},
    )
    assert response.status_code == 302
    new_tree = units_as_of(organization=organization, fiscal_year=2027)
    assert new_tree.node("0101").unit.name == "職員課"
    assert new_tree.node("0101").parent.unit.code == "02"
    assert (
        units_as_of(organization=organization, fiscal_year=2026).node("0101").unit.name == "人事課"
    )


def test_edit_cannot_choose_itself_or_a_descendant_as_parent(
    client: Client, user_with_role, tree
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    url = reverse("orgs:unit_edit", args=[tree["01"].pk])
    html = client.get(f"{url}?fy={FY}").content.decode()
    assert f'value="{tree["010101"].pk}"' not in html
    response = client.post(
        url, {"fy": FY, "name": "総務部", "kind": "部", "parent": tree["010101"].pk}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_close_a_unit(client: Client, user_with_role, organization: Organization, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.SYSTEM_ADMIN)
    url = reverse("orgs:unit_close", args=[tree["010101"].pk])
    assert "廃止する" in client.get(f"{url}?fy=2027").content.decode()
    assert client.post(url, {"fy": 2027}).status_code == 302
    assert units_as_of(organization=organization, fiscal_year=2027).node("010101") is None
    refused = client.post(reverse("orgs:unit_close", args=[tree["01"].pk]), {"fy": 2027})
    assert refused.status_code == 200
    assert "廃止できません" in refused.content.decode()


# --- import ----------------------------------------------------------------------------


def upload(data: bytes, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _job_url(job: ImportJob, name: str = "core:job") -> str:
    return reverse(name, kwargs={"pk": job.pk})


def _dry_run(client: Client, *lines: str) -> ImportJob:
    response = client.post(
        reverse("orgs:unit_import"), {"fiscal_year": FY, "file": upload(csv_bytes(*lines))}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    assert response["Location"] == _job_url(job)
    list(jobs_run_pending(once=True))
    job.refresh_from_db()
    return job


def test_import_dry_run_job_then_confirm(
    client: Client, user_with_role, organization: Organization, data_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    assert client.get(reverse("orgs:unit_import")).status_code == 200
    dry = _dry_run(client, *TREE_LINES)
    assert job_options(dry) == UnitImportOptions(dry_run=True, fiscal_year=FY)
    html = client.get(_job_url(dry)).content.decode()
    assert "試し読みの結果（まだ保存していません）" in html
    assert "令和8年度 (2026)" in html  # the labelled option
    assert "取り込む</button>" in html
    assert "0101 人事課: 新規" in html
    assert not Unit.objects.filter(organization=organization).exists()
    assert list((data_dir / "jobs").iterdir())  # the file waits for 「取り込む」
    done = client.post(_job_url(dry, "core:job_confirm"))
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert done["Location"] == _job_url(real)
    list(jobs_run_pending(once=True))
    assert len(units_as_of(organization=organization, fiscal_year=FY)) == 5
    page = client.get(_job_url(real)).content.decode()
    assert f'href="{tree_url()}"' in page  # a link to the chart it changed
    assert not list((data_dir / "jobs").iterdir())
    # A dry run is confirmed once.
    again = client.post(_job_url(dry, "core:job_confirm"), follow=True).content.decode()
    assert "この取込は確定できません" in again
    # The upload page lists the jobs.
    assert _job_url(real) in client.get(reverse("orgs:unit_import")).content.decode()


def test_import_row_errors_fail_the_dry_run(
    client: Client, user_with_role, organization: Organization
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    job = _dry_run(client, "01,総務部,,部,", "01,企画部,,部,")
    assert job.status == "failed"
    html = client.get(_job_url(job)).content.decode()
    assert "取り込めませんでした" in html
    assert "所属コード" in html
    assert "取り込む</button>" not in html


def test_import_job_of_another_organization_changes_nothing(
    client: Client, user_with_role, organization: Organization
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    dry = _dry_run(client, *TREE_LINES)
    other = Client()
    other.force_login(user_with_role(Role.HR, org=OrganizationFactory()))
    assert other.get(_job_url(dry)).status_code == 404
    assert other.post(_job_url(dry, "core:job_confirm")).status_code == 404
    staff = Client()
    staff.force_login(user_with_role(Role.STAFF))  # not an editor of the org chart
    assert staff.post(_job_url(dry, "core:job_confirm")).status_code == 404
    assert ImportJob.objects.count() == 1
    assert not Unit.objects.filter(organization=organization).exists()


def test_a_mass_closure_warns_and_needs_the_checkbox(
    client: Client, user_with_role, organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    actor = Actor.command_line(organization)
    for i in range(1, 10):
        unit_create(
            actor=actor,
            organization=organization,
            fiscal_year=FY,
            code=f"03{i:02d}",
            name=f"出張所{i}",
            kind="課",
        )
    login(client, user_with_role, Role.DX_OFFICE)
    dry = _dry_run(client, "01,総務部,,部,")  # 13 of 14 units closed
    assert dry.counts["closed"] == 13
    html = client.get(_job_url(dry)).content.decode()
    assert 'id="job-warning"' in html
    assert "ファイルにない所属 13件を廃止します（この年度の所属 14件）" in html
    assert "13件の所属を廃止することを確認しました" in html
    refused = client.post(_job_url(dry, "core:job_confirm"), follow=True).content.decode()
    assert "「13件の所属を廃止することを確認しました」にチェックを入れてください" in refused
    assert ImportJob.objects.count() == 1
    client.post(_job_url(dry, "core:job_confirm"), {"acknowledge": "yes"})
    list(jobs_run_pending(once=True))
    assert len(units_as_of(organization=organization, fiscal_year=FY)) == 1


def test_a_few_closures_need_no_checkbox(
    client: Client, user_with_role, organization: Organization, tree
) -> None:  # type: ignore[no-untyped-def]
    login(client, user_with_role, Role.HR)
    dry = _dry_run(client, *TREE_LINES[:3])  # 2 of 5 closed
    html = client.get(_job_url(dry)).content.decode()
    assert "02 企画部: 廃止" in html
    assert 'id="job-warning"' not in html
    client.post(_job_url(dry, "core:job_confirm"))
    list(jobs_run_pending(once=True))
    assert len(units_as_of(organization=organization, fiscal_year=FY)) == 3


# --- AccessDenied from a service ------------------------------------------------------


def _denied(**kwargs):  # type: ignore[no-untyped-def]
    raise AccessDenied()


@pytest.mark.parametrize(
    ("service", "url", "data"),
    [
        ("unit_create", "create", {"fy": FY, "code": "9", "name": "新設課"}),
        ("unit_update", "edit", {"fy": FY, "name": "改名課", "kind": "課"}),
        ("unit_close", "close", {"fy": 2027}),
        ("job_submit", "import", {"fiscal_year": FY}),
    ],
)
def test_access_denied_by_a_service_is_a_404(  # type: ignore[no-untyped-def]
    client: Client, user_with_role, tree, monkeypatch, service: str, url: str, data: dict
) -> None:
    """AccessDenied is not an ApplicationError: no form error, no message, just 404."""
    monkeypatch.setattr(views, service, _denied)
    login(client, user_with_role, Role.HR)
    urls = {
        "create": reverse("orgs:unit_create"),
        "edit": reverse("orgs:unit_edit", args=[tree["0101"].pk]),
        "close": reverse("orgs:unit_close", args=[tree["010101"].pk]),
        "import": reverse("orgs:unit_import"),
    }
    if url == "import":
        data = {**data, "file": upload(csv_bytes(*TREE_LINES))}
    response = client.post(urls[url], data)
    assert response.status_code == 404
