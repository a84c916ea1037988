"""A framework version's content as one plain dict: the shape of the template files,
of `framework_export` and of what `framework_version_update` accepts.

`content_normalise` turns any accepted input (a template file parsed with tomllib,
or an exported JSON) into the canonical form; `content_errors` lists what is wrong
with it in Japanese. The canonical form carries the keys of issue [フレームワーク]
first, then the extra columns each item has (sources, notes, role images…).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.utils.text import normalize_newlines

from hagukumi.frameworks.models import CompetencyKind, MicType

Content = dict[str, Any]

_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def _text(value: Any) -> str:
    """Stripped text with LF line breaks (a browser or a Windows file may send CRLF)."""
    if isinstance(value, str):
        return normalize_newlines(value).strip()
    return "" if value is None else str(value)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _source(item: dict[str, Any], parent: dict[str, str]) -> dict[str, str]:
    """An item's source: `source` {file, section}, or `seed`/`section` keys, else the parent's."""
    given = item.get("source")
    if isinstance(given, dict):
        file, section = _text(given.get("file")), _text(given.get("section"))
    else:
        seed = item.get("seed")
        file = ", ".join(_text(s) for s in seed) if isinstance(seed, list) else _text(seed)
        section = _text(item.get("section"))
    return {"file": file or parent["file"], "section": section or parent["section"]}


def _details(raw: Any, parent: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"label": _text(d.get("label")), "text": _text(d.get("text")), "source": _source(d, parent)}
        for d in raw or []
        if isinstance(d, dict)
    ]


def _roles(raw: Any, parent: dict[str, str]) -> list[dict[str, Any]]:
    roles = []
    for r in raw or []:
        if isinstance(r, str):
            r = {"name": r}
        if not isinstance(r, dict):
            continue
        roles.append(
            {
                "name": _text(r.get("name")),
                "unit": _text(r.get("unit")),
                "summary": _text(r.get("summary")),
                "duties": [_text(d) for d in r.get("duties") or []],
                "source": _source(r, parent),
            }
        )
    return roles


def content_normalise(data: dict[str, Any]) -> Content:
    """The canonical content dict; orders missing in the input follow the input's order."""
    top = _source(data, {"file": "", "section": ""})
    talent_types = []
    for t_pos, t in enumerate(data.get("talent_types") or [], start=1):
        t_src = _source(t, top)
        levels = []
        for l_pos, lv in enumerate(t.get("individual_levels") or [], start=1):
            order = _int_or_none(lv.get("order")) if "order" in lv else l_pos
            levels.append(
                {
                    "code": _text(lv.get("code")),
                    "order": order,
                    "name": _text(lv.get("name")),
                    "criteria": _text(lv.get("criteria")),
                    "label": _text(lv.get("label")),
                    "description": _text(lv.get("description")),
                    "role_image": _text(lv.get("role_image")),
                    "development_direction": _text(lv.get("development_direction")),
                    "details": _details(lv.get("details"), _source(lv, t_src)),
                    "source": _source(lv, t_src),
                    "note": _text(lv.get("note")),
                }
            )
        steps = []
        for s_pos, s in enumerate(t.get("development_steps") or [], start=1):
            steps.append(
                {
                    "order": _int_or_none(s.get("order")) if "order" in s else s_pos,
                    "name": _text(s.get("name")),
                    "target_levels": _text(s.get("target_levels")),
                    "text": _text(s.get("text")),
                    "source": _source(s, t_src),
                    "note": _text(s.get("note")),
                }
            )
        talent_types.append(
            {
                "code": _text(t.get("code")),
                "name": _text(t.get("name")),
                "mic_type": _text(t.get("mic_type")),
                "description": _text(t.get("description")),
                "roles": _roles(t.get("roles"), t_src),
                "individual_levels": levels,
                "order": _int_or_none(t.get("order")) if "order" in t else t_pos,
                "expected_role": _text(t.get("expected_role")),
                "development_direction": _text(t.get("development_direction")),
                "details": _details(t.get("details"), t_src),
                "development_steps": steps,
                "source": t_src,
                "note": _text(t.get("note")),
            }
        )
    maturity_levels = []
    for m in data.get("maturity_levels") or []:
        statements = m.get("statements") or {}
        maturity_levels.append(
            {
                "level": _int_or_none(m.get("level")),
                "name": _text(m.get("name")),
                "statements": {_text(k): _text(v) for k, v in statements.items()}
                if isinstance(statements, dict)
                else statements,
                "source": _source(m, top),
                "note": _text(m.get("note")),
            }
        )
    competencies = []
    for c in data.get("competencies") or []:
        c_src = _source(c, top)
        competencies.append(
            {
                "code": _text(c.get("code")),
                "kind": _text(c.get("kind")),
                "name": _text(c.get("name")),
                "levels": [
                    {
                        "level": _int_or_none(cl.get("level")),
                        "behaviours": [_text(b) for b in cl.get("behaviours") or []],
                        "label": _text(cl.get("label")),
                        "source": _source(cl, c_src),
                        "note": _text(cl.get("note")),
                    }
                    for cl in c.get("levels") or []
                ],
                "description": _text(c.get("description")),
                "talent_type": _text(c.get("talent_type")),
                "source": c_src,
                "note": _text(c.get("note")),
            }
        )
    responsibilities = [
        {
            "unit": _text(r.get("unit")),
            "text": _text(r.get("text")),
            "source": _source(r, top),
            "note": _text(r.get("note")),
        }
        for r in data.get("responsibilities") or []
    ]
    return {
        "code": _text(data.get("code")),
        "name": _text(data.get("name")),
        "version": _int_or_none(data.get("version")),
        "source": top,
        "talent_types": talent_types,
        "maturity_levels": maturity_levels,
        "competencies": competencies,
        "responsibilities": responsibilities,
        "description": _text(data.get("description")),
        "note": _text(data.get("note")),
    }


