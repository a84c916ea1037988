"""Demo data of frameworks: the six shipped templates (idempotent)."""

from __future__ import annotations

from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.services import framework_templates_load


def load() -> str:
    changes = framework_templates_load(actor=Actor.system())
    changed = [c for c in changes if c.action != "unchanged"]
    return f"フレームワークのテンプレート {len(changes)} 件（変更 {len(changed)} 件）"
