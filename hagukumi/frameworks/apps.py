"""Talent types, levels and skill maps."""

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.frameworks"
    label = "frameworks"
    verbose_name = "人材育成フレームワーク"
