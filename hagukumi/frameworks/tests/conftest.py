"""Fixtures: 国 (from the orgs master, or made here) and the six loaded templates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.selectors import framework_export, framework_version_for_export
from hagukumi.frameworks.services import framework_templates_load
from hagukumi.orgs.models import Organization, OrganizationKind

TEMPLATE_CODES = ["aomori", "hokkaido", "kakegawa", "kitakyushu", "mic", "sapporo"]


def squash(text: str) -> str:
    """Seed or data text without HTML tags, markdown bold and any whitespace."""
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("**", "")
    return re.sub(r"\s+", "", text)


_SEEDS: dict[str, str] = {}


def seed_text(file_names: str) -> str:
    """The squashed text of one seed file, or of several joined by ', '."""
    parts = []
    for name in file_names.split(", "):
        if name not in _SEEDS:
            _SEEDS[name] = squash((settings.HAGUKUMI_SEEDS_DIR / name).read_text(encoding="utf-8"))
        parts.append(_SEEDS[name])
    return "\n".join(parts)


def assert_in_seed(text: str, file_names: str) -> None:
    """Each line of `text` occurs in the cited seed file(s), whitespace and tags ignored."""
    seed = seed_text(file_names)
    for line in text.splitlines():
        if line.strip():
            assert squash(line) in seed, f"not in {file_names}: {line!r}"


@pytest.fixture
def national(db: Any) -> Organization:
    found = Organization.objects.filter(kind=OrganizationKind.NATIONAL).first()
    return found or Organization.objects.create(name="国", kind=OrganizationKind.NATIONAL)


@pytest.fixture
def templates(national: Organization) -> dict[str, dict[str, Any]]:
    """Load the six templates; their exports by code."""
    system = Actor.system()
    framework_templates_load(actor=system)
    return {
        code: framework_export(
            framework_version=framework_version_for_export(actor=system, identifier=code)
        )
        for code in TEMPLATE_CODES
    }


@pytest.fixture
def dx_actor(user_with_role, organization):  # type: ignore[no-untyped-def]
    from hagukumi.core.tenancy import actor_for

    return actor_for(user_with_role(Role.DX_OFFICE), organization.pk)
