"""Login, lockout, logout, choice of 団体 and password change (issue [基盤] §6).

Lockout: HAGUKUMI_LOCKOUT_FAILURES (5) wrong passwords in a row lock the
account for HAGUKUMI_LOCKOUT_MINUTES (15). A locked account is refused even with
the right password. Every refusal - wrong password, unknown username, locked
or inactive account - gets the same message, so the page never tells whether a
username exists. Every attempt is audited (login / login_failed / locked).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, User
from hagukumi.core.tenancy import SESSION_ORGANIZATION_KEY, Actor, actor_for

if TYPE_CHECKING:
    from django.http import HttpRequest


def login_refused_message() -> str:
    """The one message for every refused login (reveals nothing about the account)."""
    return (
        "ログインできませんでした。利用者IDとパスワードを確認してください。"
        f"続けて{settings.HAGUKUMI_LOCKOUT_FAILURES}回間違えると、"
        f"{settings.HAGUKUMI_LOCKOUT_MINUTES}分間ログインできなくなります。"
    )


class LoginRefused(ApplicationError):
    """The login was refused; the message is the same whatever the reason."""

    def __init__(self) -> None:
        super().__init__(login_refused_message())


def is_locked(user: User, *, now: dt.datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or timezone.now())


def login_attempt(*, username: str, password: str, request: HttpRequest) -> User:
    """Log `username` in on `request` or raise LoginRefused; audit either way.

    On success the failure count is reset and, for a user of exactly one 団体,
    that 団体 becomes the active one (several: the caller asks them to choose).
    """
    user = User._default_manager.filter(username=username).first()
    if user is None:
        make_password(password)  # spend the hashing time anyway: no timing hint
        audit_record(
            request=request,
            username=username,
            action=AuditEvent.Action.LOGIN_FAILED,
            detail={"reason": "unknown_username"},
        )
        raise LoginRefused()

    if is_locked(user):
        make_password(password)
        audit_record(
            request=request,
            actor=user,
            organization=_only_organization(user),
            action=AuditEvent.Action.LOGIN_FAILED,
            detail={"reason": "locked"},
        )
        raise LoginRefused()

    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        _record_failure(user=user, request=request)
        raise LoginRefused()

    user = authenticated
    if user.failed_login_count or user.locked_until:
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
    login(request, user)
    actor = actor_for(user)
    if not actor.has_several_organizations and actor.organization is not None:
        request.session[SESSION_ORGANIZATION_KEY] = actor.organization_id
    audit_record(
        request=request,
        actor=actor if not actor.has_several_organizations else user,
        action=AuditEvent.Action.LOGIN,
    )
    return user


def _record_failure(*, user: User, request: HttpRequest) -> None:
    """Count one wrong password; the Nth in a row locks the account."""
    with transaction.atomic():
        locked = User._default_manager.select_for_update().get(pk=user.pk)
        locked.failed_login_count += 1
        reached = locked.failed_login_count >= settings.HAGUKUMI_LOCKOUT_FAILURES
        organization = _only_organization(locked)
        audit_record(
            request=request,
            actor=locked,
            organization=organization,
            action=AuditEvent.Action.LOGIN_FAILED,
            detail={"reason": "wrong_password", "failures": locked.failed_login_count},
        )
        if reached:
            locked.locked_until = timezone.now() + dt.timedelta(
                minutes=settings.HAGUKUMI_LOCKOUT_MINUTES
            )
            # The next lock needs a fresh series of failures after this one expires.
            locked.failed_login_count = 0
            audit_record(
                request=request,
                actor=locked,
                organization=organization,
                action=AuditEvent.Action.LOCKED,
                detail={"until": locked.locked_until.isoformat()},
            )
        locked.save(update_fields=["failed_login_count", "locked_until"])


def _only_organization(user: User) -> Any | None:
    """The user's 団体 when there is exactly one (login events are filed under it)."""
    organizations = actor_for(user).organizations
    return organizations[0] if len(organizations) == 1 else None


def session_logout(*, request: HttpRequest, reason: str = "") -> None:
    """Audit and end the session of the logged-in user (no-op when anonymous)."""
    if not request.user.is_authenticated:
        return
    audit_record(
        request=request,
        action=AuditEvent.Action.LOGOUT,
        detail={"reason": reason} if reason else None,
    )
    logout(request)


def organization_select(*, request: HttpRequest, actor: Actor, organization_id: int) -> Actor:
    """Make one of the actor's 団体 the active one for this session."""
    if organization_id not in {org.pk for org in actor.organizations}:
        raise AccessDenied()
    if actor.user is None:
        raise AccessDenied()
    request.session[SESSION_ORGANIZATION_KEY] = organization_id
    return actor_for(actor.user, organization_id)


def password_change(*, request: HttpRequest, user: User, new_password: str) -> None:
    """Set the user's new password (validated by the form), keep them logged in, audit it."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit_record(
        request=request,
        action=AuditEvent.Action.UPDATE,
        target=user,
        target_repr=f"{user.get_username()} のパスワード",
        detail={"field": "password"},
    )
