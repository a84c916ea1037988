"""frameworks usage checker: the codes assessment sheets, rules and certificates name.

Registered from `AssessmentsConfig.ready()` (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from hagukumi.assessments.models import Certificate, CertificationRule, SheetItem
from hagukumi.frameworks.usage import Removal


def _counts(queryset: QuerySet[Any], field: str) -> list[tuple[str, int]]:
    return list(queryset.values_list(field).annotate(n=Count("id")).order_by(field))


def assessment_items_using(removal: Removal) -> list[str]:
    """One Japanese sentence per removed code that a sheet, rule or certificate still uses."""
    framework = removal.framework
    found: list[str] = []
    type_users = (
        (CertificationRule.objects.filter(framework=framework), "認定基準"),
        (Certificate.objects.filter(framework=framework), "修了証"),
    )
    if removal.talent_type_codes:
        for queryset, noun in type_users:
            rows = queryset.filter(talent_type_code__in=removal.talent_type_codes)
            for code, count in _counts(rows, "talent_type_code"):
                found.append(f"人材類型「{code}」は {count} 件の{noun}に使われています。")
    for type_code, level_code in sorted(removal.level_codes):
        for queryset, noun in type_users:
            count = queryset.filter(talent_type_code=type_code, level_code=level_code).count()
            if count:
                found.append(
                    f"人材類型「{type_code}」の段階「{level_code}」は {count} 件の{noun}に"
                    "使われています。"
                )
    if removal.competency_codes:
        items = SheetItem.objects.filter(
            sheet__framework=framework, competency_code__in=removal.competency_codes
        )
        for code, count in _counts(items, "competency_code"):
            found.append(
                f"マインド・スキル「{code}」は {count} 件のアセスメントシートの設問に"
                "使われています。"
            )
    return found
