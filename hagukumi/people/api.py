"""The 職員 API under /api/v1/: staff (search and one profile), designations,
qualifications, job challenges, the leader directory.

Every answer holds only the fields the role may see (the selectors fill them;
a field the role may not see is absent, not null). A filter on such a field →
400; another 団体's or an out-of-scope record → 404; 都道府県支援担当 → 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from hagukumi.core.access import require_role
from hagukumi.core.wareki import fiscal_year_of
from hagukumi.core.web import actor_of, query_int
from hagukumi.people.roles import PEOPLE_ROLES
from hagukumi.people.selectors import (
    StaffProfile,
    designation_list,
    job_challenges_for,
    leader_directory,
    qualification_catalogue,
    staff_profile,
    staff_search,
)

router = Router(tags=["職員"])

_PAGING = {"q", "limit", "offset"}


# Paging bounds (the selector shows at most 500 rows at once).
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


@router.get("/staff/", response=dict[str, Any], url_name="people_staff", summary="人材検索")
def staff_list(request: HttpRequest) -> dict[str, Any]:
    """職員の検索。条件はクエリ文字列で（例: `position=係長&itss_min=3&career_model=エキスパート`、
    同じ名前を繰り返すと「いずれか」）。`q` はキャリア志向・氏名の語句。見られない項目を条件に
    すると 400、この役割では使えないときは 404。"""
    actor = actor_of(request)
    filters = {name: request.GET.getlist(name) for name in request.GET if name not in _PAGING}
    page = staff_search(
        actor=actor,
        filters=filters,
        text=request.GET.get("q", ""),
        offset=query_int(
            request.GET.get("offset"), name="offset", default=0, minimum=0, maximum=MAX_OFFSET
        ),
        limit=query_int(
            request.GET.get("limit"), name="limit", default=50, minimum=1, maximum=MAX_LIMIT
        ),
    )
    return {
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "columns": list(page.columns),
        "results": page.rows,
    }


def _profile_json(profile: StaffProfile) -> dict[str, Any]:
    out: dict[str, Any] = {"id": profile.staff.pk, **profile.values}
    if profile.qualifications is not None:
        out["qualifications"] = [
            {
                "code": row.record.qualification.code,
                "name": row.record.qualification.name,
                "obtained_on": row.record.obtained_on,
                "itss_level": row.record.qualification.itss_level,
                "subsidies": [
                    {
                        "rule": result.rule.code,
                        "name": result.rule.name,
                        "eligible": result.eligible,
                        "amount": result.amount,
                        "message": result.message,
                    }
                    for result in row.subsidies
                ],
            }
            for row in profile.qualifications
        ]
    if profile.designations is not None:
        out["designations"] = [
            {
                "id": row.designation.pk,
                "talent_type": row.designation.talent_type_code,
                "talent_type_name": row.talent_type_name,
                "level": row.designation.level_code,
                "method": row.designation.method,
                "role": row.designation.role,
                "status": row.designation.status,
                "from_fy": row.designation.from_fy,
                "to_fy": row.designation.to_fy,
                "history": [
                    {
                        "effective_on": e.effective_on,
                        "from": e.status_from,
                        "to": e.status_to,
                    }
                    for e in row.events
                ],
            }
            for row in profile.designations
        ]
    return out


@router.get(
    "/staff/{staff_id}/", response=dict[str, Any], url_name="people_staff_detail", summary="職員"
)
def staff_detail(request: HttpRequest, staff_id: int) -> dict[str, Any]:
    """一人の職員。この役割で見られる項目だけを返します（見られない職員は 404）。"""
    profile = staff_profile(actor=actor_of(request), staff_id=staff_id)
    return _profile_json(profile)


@router.get(
    "/designations/", response=list[dict[str, Any]], url_name="people_designations", summary="指定"
)
def designations(request: HttpRequest) -> list[dict[str, Any]]:
    """見られる範囲の職員の指定（人事・DX推進担当: 団体全体、所属長: 所属とその下）。"""
    rows = designation_list(actor=actor_of(request))
    return [
        {
            "id": row.designation.pk,
            "staff_id": row.designation.staff_id,
            "staff_name": row.designation.staff.name,
            "talent_type": row.designation.talent_type_code,
            "talent_type_name": row.talent_type_name,
            "level": row.designation.level_code,
            "method": row.designation.method,
            "role": row.designation.role,
            "status": row.designation.status,
            "from_fy": row.designation.from_fy,
            "to_fy": row.designation.to_fy,
        }
        for row in rows
    ]


@router.get(
    "/qualifications/",
    response=list[dict[str, Any]],
    url_name="people_qualifications",
    summary="資格の一覧",
)
def qualifications(request: HttpRequest) -> list[dict[str, Any]]:
    """資格・スキル標準の一覧（資料 P22 の表と IPA の試験区分）。"""
    require_role(actor_of(request), *PEOPLE_ROLES)
    return [
        {
            "code": q.code,
            "name": q.name,
            "label": q.label,
            "note": q.note,
            "audience": q.audience,
            "content": q.content,
            "contact": q.contact,
            "holdable": q.holdable,
            "provider": q.provider,
            "itss_level": q.itss_level,
            "from_seed": q.from_seed,
            "source": q.source,
        }
        for q in qualification_catalogue()
    ]


@router.get(
    "/job-challenges/",
    response=list[dict[str, Any]],
    url_name="people_job_challenges",
    summary="庁内公募",
)
def job_challenges(request: HttpRequest) -> list[dict[str, Any]]:
    """団体の庁内公募・ジョブチャレンジ・DX推進枠（応募内容は含みません）。"""
    actor = actor_of(request)
    require_role(actor, *PEOPLE_ROLES)
    today = timezone.localdate()
    return [
        {
            "id": c.pk,
            "kind": c.kind,
            "kind_label": c.get_kind_display(),
            "title": c.title,
            "unit": c.unit.name,
            "unit_code": c.unit.code,
            "description": c.description,
            "talent_type": c.talent_type_code,
            "opens_on": c.opens_on,
            "closes_on": c.closes_on,
            "capacity": c.capacity,
            "is_open": c.opens_on <= today <= c.closes_on,
        }
        for c in job_challenges_for(actor=actor).order_by("-opens_on", "id")
    ]


@router.get(
    "/leaders/",
    response=list[dict[str, Any]],
    url_name="people_leaders",
    summary="DX推進リーダー名簿",
)
def leaders(request: HttpRequest) -> list[dict[str, Any]]:
    """所属ごとの DX推進リーダー（所属・人材類型と役割・氏名だけ）。"""
    rows = leader_directory(
        actor=actor_of(request),
        fiscal_year=fiscal_year_of(timezone.localdate()),
    )
    return [
        {
            "unit": r.unit_name,
            "unit_code": r.unit_code,
            "talent_type": r.talent_type_code,
            "talent_type_name": r.talent_type_name,
            "role": r.role,
            "name": r.name,
        }
        for r in rows
    ]
