"""Prefecture support: talent bank, advisers, consultations."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.support"
    label = "support"
    verbose_name = "都道府県支援"
