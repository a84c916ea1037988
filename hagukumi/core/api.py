"""core's API: who is calling (`GET /api/v1/me`)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from hagukumi.core.selectors import CurrentUser, current_user_for
from hagukumi.core.tenancy import Actor, request_actor

router = Router(tags=["基盤"])


class RoleOut(Schema):
    value: str
    label: str


class OrganizationOut(Schema):
    id: int
    code: str | None
    name: str
    full_name: str
    is_demo: bool


class MeOut(Schema):
    username: str
    display_name: str
    organization: OrganizationOut | None
    roles: list[RoleOut]


@router.get("/me", response=MeOut, url_name="me", summary="ログイン中の利用者")
def me(request: HttpRequest) -> CurrentUser:
    """ログイン中の利用者名・表示名、操作中の団体、その団体での役割を返します。"""
    # django_auth has let only logged-in users through, so there is an actor.
    return current_user_for(actor=cast(Actor, request_actor(request)))
