"""Login, lockout, logout, choice of 団体 and password change (issue [基盤] §6).

Lockout: HAGUKUMI_LOCKOUT_FAILURES (5) wrong passwords in a row lock the
account for HAGUKUMI_LOCKOUT_MINUTES (15). A locked account is refused even with
the right password. Every refusal - wrong password, unknown username, locked
or inactive account - gets the same message, so the page never tells whether a
username exists. Every attempt is audited (login / login_failed / locked).

The count is taken *before* the password is checked, in one conditional UPDATE
(`_attempt_reserve`), so parallel requests cannot all pass a "not locked yet"
check and then try their passwords (issue [品質] 2): at most N passwords are
checked per series, on SQLite and PostgreSQL alike. The Nth attempt locks the
account as it is counted; its own password is still checked, and a right one
lifts the lock again. The old-password check of the password-change page goes
through the same counter (`old_password_verify`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    PositiveSmallIntegerField,
    Q,
    Value,
    When,
)
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.middleware import idle_clock_start
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

    attempt = _attempt_reserve(user)
    if attempt is None:
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
        _attempt_failed(user=user, attempt=attempt, reason="wrong_password", request=request)
        raise LoginRefused()

    user = authenticated
    _attempt_succeeded(user)
    login(request, user)
    idle_clock_start(request)
    actor = actor_for(user)
    if not actor.has_several_organizations and actor.organization is not None:
        request.session[SESSION_ORGANIZATION_KEY] = actor.organization_id
    audit_record(
        request=request,
        actor=actor if not actor.has_several_organizations else user,
        action=AuditEvent.Action.LOGIN,
    )
    return user


def _attempt_reserve(user: User) -> int | None:
    """Count one password attempt before it is checked; its number in the series, or None if locked.

    One conditional UPDATE does the check and the count, so concurrent attempts
    queue on the row (PostgreSQL) or the write lock (SQLite) and never
    overtake the lock. An expired lock starts a fresh series. The attempt that
    reaches the limit locks the account at once: later attempts are refused
    without their password being checked, whatever happens to this one.
    """
    limit = settings.HAGUKUMI_LOCKOUT_FAILURES
    now = timezone.now()
    lock_until = now + dt.timedelta(minutes=settings.HAGUKUMI_LOCKOUT_MINUTES)
    expired = Q(locked_until__isnull=False, locked_until__lte=now)
    with transaction.atomic():
        counted = (
            User._default_manager.filter(pk=user.pk)
            .filter(Q(locked_until__isnull=True) | expired)
            .update(
                failed_login_count=Case(
                    When(expired, then=Value(1)),
                    default=F("failed_login_count") + 1,
                    output_field=PositiveSmallIntegerField(),
                ),
                locked_until=Case(
                    When(expired, then=Value(lock_until if limit <= 1 else None)),
                    When(failed_login_count__gte=limit - 1, then=Value(lock_until)),
                    default=Value(None),
                    output_field=DateTimeField(),
                ),
            )
        )
        if not counted:
            return None
        number: int = (
            User._default_manager.filter(pk=user.pk)
            .values_list("failed_login_count", flat=True)
            .get()
        )
    return number


def _attempt_failed(*, user: User, attempt: int, reason: str, request: HttpRequest | None) -> None:
    """Audit a wrong password (already counted); the Nth in a row locks the account."""
    organization = _only_organization(user)
    audit_record(
        request=request,
        actor=user,
        organization=organization,
        action=AuditEvent.Action.LOGIN_FAILED,
        detail={"reason": reason, "failures": attempt},
    )
    if attempt < settings.HAGUKUMI_LOCKOUT_FAILURES:
        return
    locked_until = timezone.now() + dt.timedelta(minutes=settings.HAGUKUMI_LOCKOUT_MINUTES)
    # The next lock needs a fresh series of failures after this one expires.
    User._default_manager.filter(pk=user.pk).update(failed_login_count=0, locked_until=locked_until)
    audit_record(
        request=request,
        actor=user,
        organization=organization,
        action=AuditEvent.Action.LOCKED,
        detail={"until": locked_until.isoformat()},
    )


def _attempt_succeeded(user: User) -> None:
    """A right password ends the series (and lifts a lock its own attempt set)."""
    User._default_manager.filter(pk=user.pk).exclude(
        failed_login_count=0, locked_until__isnull=True
    ).update(failed_login_count=0, locked_until=None)
    user.failed_login_count = 0
    user.locked_until = None


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


def old_password_verify(*, user: User, password: str) -> None:
    """Check the current password on the password-change page, rate-limited like login.

    Wrong passwords count towards the same lockout as login attempts; while the
    account is locked the password is not checked at all. Raises ApplicationError.
    """
    attempt = _attempt_reserve(user)
    if attempt is None:
        make_password(password)
        audit_record(
            actor=user,
            organization=_only_organization(user),
            action=AuditEvent.Action.LOGIN_FAILED,
            detail={"reason": "locked", "where": "password_change"},
        )
        raise ApplicationError(old_password_locked_message())
    if not user.check_password(password):
        _attempt_failed(user=user, attempt=attempt, reason="wrong_old_password", request=None)
        if attempt >= settings.HAGUKUMI_LOCKOUT_FAILURES:
            raise ApplicationError(old_password_locked_message())
        raise ApplicationError(
            "現在のパスワードが正しくありません。"
            f"続けて{settings.HAGUKUMI_LOCKOUT_FAILURES}回間違えると、"
            f"{settings.HAGUKUMI_LOCKOUT_MINUTES}分間ログインもパスワードの変更もできなくなります。"
        )
    _attempt_succeeded(user)


def old_password_locked_message() -> str:
    return (
        "パスワードを続けて間違えたため、アカウントをロックしました。"
        f"{settings.HAGUKUMI_LOCKOUT_MINUTES}分ほど経ってから、もう一度お試しください。"
    )


def password_change(*, request: HttpRequest, user: User, new_password: str) -> None:
    """Set the user's new password (validated by the form), keep them logged in, audit it.

    It also lifts `must_change_password` (a one-time password's forced change, ADR 0009).
    """
    user.set_password(new_password)
    user.must_change_password = False
    user.initial_password_pending = False
    user.save(update_fields=["password", "must_change_password", "initial_password_pending"])
    update_session_auth_hash(request, user)
    audit_record(
        request=request,
        action=AuditEvent.Action.UPDATE,
        target=user,
        target_repr=f"{user.get_username()} のパスワード",
        detail={"field": "password"},
    )
