"""Courses, programs, cohorts and attendance."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.training"
    label = "training"
    verbose_name = "研修"
