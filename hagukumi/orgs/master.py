"""Keep the 団体 master present: loaded by migration 0002, reloaded after a flush.

`flush` (run by transactional tests and the browser tests after each test)
empties every table and then sends `post_migrate`, the same signal Django uses
to recreate content types. Reloading the master there keeps "the master is
always loaded" true without serialising the whole database.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from django.db import connections

_MIGRATION = "hagukumi.orgs.migrations.0002_load_organization_master"


def ensure_master_loaded(*, apps: Any, using: str = "default") -> bool:
    """Load the master when no prefecture exists; True when it loaded."""
    organization = apps.get_model("orgs", "Organization")
    if organization.objects.using(using).filter(kind="prefecture").exists():
        return False
    migration = importlib.import_module(_MIGRATION)
    migration.load(apps, SimpleNamespace(connection=connections[using]))
    return True


def reload_master_after_flush(sender: Any, *, using: str, apps: Any = None, **kwargs: Any) -> None:
    """post_migrate receiver (orgs only): a no-op after `migrate`, a reload after `flush`.

    `migrate` passes the migration state's apps; `flush` passes none (global registry).
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        apps.get_model("orgs", "Organization")
    except LookupError:  # migrating backwards past orgs 0001
        return
    ensure_master_loaded(apps=apps, using=using)
