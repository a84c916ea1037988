"""hagukumi load_framework_templates: (re)load the six shipped templates, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hagukumi.core.errors import ApplicationError
from hagukumi.frameworks.services import framework_templates_load


class Command(BaseCommand):
    help = (
        "人材育成フレームワークのテンプレート（hagukumi/frameworks/data/*.toml）を読み込みます。"
        "変更のないテンプレートはそのまま、変更があれば新しい版として公開します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changes = framework_templates_load()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for change in changes:
            self.stdout.write(str(change))
