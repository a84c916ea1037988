"""scripts/check_conventions.py: each rule fires on a tiny file, and a clean tree passes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "check_conventions.py"


@pytest.fixture(scope="module")
def conventions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_conventions", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rules_fired(conventions: ModuleType, root: Path) -> list[tuple[str, int, str]]:
    return [
        (str(v.path.relative_to(root)), v.line, v.rule.name)
        for v in conventions.check([root], root=root)
    ]


@pytest.mark.parametrize(
    ("relative", "line", "rule"),
    [
        ("app/views.py", "    staff = Staff.objects.get(pk=pk)\n", "orm-in-view"),
        ("app/api.py", "    return list(Case.objects.all())\n", "orm-in-view"),
        ("app/views/search.py", "    Staff.objects.filter(unit=unit)\n", "orm-in-view"),
        ("app/api/staff.py", "    Staff.objects.filter(unit=unit)\n", "orm-in-view"),
        ("app/selectors.py", "def staff_search(*, actor=None):\n", "actor-none"),
        ("app/services.py", "    unit_create(actor = None, code='01')\n", "actor-none"),
        ("app/views.py", "    if request.headers.get('HX-Request'):\n", "raw-htmx-header"),
        ("app/views.py", '    target = request.headers["hx-target"]\n', "raw-htmx-header"),
        (
            "app/middleware.py",
            '    flag = request.META.get("HTTP_HX_REQUEST")\n',
            "raw-htmx-header",
        ),
        ("app/web.py", '    flag = request.META["HTTP_HX_BOOSTED"]\n', "raw-htmx-header"),
    ],
)
def test_each_rule_fires(
    conventions: ModuleType, tmp_path: Path, relative: str, line: str, rule: str
) -> None:
    _write(tmp_path, relative, f"def f(request):\n{line}")
    assert _rules_fired(conventions, tmp_path) == [(relative, 2, rule)]


def test_a_clean_tree_passes(conventions: ModuleType, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "app/views.py",
        "from app.selectors import staff_search\n"
        "def search(request):\n"
        "    actor = actor_of(request)\n"
        "    if is_htmx(request):\n"
        "        response['HX-Trigger'] = 'saved'  # writing a response header is fine\n"
        "    return staff_search(actor=actor)\n",
    )
    # Queries belong in selectors and services; only views and API modules are checked.
    _write(tmp_path, "app/selectors.py", "def f(*, actor):\n    return Staff.objects.all()\n")
    # The middleware marks an anonymous request; that is not passing None as an actor.
    _write(tmp_path, "app/middleware.py", "def f(request):\n    request.actor = None\n")
    _write(tmp_path, "app/notes.txt", "actor=None\n")
    assert _rules_fired(conventions, tmp_path) == []


def test_tests_migrations_and_allowed_lines_are_not_checked(
    conventions: ModuleType, tmp_path: Path
) -> None:
    _write(tmp_path, "app/tests/test_views.py", "Staff.objects.all()\nf(actor=None)\n")
    _write(tmp_path, "app/migrations/0001_initial.py", "Staff.objects.all()\n")
    _write(
        tmp_path,
        "app/views.py",
        "def f():\n    return Staff.objects.none()  # conventions: allow an empty queryset\n",
    )
    assert _rules_fired(conventions, tmp_path) == []


def test_the_script_exits_non_zero_and_names_the_reason(tmp_path: Path) -> None:
    _write(tmp_path, "app/views.py", "def f(request):\n    return f(actor=None)\n")
    failed = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1
    assert "views.py:2: [actor-none] None is never an actor" in failed.stdout
    _write(tmp_path, "app/views.py", "def f(request):\n    return f(actor=actor_of(request))\n")
    passed = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert (passed.returncode, passed.stdout) == (0, "")
