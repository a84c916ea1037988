"""Plans, targets and milestones (KPI engine)."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hagukumi.plans"
    label = "plans"
    verbose_name = "基本方針・育成計画"
