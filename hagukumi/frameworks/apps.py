"""Talent types, levels and skill maps."""

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.frameworks"
    label = "frameworks"
    verbose_name = "人材育成フレームワーク"

    def ready(self) -> None:
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item
        from hagukumi.core.tabular_import import ImporterSpec, register_importer
        from hagukumi.frameworks import import_jobs
        from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS

        import_jobs.register()

        register_importer(
            ImporterSpec(
                "frameworks-skill-map", "スキルマップ", SKILL_MAP_COLUMNS, "import_skill_map"
            )
        )

        register_nav_item(
            NavItem(
                key="frameworks-list",
                label="人材育成フレームワーク",
                url_name="frameworks:index",
                order=30,
                # Every role of the 団体 may browse; editing is checked per page.
                roles=frozenset(Role.values),
            )
        )
