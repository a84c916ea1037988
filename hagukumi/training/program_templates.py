"""Programme templates shipped as data (`training/data/<code>.toml`): their shape and reading.

A template holds courses (with their planned sessions per cohort, talent-type
targets and competencies), programmes of phases over those courses, and per-unit
quotas. Every item cites its seed file and section; texts are copied from the
seed (training/data/README.md, checked by training/tests/test_templates.py).
Templates are read from the files, not stored; adopting one is
`training.services.templates.program_template_adopt`. This module knows only
the files (no database writes, no actor), so selectors and services both read it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from hagukumi.core.errors import ApplicationError
from hagukumi.training.audience import audience_rule_errors
from hagukumi.training.models import (
    IN_PERSON_FORMATS,
    Course,
    CourseFormat,
    CourseProvider,
    Program,
    QuotaChannel,
)

__all__ = [
    "TEMPLATE_DIR",
    "CourseTemplate",
    "PhaseTemplate",
    "ProgramTemplate",
    "ProgramTemplateProgram",
    "QuotaTemplate",
    "SessionPlan",
    "SourceRef",
    "program_template_by_code",
    "program_template_list",
    "program_template_read",
    "template_course_of",
    "template_program_of",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class SourceRef:
    file: str
    section: str

    @property
    def text(self) -> str:
        """How Course.source / Program.source cite it: "seeds/002_… ■研修実践想定"."""
        return f"seeds/{self.file} {self.section}".strip()


@dataclass(frozen=True)
class SessionPlan:
    """One planned 回 of a course in each cohort (hours None: the seed gives none)."""

    number: int
    hours: Decimal | None
    title: str = ""
    online: bool = False


@dataclass(frozen=True)
class CourseTemplate:
    code: str
    title: str
    purpose: str
    provider: str
    format: str
    planned_hours: Decimal | None
    audience_rule: dict[str, Any]
    audience_text: str
    targets: tuple[tuple[str, str], ...]  # (talent type code, level code or "")
    competencies: tuple[tuple[str, int | None], ...]  # (competency code, level)
    sessions: tuple[SessionPlan, ...]
    source: SourceRef
    note: str = ""

    def in_person_sessions(self) -> int:
        """対面 回: sessions of a 集合/ハンズオン course that are not online."""
        if self.format not in IN_PERSON_FORMATS:
            return 0
        return sum(1 for s in self.sessions if not s.online)


@dataclass(frozen=True)
class PhaseTemplate:
    order: int
    name: str
    period: str
    course: str
    required: bool
    counted: bool
    group_size_min: int | None
    group_size_max: int | None
    source: SourceRef


@dataclass(frozen=True)
class QuotaTemplate:
    channel: str
    unit_kind: str
    max_per_unit: int | None
    new_every_year: bool
    exclude_previous_designees: bool
    label: str
    source: SourceRef


@dataclass(frozen=True)
class ProgramTemplateProgram:
    code: str
    title: str
    description: str
    talent_type: str
    level: str
    phases: tuple[PhaseTemplate, ...]
    quotas: tuple[QuotaTemplate, ...]
    source: SourceRef


@dataclass(frozen=True)
class ProgramTemplate:
    """One template file: courses, the programmes built from them, their quotas."""

    code: str
    name: str
    description: str
    framework_template: str
    note: str
    source: SourceRef
    courses: tuple[CourseTemplate, ...]
    programs: tuple[ProgramTemplateProgram, ...]

    def course(self, code: str) -> CourseTemplate:
        return next(c for c in self.courses if c.code == code)

    def program(self, code: str | None = None) -> ProgramTemplateProgram:
        if code is None:
            return self.programs[0]
        return next(p for p in self.programs if p.code == code)

    def required_hours(self, program_code: str | None = None) -> Decimal:
        """Hours of the programme's counted phases (札幌: 3 + 12 + 12 + 9 + 2 = 38)."""
        program = self.program(program_code)
        return sum(
            (
                self.course(p.course).planned_hours or Decimal(0)
                for p in program.phases
                if p.counted
            ),
            Decimal(0),
        )

    def in_person_sessions(self, program_code: str | None = None) -> int:
        """対面 回 of the programme's counted phases (札幌: 10日間の対面参加)."""
        program = self.program(program_code)
        return sum(self.course(p.course).in_person_sessions() for p in program.phases if p.counted)

    @property
    def talent_type_codes(self) -> list[str]:
        codes = [t for c in self.courses for t, _ in c.targets]
        codes += [p.talent_type for p in self.programs]
        return list(dict.fromkeys(codes))

    @property
    def competency_codes(self) -> list[str]:
        return list(dict.fromkeys(code for c in self.courses for code, _ in c.competencies))

    @property
    def level_codes(self) -> list[tuple[str, str]]:
        pairs = [(t, lv) for c in self.courses for t, lv in c.targets if lv]
        pairs += [(p.talent_type, p.level) for p in self.programs if p.level]
        return list(dict.fromkeys(pairs))


