"""The library of advanced cases (先進事例)."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.cases"
    label = "cases"
    verbose_name = "先進事例"

    def ready(self) -> None:
        from hagukumi.cases.documents import XLSX_COLUMNS
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item
        from hagukumi.core.tabular_import import ImporterSpec, register_importer

        register_importer(ImporterSpec("cases-list", "事例一覧", XLSX_COLUMNS, "import_cases"))
        from hagukumi.cases import import_jobs

        import_jobs.register()
        from hagukumi.cases import panels

        panels.register()

        register_nav_item(
            NavItem(
                key="cases-search",
                label="先進事例",
                url_name="cases:search",
                order=40,
                # Every user of a 団体 may read the library (公開 cases of every 団体).
                roles=frozenset(Role.values),
            )
        )
