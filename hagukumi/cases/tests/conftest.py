from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from hagukumi.cases import demo
from hagukumi.cases.models import Case

SEEDS = Path(settings.HAGUKUMI_SEEDS_DIR)


@pytest.fixture
def seeded(db: None) -> dict[str, Case]:
    """The five seeds imported as 公開, by seed number ("000" … "004")."""
    demo.load()
    return {case.source_file[:3]: case for case in Case.objects.all()}
