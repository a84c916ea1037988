"""Writes of 利用者と役割の管理 (システム管理者), each audited (ADR 0009).

Rules:

- Users are never deleted (the audit log keeps their name): they are made 無効
  (`user_deactivate`), which ends every session of theirs at once
  (`User.session_version`). The last システム管理者 of a 団体 cannot be made
  無効 nor lose that role. A user who also holds roles in another 団体 is not
  made 無効 from here (that would lock them out there too): end the roles here.
- A role is one Membership in the actor's 団体, with optional FY bounds. 都道府県支援担当
  exists only in a prefecture. A 所属長 needs a unit of the same 団体 valid in the
  年度 the membership starts (and ends) in; without an end it ends with its unit.
- Passwords are one-time: `user_password_reset` and `user_create(password_now=True)`
  return the clear text once (to show it, never stored); an imported user gets
  none until `initial_passwords_issue`, which sets and returns it at download
  time, once. Either way the user must change it at the next login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hagukumi.core.access import acting_organization_id, require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent, Membership, Role, User, membership_in_force
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.passwords import one_time_password_generate
from hagukumi.core.user_admin.selectors import (
    ADMIN_ROLES,
    UserStatus,
    access_membership_by_id,
    access_user_by_id,
    users_of,
)
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year

# Roles that exist only in some kinds of 団体 (orgs.OrganizationKind values, by name: ADR 0002).
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str]] = {
    Role.PREFECTURE_SUPPORT: frozenset({"prefecture"}),
}
# Who may move a 所属長's membership in the 4月1日 switch (people's switch runs as 人事担当).
SWITCH_ROLES: tuple[str, ...] = (Role.HR, Role.SYSTEM_ADMIN)
ROLE_SEPARATORS = ("、", ",", "，", "・", "/", "／", ";", "；")


@dataclass(frozen=True)
class MembershipSpec:
    """A role to give: for a 所属長 the unit (an orgs.Unit version), and the 年度 it spans."""

    role: str
    unit: Any = None
    fiscal_year_from: int | None = None
    fiscal_year_to: int | None = None


@dataclass(frozen=True)
class UserCreated:
    """A new user and, when it was set now, its one-time password (shown once, never stored)."""

    user: User
    password: str | None


@dataclass(frozen=True)
class IssuedPassword:
    """One row of the one-time password download."""

    username: str
    display_name: str
    password: str


def _require_admin(actor: Actor) -> None:
    require_role(actor, *ADMIN_ROLES)


def _fiscal_year(today: dt.date | None) -> int:
    return fiscal_year_of(today or timezone.localdate())


def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


def role_from_text(text: str) -> str:
    """A Role value from its value or Japanese label (「人事担当」); ApplicationError if unknown."""
    cleaned = (text or "").strip()
    for value, label in Role.choices:
        if cleaned in (value, label):
            return str(value)
    known = "、".join(str(label) for _value, label in Role.choices)
    raise ApplicationError(f"役割「{cleaned}」はありません（{known} のいずれか）。")


def roles_from_text(text: str) -> list[str]:
    """Several roles in one cell (「人事担当、職員」), in Role order, each once."""
    cleaned = text or ""
    for separator in ROLE_SEPARATORS:
        cleaned = cleaned.replace(separator, " ")
    wanted = {role_from_text(part) for part in cleaned.split()}
    return [str(value) for value in Role.values if value in wanted]


def role_problem(*, role: str, organization: Any) -> str | None:
    """Why `role` cannot be held in `organization` (None: it can)."""
    if role not in Role.values:
        return f"役割「{role}」はありません。"
    kinds = ROLE_ORGANIZATION_KINDS.get(role)
    if kinds is not None and getattr(organization, "kind", "") not in kinds:
        return f"{role_label(role)}は都道府県の団体でのみ設定できます。"
    return None


def membership_spec_check(
    *, organization: Any, spec: MembershipSpec, today: dt.date | None = None
) -> MembershipSpec:
    """The spec made ready to store, or ApplicationError with the reason in Japanese.

    A 所属長's unit must belong to `organization` and be valid in the 年度 the role
    starts (the current one when no start is given) and ends; without an end,
    the role ends with the unit's last 年度.
    """
    problem = role_problem(role=spec.role, organization=organization)
    if problem:
        raise ApplicationError(problem)
    start, end = spec.fiscal_year_from, spec.fiscal_year_to
    if start is not None and end is not None and end < start:
        raise ApplicationError("終了年度は開始年度以降にしてください。")
    if spec.role != Role.UNIT_HEAD:
        if spec.unit is not None:
            raise ApplicationError("所属を指定できるのは所属長だけです。")
        return spec
    unit = spec.unit
    if unit is None:
        raise ApplicationError("所属長には所属を指定してください。")
    if unit.organization_id != getattr(organization, "pk", None):
        raise ApplicationError(f"所属「{unit.name}」はこの団体の所属ではありません。")
    first = start if start is not None else _fiscal_year(today)
    if not unit.is_valid_in(first) or (end is not None and not unit.is_valid_in(end)):
        span = format_fiscal_year(first) + (f"〜{format_fiscal_year(end)}" if end else "")
        raise ApplicationError(
            f"所属「{unit.name}」（所属コード {unit.code}）は{span}の組織にありません。"
            "その年度の所属を選んでください。"
        )
    if end is None and unit.valid_to_fy is not None:
        end = unit.valid_to_fy
    return MembershipSpec(role=spec.role, unit=unit, fiscal_year_from=start, fiscal_year_to=end)


def _membership_repr(user: User, role: str, unit: Any) -> str:
    unit_text = f"（{unit.name}）" if unit is not None else ""
    return f"利用者 {user.get_username()} の役割「{role_label(role)}」{unit_text}"


def _membership_create(
    *, actor: Actor, user: User, organization: Any, spec: MembershipSpec, today: dt.date | None
) -> Membership:
    ready = membership_spec_check(organization=organization, spec=spec, today=today)
    duplicates = Membership.objects.filter(
        user=user, organization=organization, role=ready.role, unit=ready.unit
    )
    if duplicates.exists():
        raise ApplicationError(
            f"この利用者は既に「{role_label(ready.role)}」の役割を持っています。"
        )
    membership = Membership(
        user=user,
        organization=organization,
        role=ready.role,
        unit=ready.unit,
        fiscal_year_from=ready.fiscal_year_from,
        fiscal_year_to=ready.fiscal_year_to,
    )
    try:
        membership.full_clean()
        with transaction.atomic():
            membership.save()
    except (ValidationError, IntegrityError) as exc:
        raise ApplicationError(
            f"この利用者は既に「{role_label(ready.role)}」の役割を持っています。"
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        organization=organization,
        target=membership,
        target_repr=_membership_repr(user, ready.role, ready.unit),
        detail={
            "user": user.get_username(),
            "role": ready.role,
            "unit": ready.unit.code if ready.unit is not None else None,
            "fiscal_year_from": ready.fiscal_year_from,
            "fiscal_year_to": ready.fiscal_year_to,
        },
    )
    return membership


def _clean_username(username: str) -> str:
    cleaned = (username or "").strip()
    if not cleaned:
        raise ApplicationError("ユーザー名を入力してください。")
    if len(cleaned) > 150:
        raise ApplicationError("ユーザー名は150文字以内にしてください。")
    try:
        User.username_validator(cleaned)
    except ValidationError as exc:
        raise ApplicationError("ユーザー名には半角英数字と @ . + - _ だけが使えます。") from exc
    return cleaned


def username_taken(username: str) -> bool:
    """Whether a user of that name exists (case ignored: 「Yamada」 and 「yamada」 clash)."""
    return User.objects.filter(username__iexact=username.strip()).exists()


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    display_name: str,
    email: str = "",
    memberships: Sequence[MembershipSpec],
    password_now: bool = True,
    today: dt.date | None = None,
) -> UserCreated:
    """Create a user of the actor's 団体 with at least one role; the password is one-time.

    `password_now`: set a one-time password and return it (shown once on the page);
    otherwise the user waits for `initial_passwords_issue` (the import's download).
    """
    _require_admin(actor)
    organization = actor.organization
    cleaned = _clean_username(username)
    if username_taken(cleaned):
        raise ApplicationError(f"ユーザー名「{cleaned}」は既に使われています。")
    if not memberships:
        raise ApplicationError("役割を1つ以上指定してください。")
    name = (display_name or "").strip()
    if not name:
        raise ApplicationError("氏名を入力してください。")
    user = User(
        username=cleaned,
        display_name=name[:100],
        email=(email or "").strip(),
        must_change_password=True,
    )
    password: str | None = None
    if password_now:
        password = one_time_password_generate(user=user)
        user.set_password(password)
    else:
        user.set_unusable_password()
        user.initial_password_pending = True
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError("、".join(exc.messages)) from exc
    user.save()
    for spec in memberships:
        _membership_create(
            actor=actor, user=user, organization=organization, spec=spec, today=today
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=user,
        detail={
            "roles": [spec.role for spec in memberships],
            "initial_password": "shown" if password_now else "pending",
        },
    )
    return UserCreated(user=user, password=password)


@transaction.atomic
def user_update(*, actor: Actor, user_id: int, display_name: str, email: str = "") -> User:
    """Change a user's 氏名 and e-mail address (the ユーザー名 stays: the audit log names it)."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    name = (display_name or "").strip()
    if not name:
        raise ApplicationError("氏名を入力してください。")
    before = {"display_name": user.display_name, "email": user.email}
    data = {"display_name": name[:100], "email": (email or "").strip()}
    try:
        user, changed = model_update(instance=user, fields=list(data), data=data, clean=False)
    except ValidationError as exc:  # pragma: no cover - the fields carry no other rule
        raise ApplicationError("、".join(exc.messages)) from exc
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=user,
            detail={"changes": {name: [before[name], data[name]] for name in changed}},
        )
    return user


