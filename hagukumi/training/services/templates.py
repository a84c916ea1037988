"""Adopting a programme template (`training/data/<code>.toml`) into a 団体.

`program_template_adopt` (DX推進担当) writes Course, CourseTarget,
CourseCompetency, Program and ProgramPhase rows owned by the 団体, mapping the
template's talent-type, level and competency codes onto one of the 団体's
frameworks in force; a code that framework lacks is refused by name
(「人材類型 dx-leader がフレームワーク〇〇にありません」), and nothing is written.
The planned sessions and quotas are copied when a cohort is created
(`training.services.cohorts`). Reading the files is `training.program_templates`
(re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from hagukumi.core.access import require_role
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent
from hagukumi.core.tenancy import Actor
from hagukumi.frameworks.models import Framework
from hagukumi.frameworks.selectors import (
    competencies_in_force,
    talent_types_in_force,
    version_in_force,
)
from hagukumi.training.models import (
    CompletionRule,
    Course,
    CourseCompetency,
    CourseTarget,
    Program,
    ProgramPhase,
)
from hagukumi.training.program_templates import (
    TEMPLATE_DIR,
    CourseTemplate,
    PhaseTemplate,
    ProgramTemplate,
    ProgramTemplateProgram,
    QuotaTemplate,
    SessionPlan,
    program_template_by_code,
    program_template_list,
    program_template_read,
    template_course_of,
    template_program_of,
)
from hagukumi.training.roles import PROGRAM_EDIT_ROLES

__all__ = [
    "TEMPLATE_DIR",
    "CourseTemplate",
    "PhaseTemplate",
    "ProgramTemplate",
    "ProgramTemplateProgram",
    "QuotaTemplate",
    "SessionPlan",
    "TemplateAdoption",
    "clean_or_raise",
    "program_template_adopt",
    "program_template_by_code",
    "program_template_list",
    "program_template_read",
    "template_course_of",
    "template_program_of",
]


def clean_or_raise(instance: Any) -> None:
    """`full_clean()`, its ValidationError turned into one Japanese ApplicationError.

    The message names each field by its verbose name (「研修コード: …」); used by
    every training service of this package before a save.
    """
    try:
        instance.full_clean()
    except ValidationError as exc:
        parts = []
        for name, messages in exc.message_dict.items():
            try:
                label = str(instance._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = ""
            text = " ".join(str(m) for m in messages)
            parts.append(f"{label}: {text}" if label else text)
        raise ApplicationError(" ".join(parts), extra={"fields": sorted(exc.message_dict)}) from exc


# ---------------------------------------------------------------------------
# Adopting


@dataclass
class TemplateAdoption:
    """What adopting a template created in the 団体."""

    template: ProgramTemplate
    framework: Framework | None
    courses: list[Course] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)


def _framework_of(actor: Actor, framework: Framework | int | None) -> Framework | None:
    if framework is None:
        return None
    framework_id = framework if isinstance(framework, int) else framework.pk
    found = Framework.objects.filter(
        pk=framework_id, owner_id=actor.organization_id, is_template=False
    ).first()
    if found is None:
        raise AccessDenied()
    return found


def _missing_codes(
    template: ProgramTemplate, framework: Framework, code_map: Mapping[str, str]
) -> list[str]:
    """「人材類型 dx-leader がフレームワーク〇〇にありません」 per code the framework lacks."""
    organization = framework.owner_id
    types = {
        t.code: t
        for t in talent_types_in_force(organization=organization)
        if t.framework_id == framework.pk
    }
    competencies = {
        c.code for c in competencies_in_force(organization=organization, framework=framework)
    }
    missing = []
    for code in template.talent_type_codes:
        if code_map.get(code, code) not in types:
            missing.append(
                f"人材類型 {code_map.get(code, code)} がフレームワーク{framework.name}にありません"
            )
    for type_code, level in template.level_codes:
        found = types.get(code_map.get(type_code, type_code))
        if found is not None and code_map.get(level, level) not in found.level_codes:
            missing.append(
                f"個人の段階 {code_map.get(level, level)} が人材類型 {found.code}"
                f"（フレームワーク{framework.name}）にありません"
            )
    for code in template.competency_codes:
        if code_map.get(code, code) not in competencies:
            missing.append(
                f"マインド・スキル {code_map.get(code, code)} "
                f"がフレームワーク{framework.name}にありません"
            )
    return missing


@transaction.atomic
def program_template_adopt(
    *,
    actor: Actor,
    template_code: str,
    framework: Framework | int | None = None,
    code_map: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> TemplateAdoption:
    """Create the template's courses and programmes in the actor's 団体 (DX推進担当).

    `framework` is one of the 団体's frameworks in force; the template's
    talent-type, level and competency codes (renamed by `code_map` where the
    団体's framework uses other codes) must all exist in its version in force,
    else nothing is created and every missing code is named. A template that
    names no code (北九州 階層別DX研修) needs no framework. Course and programme
    codes already used in the 団体 are refused (adopting twice is refused).
    """
    require_role(actor, *PROGRAM_EDIT_ROLES)
    template = program_template_by_code(template_code, directory=directory)
    chosen = _framework_of(actor, framework)
    code_map = dict(code_map or {})
    needs_framework = bool(
        template.talent_type_codes or template.competency_codes or template.programs
    )
    if needs_framework and chosen is None:
        raise ApplicationError(
            f"テンプレート「{template.name}」の人材類型・マインド・スキルを対応付ける"
            "フレームワークを選んでください。",
            extra={"field": "framework"},
        )
    if chosen is not None:
        if version_in_force(framework=chosen) is None:
            raise ApplicationError(
                f"フレームワーク{chosen.name}には公開済みの版がありません。公開してから採用してください。",
                extra={"field": "framework"},
            )
        missing = _missing_codes(template, chosen, code_map)
        if missing:
            raise ApplicationError(
                "。".join(missing) + "。", extra={"field": "framework", "missing": missing}
            )
    organization = actor.organization
    taken = set(
        Course.objects.filter(
            organization=organization, code__in=[c.code for c in template.courses]
        ).values_list("code", flat=True)
    )
    if taken:
        raise ApplicationError(
            f"研修コード {'、'.join(sorted(taken))} はこの団体で既に使われています"
            f"（テンプレート「{template.name}」は採用済みの可能性があります）。"
        )
    taken = set(
        Program.objects.filter(
            organization=organization, code__in=[p.code for p in template.programs]
        ).values_list("code", flat=True)
    )
    if taken:
        raise ApplicationError(
            f"プログラムコード {'、'.join(sorted(taken))} はこの団体で既に使われています"
            f"（テンプレート「{template.name}」は採用済みの可能性があります）。"
        )
    adoption = TemplateAdoption(template=template, framework=chosen)
    by_code: dict[str, Course] = {}
    for item in template.courses:
        course = Course(
            organization=organization,
            code=item.code,
            title=item.title,
            purpose=item.purpose,
            provider=item.provider,
            format=item.format,
            planned_hours=item.planned_hours,
            audience_rule=item.audience_rule,
            audience_text=item.audience_text,
            completion_rule=CompletionRule.ALL_SESSIONS,
            template_code=template.code,
            source=item.source.text[:300],
        )
        clean_or_raise(course)
        course.save()
        for type_code, level in item.targets:
            target = CourseTarget(
                course=course,
                framework=chosen,
                talent_type_code=code_map.get(type_code, type_code),
                level_code=code_map.get(level, level) if level else "",
            )
            clean_or_raise(target)
            target.save()
        for comp_code, comp_level in item.competencies:
            competency = CourseCompetency(
                course=course,
                framework=chosen,
                competency_code=code_map.get(comp_code, comp_code),
                level=comp_level,
            )
            clean_or_raise(competency)
            competency.save()
        by_code[item.code] = course
        adoption.courses.append(course)
    for program_item in template.programs:
        program = Program(
            organization=organization,
            code=program_item.code,
            title=program_item.title,
            description=program_item.description,
            framework=chosen,
            talent_type_code=code_map.get(program_item.talent_type, program_item.talent_type),
            level_code=code_map.get(program_item.level, program_item.level)
            if program_item.level
            else "",
            template_code=template.code,
            source=program_item.source.text[:300],
        )
        clean_or_raise(program)
        program.save()
        for phase_item in program_item.phases:
            phase = ProgramPhase(
                program=program,
                order=phase_item.order,
                name=phase_item.name,
                course=by_code[phase_item.course],
                required=phase_item.required,
                counted=phase_item.counted,
                period_label=phase_item.period,
                group_size_min=phase_item.group_size_min,
                group_size_max=phase_item.group_size_max,
            )
            clean_or_raise(phase)
            phase.save()
        adoption.programs.append(program)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target_type=Program._meta.label,
        target_repr=f"育成プログラムのテンプレート「{template.name}」の採用",
        detail={
            "template": template.code,
            "framework": chosen.code if chosen is not None else "",
            "courses": [c.code for c in adoption.courses],
            "programs": [p.code for p in adoption.programs],
        },
    )
    return adoption
