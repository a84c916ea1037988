"""Per-団体 value lists (職位, 職種, 任用形態, 採用区分 …), seeded with issue [職員]'s values.

A 団体 without rows of a list uses the defaults below; `code_lists_ensure`
writes them so the 団体 can then edit its own copy.
"""

from __future__ import annotations

from typing import Any

from hagukumi.people.models import CodeKind, CodeListItem

DEFAULT_CODE_LISTS: dict[str, tuple[str, ...]] = {
    CodeKind.POSITION: ("部長", "次長", "課長", "課長補佐", "係長", "主査", "主任", "主事"),
    CodeKind.JOB_TYPE: (
        "一般事務",
        "一般事務(デジタルコース)",
        "電気",
        "技術",
        "土木",
        "建築",
        "保健師",
        "保育士",
    ),
    CodeKind.EMPLOYMENT: (
        "正規",
        "任期付",
        "会計年度任用",
        "特別職非常勤",
        "派遣受入",
        "地域活性化起業人",
        "CIO補佐官",
    ),
    CodeKind.RECRUITMENT: ("一般", "経験者採用", "デジタル採用"),
    # 札幌市の DX推進リーダーの役割 (seed 002) and 北九州's DX推進枠.
    CodeKind.DESIGNATION_ROLE: ("行政DX支援", "地域DX支援・人材育成", "定数内", "DX推進枠"),
    # Talent types whose current holders are listed in the leader directory.
    CodeKind.DIRECTORY_TYPE: ("dx-leader",),
}


def code_lists_ensure(*, organization: Any) -> int:
    """Seed every list the 団体 has no rows of yet; returns how many values were written."""
    present = set(
        CodeListItem.objects.filter(organization=organization)
        .values_list("kind", flat=True)
        .distinct()
    )
    items = [
        CodeListItem(organization=organization, kind=kind, value=value, order=order)
        for kind, values in DEFAULT_CODE_LISTS.items()
        if kind not in present
        for order, value in enumerate(values, start=1)
    ]
    CodeListItem.objects.bulk_create(items)
    return len(items)


def code_values(*, organization: Any, kind: str) -> list[str]:
    """Active values of one list in order (the defaults when the 団体 has none)."""
    values = list(
        CodeListItem.objects.filter(organization=organization, kind=kind, is_active=True)
        .order_by("order", "value")
        .values_list("value", flat=True)
    )
    if values:
        return values
    if CodeListItem.objects.filter(organization=organization, kind=kind).exists():
        return []
    return list(DEFAULT_CODE_LISTS.get(kind, ()))


def all_code_values(*, organization: Any) -> dict[str, list[str]]:
    """Every list at once (one query), defaults filled in."""
    found: dict[str, list[str]] = {}
    kinds_present: set[str] = set()
    for kind, value, active in (
        CodeListItem.objects.filter(organization=organization)
        .order_by("kind", "order", "value")
        .values_list("kind", "value", "is_active")
    ):
        kinds_present.add(kind)
        if active:
            found.setdefault(kind, []).append(value)
    for kind, values in DEFAULT_CODE_LISTS.items():
        if kind not in kinds_present:
            found[kind] = list(values)
        found.setdefault(kind, [])
    return found
