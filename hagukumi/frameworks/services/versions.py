"""A 団体's frameworks and their versions: create, replace a draft, publish, new draft.

A version is a draft (editable) or published (frozen). A framework has at most
one draft; `framework_version_new_draft` copies the latest published version
into draft v(n+1). Every write validates the whole content first and runs in
one transaction, so nothing is half-saved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.content import content_errors, content_normalise
from hagukumi.frameworks.models import Framework, FrameworkVersion, VersionStatus
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.services.common import (
    _code_taken,
    _content_replace,
    _content_write,
    _latest_published,
    _lock_version,
    _raise_if_invalid,
    _require_editor,
)


@transaction.atomic
def framework_create(*, actor: Actor, organization: Any, code: str, name: str) -> Framework:
    """Start a framework from scratch: an empty draft v1."""
    _require_editor(actor=actor, organization=organization)
    content = content_normalise({"code": code, "name": name})
    _raise_if_invalid(content)
    if not code:
        raise ApplicationError("フレームワークのコードを入力してください。")
    if _code_taken(organization, code):
        raise ApplicationError(
            f"この団体には既にコード「{code}」のフレームワークがあります。別のコードにしてください。"
        )
    framework = Framework(owner=organization, code=code, name=content["name"])
    framework.full_clean()
    framework.save()
    FrameworkVersion.objects.create(framework=framework, number=1)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=framework, organization=organization
    )
    return framework


@transaction.atomic
def framework_version_update(
    *, actor: Actor, framework_version: FrameworkVersion, content: dict[str, Any]
) -> FrameworkVersion:
    """Replace a draft's whole content (`framework_export` shape); published versions are frozen."""
    version = _lock_version(framework_version)
    _require_editor(actor=actor, framework=version.framework)
    return _content_replace(actor=actor, version=version, content=content)


@transaction.atomic
def framework_version_publish(
    *, actor: Actor, framework_version: FrameworkVersion
) -> FrameworkVersion:
    """Publish a draft after checking its whole content; it is frozen from then on."""
    version = _lock_version(framework_version)
    _require_editor(actor=actor, framework=version.framework)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError(f"v{version.number} は既に公開済みです。")
    content = framework_export(framework_version=version)
    errors = content_errors(content)
    if not content["talent_types"] and not content["competencies"]:
        errors.append("人材類型かマインド・スキルを1つ以上登録してから公開してください。")
    if errors:
        message = "公開できません: " + errors[0]
        if len(errors) > 1:
            message += f"（ほか {len(errors) - 1} 件）"
        raise ApplicationError(message, extra={"errors": errors})
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=version,
        organization=version.framework.owner,
        detail={"framework": version.framework.code, "version": version.number, "published": True},
    )
    return version


@transaction.atomic
def framework_version_new_draft(*, actor: Actor, framework: Framework) -> FrameworkVersion:
    """Copy the latest published version into draft v(n+1); refused while a draft exists."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    _require_editor(actor=actor, framework=framework)
    draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ApplicationError(
            f"下書き v{draft.number} が既にあります。その下書きを編集してください。"
        )
    source = _latest_published(framework)
    if source is None:
        raise ApplicationError("公開済みの版がありません。先に版を公開してください。")
    last = framework.versions.order_by("-number").first()
    number = (last.number if last is not None else 0) + 1
    version = FrameworkVersion.objects.create(framework=framework, number=number)
    _content_write(version, framework_export(framework_version=source))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=version,
        organization=framework.owner,
        detail={"framework": framework.code, "version": number, "copied_from": source.number},
    )
    return version
