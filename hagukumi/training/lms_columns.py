"""The columns of an attendance import and a 団体's saved header aliases per LMS vendor.

`hagukumi import_attendance` and the web upload read these canonical columns
(issue [研修] Attendance and LMS records). Real LMS exports name them
differently by vendor, so a 団体 saves an `LmsColumnMapping` per provider whose
`header_aliases` JSON maps a canonical key to the headers that vendor uses::

    {"staff_number": ["社員番号", "受講者ID"], "hours": ["学習時間(h)"]}

and, optionally, `status_aliases` maps the vendor's values to attendance
statuses: ``{"完了": "present", "未受講": "absent"}``. A key left out keeps the
canonical header only. A header may serve one key only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

# Canonical key → the standard header (the file layout documented for users).
ATTENDANCE_COLUMNS: dict[str, str] = {
    "staff_number": "職員番号",
    "course_code": "研修コード",
    "session_number": "回",
    "date": "日付",
    "status": "出欠",
    "hours": "受講時間",
}


def header_aliases_errors(value: Any) -> list[str]:
    """Japanese messages for an invalid `header_aliases` value (empty: valid)."""
    if not isinstance(value, dict):
        return ["列名の対応はオブジェクト（{…}）で指定してください。"]
    errors: list[str] = []
    seen: dict[str, str] = {}
    for key, headers in value.items():
        if key not in ATTENDANCE_COLUMNS:
            errors.append(f"列名の対応に不明な項目「{key}」があります。")
            continue
        label = ATTENDANCE_COLUMNS[key]
        if not isinstance(headers, list) or not all(
            isinstance(header, str) and header.strip() for header in headers
        ):
            errors.append(f"「{label}」の別名は空でない文字列の一覧で指定してください。")
            continue
        for header in headers:
            other = seen.get(header.strip())
            if other is not None and other != key:
                errors.append(
                    f"列名「{header}」が「{ATTENDANCE_COLUMNS[other]}」と「{label}」の両方に"
                    "指定されています。"
                )
            seen[header.strip()] = key
    return errors


def validate_header_aliases(value: Any) -> None:
    errors = header_aliases_errors(value)
    if errors:
        raise ValidationError(errors)


def status_aliases_errors(value: Any, *, statuses: tuple[str, ...]) -> list[str]:
    """Messages for an invalid `status_aliases` value; `statuses` = the allowed values."""
    if not isinstance(value, dict):
        return ["出欠の値の対応はオブジェクト（{…}）で指定してください。"]
    return [
        f"出欠の値「{source}」の対応先「{target}」は使えません。"
        for source, target in value.items()
        if not isinstance(target, str) or target not in statuses
    ]
