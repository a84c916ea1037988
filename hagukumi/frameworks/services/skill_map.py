"""Importing a skill map (behaviours of competency levels) into a draft.

All rows or none (core.tabular_import.run_import).
"""

from __future__ import annotations

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tabular_import import (
    ImportSummary,
    ParsedRow,
    ProgressOption,
    RowOutcome,
    RowProblem,
    Table,
    run_import,
)
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import framework_export
from hagukumi.frameworks.services.common import (
    _content_replace,
    _draft_version,
    _lock_version,
    _require_editor,
)


def skill_map_import(
    *,
    actor: Actor,
    framework: Framework,
    table: Table,
    dry_run: bool,
    progress: ProgressOption = None,
) -> ImportSummary:
    """Set the behaviours of the draft's competency levels from a skill-map file.

    All rows or none (core.tabular_import.run_import). A row naming a competency
    the draft does not have is refused: competencies are added on the screen, so a
    typo never creates one. Levels missing from the file are left as they are.
    The command line imports as `Actor.command_line(<the framework's 団体>)`.
    """
    if framework.is_template:
        raise ApplicationError(
            "テンプレートには取り込めません。テンプレートを採用した団体のフレームワークを指定してください。"
        )
    _require_editor(actor=actor, framework=framework)
    draft = _draft_version(framework)
    content = framework_export(framework_version=draft)
    competencies = {c["code"]: c for c in content["competencies"]}
    seen: set[tuple[str, int]] = set()

    def apply(row: ParsedRow) -> RowOutcome:
        code, level = row["code"], row["level"]
        c = competencies.get(code)
        if c is None:
            raise RowProblem(
                "code",
                f"マインド・スキル「{code}」はこのフレームワークにありません。"
                "コードを直すか、先に画面でマインド・スキルを追加してください",
            )
        if level < 1:
            raise RowProblem("level", "レベルは 1 以上の整数で入力してください")
        if (code, level) in seen:
            raise RowProblem("level", f"「{code}」のレベル {level} の行が重複しています")
        seen.add((code, level))
        behaviours = [b.strip() for b in row.values.get("behaviours", "").splitlines() if b.strip()]
        key = f"{c['name']} レベル{level}"
        existing = next((cl for cl in c["levels"] if cl["level"] == level), None)
        if existing is None:
            c["levels"].append(
                {"level": level, "behaviours": behaviours, "label": row.values.get("label", "")}
            )
            c["levels"].sort(key=lambda x: x["level"])
            return RowOutcome("new", key=key)
        changes: dict[str, tuple[object, object]] = {}
        if existing["behaviours"] != behaviours:
            changes["behaviours"] = ("／".join(existing["behaviours"]), "／".join(behaviours))
            existing["behaviours"] = behaviours
        if "label" in row.values and existing["label"] != row.values["label"]:
            changes["label"] = (existing["label"], row.values["label"])
            existing["label"] = row.values["label"]
        return RowOutcome("changed" if changes else "unchanged", key=key, changes=changes)

    def finish(summary: ImportSummary) -> None:
        _content_replace(actor=actor, version=_lock_version(draft), content=content)

    return run_import(
        table, apply=apply, dry_run=dry_run, label="スキルマップ", finish=finish, progress=progress
    )
