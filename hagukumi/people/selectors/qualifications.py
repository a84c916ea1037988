"""The qualification catalogue (資格・スキル標準; not personal data)."""

from __future__ import annotations

from hagukumi.people.models import Qualification

__all__ = ["qualification_catalogue", "qualification_choices"]


def qualification_catalogue() -> list[Qualification]:
    """The whole catalogue in display order."""
    return list(Qualification.objects.order_by("order", "code"))


def qualification_choices() -> list[tuple[str, str]]:
    """(code, name) of the qualifications one can hold (スキル標準 excluded), for forms."""
    return [
        (q.code, q.name)
        for q in Qualification.objects.filter(holdable=True).order_by("order", "code")
    ]
