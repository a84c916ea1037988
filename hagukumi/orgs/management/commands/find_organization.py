"""hagukumi find_organization TEXT [--json] [--limit N]: look up 団体 by name, kana or code."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hagukumi.core.errors import ApplicationError
from hagukumi.orgs.selectors import organization_search


class Command(BaseCommand):
    help = (
        "団体を名前・カナ（ひらがな・半角カナも可）・団体コード（5桁または6桁）で探します。"
        "1行に1団体: コード、区分、名称（都道府県名から）、カナ。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="名前、カナ、または団体コード")
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON で出力する")
        parser.add_argument("--limit", type=int, default=50, help="最大件数（既定 50）")

    def handle(self, *args: Any, text: str, as_json: bool, limit: int, **options: Any) -> None:
        try:
            found = organization_search(text=text, limit=limit)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if not found:
            raise CommandError(f"「{text}」に一致する団体はありません。")
        if as_json:
            self.stdout.write(
                json.dumps([_as_dict(org) for org in found], ensure_ascii=False, indent=2)
            )
            return
        for org in found:
            self.stdout.write(
                "\t".join(
                    [org.code or "-", org.get_kind_display(), org.display_full_name, org.name_kana]
                )
            )


def _as_dict(org: Any) -> dict[str, Any]:
    return {
        "code": org.code,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "name": org.name,
        "full_name": org.full_name,
        "name_kana": org.name_kana,
        "prefecture_code": org.prefecture.code if org.prefecture else None,
        "is_demo": org.is_demo,
    }
