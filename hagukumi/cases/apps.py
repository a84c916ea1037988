"""The library of advanced cases (先進事例)."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.cases"
    label = "cases"
    verbose_name = "先進事例"
