"""hagukumi create_user USERNAME --organization CODE|NAME --name 氏名 --role 役割 [...].

Prints the one-time password once (it is not stored in clear); the user must
change it at the first login. `--role` may be given several times; a 所属長
needs `--unit 所属コード` (a unit of this 年度). `--staff-number` links the login
to that staff record.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from hagukumi.core.cli import report_errors
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import Role
from hagukumi.core.tenancy import Actor
from hagukumi.core.user_admin.services import MembershipSpec, role_from_text, user_create
from hagukumi.core.wareki import fiscal_year_of, format_fiscal_year
from hagukumi.orgs.selectors import organization_by_code_or_name, units_valid_in
from hagukumi.people.services.user_links import staff_user_link_by_number


class Command(BaseCommand):
    help = (
        "利用者を1人登録し、仮パスワードを一度だけ表示します（保存しません）。"
        "本人は最初のログインでパスワードを変更します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="ユーザー名（半角英数字と @ . + - _）")
        parser.add_argument(
            "--organization", required=True, help="団体コード（6桁。5桁も可）または団体名"
        )
        parser.add_argument("--name", required=True, help="氏名")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            help="役割（システム管理者, 人事担当 …）。複数回指定できます",
        )
        parser.add_argument("--unit", default="", help="所属長の所属コード（今年度の組織）")
        parser.add_argument("--email", default="", help="メールアドレス")
        parser.add_argument("--staff-number", default="", help="紐付ける職員の職員番号")

    def handle(
        self,
        *args: Any,
        username: str,
        organization: str,
        name: str,
        role: list[str],
        unit: str,
        email: str,
        staff_number: str,
        **options: Any,
    ) -> None:
        try:
            org = organization_by_code_or_name(organization)
            actor = Actor.command_line(org)
            specs = [self._spec(org, role_from_text(text), unit) for text in role]
            with transaction.atomic():
                created = user_create(
                    actor=actor,
                    username=username,
                    display_name=name,
                    email=email,
                    memberships=specs,
                    password_now=True,
                )
                if staff_number:
                    staff_user_link_by_number(actor=actor, user=created.user, number=staff_number)
        except ApplicationError as exc:
            raise report_errors(exc, self.stderr) from exc
        self.stdout.write(
            f"{org.display_full_name} に利用者 {created.user.username} を登録しました。"
        )
        self.stdout.write(f"仮パスワード（この一度だけ表示します）: {created.password}")

    @staticmethod
    def _spec(org: Any, role: str, unit_code: str) -> MembershipSpec:
        if role != Role.UNIT_HEAD:
            return MembershipSpec(role=role)
        if not unit_code:
            raise ApplicationError("所属長には --unit で所属コードを指定してください。")
        fiscal_year = fiscal_year_of(timezone.localdate())
        unit = (
            units_valid_in(organization=org, fiscal_year=fiscal_year).filter(code=unit_code).first()
        )
        if unit is None:
            raise ApplicationError(
                f"所属コード「{unit_code}」は{format_fiscal_year(fiscal_year)}の組織にありません。"
            )
        return MembershipSpec(role=role, unit=unit)
