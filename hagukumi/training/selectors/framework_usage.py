"""frameworks usage checker: the talent types, levels and competencies training names.

Registered from `TrainingConfig.ready()` (ADR 0006): a framework draft edit that
would remove a code still used by a course, a programme or a skill-evidence
record is refused with these sentences.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from hagukumi.frameworks.usage import Removal
from hagukumi.training.models import CompetencyEvidence, CourseCompetency, CourseTarget, Program


def _counts(queryset: QuerySet[Any], field: str) -> list[tuple[str, int]]:
    return list(queryset.values_list(field).annotate(n=Count("id")).order_by(field))


def training_items_using(removal: Removal) -> list[str]:
    """One Japanese sentence per removed code that a training record still uses."""
    framework = removal.framework
    found: list[str] = []
    type_users = (
        (CourseTarget.objects.filter(framework=framework), "研修の対象"),
        (Program.objects.filter(framework=framework), "育成プログラム"),
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
        for model, noun in (
            (CourseCompetency, "研修（身に付くマインド・スキル）"),
            (CompetencyEvidence, "研修による習得の記録"),
        ):
            competency_rows: QuerySet[Any] = model.objects.filter(
                framework=framework, competency_code__in=removal.competency_codes
            )
            for code, count in _counts(competency_rows, "competency_code"):
                found.append(f"マインド・スキル「{code}」は {count} 件の{noun}に使われています。")
    return found
