"""Django's flush, with the audit log's append-only gate opened for its one transaction.

Flush empties the whole database (every user and 団体 too). TransactionTestCase,
pytest-django's transactional_db and live_server call it after each test; without
the gate the audit triggers would refuse it (see hagukumi.core.audit).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from hagukumi.core.audit import audit_purge_allowed


class Command(flush.Command):
    help = "データベースの全データ（監査ログを含む）を削除します。開発・テスト用です。"

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if options["interactive"]:
            # Ask before opening the transaction, so no lock is held while waiting.
            name = connections[database].settings_dict["NAME"]
            answer = input(
                f"データベース「{name}」の全データ（監査ログを含む）を削除します。"
                "元に戻せません。続けるには yes と入力してください: "
            )
            if answer != "yes":
                self.stdout.write("中止しました。")
                return
        with audit_purge_allowed(database):
            super().handle(**{**options, "interactive": False})
