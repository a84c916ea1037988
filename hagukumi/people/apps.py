"""Staff roster, qualifications and designations."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.people"
    label = "people"
    verbose_name = "職員"

    def ready(self) -> None:
        from hagukumi.frameworks.usage import register_usage_checker
        from hagukumi.people import import_jobs
        from hagukumi.people.designations import designations_using

        import_jobs.register()
        register_usage_checker("people-designations", designations_using)