def _holds_admin_now(user: User, organization_id: int, fiscal_year: int) -> bool:
    return (
        Membership.objects.filter(
            user=user, organization_id=organization_id, role=Role.SYSTEM_ADMIN
        )
        .filter(membership_in_force(fiscal_year))
        .exists()
    )


def _other_admins(organization_id: int, fiscal_year: int, *, excluding: int) -> int:
    return (
        Membership.objects.filter(
            organization_id=organization_id, role=Role.SYSTEM_ADMIN, user__is_active=True
        )
        .filter(membership_in_force(fiscal_year))
        .exclude(user_id=excluding)
        .values("user_id")
        .distinct()
        .count()
    )


def _refuse_last_admin(actor: Actor, user: User, *, today: dt.date | None, doing: str) -> None:
    fiscal_year = _fiscal_year(today)
    organization_id = acting_organization_id(actor)
    if _holds_admin_now(user, organization_id, fiscal_year) and not _other_admins(
        organization_id, fiscal_year, excluding=user.pk
    ):
        raise ApplicationError(
            f"最後のシステム管理者は{doing}できません。先に別の利用者にシステム管理者の役割を"
            "付けてください。"
        )


def _end_sessions(user: User) -> None:
    """End every session of `user` at once: the session hash no longer matches."""
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    user.refresh_from_db(fields=["session_version"])


