"""`hagukumi load_demo` and `hagukumi demo_logins`, with fake demo modules."""

from __future__ import annotations

import io
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from hagukumi.core.errors import ApplicationError
from hagukumi.core.management.commands import load_demo
from hagukumi.core.models import User


def _fake_demo(name: str, *, logins=None, fail: bool = False):  # type: ignore[no-untyped-def]
    module = types.ModuleType(name)

    def load() -> str:
        if fail:
            raise ApplicationError("デモ市がありません。")
        _, created = User.objects.get_or_create(username=f"demo-{name.split('.')[1]}")
        return "作成しました" if created else "変更なし"

    module.load = load  # type: ignore[attr-defined]
    if logins is not None:
        module.logins = lambda: logins  # type: ignore[attr-defined]
    return module


@pytest.fixture
def fake_demos(monkeypatch):  # type: ignore[no-untyped-def]
    modules = [
        ("orgs", _fake_demo("hagukumi.orgs.demo", logins=[("demo-dx", "pw-1", "DX推進担当")])),
        ("cases", _fake_demo("hagukumi.cases.demo")),
        ("people", _fake_demo("hagukumi.people.demo", logins=[("demo-hr", "pw-2", "人事担当")])),
    ]
    monkeypatch.setattr(load_demo, "demo_modules", lambda: modules)
    return modules


def _run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_runs_every_demo_module_in_order_and_is_idempotent(fake_demos):
    first = _run("load_demo")
    assert first.splitlines() == [
        "orgs: 作成しました",
        "cases: 作成しました",
        "people: 作成しました",
    ]
    second = _run("load_demo")
    assert second.splitlines() == ["orgs: 変更なし", "cases: 変更なし", "people: 変更なし"]
    assert User.objects.filter(username__startswith="demo-").count() == 3


@pytest.mark.django_db
def test_load_demo_reports_an_application_error_in_japanese(monkeypatch):
    monkeypatch.setattr(
        load_demo, "demo_modules", lambda: [("plans", _fake_demo("hagukumi.plans.demo", fail=True))]
    )
    with pytest.raises(
        CommandError, match="plans: デモデータを読み込めませんでした。デモ市がありません。"
    ):
        _run("load_demo")


@pytest.mark.django_db
def test_demo_logins_prints_a_table_and_the_url(fake_demos):
    out = _run("demo_logins")
    assert "http://127.0.0.1:8000/" in out
    assert "デモ用ログイン" in out
    for text in (
        "利用者ID",
        "パスワード",
        "説明",
        "demo-dx",
        "pw-1",
        "DX推進担当",
        "demo-hr",
        "人事担当",
    ):
        assert text in out
    assert out.index("demo-dx") < out.index("demo-hr")


def test_demo_logins_without_any_login(monkeypatch):
    monkeypatch.setattr(load_demo, "demo_modules", lambda: [])
    out = _run("demo_logins")
    assert "http://127.0.0.1:8000/" in out
    assert "デモ用のログインはありません" in out


def test_demo_modules_are_discovered_in_installed_apps_order(monkeypatch):
    late = _fake_demo("hagukumi.reports.demo")
    early = _fake_demo("hagukumi.frameworks.demo")
    monkeypatch.setitem(sys.modules, "hagukumi.reports.demo", late)
    monkeypatch.setitem(sys.modules, "hagukumi.frameworks.demo", early)
    found = load_demo.demo_modules()
    labels = [label for label, _ in found]
    modules = dict(found)
    assert modules["frameworks"] is early
    assert modules["reports"] is late
    assert labels.index("frameworks") < labels.index("reports")
    assert "core" not in labels  # core has no demo module
    if "orgs" in labels:
        assert labels.index("orgs") < labels.index("frameworks")


def test_an_import_error_inside_a_demo_module_is_not_swallowed(monkeypatch):
    import importlib

    from django.utils import module_loading

    real_import = importlib.import_module
    real_has_submodule = module_loading.module_has_submodule

    def broken(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        if name == "hagukumi.support.demo":
            raise ModuleNotFoundError(
                "No module named 'missing_dependency'", name="missing_dependency"
            )
        return real_import(name, package)

    def has_submodule(package, name):  # type: ignore[no-untyped-def]
        # The support app "has" a demo module whose own import fails.
        if package.__name__ == "hagukumi.support" and name == "demo":
            return True
        return real_has_submodule(package, name)

    monkeypatch.setattr(module_loading, "import_module", broken)
    monkeypatch.setattr(module_loading, "module_has_submodule", has_submodule)
    with pytest.raises(ModuleNotFoundError, match="missing_dependency"):
        load_demo.demo_modules()
