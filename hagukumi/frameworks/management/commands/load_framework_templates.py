"""hagukumi load_framework_templates: (re)load the six shipped templates, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.services import framework_templates_load


class Command(BaseCommand):
    help = (
        "人材育成フレームワークのテンプレート（hagukumi/frameworks/data/*.toml）を読み込みます。"
        "変更のないテンプレートはそのまま、変更があれば新しい版として公開します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # Templates belong to no 団体: the operator across every 団体 loads them.
            changes = framework_templates_load(actor=Actor.system())
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for change in changes:
            self.stdout.write(str(change))
