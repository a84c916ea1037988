"""Assessment sheets and level certification."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.assessments"
    label = "assessments"
    verbose_name = "アセスメント"

    def ready(self) -> None:
        from hagukumi.assessments.selectors.framework_usage import assessment_items_using
        from hagukumi.frameworks.usage import register_usage_checker

        register_usage_checker("assessments", assessment_items_using)

        from hagukumi.assessments import panels

        panels.register()

        from hagukumi.core.audit import register_personal_data_path

        # A refused (404) certificate URL is audited like a refused profile.
        register_personal_data_path("/assessments/certificates/")
