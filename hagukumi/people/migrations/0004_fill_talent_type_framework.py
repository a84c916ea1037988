"""Fill SubsidyRule.framework and JobChallenge.framework from the talent type in force.

A record whose talent_type_code is in force in exactly one of its 団体's
frameworks (latest published version, not a template) gets that framework;
one that matches none or several is left empty (no guessing between
frameworks that share a code). Reversing empties the column again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _frameworks_by_code(apps: Any, organization_id: int) -> dict[str, list[int]]:
    FrameworkVersion = apps.get_model("frameworks", "FrameworkVersion")
    TalentType = apps.get_model("frameworks", "TalentType")
    latest: dict[int, int] = {}
    for version_id, framework_id in (
        FrameworkVersion.objects.filter(
            framework__owner_id=organization_id,
            framework__is_template=False,
            status="published",
        )
        .order_by("framework_id", "-number")
        .values_list("pk", "framework_id")
    ):
        latest.setdefault(framework_id, version_id)
    found: dict[str, list[int]] = {}
    for code, framework_id in TalentType.objects.filter(
        version_id__in=list(latest.values())
    ).values_list("code", "version__framework_id"):
        found.setdefault(code, []).append(framework_id)
    return found


def fill(apps: Any, schema_editor: Any) -> None:
    cache: dict[int, dict[str, list[int]]] = {}
    for model_name in ("SubsidyRule", "JobChallenge"):
        model = apps.get_model("people", model_name)
        for record in model.objects.filter(
            organization__isnull=False, framework__isnull=True
        ).exclude(talent_type_code=""):
            if record.organization_id not in cache:
                cache[record.organization_id] = _frameworks_by_code(apps, record.organization_id)
            frameworks = cache[record.organization_id].get(record.talent_type_code, [])
            if len(frameworks) == 1:
                record.framework_id = frameworks[0]
                record.save(update_fields=["framework"])


def empty(apps: Any, schema_editor: Any) -> None:
    for model_name in ("SubsidyRule", "JobChallenge"):
        apps.get_model("people", model_name).objects.update(framework=None)


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0001_initial"),
        ("people", "0003_subsidy_rule_and_job_challenge_framework"),
    ]

    operations = [migrations.RunPython(fill, empty)]
