"""Staff roster, qualifications and designations."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.people"
    label = "people"
    verbose_name = "職員"
