"""The skill map in the browser: upload (dry run on core's job page) → 「取り込む」 → the draft
changes; the page never tells a browser user to run a command. An empty table says so."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hagukumi.core.jobs import jobs_run_pending
from hagukumi.core.models import ImportJob, Role
from hagukumi.core.tabular_export import write_table
from hagukumi.frameworks.import_jobs import SKILL_MAP_KIND
from hagukumi.frameworks.models import Competency, CompetencyLevel
from hagukumi.frameworks.selectors import framework_draft, framework_export
from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft
from hagukumi.orgs.tests.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def _job_files(settings: Any, tmp_path: Any) -> None:
    settings.HAGUKUMI_DATA_DIR = tmp_path


def _client(user_with_role: Any, role: str = Role.DX_OFFICE) -> Client:
    client = Client()
    client.force_login(user_with_role(role))
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def skill_map_upload(rows: list[dict[str, Any]]) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "スキルマップ.xlsx", write_table(rows, columns=SKILL_MAP_COLUMNS, format="xlsx")
    )


def behaviours(framework: Any) -> list[tuple[int, list[str]]]:
    content = framework_export(framework_version=framework_draft(framework=framework))
    return [(cl["level"], cl["behaviours"]) for cl in content["competencies"][0]["levels"]]


def test_the_skill_map_page_offers_the_upload_not_a_command(user_with_role, organization):
    framework = framework_with_draft(organization)
    client = _client(user_with_role)
    page = text(client.get(reverse("frameworks:skill_map", args=[framework.pk])))
    assert "import_skill_map" not in page
    upload_url = reverse("frameworks:skill_map_upload", args=[framework.pk])
    assert f'href="{upload_url}"' in page
    form = text(client.get(upload_url))
    assert 'type="file"' in form
    assert 'enctype="multipart/form-data"' in form
    # A role that may not edit sees no upload link (and the page is 404 for it).
    staff = _client(user_with_role, Role.STAFF)
    staff_page = text(staff.get(reverse("frameworks:skill_map", args=[framework.pk])))
    assert upload_url not in staff_page
    assert "import_skill_map" not in staff_page
    assert staff.get(upload_url).status_code == 404


def test_upload_dry_run_then_confirm_changes_the_draft(user_with_role, organization):
    framework = framework_with_draft(organization)
    client = _client(user_with_role)
    rows = [
        {"code": "c1", "level": 1, "behaviours": "変えた行動"},
        {"code": "c1", "level": 2, "label": "LV2", "behaviours": "新しい行動\n二つ目"},
    ]
    response = client.post(
        reverse("frameworks:skill_map_upload", args=[framework.pk]),
        {"file": skill_map_upload(rows)},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", kwargs={"pk": job.pk})
    assert job.kind == SKILL_MAP_KIND
    assert job.options["dry_run"] is True
    list(jobs_run_pending(once=True))
    dry = text(client.get(response["Location"]))
    assert "2 / 2 行" in dry
    assert "取り込む</button>" in dry
    assert framework.name in dry
    assert behaviours(framework) == [(1, ["自ら動く"])]

    confirmed = client.post(reverse("core:job_confirm", kwargs={"pk": job.pk}))
    assert confirmed.status_code == 302
    list(jobs_run_pending(once=True))
    assert behaviours(framework) == [(1, ["変えた行動"]), (2, ["新しい行動", "二つ目"])]


def test_a_bad_file_fails_the_job_and_changes_nothing(user_with_role, organization):
    framework = framework_with_draft(organization)
    client = _client(user_with_role)
    client.post(
        reverse("frameworks:skill_map_upload", args=[framework.pk]),
        {"file": skill_map_upload([{"code": "nope", "level": 1, "behaviours": "x"}])},
    )
    list(jobs_run_pending(once=True))
    job = ImportJob.objects.get()
    page = text(client.get(reverse("core:job", kwargs={"pk": job.pk})))
    assert "「nope」はこのフレームワークにありません" in page
    assert behaviours(framework) == [(1, ["自ら動く"])]


def test_without_a_draft_the_upload_says_to_make_one(user_with_role, organization, dx_actor):
    from hagukumi.frameworks.services import framework_version_publish

    framework = framework_with_draft(organization)
    framework_version_publish(actor=dx_actor, framework_version=framework.versions.get())
    client = _client(user_with_role)
    page = text(client.get(reverse("frameworks:skill_map_upload", args=[framework.pk])))
    assert "下書き" in page
    assert 'type="file"' not in page
    response = client.post(
        reverse("frameworks:skill_map_upload", args=[framework.pk]),
        {"file": skill_map_upload([{"code": "c1", "level": 1, "behaviours": "x"}])},
    )
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_another_organization_gets_404_and_no_job(user_with_role):
    other = framework_with_draft(OrganizationFactory())
    client = _client(user_with_role, Role.SYSTEM_ADMIN)
    url = reverse("frameworks:skill_map_upload", args=[other.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"file": skill_map_upload([{"code": "c1", "level": 1, "behaviours": "x"}])}
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_a_framework_without_levels_says_so_instead_of_an_empty_table(user_with_role, organization):
    framework = framework_with_draft(organization)
    CompetencyLevel.objects.filter(competency__version__framework=framework).delete()
    assert Competency.objects.filter(version__framework=framework).exists()
    page = text(_client(user_with_role).get(reverse("frameworks:skill_map", args=[framework.pk])))
    assert "このフレームワークにはレベルが定義されていません" in page
    assert "<table" not in page
