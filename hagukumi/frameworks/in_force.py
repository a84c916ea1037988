"""Framework items in force, by (framework, stable code): what other apps read.

Every draft edit deletes and re-creates a version's items, so their primary
keys are not stable (docs/adr/0006). Other apps therefore store a framework
(its row is stable) and an item's stable `code`, and resolve them here:

- the version in force of a framework is its latest published version; a
  団体's frameworks in force are its own (not templates) with such a version;
- two frameworks that share a code (both `mic` and `sapporo` have `dx-leader`)
  never mix: every answer carries its framework, and names are looked up by
  (framework, code), never by code alone;
- a choice list of talent types uses `talent_type_key` values ("<framework
  id>:<code>") and, when the 団体 has more than one framework in force, labels
  that name the framework (「DX推進リーダー（総務省モデル）」).

These reads take the 団体 (or a framework), not an actor: they reveal only the
structure of the 団体's own frameworks and are called by other apps' selectors
and services that have already checked who is asking. They are re-exported from
`hagukumi.frameworks.selectors`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from hagukumi.core.errors import ApplicationError
from hagukumi.frameworks.models import (
    Competency,
    Framework,
    FrameworkVersion,
    IndividualLevel,
    TalentType,
    VersionStatus,
)
from hagukumi.orgs.models import Organization

OrganizationRef = Organization | int | None
FrameworkRef = Framework | int


@dataclass(frozen=True)
class LevelInForce:
    """One 個人の段階 of a talent type in force."""

    code: str
    order: int
    label: str
    name: str

    @property
    def display(self) -> str:
        return f"{self.label} {self.name}" if self.label else self.name


@dataclass(frozen=True)
class TalentTypeInForce:
    """A talent type of a framework's version in force, named by (framework, code)."""

    framework: Framework
    version: FrameworkVersion
    code: str
    name: str
    order: int
    mic_type: str
    levels: tuple[LevelInForce, ...]

    @property
    def framework_id(self) -> int:
        return self.framework.pk

    @property
    def framework_code(self) -> str:
        return self.framework.code

    @property
    def framework_name(self) -> str:
        return self.framework.name

    @property
    def level_codes(self) -> tuple[str, ...]:
        return tuple(lv.code for lv in self.levels)

    @property
    def key(self) -> str:
        """The value of this type in a choice list: "<framework id>:<code>"."""
        return talent_type_key(framework=self.framework_id, code=self.code)

    def label(self, *, with_framework: bool) -> str:
        return f"{self.name}（{self.framework_name}）" if with_framework else self.name


@dataclass(frozen=True)
class CompetencyLevelInForce:
    level: int
    label: str


@dataclass(frozen=True)
class CompetencyInForce:
    """A マインド・スキル of a framework's version in force, named by (framework, code)."""

    framework: Framework
    version: FrameworkVersion
    code: str
    name: str
    kind: str
    order: int
    talent_type_code: str  # "" when it belongs to no talent type
    levels: tuple[CompetencyLevelInForce, ...]

    @property
    def framework_id(self) -> int:
        return self.framework.pk

    @property
    def framework_code(self) -> str:
        return self.framework.code

    @property
    def framework_name(self) -> str:
        return self.framework.name


def _pk(ref: Organization | Framework | int | None) -> int | None:
    return ref if ref is None or isinstance(ref, int) else ref.pk


def _framework_id(framework: FrameworkRef) -> int:
    return framework if isinstance(framework, int) else framework.pk


def talent_type_key(*, framework: FrameworkRef, code: str) -> str:
    """The value naming one talent type in a form or a query string: "<framework id>:<code>"."""
    return f"{_framework_id(framework)}:{code}"


def talent_type_key_parse(key: str) -> tuple[int, str]:
    """(framework id, code) of a `talent_type_key`, or ApplicationError."""
    framework_id, sep, code = key.partition(":")
    if not sep or not framework_id.isdigit() or not code:
        raise ApplicationError(f"人材類型「{key}」の指定が正しくありません。")
    return int(framework_id), code


