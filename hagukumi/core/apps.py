"""Japanese text, 年度/和暦, tabular import/export, roles, audit, registries."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.core"
    label = "core"
    verbose_name = "基盤"
