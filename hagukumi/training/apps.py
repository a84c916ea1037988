"""Courses, programs, cohorts and attendance."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.training"
    label = "training"
    verbose_name = "研修"

    def ready(self) -> None:
        from hagukumi.frameworks.usage import register_usage_checker
        from hagukumi.training.selectors.framework_usage import training_items_using

        register_usage_checker("training", training_items_using)
        from hagukumi.training import import_jobs, metrics, panels

        import_jobs.register()
        metrics.register()
        panels.register()
