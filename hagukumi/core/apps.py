"""Japanese text, 年度/和暦, tabular import/export, roles, audit, registries."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.core"
    label = "core"
    verbose_name = "基盤"

    def ready(self) -> None:
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item

        register_nav_item(NavItem(key="core-home", label="ホーム", url_name="core:home", order=0))
        register_nav_item(
            NavItem(
                key="core-audit",
                label="監査ログ",
                url_name="core:audit",
                order=900,
                roles=frozenset({Role.SYSTEM_ADMIN}),
            )
        )
        checks.register(check_nav_urls, checks.Tags.urls)


def check_nav_urls(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every registered navigation entry must name a URL that exists (else every page fails)."""
    from django.urls import NoReverseMatch, reverse

    from hagukumi.core.registries import all_nav_items

    errors: list[checks.CheckMessage] = []
    for item in all_nav_items():
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"ナビゲーション項目 {item.key!r} の URL 名 {item.url_name!r} "
                    "が見つかりません。",
                    hint="urls.py で name を定義するか、"
                    "register_nav_item の url_name を直してください。",
                    id="hagukumi.E001",
                )
            )
    return errors