# ---------------------------------------------------------------------------
# Reading the files


class _Reader:
    """Field access on one TOML table with Japanese errors naming the file and item."""

    def __init__(self, where: str, data: Mapping[str, Any], *, seed: str) -> None:
        self.where = where
        self.data = data
        self.seed = data.get("seed", seed)

    def fail(self, message: str) -> ApplicationError:
        return ApplicationError(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(f"{key} は文字列で指定してください。")
        value = value.strip()
        if required and not value:
            raise self.fail(f"{key} がありません。")
        return value

    def integer(self, key: str, *, default: int | None = None) -> int | None:
        value = self.data.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(f"{key} は整数で指定してください。")
        return value

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key} は true / false で指定してください。")
        return value

    def hours(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, (bool, float)):
            raise self.fail(f'{key} は文字列の10進数（例: "3"、"1.5"）で指定してください。')
        try:
            hours = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(f"{key}「{value}」は数値ではありません。") from exc
        if hours <= 0:
            raise self.fail(f"{key} は 0 より大きくしてください。")
        return hours

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key} は表の一覧で指定してください。")
        return value

    def source(self) -> SourceRef:
        seed = self.seed
        if isinstance(seed, list):
            seed = ", ".join(seed)
        section = self.text("section")
        if not seed or not section:
            raise self.fail("出典（seed と section）がありません。")
        return SourceRef(file=str(seed), section=section)

    def child(self, where: str, data: Mapping[str, Any]) -> _Reader:
        return _Reader(f"{self.where} {where}", data, seed=self.seed)


def _course_read(reader: _Reader) -> CourseTemplate:
    code = reader.text("code", required=True)
    provider = reader.text("provider") or CourseProvider.INTERNAL
    if provider not in CourseProvider.values:
        raise reader.fail(
            f"provider「{provider}」は選べません（{'、'.join(CourseProvider.values)}）。"
        )
    fmt = reader.text("format", required=True)
    if fmt not in CourseFormat.values:
        raise reader.fail(f"format「{fmt}」は選べません（{'、'.join(CourseFormat.values)}）。")
    rule = reader.data.get("audience_rule", {})
    errors = audience_rule_errors(rule)
    if errors:
        raise reader.fail(" ".join(errors))
    targets = []
    for item in reader.tables("targets"):
        target = reader.child("targets", item)
        targets.append((target.text("talent_type", required=True), target.text("level")))
    competencies = []
    for item in reader.tables("competencies"):
        comp = reader.child("competencies", item)
        competencies.append((comp.text("code", required=True), comp.integer("level")))
    sessions = []
    for item in reader.tables("sessions"):
        plan = reader.child("sessions", item)
        number = plan.integer("number")
        if number is None or number < 1:
            raise plan.fail("number は 1 以上の整数で指定してください。")
        sessions.append(
            SessionPlan(
                number=number,
                hours=plan.hours("hours"),
                title=plan.text("title"),
                online=plan.flag("online", default=False),
            )
        )
    if len({s.number for s in sessions}) != len(sessions):
        raise reader.fail("sessions の number が重複しています。")
    return CourseTemplate(
        code=code,
        title=reader.text("title", required=True),
        purpose=reader.text("purpose"),
        provider=provider,
        format=fmt,
        planned_hours=reader.hours("planned_hours"),
        audience_rule=dict(rule),
        audience_text=reader.text("audience_text"),
        targets=tuple(targets),
        competencies=tuple(competencies),
        sessions=tuple(sessions),
        source=reader.source(),
        note=reader.text("note"),
    )


