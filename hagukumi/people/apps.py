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
        self._register_navigation()

    def _register_navigation(self) -> None:
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item

        searchers = frozenset({Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD})
        for item in (
            NavItem("people-search", "人材検索", "people:search", order=20, roles=searchers),
            NavItem(
                "people-import", "職員名簿の取込", "people:roster_upload", 21, frozenset({Role.HR})
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
                frozenset({Role.HR, Role.DX_OFFICE, Role.UNIT_HEAD, Role.STAFF}),
            ),
            # Every user of the 団体 may see whom to ask (issue [職員] leader directory).
            NavItem(
                "people-leaders",
                "DX推進リーダー名簿",
                "people:leaders",
                25,
                frozenset(Role.values),
            ),
        ):
            register_nav_item(item)
