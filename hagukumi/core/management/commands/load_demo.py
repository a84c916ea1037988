"""`hagukumi load_demo`: load every app's demo data (idempotent).

Each hagukumi app may have a `demo.py` with `load() -> str` (create or update
its demo rows, return a one-line summary) and optionally
`logins() -> list[tuple[username, password, description]]` for `demo_logins`.
They run in INSTALLED_APPS order, so orgs' demo (デモ市 and its users) comes
before the apps that build on it.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from hagukumi.core.errors import ApplicationError


def demo_modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) of every installed hagukumi app that has a `demo` module."""
    autodiscover_modules("demo")  # Django's own discovery: imports every `<app>.demo`
    found = []
    for app_config in apps.get_app_configs():
        module = sys.modules.get(f"{app_config.name}.demo")
        if app_config.name.startswith("hagukumi.") and module is not None:
            found.append((app_config.label, module))
    return found


class Command(BaseCommand):
    help = (
        "デモ用のデータ（デモ団体・利用者など）を読み込みます。何度実行しても同じ結果になります。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for label, module in demo_modules():
            load = getattr(module, "load", None)
            if load is None:
                continue
            try:
                with transaction.atomic():
                    summary = load()
            except ApplicationError as exc:
                raise CommandError(
                    f"{label}: デモデータを読み込めませんでした。{exc.message}"
                ) from exc
            self.stdout.write(f"{label}: {summary}")