def _program_read(reader: _Reader, courses: dict[str, CourseTemplate]) -> ProgramTemplateProgram:
    phases = []
    for item in reader.tables("phases"):
        phase = reader.child("phases", item)
        course = phase.text("course", required=True)
        if course not in courses:
            raise phase.fail(f"course「{course}」は courses にありません。")
        order = phase.integer("order")
        if order is None or order < 1:
            raise phase.fail("order は 1 以上の整数で指定してください。")
        low, high = phase.integer("group_size_min"), phase.integer("group_size_max")
        if (low is None) != (high is None) or (low is not None and (low < 1 or high < low)):  # type: ignore[operator]
            raise phase.fail(
                "group_size_min と group_size_max は 1 ≤ 下限 ≤ 上限 で両方指定してください。"
            )
        required = phase.flag("required", default=True)
        counted = phase.flag("counted", default=required)
        if counted and not required:
            raise phase.fail("任意のフェーズは修了・時間数に算入できません（counted = false）。")
        phases.append(
            PhaseTemplate(
                order=order,
                name=phase.text("name"),
                period=phase.text("period"),
                course=course,
                required=required,
                counted=counted,
                group_size_min=low,
                group_size_max=high,
                source=phase.source(),
            )
        )
    if len({p.order for p in phases}) != len(phases):
        raise reader.fail("phases の order が重複しています。")
    quotas = []
    for item in reader.tables("quotas"):
        quota = reader.child("quotas", item)
        channel = quota.text("channel", required=True)
        if channel not in QuotaChannel.values:
            raise quota.fail(
                f"channel「{channel}」は選べません（{'、'.join(QuotaChannel.values)}）。"
            )
        maximum = quota.integer("max_per_unit")
        if maximum is not None and maximum < 1:
            raise quota.fail("max_per_unit は 1 以上にしてください（上限なしは省略）。")
        quotas.append(
            QuotaTemplate(
                channel=channel,
                unit_kind=quota.text("unit_kind") or "課",
                max_per_unit=maximum,
                new_every_year=quota.flag("new_every_year", default=False),
                exclude_previous_designees=quota.flag("exclude_previous_designees", default=False),
                label=quota.text("label"),
                source=quota.source(),
            )
        )
    if len({q.channel for q in quotas}) != len(quotas):
        raise reader.fail("quotas の channel が重複しています。")
    return ProgramTemplateProgram(
        code=reader.text("code", required=True),
        title=reader.text("title", required=True),
        description=reader.text("description"),
        talent_type=reader.text("talent_type", required=True),
        level=reader.text("level"),
        phases=tuple(sorted(phases, key=lambda p: p.order)),
        quotas=tuple(quotas),
        source=reader.source(),
    )


def program_template_read(path: Path) -> ProgramTemplate:
    """Parse and check one template file (ApplicationError naming the file and item)."""
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ApplicationError(f"{path.name}: TOML の書式が正しくありません（{exc}）。") from exc
    top = _Reader(path.name, raw, seed="")
    code = top.text("code", required=True)
    if code != path.stem:
        raise top.fail(f"code「{code}」をファイル名と同じ「{path.stem}」にしてください。")
    courses: dict[str, CourseTemplate] = {}
    for item in top.tables("courses"):
        course = _course_read(top.child(f"研修 {item.get('code', '?')}", item))
        if course.code in courses:
            raise top.fail(f"研修コード「{course.code}」が重複しています。")
        courses[course.code] = course
    programs = [
        _program_read(top.child(f"プログラム {item.get('code', '?')}", item), courses)
        for item in top.tables("programs")
    ]
    if len({p.code for p in programs}) != len(programs):
        raise top.fail("programs の code が重複しています。")
    if not courses:
        raise top.fail("courses がありません。")
    return ProgramTemplate(
        code=code,
        name=top.text("name", required=True),
        description=top.text("description"),
        framework_template=top.text("framework_template"),
        note=top.text("note"),
        source=top.source(),
        courses=tuple(courses.values()),
        programs=tuple(programs),
    )


@cache
def _templates_in(directory: Path) -> tuple[ProgramTemplate, ...]:
    return tuple(program_template_read(p) for p in sorted(directory.glob("*.toml")))


def program_template_list(*, directory: Path | None = None) -> list[ProgramTemplate]:
    """Every shipped template, by code (public reference data: no actor needed)."""
    return list(_templates_in(directory or TEMPLATE_DIR))


def program_template_by_code(code: str, *, directory: Path | None = None) -> ProgramTemplate:
    for template in program_template_list(directory=directory):
        if template.code == code:
            return template
    raise ApplicationError(f"育成プログラムのテンプレート「{code}」はありません。")


def template_program_of(program: Program) -> ProgramTemplateProgram | None:
    """The template programme an adopted Program came from (None: not from a template)."""
    if not program.template_code:
        return None
    try:
        template = program_template_by_code(program.template_code)
    except ApplicationError:
        return None
    return next((p for p in template.programs if p.code == program.code), None)


def template_course_of(course: Course) -> CourseTemplate | None:
    """The template course an adopted Course came from, by (template, 研修コード)."""
    if not course.template_code:
        return None
    try:
        template = program_template_by_code(course.template_code)
    except ApplicationError:
        return None
    return next((c for c in template.courses if c.code == course.code), None)
