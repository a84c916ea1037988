"""Organizations (団体) and their unit tree (所属)."""

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.orgs"
    label = "orgs"
    verbose_name = "団体・所属"
