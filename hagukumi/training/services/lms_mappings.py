"""A 団体's saved LMS column mappings (`LmsColumnMapping`): creating one (DX推進担当).

A mapping names a provider (LMS・提供元) and, per canonical attendance column
(training.lms_columns.ATTENDANCE_COLUMNS), the headers that vendor's export
uses; optionally which of its values mean which 出欠. The attendance upload
picks one by its name (training.import_jobs). Validation is the model's
(`validate_header_aliases`, `status_aliases_errors`), as one Japanese message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.training.models import LmsColumnMapping
from hagukumi.training.roles import ATTENDANCE_RECORD_ROLES
from hagukumi.training.selectors.attendance import lms_mapping_by_name
from hagukumi.training.selectors.programs import organization_id_of
from hagukumi.training.services.templates import clean_or_raise

__all__ = ["lms_mapping_create"]


@transaction.atomic
def lms_mapping_create(
    *,
    actor: Actor,
    provider_name: str,
    header_aliases: Mapping[str, Sequence[str]],
    status_aliases: Mapping[str, str] | None = None,
) -> LmsColumnMapping:
    """Save a new mapping for the actor's 団体; a provider name already used is refused."""
    require_role(actor, *ATTENDANCE_RECORD_ROLES)
    organization_id = organization_id_of(actor)
    name = provider_name.strip()
    if not name:
        raise ApplicationError(
            "LMS・提供元の名前を入力してください。", extra={"field": "provider_name"}
        )
    if lms_mapping_by_name(organization=organization_id, name=name) is not None:
        raise ApplicationError(
            f"LMS・提供元「{name}」の列名の対応は既に登録されています。",
            extra={"field": "provider_name"},
        )
    mapping = LmsColumnMapping(
        organization_id=organization_id,
        provider_name=name,
        header_aliases={
            key: [h.strip() for h in headers if h.strip()]
            for key, headers in header_aliases.items()
            if any(h.strip() for h in headers)
        },
        status_aliases={k.strip(): v for k, v in (status_aliases or {}).items() if k.strip()},
    )
    clean_or_raise(mapping)
    mapping.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=mapping,
        target_repr=f"LMSの列名の対応 {mapping.provider_name}",
        detail={
            "header_aliases": mapping.header_aliases,
            "status_aliases": mapping.status_aliases,
        },
    )
    return mapping
