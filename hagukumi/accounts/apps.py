"""利用者と役割の管理: the administration pages, the users import and the CLI."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.accounts"
    label = "accounts"
    verbose_name = "利用者と役割"

    def ready(self) -> None:
        from hagukumi.accounts import import_jobs
        from hagukumi.accounts.users_import import user_columns
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item
        from hagukumi.core.tabular_import import ImporterSpec, register_importer

        import_jobs.register()
        register_importer(
            ImporterSpec("accounts-users", "利用者と役割", user_columns, "import_users")
        )
        register_nav_item(
            NavItem(
                "accounts-users",
                "利用者と役割",
                "accounts:users",
                order=90,
                roles=frozenset({Role.SYSTEM_ADMIN}),
            )
        )
