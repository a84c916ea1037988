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
        from hagukumi.core.tabular_import import ImporterSpec, register_importer
        from hagukumi.people.roster_import import QUALIFICATION_COLUMNS, staff_columns

        register_importer(ImporterSpec("people-staff", "職員名簿", staff_columns, "import_staff"))
        register_importer(
            ImporterSpec(
                "people-qualifications", "資格", QUALIFICATION_COLUMNS, "import_qualifications"
            )
        )
        from hagukumi.people.transfer_import import transfer_columns

        register_importer(
            ImporterSpec("people-transfers", "人事異動", transfer_columns, "import_transfers")
        )
        register_usage_checker("people-designations", designations_using)
        from hagukumi.people import metrics, panels, unit_occupants

        metrics.register()
        panels.register()
        unit_occupants.register()
        self._register_navigation()

    def _register_navigation(self) -> None:
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item
        from hagukumi.people.roles import (
            ASSIGNMENT_ROLES,
            EVERY_ROLE,
            PEOPLE_ROLES,
            ROSTER_ROLES,
            SEARCH_ROLES,
        )

        searchers = frozenset(SEARCH_ROLES)
        for item in (
            NavItem("people-search", "人材検索", "people:search", order=20, roles=searchers),
            NavItem(
                "people-import",
                "職員名簿の取込",
                "people:roster_upload",
                21,
                frozenset(ROSTER_ROLES),
            ),
            NavItem("people-designations", "人材の指定", "people:designations", 22, searchers),
            NavItem(
                "people-my-profile",
                "自分のプロフィール",
                "people:my_profile",
                23,
                frozenset({Role.STAFF}),
            ),
            NavItem(
                "people-challenges",
                "庁内公募",
                "people:challenges",
                24,
                frozenset(PEOPLE_ROLES),
            ),
            NavItem(
                "people-assignments",
                "異動・任用の記録",
                "people:assignments",
                26,
                frozenset(ASSIGNMENT_ROLES),
            ),
            # Every user of the 団体 may see whom to ask (issue [職員] leader directory).
            NavItem(
                "people-leaders",
                "DX推進リーダー名簿",
                "people:leaders",
                25,
                frozenset(EVERY_ROLE),
            ),
        ):
            register_nav_item(item)
