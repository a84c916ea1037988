"""受験料補助 writes: a 団体 adopts a template rule (人事担当).

A rule limited to a talent type gets the framework in force that has the
template's talent type code (none when no framework, or several, have it: the
rule then matches the code in any framework until 人事担当 says which).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.in_force import talent_type_in_force
from hagukumi.people.models import SubsidyRule

__all__ = ["subsidy_rule_adopt"]


def _framework_of(organization: Any, talent_type_code: str) -> Any:
    if not talent_type_code:
        return None
    try:
        return talent_type_in_force(organization=organization, code=talent_type_code).framework
    except ApplicationError:
        return None


@transaction.atomic
def subsidy_rule_adopt(*, actor: Actor, organization: Any, template_code: str) -> SubsidyRule:
    """Copy a template into the 団体 (人事担当 of the 団体)."""
    require_role(actor, Role.HR)
    if actor.organization_id != organization.pk:
        raise AccessDenied()
    template = SubsidyRule.objects.filter(organization__isnull=True, code=template_code).first()
    if template is None:
        raise ApplicationError(f"補助のテンプレート「{template_code}」はありません。")
    if SubsidyRule.objects.filter(organization=organization, code=template_code).exists():
        raise ApplicationError(f"補助の規則「{template.name}」は採用済みです。")
    rule = SubsidyRule(
        organization=organization,
        code=template.code,
        name=template.name,
        eligibility=template.eligibility,
        eligibility_text=template.eligibility_text,
        framework=_framework_of(organization, template.talent_type_code),
        talent_type_code=template.talent_type_code,
        qualification_codes=list(template.qualification_codes),
        costs=list(template.costs),
        rate_percent=template.rate_percent,
        quote=template.quote,
        source=template.source,
        adopted_from=template,
    )
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=rule,
        organization=organization,
        detail={"adopted_from": template.code},
    )
    return rule
