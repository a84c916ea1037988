"""Set the fields of a model instance that changed, validate, save only those.

The one way services update a record from a dict of new values (the four
hand-rolled "set what changed" loops it replaced are gone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    save: bool = True,
    clean: bool = True,
) -> tuple[M, list[str]]:
    """Apply `data[f]` for each of `fields` present in `data`; return (instance, changed).

    Only fields whose value differs are set. With any change, `full_clean()`
    runs (unless `clean=False`) and the instance is saved with
    `update_fields` = the changed fields (plus `updated_at` when the model has
    it). Nothing is written when nothing changed.
    """
    changed: list[str] = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if changed and clean:
        instance.full_clean()
    if changed and save:
        update_fields = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.get_fields()):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changed
