"""Certification rules: a rule per talent type (and optional level), clauses ANDed.

- `rule_create` checks the talent type and level against the framework in
  force, every clause's params (`assessments.clause_params`) and referenced
  rows (the 団体's own programme, courses, sheet; a catalogue qualification
  code), and refuses a second active rule for the same type and level.
- `rule_template_adopt` builds one from `assessments.rule_templates` (掛川:
  every required course + 「DXリーダー向けアセスメント」 ``>`` 基準値).
- `rule_deactivate` retires a rule (certificates keep their snapshot).
Rows a clause names are PROTECT foreign keys: deleting a used course, sheet or
programme is refused (`sheets.sheet_delete`; training's delete services turn
the ProtectedError into a Japanese refusal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from hagukumi.assessments.clause_params import clause_params_errors
from hagukumi.assessments.models import (
    AssessmentSheet,
    CertificationRule,
    ClauseKind,
    RuleClause,
    RuleClauseCourse,
)
from hagukumi.assessments.roles import EDITOR_ROLES
from hagukumi.assessments.rule_templates import RULE_TEMPLATES
from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import talent_type_in_force
from hagukumi.people.models import Qualification
from hagukumi.training.models import Course, Program

__all__ = [
    "ClauseSpec",
    "rule_create",
    "rule_deactivate",
    "rule_template_adopt",
]

KIND_LABELS = dict(ClauseKind.choices)
_NEEDS_PROGRAM = (ClauseKind.PHASES_COMPLETED, ClauseKind.YEARS_IN_PROGRAMME)
_TAKES_COURSES = (ClauseKind.COURSES_COMPLETED, ClauseKind.HOURS_AT_LEAST)


@dataclass(frozen=True)
class ClauseSpec:
    """One clause to create: its kind, params (clause_params) and the rows it names."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    program: Program | None = None
    sheet: AssessmentSheet | None = None
    qualification_code: str = ""
    courses: Sequence[Course] = ()


def _require_editor(actor: Actor, organization_id: int | None) -> None:
    require_role(actor, *EDITOR_ROLES)
    if organization_id is None or actor.organization_id != organization_id:
        raise AccessDenied()


def _check_clause(position: int, spec: ClauseSpec, organization_id: int) -> Qualification | None:
    where = f"条件 {position}（{KIND_LABELS.get(spec.kind, spec.kind)}）"
    errors = clause_params_errors(spec.kind, spec.params)
    if errors:
        raise ApplicationError(f"{where}: {errors[0]}", extra={"errors": errors})
    kind = spec.kind
    if kind in _NEEDS_PROGRAM and spec.program is None:
        raise ApplicationError(f"{where}: 育成プログラムを指定してください。")
    if spec.program is not None:
        if kind not in (*_NEEDS_PROGRAM, ClauseKind.HOURS_AT_LEAST):
            raise ApplicationError(f"{where}: この条件には育成プログラムを指定できません。")
        if spec.program.organization_id != organization_id:
            raise AccessDenied()
    if kind == ClauseKind.ASSESSMENT:
        if spec.sheet is None:
            raise ApplicationError(f"{where}: アセスメントシートを指定してください。")
        if spec.sheet.organization_id != organization_id:
            raise AccessDenied()
        if spec.params.get("statistic") == "test_score" and not spec.sheet.has_test_score:
            raise ApplicationError(
                f"{where}: シート「{spec.sheet.title}」はテストの点数を記録しません。"
            )
        if spec.params["kind"] not in spec.sheet.kinds_allowed:
            raise ApplicationError(
                f"{where}: シート「{spec.sheet.title}」ではこの種類の評価を行いません。"
            )
    elif spec.sheet is not None:
        raise ApplicationError(f"{where}: この条件にはアセスメントシートを指定できません。")
    if spec.courses:
        if kind not in _TAKES_COURSES:
            raise ApplicationError(f"{where}: この条件には研修を指定できません。")
        if kind == ClauseKind.HOURS_AT_LEAST and spec.program is not None:
            raise ApplicationError(
                f"{where}: 育成プログラムか研修のどちらか一方を指定してください。"
            )
        foreign = [c for c in spec.courses if c.organization_id != organization_id]
        if foreign:
            raise AccessDenied()
    elif kind == ClauseKind.COURSES_COMPLETED:
        raise ApplicationError(f"{where}: 修了が必要な研修を1つ以上指定してください。")
    qualification = None
    if kind == ClauseKind.QUALIFICATION_HELD:
        code = spec.qualification_code
        qualification = Qualification.objects.filter(code=code, holdable=True).first()
        if qualification is None:
            raise ApplicationError(f"{where}: 資格コード「{code}」は資格の一覧にありません。")
    elif spec.qualification_code:
        raise ApplicationError(f"{where}: この条件には資格を指定できません。")
    return qualification


