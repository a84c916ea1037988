"""Assessment sheets and level certification."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.assessments"
    label = "assessments"
    verbose_name = "アセスメント"