@transaction.atomic
def user_deactivate(*, actor: Actor, user_id: int, today: dt.date | None = None) -> User:
    """Make a user 無効 (never deleted): they cannot log in and their sessions end now."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    if not user.is_active:
        return user
    if actor.user is not None and actor.user.pk == user.pk:
        raise ApplicationError("自分自身を無効にすることはできません。")
    if (
        Membership.objects.filter(user=user)
        .exclude(organization_id=acting_organization_id(actor))
        .exists()
    ):
        raise ApplicationError(
            "この利用者は他の団体でも役割を持っているため、無効にできません。"
            "この団体での役割を終了してください。"
        )
    _refuse_last_admin(actor, user, today=today, doing="無効に")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=user,
        detail={"is_active": [True, False], "sessions": "ended"},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Actor, user_id: int) -> User:
    """Make a 無効 user 有効 again (they log in with their old password, or a reset one)."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=user,
        detail={"is_active": [False, True]},
    )
    return user


@transaction.atomic
def membership_add(
    *, actor: Actor, user_id: int, spec: MembershipSpec, today: dt.date | None = None
) -> Membership:
    """Give a user of the 団体 one more role (rules: module docstring)."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    return _membership_create(
        actor=actor, user=user, organization=actor.organization, spec=spec, today=today
    )


@transaction.atomic
def membership_end(*, actor: Actor, membership_id: int, today: dt.date | None = None) -> None:
    """Take a role away now (the row goes; the audit log keeps what it was)."""
    membership = access_membership_by_id(actor=actor, membership_id=membership_id)
    user = membership.user
    if membership.role == Role.SYSTEM_ADMIN and membership.is_in_force(_fiscal_year(today)):
        _refuse_last_admin(actor, user, today=today, doing="その役割から外すことは")
    detail = {
        "user": user.get_username(),
        "role": membership.role,
        "unit": membership.unit.code if membership.unit is not None else None,
        "fiscal_year_from": membership.fiscal_year_from,
        "fiscal_year_to": membership.fiscal_year_to,
    }
    target_repr = _membership_repr(user, membership.role, membership.unit)
    target_id = membership.pk
    membership.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        target_type=Membership._meta.label,
        target_id=target_id,
        target_repr=target_repr,
        detail=detail,
    )


def memberships_sync(
    *,
    actor: Actor,
    user: User,
    specs: Sequence[MembershipSpec],
    today: dt.date | None = None,
) -> tuple[list[str], list[str]]:
    """Make the user's roles held this 年度 in the 団体 exactly `specs` (the import).

    Rows that start in a later 年度 (prepared for the next one) are left alone.
    Returns (added, ended) as 「人事担当」「所属長（総務課）」 texts.
    """
    _require_admin(actor)
    fiscal_year = _fiscal_year(today)
    ready = [
        membership_spec_check(organization=actor.organization, spec=spec, today=today)
        for spec in specs
    ]
    held = [
        m
        for m in Membership.objects.filter(user=user, organization_id=acting_organization_id(actor))
        .select_related("unit")
        .order_by("pk")
        if m.fiscal_year_from is None or m.fiscal_year_from <= fiscal_year
    ]
    wanted = {(spec.role, getattr(spec.unit, "pk", None)) for spec in ready}
    have = {(m.role, m.unit_id) for m in held}

    def text(role: str, unit: Any) -> str:
        return f"{role_label(role)}（{unit.name}）" if unit is not None else role_label(role)

    ended = []
    for m in held:
        if (m.role, m.unit_id) not in wanted:
            ended.append(text(m.role, m.unit))
            membership_end(actor=actor, membership_id=m.pk, today=today)
    added = []
    for spec in ready:
        if (spec.role, getattr(spec.unit, "pk", None)) not in have:
            _membership_create(
                actor=actor, user=user, organization=actor.organization, spec=spec, today=today
            )
            added.append(text(spec.role, spec.unit))
    return added, ended


def _set_one_time_password(user: User) -> str:
    password = one_time_password_generate(user=user)
    user.set_password(password)
    user.must_change_password = True
    user.initial_password_pending = False
    return password


@transaction.atomic
def user_password_reset(*, actor: Actor, user_id: int) -> str:
    """Give the user a new one-time password (returned once, to show); sessions end.

    The user must change it at the next login. The account is also unlocked.
    """
    user = access_user_by_id(actor=actor, user_id=user_id)
    if not user.is_active:
        raise ApplicationError(
            "無効の利用者のパスワードは再設定できません。先に有効にしてください。"
        )
    password = _set_one_time_password(user)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(
        update_fields=[
            "password",
            "must_change_password",
            "initial_password_pending",
            "failed_login_count",
            "locked_until",
        ]
    )
    _end_sessions(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=user,
        target_repr=f"{user.get_username()} のパスワード",
        detail={"field": "password", "reset": True},
    )
    return password


@transaction.atomic
def initial_passwords_issue(
    *, actor: Actor, user_ids: Iterable[int] | None = None
) -> list[IssuedPassword]:
    """Set and return the one-time passwords of the users still waiting for one (once).

    Generated now, never stored in clear: each user's flag is cleared in the same
    conditional UPDATE that sets the hash, so a second download (or a second
    administrator at the same moment) gets nobody twice.
    """
    _require_admin(actor)
    pending = users_of(actor=actor, status=UserStatus.PENDING)
    if user_ids is not None:
        wanted = set(user_ids)
        pending = [u for u in pending if u.pk in wanted]
    issued: list[IssuedPassword] = []
    for user in pending:
        password = _set_one_time_password(user)
        claimed = User.objects.filter(pk=user.pk, initial_password_pending=True).update(
            password=user.password, must_change_password=True, initial_password_pending=False
        )
        if not claimed:
            continue
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=user,
            target_repr=f"{user.get_username()} のパスワード",
            detail={"field": "password", "initial": True},
        )
        issued.append(IssuedPassword(user.get_username(), user.display_name, password))
    return issued


@transaction.atomic
def user_unlock(*, actor: Actor, user_id: int) -> User:
    """Lift a lockout (too many wrong passwords) before it expires."""
    user = access_user_by_id(actor=actor, user_id=user_id)
    before = user.locked_until
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=user,
        detail={"unlocked": True, "locked_until": before.isoformat() if before else None},
    )
    return user


def membership_move(
    *, actor: Actor, membership: Membership, unit: Any, fiscal_year: int
) -> Membership | None:
    """The 4月1日 switch to `fiscal_year` for a 所属長: end the row at the year before and,
    when the unit has a successor (`unit`), hold that from `fiscal_year` on.

    For 人事担当 / システム管理者 (and the command line) of the membership's 団体;
    called by people's switch inside its transaction. Audited.
    """
    require_role(actor, *SWITCH_ROLES)
    if membership.organization_id != actor.organization_id or membership.role != Role.UNIT_HEAD:
        raise AccessDenied()
    if membership.fiscal_year_from is not None and membership.fiscal_year_from > fiscal_year - 1:
        raise ApplicationError("この所属長の役割は、切り替える年度より後に始まります。")
    before_to = membership.fiscal_year_to
    membership.fiscal_year_to = fiscal_year - 1
    membership.save(update_fields=["fiscal_year_to", "updated_at"])
    moved: Membership | None = None
    if unit is not None:
        moved, _created = Membership.objects.get_or_create(
            user_id=membership.user_id,
            organization_id=membership.organization_id,
            role=Role.UNIT_HEAD,
            unit=unit,
            defaults={"fiscal_year_from": fiscal_year, "fiscal_year_to": unit.valid_to_fy},
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=membership,
        target_repr=_membership_repr(membership.user, membership.role, membership.unit),
        detail={
            "switch_to": fiscal_year,
            "fiscal_year_to": [before_to, fiscal_year - 1],
            "moved_to_unit": unit.code if unit is not None else None,
        },
    )
    return moved


__all__ = [
    "ROLE_ORGANIZATION_KINDS",
    "SWITCH_ROLES",
    "IssuedPassword",
    "MembershipSpec",
    "UserCreated",
    "initial_passwords_issue",
    "membership_add",
    "membership_end",
    "membership_move",
    "membership_spec_check",
    "memberships_sync",
    "role_from_text",
    "role_label",
    "role_problem",
    "roles_from_text",
    "user_create",
    "user_deactivate",
    "user_password_reset",
    "user_reactivate",
    "user_unlock",
    "user_update",
    "username_taken",
]