@transaction.atomic
def rule_create(
    *,
    actor: Actor,
    framework: Framework,
    talent_type_code: str,
    name: str,
    clauses: Sequence[ClauseSpec],
    level_code: str = "",
    criteria: str = "",
    template_code: str = "",
    source: str = "",
) -> CertificationRule:
    """A rule for the talent type (and level) of `framework`, with its clauses in order."""
    organization_id = framework.owner_id
    _require_editor(actor, organization_id)
    if organization_id is None:  # templates have no owner to certify for
        raise AccessDenied()
    in_force = talent_type_in_force(
        organization=organization_id, code=talent_type_code, framework=framework
    )
    if level_code and level_code not in in_force.level_codes:
        raise ApplicationError(
            f"個人の段階「{level_code}」は人材類型「{in_force.name}」にありません。"
        )
    if not name.strip():
        raise ApplicationError("認定基準の名称を入力してください。")
    if not clauses:
        raise ApplicationError("認定基準には条件を1つ以上指定してください。")
    existing = CertificationRule.objects.filter(
        organization_id=organization_id,
        framework=framework,
        talent_type_code=talent_type_code,
        level_code=level_code,
        is_active=True,
    ).first()
    if existing is not None:
        raise ApplicationError(
            f"人材類型「{in_force.name}」には使用中の認定基準「{existing.name}」があります。"
            "先にその基準を使用停止にしてください。"
        )
    qualifications = [
        _check_clause(position, spec, organization_id)
        for position, spec in enumerate(clauses, start=1)
    ]
    rule = CertificationRule(
        organization_id=organization_id,
        framework=framework,
        talent_type_code=talent_type_code,
        level_code=level_code,
        name=name.strip(),
        criteria=criteria,
        template_code=template_code,
        source=source,
    )
    rule.full_clean()
    rule.save()
    for position, (spec, qualification) in enumerate(
        zip(clauses, qualifications, strict=True), start=1
    ):
        clause = RuleClause(
            rule=rule,
            order=position,
            kind=spec.kind,
            params=dict(spec.params),
            label=spec.label,
            program=spec.program,
            sheet=spec.sheet,
            qualification=qualification,
        )
        clause.full_clean()
        clause.save()
        RuleClauseCourse.objects.bulk_create(
            RuleClauseCourse(clause=clause, course=course) for course in spec.courses
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=rule,
        organization=framework.owner,
        detail={
            "talent_type": talent_type_code,
            "level": level_code,
            "clauses": [spec.kind for spec in clauses],
        },
    )
    return rule


def rule_template_adopt(
    *,
    actor: Actor,
    template_code: str,
    framework: Framework,
    talent_type_code: str,
    sheet: AssessmentSheet,
    program: Program | None = None,
    courses: Sequence[Course] = (),
    level_code: str = "",
    threshold: str | None = None,
) -> CertificationRule:
    """A rule from a shipped template: 「規定の研修を全て受講」 = the programme's required
    phases (or `courses`), then the template's assessment on `sheet` (`threshold`
    replaces the template's 例示 value)."""
    template = RULE_TEMPLATES.get(template_code)
    if template is None:
        raise ApplicationError(f"認定基準のテンプレート「{template_code}」はありません。")
    if program is None and not courses:
        raise ApplicationError(
            "「規定の研修をすべて受講」の対象として、育成プログラムか研修を指定してください。"
        )
    specs: list[ClauseSpec] = []
    for clause in template.clauses:
        if clause.kind == "required_training":
            if program is not None:
                specs.append(
                    ClauseSpec(
                        kind=ClauseKind.PHASES_COMPLETED,
                        params={"phases": "required"},
                        label=clause.label,
                        program=program,
                    )
                )
            else:
                specs.append(
                    ClauseSpec(
                        kind=ClauseKind.COURSES_COMPLETED, label=clause.label, courses=courses
                    )
                )
        elif clause.kind == ClauseKind.ASSESSMENT:
            params = dict(clause.params)
            if threshold is not None:
                params["threshold"] = threshold
            specs.append(
                ClauseSpec(kind=clause.kind, params=params, label=clause.label, sheet=sheet)
            )
        else:
            specs.append(
                ClauseSpec(kind=clause.kind, params=dict(clause.params), label=clause.label)
            )
    return rule_create(
        actor=actor,
        framework=framework,
        talent_type_code=talent_type_code,
        level_code=level_code,
        name=template.name,
        criteria=template.criteria,
        clauses=specs,
        template_code=template.code,
        source=template.source,
    )


@transaction.atomic
def rule_deactivate(*, actor: Actor, rule: CertificationRule) -> CertificationRule:
    """Stop using a rule (a new one may then be made); issued certificates are unchanged."""
    _require_editor(actor, rule.organization_id)
    if rule.is_active:
        rule.is_active = False
        rule.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=rule, detail={"is_active": False}
        )
    return rule
