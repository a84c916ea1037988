"""Templates: the shipped reference frameworks (`frameworks/data/*.toml`), and adopting one.

Templates (`is_template`) are always published. `framework_templates_load`
compares each file's content hash with the latest version: unchanged → nothing;
changed → a new published version v(n+1) (older versions stay, since adopted
copies cite them through `Framework.adopted_from`). Loading is the operator's
work (`Actor.system()` or the command line); adopting is a 団体's editors'.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.model_update import model_update
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.content import Content, content_hash, content_normalise
from hagukumi.frameworks.models import Framework, FrameworkVersion, VersionStatus
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.services.common import (
    FRAMEWORK_META_FIELDS,
    _code_taken,
    _content_write,
    _latest_published,
    _raise_if_invalid,
    _require_editor,
    framework_meta,
)
from hagukumi.orgs.models import Organization, OrganizationKind

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data"


def template_content_read(path: Path) -> Content:
    """Parse one template file into canonical content (raises ApplicationError if invalid)."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ApplicationError(f"{path.name}: TOML の書式が正しくありません（{exc}）。") from exc
    content = content_normalise(raw)
    if content["code"] != path.stem:
        raise ApplicationError(
            f"{path.name}: code「{content['code']}」を"
            f"ファイル名と同じ「{path.stem}」にしてください。"
        )
    _raise_if_invalid(content, where=path.name)
    missing = _items_without_section(content)
    if missing:
        raise ApplicationError(
            f"{path.name}: 出典の箇所（section）がない項目があります: {'、'.join(missing[:5])}"
        )
    return content


def _items_without_section(content: Content) -> list[str]:
    missing = []
    for t in content["talent_types"]:
        for item in [t, *t["individual_levels"], *t["development_steps"]]:
            if not item["source"]["file"] or not item["source"]["section"]:
                missing.append(item.get("name") or item.get("code") or "?")
    for item in [
        *content["maturity_levels"],
        *content["competencies"],
        *content["responsibilities"],
    ]:
        if not item["source"]["file"] or not item["source"]["section"]:
            missing.append(str(item.get("name") or item.get("unit") or item.get("level")))
    return missing


def national_organization() -> Organization | None:
    """国 (総務省) from the orgs master: the owner of the templates, when present."""
    return Organization.objects.filter(kind=OrganizationKind.NATIONAL).order_by("id").first()


@dataclass(frozen=True)
class TemplateChange:
    code: str
    action: str  # "created" | "new_version" | "unchanged" | "owner" (owner/meta only)
    version: int

    def __str__(self) -> str:
        labels = {
            "created": "作成",
            "new_version": "新しい版を公開",
            "draft_updated": "下書きを更新して公開",
            "meta": "名称・出典を更新",
            "unchanged": "変更なし",
        }
        return f"{self.code}: {labels.get(self.action, self.action)}（v{self.version}）"


@transaction.atomic
def framework_templates_load(
    *, actor: Actor, directory: Path | None = None
) -> list[TemplateChange]:
    """Load every `<code>.toml` template; idempotent (an unchanged file changes nothing).

    The operator's work (`Actor.system()`, or the command line of a 団体 such as
    a demo loader); a web user gets AccessDenied. All files are read and
    validated before anything is written; one bad file refuses the whole load.
    """
    if actor is None or not actor.is_operator:
        raise AccessDenied()
    paths = sorted((directory or TEMPLATE_DIR).glob("*.toml"))
    contents = [template_content_read(p) for p in paths]
    owner = national_organization()
    changes = []
    now = timezone.now()
    for content in contents:
        digest = content_hash(content)
        framework = Framework.objects.filter(is_template=True, code=content["code"]).first()
        if framework is None:
            framework = Framework(
                is_template=True, code=content["code"], owner=owner, **framework_meta(content)
            )
            framework.full_clean()
            framework.save()
            version = FrameworkVersion.objects.create(
                framework=framework,
                number=1,
                status=VersionStatus.PUBLISHED,
                published_at=now,
                content_hash=digest,
            )
            _content_write(version, content)
            changes.append(TemplateChange(content["code"], "created", 1))
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=version,
                organization=owner,
                detail={"template": content["code"]},
            )
            continue
        data: dict[str, Any] = framework_meta(content)
        if owner is not None:
            data["owner"] = owner
        _, meta_changed = model_update(
            instance=framework, fields=[*FRAMEWORK_META_FIELDS, "owner"], data=data, clean=False
        )
        latest = framework.versions.order_by("-number").first()
        if latest is not None and latest.content_hash == digest:
            action = "meta" if meta_changed else "unchanged"
            changes.append(TemplateChange(content["code"], action, latest.number))
            continue
        if latest is not None and latest.status == VersionStatus.DRAFT:
            version, action = latest, "draft_updated"
            version.status, version.published_at = VersionStatus.PUBLISHED, now
        else:
            number = (latest.number + 1) if latest is not None else 1
            version = FrameworkVersion(framework=framework, number=number)
            version.status, version.published_at, action = (
                VersionStatus.PUBLISHED,
                now,
                "new_version",
            )
        version.content_hash = digest
        version.save()
        _content_write(version, content)
        changes.append(TemplateChange(content["code"], action, version.number))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=version,
            organization=owner,
            detail={"template": content["code"]},
        )
    return changes


@transaction.atomic
def framework_adopt(
    *, actor: Actor, template_code: str, organization: Any, code: str = ""
) -> Framework:
    """Copy a template's latest published version into the 団体 as draft v1 (a copy it owns)."""
    _require_editor(actor=actor, organization=organization)
    template = Framework.objects.filter(is_template=True, code=template_code).first()
    source = _latest_published(template) if template is not None else None
    if template is None or source is None:
        raise ApplicationError(
            f"テンプレート「{template_code}」が見つかりません。テンプレートを読み込んでください。"
        )
    code = code or template.code
    if _code_taken(organization, code):
        raise ApplicationError(
            f"この団体には既にコード「{code}」のフレームワークがあります。別のコードを指定してください。"
        )
    content = framework_export(framework_version=source)
    framework = Framework(
        owner=organization, code=code, adopted_from=source, **framework_meta(content)
    )
    framework.full_clean()
    framework.save()
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    _content_write(version, content)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=framework,
        organization=organization,
        detail={"adopted_from": template.code, "template_version": source.number},
    )
    return framework
