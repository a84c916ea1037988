"""Courses, programs, cohorts and attendance."""

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.training"
    label = "training"
    verbose_name = "研修"

    def ready(self) -> None:
        from hagukumi.frameworks.usage import register_usage_checker
        from hagukumi.training.selectors.framework_usage import training_items_using

        register_usage_checker("training", training_items_using)
        from hagukumi.training import import_jobs, metrics, panels

        import_jobs.register()
        metrics.register()
        panels.register()
        self._register_navigation()

    def _register_navigation(self) -> None:
        from hagukumi.core.models import Role
        from hagukumi.core.registries import NavItem, register_nav_item
        from hagukumi.training import roles

        for item in (
            NavItem(
                "training-courses",
                "研修",
                "training:index",
                35,
                # 人事担当 reads training by link (home, profiles); its menu stays one row.
                frozenset(roles.TRAINING_READ_ROLES) - {Role.HR},
            ),
            NavItem(
                "training-apply", "研修の申込", "training:apply", 36, frozenset(roles.APPLY_ROLES)
            ),
            # The 所属長's home task 「DX推進リーダーを推薦する」 (core.selectors.ROLE_TASKS).
            NavItem(
                roles.RECOMMEND_NAV_KEY,
                "研修への推薦",
                "training:recommend",
                37,
                frozenset(roles.RECOMMEND_ROLES),
            ),
            NavItem(
                "training-approvals",
                "研修申込の承認",
                "training:approvals",
                38,
                frozenset(roles.APPROVE_ROLES),
            ),
        ):
            register_nav_item(item)