def content_hash(content: Content) -> str:
    """A stable hash of the content without its version number."""
    body = {k: v for k, v in content.items() if k != "version"}
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _sequence_errors(numbers: list[int | None], *, what: str, start: int = 1) -> list[str]:
    """Duplicate, missing or non-numeric numbers in what must be start, start+1, …"""
    errors = []
    if any(n is None for n in numbers):
        errors.append(f"{what}の番号は整数で入力してください。")
        return errors
    seen: set[int] = set()
    for n in numbers:
        assert n is not None
        if n in seen:
            errors.append(f"{what}の番号 {n} が重複しています。番号を1つずつにしてください。")
        seen.add(n)
    expected = set(range(start, start + len(seen)))
    missing = sorted(expected - seen)
    if missing and not any("重複" in e for e in errors):
        gaps = "、".join(str(n) for n in missing)
        errors.append(f"{what}の番号は {start} からの連番にしてください（{gaps} がありません）。")
    return errors


def _code_errors(codes: list[str], *, what: str) -> list[str]:
    errors = []
    seen: set[str] = set()
    for code in codes:
        if not code:
            errors.append(f"{what}のコードを入力してください。")
        elif not _CODE.match(code):
            errors.append(
                f"{what}のコード「{code}」には半角英数字・ハイフン・下線だけを使ってください。"
            )
        elif code in seen:
            errors.append(f"{what}のコード「{code}」が重複しています。別のコードにしてください。")
        seen.add(code)
    return errors


def content_errors(content: Content) -> list[str]:
    """Every problem in the content, each a Japanese sentence saying what to fix."""
    errors: list[str] = []
    if not content["name"]:
        errors.append("フレームワークの名称を入力してください。")
    types = content["talent_types"]
    errors += _code_errors([t["code"] for t in types], what="人材類型")
    errors += _sequence_errors([t["order"] for t in types], what="人材類型の並び順")
    type_codes = {t["code"] for t in types}
    for pos, t in enumerate(types, start=1):
        label = f"人材類型「{t['name'] or t['code'] or pos}」"
        if not t["name"]:
            errors.append(f"人材類型 {pos} 番目（コード「{t['code']}」）の名称を入力してください。")
        if t["mic_type"] not in MicType.values and t["mic_type"] != "":
            errors.append(
                f"{label}のガイドブックの類型「{t['mic_type']}」は使えません"
                f"（{'、'.join(v for v in MicType.values if v)} または空欄）。"
            )
        for role in t["roles"]:
            if not role["name"]:
                errors.append(f"{label}の役割の名称を入力してください。")
        levels = t["individual_levels"]
        errors += _code_errors([lv["code"] for lv in levels], what=f"{label}の個人の段階")
        errors += _sequence_errors([lv["order"] for lv in levels], what=f"{label}の個人の段階")
        for lv in levels:
            if not lv["name"]:
                errors.append(
                    f"{label}の個人の段階（順序 {lv['order']}）の名称を入力してください。"
                )
        steps = t["development_steps"]
        errors += _sequence_errors([s["order"] for s in steps], what=f"{label}の育成ステップ")
        for s in steps:
            if not s["name"] or not s["text"]:
                errors.append(
                    f"{label}の育成ステップ {s['order']} の名称と内容を入力してください。"
                )
    maturity = content["maturity_levels"]
    errors += _sequence_errors([m["level"] for m in maturity], what="育成目標レベル")
    for m in maturity:
        if m["level"] is not None and not 1 <= m["level"] <= 5:
            errors.append(f"育成目標レベル {m['level']} は 1～5 の範囲にしてください。")
        if not m["name"]:
            errors.append(f"育成目標レベル {m['level']} の名称を入力してください。")
        if not isinstance(m["statements"], dict):
            errors.append(
                f"育成目標レベル {m['level']} の状態は人材類型コードごとに入力してください。"
            )
            continue
        for key in m["statements"]:
            if key not in type_codes:
                errors.append(
                    f"育成目標レベル {m['level']} の状態にある人材類型コード「{key}」がありません。"
                    "人材類型のコードに合わせてください。"
                )
    comps = content["competencies"]
    errors += _code_errors([c["code"] for c in comps], what="マインド・スキル")
    for c in comps:
        label = f"マインド・スキル「{c['name'] or c['code']}」"
        if not c["name"]:
            errors.append(f"マインド・スキル（コード「{c['code']}」）の名称を入力してください。")
        if c["kind"] not in CompetencyKind.values and c["kind"] != "":
            errors.append(f"{label}の区分「{c['kind']}」は使えません（mind、skill または空欄）。")
        if c["talent_type"] and c["talent_type"] not in type_codes:
            errors.append(f"{label}の人材類型コード「{c['talent_type']}」がありません。")
        numbers = [cl["level"] for cl in c["levels"]]
        if any(n is None or n < 1 for n in numbers):
            errors.append(f"{label}のレベルは 1 以上の整数にしてください。")
        elif len(set(numbers)) != len(numbers):
            dup = sorted({n for n in numbers if numbers.count(n) > 1})
            errors.append(f"{label}のレベル {'、'.join(map(str, dup))} が重複しています。")
    for pos, r in enumerate(content["responsibilities"], start=1):
        if not r["unit"] or not r["text"]:
            errors.append(f"部局等の役割 {pos} 番目の部局名と役割を入力してください。")
    return errors