def versions_in_force(*, organization: OrganizationRef) -> list[FrameworkVersion]:
    """The latest published version of each of the 団体's frameworks (one query)."""
    organization_id = _pk(organization)
    if organization_id is None:
        return []
    latest: dict[int, FrameworkVersion] = {}
    for version in (
        FrameworkVersion.objects.filter(
            framework__owner_id=organization_id,
            framework__is_template=False,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("framework")
        .order_by("framework_id", "-number")
    ):
        latest.setdefault(version.framework_id, version)
    return sorted(latest.values(), key=lambda v: v.framework.code)


def version_in_force(*, framework: FrameworkRef) -> FrameworkVersion | None:
    """The framework's latest published version, or None (never published)."""
    return (
        FrameworkVersion.objects.filter(
            framework_id=_framework_id(framework), status=VersionStatus.PUBLISHED
        )
        .select_related("framework")
        .order_by("-number")
        .first()
    )


def _levels(talent_type: TalentType) -> tuple[LevelInForce, ...]:
    return tuple(
        LevelInForce(code=lv.code, order=lv.order, label=lv.label, name=lv.name)
        for lv in talent_type.individual_levels.all()
    )


def _talent_types_of(versions: list[FrameworkVersion]) -> list[TalentTypeInForce]:
    """The talent types of `versions`, in the versions' order, then each type's order."""
    by_version: dict[int, list[TalentType]] = defaultdict(list)
    for talent_type in (
        TalentType.objects.filter(version__in=versions)
        .prefetch_related(
            Prefetch("individual_levels", queryset=IndividualLevel.objects.order_by("order"))
        )
        .order_by("order")
    ):
        by_version[talent_type.version_id].append(talent_type)
    return [
        TalentTypeInForce(
            framework=version.framework,
            version=version,
            code=t.code,
            name=t.name,
            order=t.order,
            mic_type=t.mic_type,
            levels=_levels(t),
        )
        for version in versions
        for t in by_version[version.pk]
    ]


def talent_types_in_force(*, organization: OrganizationRef) -> list[TalentTypeInForce]:
    """Every talent type of the 団体's frameworks in force (framework code, then order)."""
    return _talent_types_of(versions_in_force(organization=organization))


def talent_type_in_force(
    *, organization: OrganizationRef, code: str, framework: FrameworkRef | None = None
) -> TalentTypeInForce:
    """The talent type `code` in force in the 団体 (of `framework` when given).

    ApplicationError when no framework in force has it, or when several do and
    `framework` does not say which (two frameworks' codes never mix).
    """
    versions = versions_in_force(organization=organization)
    if framework is not None:
        versions = [v for v in versions if v.framework_id == _framework_id(framework)]
    found = [t for t in _talent_types_of(versions) if t.code == code]
    if not found:
        raise ApplicationError(
            f"人材類型「{code}」は公開済みのフレームワークにありません。"
            "フレームワークを採用・公開してから指定してください。"
        )
    if len(found) > 1:
        names = "、".join(f"「{t.framework_name}」" for t in found)
        raise ApplicationError(
            f"人材類型「{code}」は複数のフレームワーク（{names}）にあります。"
            "どのフレームワークの人材類型かを指定してください。"
        )
    return found[0]


def talent_type_choices(*, organization: OrganizationRef) -> list[tuple[str, str]]:
    """(talent_type_key, label) of every talent type in force, for a choice list.

    The label names the framework when the 団体 has more than one in force.
    """
    types = talent_types_in_force(organization=organization)
    several = len({t.framework_id for t in types}) > 1
    return [(t.key, t.label(with_framework=several)) for t in types]


def talent_type_labels(*, organization: OrganizationRef) -> dict[tuple[int, str], str]:
    """(framework id, code) → the label of `talent_type_choices` (for lists of records)."""
    types = talent_types_in_force(organization=organization)
    several = len({t.framework_id for t in types}) > 1
    return {(t.framework_id, t.code): t.label(with_framework=several) for t in types}


def talent_type_name(*, framework: FrameworkRef, code: str) -> str:
    """The name of talent type `code` of `framework`: in its version in force, else in its
    latest version that has the code, else the code itself."""
    names = list(
        TalentType.objects.filter(version__framework_id=_framework_id(framework), code=code)
        .order_by("-version__number")
        .values_list("version__status", "name")
    )
    for status, name in names:
        if status == VersionStatus.PUBLISHED:
            return name
    return names[0][1] if names else code


def individual_levels_of(*, framework: FrameworkRef, talent_type_code: str) -> list[LevelInForce]:
    """The 個人の段階 of one talent type in the framework's version in force ([] if none)."""
    version = version_in_force(framework=framework)
    if version is None:
        return []
    return [
        LevelInForce(code=lv.code, order=lv.order, label=lv.label, name=lv.name)
        for lv in IndividualLevel.objects.filter(
            talent_type__version=version, talent_type__code=talent_type_code
        ).order_by("order")
    ]


def competencies_in_force(
    *, organization: OrganizationRef, framework: FrameworkRef | None = None
) -> list[CompetencyInForce]:
    """The マインド・スキル of the 団体's frameworks in force (of `framework` when given)."""
    versions = versions_in_force(organization=organization)
    if framework is not None:
        versions = [v for v in versions if v.framework_id == _framework_id(framework)]
    by_version: dict[int, list[Competency]] = defaultdict(list)
    for competency in (
        Competency.objects.filter(version__in=versions)
        .select_related("talent_type")
        .prefetch_related("levels")
        .order_by("order")
    ):
        by_version[competency.version_id].append(competency)
    return [
        CompetencyInForce(
            framework=version.framework,
            version=version,
            code=c.code,
            name=c.name,
            kind=c.kind,
            order=c.order,
            talent_type_code=c.talent_type.code if c.talent_type else "",
            levels=tuple(
                CompetencyLevelInForce(level=cl.level, label=cl.label) for cl in c.levels.all()
            ),
        )
        for version in versions
        for c in by_version[version.pk]
    ]
