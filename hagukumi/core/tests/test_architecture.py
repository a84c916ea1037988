"""The building blocks depend downwards only (DESIGN.md), checked by import-linter."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = [
    "core",
    "orgs",
    "cases",
    "frameworks",
    "people",
    "training",
    "assessments",
    "plans",
    "support",
    "reports",
]


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize("app", APPS)
def test_every_app_of_the_design_exists(app: str) -> None:
    from django.apps import apps

    assert apps.get_app_config(app).name == f"hagukumi.{app}"
