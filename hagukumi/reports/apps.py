"""The 団体-wide dashboard and combined workbook exports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.reports"
    label = "reports"
    verbose_name = "レポート"
