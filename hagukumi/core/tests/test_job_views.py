"""The one job page (core:job): htmx progress that updates itself, results, 「取り込む」."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hagukumi.core.jobs import job_claim, job_execute, job_submit, jobs_run_pending
from hagukumi.core.models import ImportJob, Role, User
from hagukumi.core.tabular_import import RowProblem
from hagukumi.core.tenancy import actor_for
from hagukumi.core.tests import fake_jobs
from hagukumi.core.tests.factories import MembershipFactory, UserFactory
from hagukumi.core.tests.fake_jobs import KIND, AccountOptions, accounts_csv
from hagukumi.orgs.tests.factories import OrganizationFactory

PANEL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "job-panel"}


@pytest.fixture(autouse=True)
def _fake_kind(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.HAGUKUMI_DATA_DIR = tmp_path
    fake_jobs.register()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hr_user(user_with_role):  # type: ignore[no-untyped-def]
    return user_with_role(Role.HR)


@pytest.fixture
def hr(hr_user) -> Client:  # type: ignore[no-untyped-def]
    return _client(hr_user)


def _submit(user: Any, organization: Any, *names: str, **options: Any) -> ImportJob:
    return job_submit(
        actor=actor_for(user, organization.pk),
        kind=KIND,
        source=accounts_csv(*(names or ("a1", "a2", "a3"))),
        filename="アカウント.csv",
        options=AccountOptions(**options),
    )


def _url(job: ImportJob, name: str = "core:job") -> str:
    return reverse(name, kwargs={"pk": job.pk})


@pytest.mark.django_db
def test_waiting_job_page_polls_and_has_a_reload_link(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    job = _submit(hr_user, organization, note="4月分")
    response = hr.get(_url(job))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert f"{fake_jobs.LABEL} #{job.pk}" in page
    assert "試し読みです" in page
    assert "アカウント.csv" in page
    assert "メモ</dt>" in page
    assert "4月分" in page
    assert '<p class="job-live" id="job-live" role="status">' in page
    assert 'id="job-status">待機</span>' in page
    assert f'hx-get="{_url(job)}?shown=queued"' in page
    assert 'hx-trigger="load delay:1s"' in page
    assert "最新の状態を表示" in page
    assert reverse("core:home") in page  # back to the kind's upload page


@pytest.mark.django_db
def test_htmx_poll_answers_the_panel_and_the_live_sentence_only_on_change(  # type: ignore[no-untyped-def]
    hr, hr_user, organization
):
    job = _submit(hr_user, organization)
    same = hr.get(_url(job) + "?shown=queued", **PANEL).content.decode()
    assert "<html" not in same
    assert same.lstrip().startswith('<section id="job-panel"')
    assert 'hx-trigger="load delay:1s"' in same
    assert "hx-swap-oob" not in same  # status unchanged: the live region stays quiet

    list(jobs_run_pending(once=True))
    done = hr.get(_url(job) + "?shown=queued", **PANEL).content.decode()
    assert "hx-trigger" not in done  # polling stops when the job ends
    assert "最新の状態を表示" not in done
    assert '<p id="job-live" hx-swap-oob="innerHTML">' in done
    assert 'id="job-status">成功</span>' in done
    assert "「取り込む」を押してください" in done
    assert "3 / 3 行" in done
    assert "新規</th>" in done
    assert "取り込む</button>" in done
    # A boosted or other htmx request for the page gets the whole page.
    whole = hr.get(_url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in whole


@pytest.mark.django_db
def test_row_counter_and_outcomes_of_a_dry_run(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    job = _submit(hr_user, organization, retire_others=True)
    list(jobs_run_pending(once=True))
    page = hr.get(_url(job)).content.decode()
    assert "3 / 3 行" in page
    assert "2003" not in page
    assert "退職</th>" in page
    assert f"{fake_jobs.RETIRED_OTHERS}件" in page
    assert "行 2 a1: 新規" in page


@pytest.mark.django_db
def test_confirm_queues_the_real_run_and_shows_its_page(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    dry = _submit(hr_user, organization)
    list(jobs_run_pending(once=True))
    response = hr.post(_url(dry, "core:job_confirm"))
    follow = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response.status_code == 302
    assert response["Location"] == _url(follow)
    assert follow.confirmed_from_id == dry.pk
    waiting = hr.get(response["Location"]).content.decode()
    assert "取込を受け付けました" in waiting
    assert f"取込 #{dry.pk}</a>" in waiting  # links back to its dry run
    list(jobs_run_pending(once=True))
    done = hr.get(_url(follow)).content.decode()
    assert "取込が終わりました。" in done
    assert "取り込む</button>" not in done
    assert set(
        User.objects.filter(username__startswith="a").values_list("username", flat=True)
    ) == {
        "a1",
        "a2",
        "a3",
    }
    again = hr.post(_url(dry, "core:job_confirm"), follow=True).content.decode()
    assert "この取込は確定できません" in again
    assert ImportJob.objects.count() == 2


@pytest.mark.django_db
def test_confirm_is_post_only_and_refused_outside_scope(  # type: ignore[no-untyped-def]
    hr, hr_user, organization, user_with_role
):
    dry = _submit(hr_user, organization)
    list(jobs_run_pending(once=True))
    assert hr.get(_url(dry, "core:job_confirm")).status_code == 405
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role=Role.HR)
    staff = user_with_role(Role.STAFF)
    for user in (outsider, staff):
        client = _client(user)
        assert client.get(_url(dry)).status_code == 404
        assert client.post(_url(dry, "core:job_confirm")).status_code == 404
        assert client.get(_url(dry), **PANEL).status_code == 404
    assert ImportJob.objects.count() == 1
    colleague = _client(user_with_role(Role.HR))  # the same 団体's 人事担当 shares the work
    assert colleague.get(_url(dry)).status_code == 200


@pytest.mark.django_db
def test_failed_job_lists_its_row_errors(hr, hr_user, organization, monkeypatch):  # type: ignore[no-untyped-def]
    real_create = User.objects.create

    def create(**fields):  # type: ignore[no-untyped-def]
        if fields["username"].startswith("bad"):
            raise RowProblem("username", "使えないログインIDです")
        return real_create(**fields)

    monkeypatch.setattr(User.objects, "create", create)
    job = _submit(hr_user, organization, "a1", "bad1")
    job_execute(job_claim())  # type: ignore[arg-type]
    page = hr.get(_url(job)).content.decode()
    assert "取り込めませんでした（何も保存していません）" in page
    assert 'id="job-row-errors"' in page
    assert "<td>ログインID</td>" in page
    assert "使えないログインIDです" in page
    assert "取り込む</button>" not in page
    assert "hx-trigger" not in page


@pytest.mark.django_db
def test_waiting_job_says_what_it_waits_for(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    first = _submit(hr_user, organization)
    second = _submit(hr_user, organization)
    assert job_claim() is not None
    page = hr.get(_url(second)).content.decode()
    assert "順番を待っています" in page
    assert f"ImportJob #{first.pk}" in page


@pytest.mark.django_db
def test_a_mass_change_shows_a_warning_and_needs_the_checkbox(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    dry = _submit(hr_user, organization, retire_others=True, ask_confirmation=True)
    list(jobs_run_pending(once=True))
    page = hr.get(_url(dry)).content.decode()
    assert 'id="job-warning"' in page
    assert f"この取込は {fake_jobs.RETIRED_OTHERS}名を退職にします。" in page
    assert 'name="acknowledge"' in page
    assert fake_jobs.ACKNOWLEDGE in page
    # Without the tick (a page without JavaScript, a forged post): refused, nothing queued.
    refused = hr.post(_url(dry, "core:job_confirm"), follow=True).content.decode()
    assert f"「{fake_jobs.ACKNOWLEDGE}」にチェックを入れてください" in refused
    assert ImportJob.objects.count() == 1
    response = hr.post(_url(dry, "core:job_confirm"), {"acknowledge": "yes"})
    follow = ImportJob.objects.exclude(pk=dry.pk).get()
    assert response["Location"] == _url(follow)
    list(jobs_run_pending(once=True))
    follow.refresh_from_db()
    assert follow.status == "succeeded"


@pytest.mark.django_db
def test_an_ordinary_dry_run_has_no_warning(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    dry = _submit(hr_user, organization, retire_others=True)
    list(jobs_run_pending(once=True))
    page = hr.get(_url(dry)).content.decode()
    assert 'id="job-warning"' not in page
    assert 'name="acknowledge"' not in page


@pytest.mark.django_db
def test_the_page_links_what_a_run_made(hr, hr_user, organization):  # type: ignore[no-untyped-def]
    dry = _submit(hr_user, organization, "k1")
    list(jobs_run_pending(once=True))
    hr.post(_url(dry, "core:job_confirm"))
    list(jobs_run_pending(once=True))
    follow = ImportJob.objects.exclude(pk=dry.pk).get()
    page = hr.get(_url(follow)).content.decode()
    assert 'id="job-links"' in page
    assert '<a href="/">k1</a>' in page
