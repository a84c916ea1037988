"""Demo data of cases: the five seed documents of ``settings.HAGUKUMI_SEEDS_DIR`` as 公開.

Idempotent: a second run finds every seed unchanged (same content hash).
"""

from __future__ import annotations

from django.conf import settings

from hagukumi.cases.models import Visibility
from hagukumi.cases.services import case_import_paths
from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor


def seed_paths() -> list[str]:
    seeds_dir = settings.HAGUKUMI_SEEDS_DIR
    return [str(path) for path in sorted(seeds_dir.glob("[0-9][0-9][0-9]_*.txt"))]


def load() -> str:
    """Import the seed cases (as the system actor); return a one-line summary in Japanese."""
    paths = seed_paths()
    if not paths:
        raise ApplicationError(f"種文書が見つかりません: {settings.HAGUKUMI_SEEDS_DIR}")
    report = case_import_paths(actor=Actor.system(), paths=paths, visibility=Visibility.PUBLIC)
    if report.failed:
        raise ApplicationError(" / ".join(outcome.line() for outcome in report.failed))
    return "先進事例（種文書）: " + report.lines()[-1]
