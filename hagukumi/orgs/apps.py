"""Organizations (団体) and their unit tree (所属)."""

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.orgs"
    label = "orgs"
    verbose_name = "団体・所属"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from hagukumi.core.models import Role
        from hagukumi.orgs.master import reload_master_after_flush

        post_migrate.connect(reload_master_after_flush, sender=self)
        from hagukumi.core.tabular_import import ImporterSpec, register_importer
        from hagukumi.orgs.services import UNIT_COLUMNS

        register_importer(ImporterSpec("orgs-units", "所属", UNIT_COLUMNS, "import_units"))
        from hagukumi.orgs import import_jobs

        import_jobs.register()
        from hagukumi.core.registries import NavItem, register_nav_item

        register_nav_item(
            NavItem(
                key="orgs-units",
                label="組織（所属）",
                url_name="orgs:unit_tree",
                order=80,
                # Every role of the 団体 may browse; editing is checked per page.
                roles=frozenset(Role.values),
            )
        )
