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

        from hagukumi.assessments import roles
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item

        register_nav_item(
            NavItem(
                "assessments-sheets",
                "アセスメント",
                "assessments:sheets",
                37,
                # 人事担当 reads these pages by link (home, profiles); its menu stays one row.
                frozenset(roles.READER_ROLES) - {Role.HR},
            )
        )
        register_nav_item(
            NavItem(
                "assessments-candidates",
                "認定候補",
                "assessments:candidates",
                38,
                frozenset(roles.CANDIDATE_ROLES) - {Role.HR},
            )
        )
        register_nav_item(
            NavItem(
                "assessments-practice",
                "実践記録",
                "assessments:practice_list",
                39,
                frozenset(roles.PRACTICE_LIST_ROLES),
            )
        )
