"""The skill map as xlsx: export → import keeps every cell; bad files change nothing."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from django.core.management import CommandError, call_command

from hagukumi.core.tabular_export import write_table
from hagukumi.frameworks.selectors import framework_draft, framework_export
from hagukumi.frameworks.services import framework_adopt, framework_version_update
from hagukumi.frameworks.skill_map import SKILL_MAP_COLUMNS, skill_map_matrix, skill_map_rows
from hagukumi.frameworks.tests.route_kwargs import framework_with_draft

from .conftest import TEMPLATE_CODES


def skill_map_file(tmp_path: Any, rows: list[dict[str, Any]], name: str = "map.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(write_table(rows, columns=SKILL_MAP_COLUMNS, format="xlsx"))
    return str(path)


def import_map(path: str, framework_id: int, *, dry_run: bool = False) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    args = ["import_skill_map", path, "--framework", str(framework_id)]
    if dry_run:
        args.append("--dry-run")
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc)
    return out.getvalue(), err.getvalue()


def round_trip(framework: Any, dx_actor: Any, tmp_path: Any) -> tuple[dict[str, Any], str]:
    """Export the draft's skill map, empty every cell, import the file; (original, stdout)."""
    draft = framework_draft(framework=framework)
    original = framework_export(framework_version=draft)
    path = skill_map_file(tmp_path, skill_map_rows(original))
    blank = json.loads(json.dumps(original))
    for c in blank["competencies"]:
        for cl in c["levels"]:
            cl["behaviours"], cl["label"] = [], ""
    framework_version_update(actor=dx_actor, framework_version=draft, content=blank)
    out, err = import_map(path, framework.pk)
    assert err == ""
    return original, out


def test_export_then_import_round_trips_every_cell_of_kakegawa(
    templates, dx_actor, organization, tmp_path
):
    framework = framework_adopt(actor=dx_actor, template_code="kakegawa", organization=organization)
    original, out = round_trip(framework, dx_actor, tmp_path)
    assert framework_export(framework_version=framework_draft(framework=framework)) == original
    cells = sum(len(c["levels"]) for c in original["competencies"])
    assert cells >= 3
    assert f"変更 {cells}件" in out


def test_round_trip_keeps_awkward_cells(dx_actor, organization, tmp_path):
    framework = framework_with_draft(organization)
    draft = framework_draft(framework=framework)
    content = framework_export(framework_version=draft)
    content["competencies"][0]["levels"] = [
        {"level": 1, "label": "LV1", "behaviours": ["=SUM(A1)", "-先頭がハイフン", "@注意"]},
        {"level": 2, "label": "", "behaviours": []},
        {"level": 10, "label": "S", "behaviours": ["０１２ 全角数字", "半角ｶﾅ"]},
    ]
    framework_version_update(actor=dx_actor, framework_version=draft, content=content)
    original, _ = round_trip(framework, dx_actor, tmp_path)
    assert framework_export(framework_version=draft) == original


def test_templates_without_levels_have_an_empty_skill_map(templates):
    for code in TEMPLATE_CODES:
        rows = skill_map_rows(templates[code])
        cells = sum(len(c["levels"]) for c in templates[code]["competencies"])
        assert len(rows) == cells


def test_kakegawa_matrix_has_every_behaviour(templates):
    content = templates["kakegawa"]
    matrix = skill_map_matrix(content)
    shown = [b for row in matrix.rows for cell in row.cells if cell for b in cell["behaviours"]]
    assert shown == [
        b for c in content["competencies"] for cl in c["levels"] for b in cl["behaviours"]
    ]
    assert len(matrix.rows) == len(content["competencies"])


def test_unknown_competency_refuses_the_whole_file(organization, tmp_path):
    framework = framework_with_draft(organization)
    before = framework_export(framework_version=framework_draft(framework=framework))
    rows = [
        {"code": "c1", "level": 1, "behaviours": "変えた行動"},
        {"code": "nope", "level": 2, "behaviours": "x"},
        {"code": "c1", "level": 1, "behaviours": "重複"},
    ]
    _out, err = import_map(skill_map_file(tmp_path, rows), framework.pk)
    assert (
        "行 3 列 マインド・スキルのコード: マインド・スキル「nope」はこのフレームワークにありません"
        in err
    )
    assert "行 4 列 レベル: 「c1」のレベル 1 の行が重複しています" in err
    assert "何も変更していません" in err
    assert framework_export(framework_version=framework_draft(framework=framework)) == before


def test_dry_run_reports_without_saving(organization, tmp_path):
    framework = framework_with_draft(organization)
    before = framework_export(framework_version=framework_draft(framework=framework))
    rows = [
        {"code": "c1", "level": 1, "behaviours": "変えた行動"},
        {"code": "c1", "level": 2, "label": "LV2", "behaviours": "新しい行動"},
    ]
    out, err = import_map(skill_map_file(tmp_path, rows), framework.pk, dry_run=True)
    assert err == ""
    assert "試しました（保存していません）: 新規 1件 / 変更 1件 / 変更なし 0件" in out
    assert framework_export(framework_version=framework_draft(framework=framework)) == before
    out, err = import_map(skill_map_file(tmp_path, rows), framework.pk)
    levels = framework_export(framework_version=framework_draft(framework=framework))[
        "competencies"
    ][0]["levels"]
    assert [(cl["level"], cl["label"], cl["behaviours"]) for cl in levels] == [
        (1, "", ["変えた行動"]),
        (2, "LV2", ["新しい行動"]),
    ]


def test_templates_and_published_frameworks_are_refused(templates, organization, tmp_path):
    from hagukumi.frameworks.models import Framework

    mic = Framework.objects.get(is_template=True, code="mic")
    path = skill_map_file(tmp_path, [{"code": "c1", "level": 1, "behaviours": "x"}])
    assert "テンプレートには取り込めません" in import_map(path, mic.pk)[1]
    assert "見つかりません" in import_map(path, 999999)[1]
