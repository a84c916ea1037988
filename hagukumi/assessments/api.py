"""The certification API under /api/v1/certification/: who meets a rule, and what others lack.

`GET /api/v1/certification/candidates?talent_type=dx-leader&fiscal_year=2025` answers
the same JSON as `hagukumi certification_candidates --json` (one selector,
`certification_candidates`, serves both). DX推進担当 and 人事担当 of the 団体;
any other role or 団体 → 404; a missing rule or a bad 年度 → 400.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from hagukumi.assessments.selectors import certification_candidates
from hagukumi.core.errors import ApplicationError
from hagukumi.core.wareki import fiscal_year_of, parse_fiscal_year
from hagukumi.core.web import actor_of

router = Router(tags=["認定"])


class CandidatesIn(Schema):
    talent_type: str
    framework: str = ""
    level: str = ""
    fiscal_year: str = ""
    as_of: dt.date | None = None


class ReasonOut(Schema):
    clause: str
    message: str
    current: int | str | None
    required: int | str | None
    source: str
    as_of: str
    next_chance: str | None


class MeetOut(Schema):
    staff_no: str
    name: str
    unit: str


class MissingOut(MeetOut):
    reasons: list[ReasonOut]


class CandidatesOut(Schema):
    organization_code: str
    organization_name: str
    talent_type: str
    fiscal_year: int
    meets: list[MeetOut]
    missing: list[MissingOut]


@router.get(
    "/certification/candidates",
    response=CandidatesOut,
    url_name="certification_candidates",
    summary="認定の候補（基準を満たす人・満たさない人とその理由）",
)
def candidates(request: HttpRequest, filters: Query[CandidatesIn]) -> dict[str, object]:
    """人材類型（`talent_type`、必要なら `framework`・`level`）の認定基準で、`fiscal_year`
    （例: 2025、令和7年度。省略時は今年度）の候補を職員番号順に返します。満たさない人には
    条件ごとの理由（`message` は日本語、`next_chance` は次の機会）を付けます。"""
    actor = actor_of(request)
    today = filters.as_of or timezone.localdate()
    if filters.fiscal_year:
        try:
            fiscal_year = parse_fiscal_year(filters.fiscal_year)
        except ValueError as exc:
            raise ApplicationError(f"年度「{filters.fiscal_year}」が読み取れません。") from exc
    else:
        fiscal_year = fiscal_year_of(today)
    report = certification_candidates(
        actor=actor,
        talent_type_code=filters.talent_type,
        framework_code=filters.framework,
        level_code=filters.level,
        fiscal_year=fiscal_year,
        today=today,
    )
    return report.as_dict()
