"""The `hagukumi` console script: Django management with Hagukumi's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hagukumi.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded SQLite database and uploads live under HAGUKUMI_DATA_DIR.
    settings.HAGUKUMI_DATA_DIR.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from hagukumi.core.audit import AuditContext, audit_context_set

    # Every audit row a command writes says which command (画面 column).
    command = " ".join(sys.argv[1:2])
    with audit_context_set(AuditContext(path=f"コマンドライン: hagukumi {command}"[:255])):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
