"""The matching key of a staff record (氏名, カナ, キャリア志向 normalised; never shown)."""

from __future__ import annotations

from hagukumi.core.japanese_text import normalize
from hagukumi.people.models import Staff


def staff_search_key(staff: Staff, *, career_intent: str | None = None) -> str:
    """The matching form of 氏名, カナ and キャリア志向 (core.japanese_text.normalize).

    `career_intent`: the new キャリア志向 when it is about to change.
    """
    intent = staff.career_intent if career_intent is None else career_intent
    return "\n".join(normalize(part) for part in (staff.name, staff.name_kana, intent) if part)
