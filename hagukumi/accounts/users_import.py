"""Users and roles from xlsx/CSV (ユーザー名, 氏名, 職員番号, 役割, 所属コード): all or nothing.

One row per user (a second row of the same ユーザー名, case ignored, is an
error). 役割 may hold several roles (「人事担当、職員」); 所属コード names the
unit of a 所属長 among the units of the current 年度. A new user gets no
password: the administrator downloads the one-time passwords once after the
import (`core.user_admin.services.initial_passwords_issue`), so no clear text
is ever in the job's stored output. An existing user of the 団体 is updated:
氏名, and the roles held this 年度 become exactly the file's (a 所属長 prepared
for next year is left alone). 職員番号 links the login to that staff record.
The file's rows are checked by core's services (role allowed in the 団体 kind,
the last システム管理者 kept, …); any error stops the whole import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role, User
from hagukumi.core.tabular_import import (
    Column,
    ImportSummary,
    ParsedRow,
    ProgressOption,
    RowOutcome,
    RowProblem,
    Source,
    read_table,
    run_import,
)
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.selectors import memberships_in_force_now
from hagukumi.core.user_admin.services import (
    MembershipSpec,
    memberships_sync,
    role_label,
    role_problem,
    roles_from_text,
    user_create,
    user_update,
)
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.models import Organization, Unit
from hagukumi.orgs.selectors import units_valid_in
from hagukumi.people.selectors.user_links import staff_links_of_users
from hagukumi.people.services.user_links import staff_user_link_by_number

LABEL = "利用者"


def user_columns() -> tuple[Column, ...]:
    """The columns of the users file (also what the export writes, plus 状態)."""
    return (
        Column("username", "ユーザー名", kind="code", required=True, max_length=150),
        Column("display_name", "氏名", required=True, max_length=100),
        Column("staff_number", "職員番号", kind="code", max_length=20),
        Column("roles", "役割", required=True),
        Column("unit_code", "所属コード", kind="code", max_length=30),
        Column("email", "メールアドレス", max_length=254),
    )


def _roles_text(roles: list[str]) -> str:
    return "、".join(role_label(r) for r in roles)


@dataclass
class _UsersImport:
    actor: Actor
    organization: Organization
    units: dict[str, Unit]
    fiscal_year: int
    today: dt.date
    seen: dict[str, int] = field(default_factory=dict)
    created: int = 0

    def apply(self, row: ParsedRow) -> RowOutcome:
        v = row.values
        username = v["username"].strip()
        key = username.casefold()
        if key in self.seen:
            raise RowProblem("username", f"行 {self.seen[key]} と同じユーザー名です")
        self.seen[key] = row.number
        try:
            roles = roles_from_text(v["roles"])
        except ApplicationError as exc:
            raise RowProblem("roles", exc.message) from exc
        if not roles:
            raise RowProblem("roles", "役割を1つ以上書いてください")
        for role in roles:
            problem = role_problem(role=role, organization=self.organization)
            if problem:
                raise RowProblem("roles", problem)
        specs = self._specs(roles, v.get("unit_code") or "")
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            return self._create(username, v, specs)
        return self._update(user, v, specs)

    def _specs(self, roles: list[str], unit_code: str) -> list[MembershipSpec]:
        unit = None
        if Role.UNIT_HEAD in roles:
            if not unit_code:
                raise RowProblem("unit_code", "所属長には所属コードが必要です")
            unit = self.units.get(unit_code)
            if unit is None:
                raise RowProblem(
                    "unit_code",
                    f"所属コード「{unit_code}」は{format_fiscal_year(self.fiscal_year)}の"
                    "組織にありません",
                )
        elif unit_code:
            raise RowProblem("unit_code", "所属コードは所属長の場合だけ書きます")
        return [MembershipSpec(role=r, unit=unit if r == Role.UNIT_HEAD else None) for r in roles]

    def _link(self, user: User, number: str) -> None:
        try:
            staff_user_link_by_number(actor=self.actor, user=user, number=number)
        except ApplicationError as exc:
            raise RowProblem("staff_number", exc.message) from exc

    def _create(self, username: str, v: dict[str, Any], specs: list[MembershipSpec]) -> RowOutcome:
        try:
            created = user_create(
                actor=self.actor,
                username=username,
                display_name=v["display_name"],
                email=v.get("email") or "",
                memberships=specs,
                password_now=False,
                today=self.today,
            )
        except ApplicationError as exc:
            raise RowProblem(None, exc.message) from exc
        if v.get("staff_number"):
            self._link(created.user, v["staff_number"])
        self.created += 1
        return RowOutcome("new", key=f"{username} {created.user.display_name}")

    def _update(self, user: User, v: dict[str, Any], specs: list[MembershipSpec]) -> RowOutcome:
        memberships = list(user.memberships.all())
        if not any(m.organization_id == self.organization.pk for m in memberships):
            raise RowProblem("username", f"ユーザー名「{user.username}」は既に使われています")
        if not user.is_active:
            raise RowProblem(
                "username", "無効にした利用者です（利用者の画面で有効に戻してから取り込みます）"
            )
        changes: dict[str, tuple[object, object]] = {}
        before_roles = [
            m.role
            for m in memberships_in_force_now(
                [m for m in memberships if m.organization_id == self.organization.pk],
                today=self.today,
            )
        ]
        name = v["display_name"].strip()
        email = v["email"].strip() if "email" in v else user.email
        if name != user.display_name or email != user.email:
            if name != user.display_name:
                changes["display_name"] = (user.display_name, name)
            if email != user.email:
                changes["email"] = (user.email, email)
            user_update(actor=self.actor, user_id=user.pk, display_name=name, email=email)
        try:
            added, ended = memberships_sync(
                actor=self.actor, user=user, specs=specs, today=self.today
            )
        except ApplicationError as exc:
            raise RowProblem("roles", exc.message) from exc
        if added or ended:
            changes["roles"] = (
                _roles_text(sorted(set(before_roles), key=Role.values.index)),
                _roles_text([s.role for s in specs]),
            )
        if "staff_number" in v:
            before = staff_links_of_users(actor=self.actor, user_ids=[user.pk]).get(user.pk)
            old_number = before.number if before is not None else ""
            if old_number != v["staff_number"]:
                self._link(user, v["staff_number"])
                changes["staff_number"] = (old_number, v["staff_number"])
        if not changes:
            return RowOutcome("unchanged", key=user.username)
        return RowOutcome("changed", key=f"{user.username} {name}", changes=changes)


def _require_admin(actor: Actor, organization: Organization) -> None:
    require_role(actor, Role.SYSTEM_ADMIN)
    if actor.organization_id != organization.pk:
        raise AccessDenied()


@dataclass
class UsersImportResult:
    """The summary, and how many new users wait for their one-time password."""

    summary: ImportSummary
    created: int

    @property
    def counts(self) -> dict[str, int]:
        return self.summary.counts

    def lines(self, *, details: bool = False) -> list[str]:
        out = self.summary.lines(details=details)
        if self.created and not self.summary.dry_run:
            out.append(
                f"新しい利用者 {self.created}名の仮パスワードは「初期パスワードの発行」から"
                "一度だけダウンロードできます。"
            )
        return out


def users_import(
    *,
    actor: Actor,
    organization: Organization,
    source: Source,
    filename: str | None = None,
    dry_run: bool = False,
    progress: ProgressOption = None,
    today: dt.date | None = None,
) -> UsersImportResult:
    """Create or update the users of the file and their roles (all rows or nothing)."""
    _require_admin(actor, organization)
    today = today or timezone.localdate()
    fiscal_year = fiscal_year_of(today)
    table = read_table(source, columns=user_columns(), filename=filename, progress=progress)
    units = {u.code: u for u in units_valid_in(organization=organization, fiscal_year=fiscal_year)}
    job = _UsersImport(
        actor=actor, organization=organization, units=units, fiscal_year=fiscal_year, today=today
    )
    summary = run_import(table, apply=job.apply, dry_run=dry_run, label=LABEL, progress=progress)
    summary.headers.update(
        {
            "display_name": "氏名",
            "email": "メールアドレス",
            "roles": "役割",
            "staff_number": "職員番号",
        }
    )
    if not dry_run:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            organization=organization,
            target_type=User._meta.label,
            target_repr="利用者と役割",
            detail={"what": LABEL, "filename": filename or "", "counts": dict(summary.counts)},
        )
    return UsersImportResult(summary=summary, created=job.created)


def users_import_template() -> bytes:
    """An empty users workbook (the headers) for the upload page."""
    from hagukumi.core.tabular_export import write_table

    return write_table([], columns=user_columns(), format="xlsx")


__all__ = ["LABEL", "UsersImportResult", "user_columns", "users_import", "users_import_template"]
