"""Writes of the case library: importing case documents.

Each file is imported in its own transaction and ends in one outcome: 登録
(stored), 更新 (updated: same 事例No., else same source file, among the
importer's own cases), 変更なし (unchanged: same content hash), 登録済み
(present: a 公開 case of another 団体 or of the seed library has exactly this
content; nothing is stored) or 失敗 (failed: the file is reported with a
Japanese reason and nothing of it is kept). One broken file never stops the
others.

An import only ever changes the importer's own cases (same owner, same
visibility; the seed library's cases belong to the system actor, owner None).
A 公開 case of another 団体 with the same 事例No. or file name is never
updated: different content becomes the importer's own case (issue 16: seed #3
was overwritten and its owner's audit never showed it). Every change is
audited under the case's owner.

Who imports: a web user with DX推進担当 or システム管理者 (their 団体 owns what
they import), the command line for one 団体 (``import_cases --organization``:
that 団体 owns the cases), or the system actor (seed documents; 公開 only, no
owner). The owner is always the actor's 団体, never a separate argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hagukumi.cases.documents import (
    SUPPORTED_SUFFIXES,
    CaseDocument,
    CaseDocumentError,
    read_case_documents,
)
from hagukumi.cases.facts import extract_facts, plain_text
from hagukumi.cases.metadata import OrganizationDirectory, ResolvedMetadata, resolve_metadata
from hagukumi.cases.models import Case, CaseFact, CasePassage, Visibility
from hagukumi.cases.passages import split_passages
from hagukumi.cases.search import case_index
from hagukumi.core.audit import audit_record
from hagukumi.core.errors import AccessDenied, ApplicationError
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor
from hagukumi.orgs.models import Organization

# Who may import case documents in their 団体 (the command line holds both).
IMPORT_ROLES = (Role.DX_OFFICE, Role.SYSTEM_ADMIN)
Status = Literal["stored", "updated", "unchanged", "present", "failed"]
STATUS_LABELS: dict[str, str] = {
    "stored": "登録",
    "updated": "更新",
    "unchanged": "変更なし",
    "present": "登録済み",
    "failed": "失敗",
}
# Shown in a report only when some case had it (older reports read the same).
_OPTIONAL_STATUSES = frozenset({"present"})
VISIBILITY_INPUTS: dict[str, str] = {
    "公開": Visibility.PUBLIC,
    "public": Visibility.PUBLIC,
    "団体内": Visibility.ORGANIZATION,
    "organization": Visibility.ORGANIZATION,
}


@dataclass(frozen=True)
class CaseOutcome:
    """What happened to one case of a file."""

    status: Status
    title: str = ""
    case_id: int | None = None
    label: str = ""  # 「行 3」 for a row of an xlsx list


@dataclass
class FileOutcome:
    """What happened to one file: its cases, or the reason it failed."""

    name: str
    cases: list[CaseOutcome] = field(default_factory=list)
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)

    @property
    def status(self) -> Status:
        if self.error:
            return "failed"
        statuses = {case.status for case in self.cases}
        for status in ("stored", "updated", "unchanged"):
            if status in statuses:
                return status
        return "present" if statuses else "unchanged"

    def line(self, *, dry_run: bool = False) -> str:
        """One line for the report: 「登録: 000_….txt「北海道職員の…」」."""
        prefix = "（試行）" if dry_run else ""
        if self.error:
            return f"{prefix}失敗: {self.name}: {self.error}"
        if len(self.cases) == 1:
            case = self.cases[0]
            return f"{prefix}{STATUS_LABELS[case.status]}: {self.name}「{case.title}」"
        counts = {status: 0 for status in ("stored", "updated", "unchanged", "present")}
        for case in self.cases:
            counts[case.status] += 1
        summary = " / ".join(
            f"{STATUS_LABELS[s]} {n}件"
            for s, n in counts.items()
            if n or s not in _OPTIONAL_STATUSES
        )
        return (
            f"{prefix}{STATUS_LABELS[self.status]}: {self.name}（{len(self.cases)}件: {summary}）"
        )


@dataclass
class CaseImportReport:
    files: list[FileOutcome]
    dry_run: bool = False

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.failed]

    def lines(self) -> list[str]:
        lines = [outcome.line(dry_run=self.dry_run) for outcome in self.files]
        counts = {status: 0 for status in STATUS_LABELS}
        for outcome in self.files:
            if outcome.failed:
                counts["failed"] += 1
            else:
                for case in outcome.cases:
                    counts[case.status] += 1
        lines.append(
            ("（試行・保存していません）" if self.dry_run else "")
            + "合計: "
            + " / ".join(
                f"{STATUS_LABELS[s]} {n}件"
                for s, n in counts.items()
                if n or s not in _OPTIONAL_STATUSES
            )
        )
        return lines


def parse_visibility(value: str) -> str:
    """公開 / 団体内 (or public / organization) → the stored value; ApplicationError otherwise."""
    try:
        return VISIBILITY_INPUTS[value.strip()]
    except KeyError:
        raise ApplicationError(
            f"公開範囲「{value}」は指定できません（公開 または 団体内）。"
        ) from None


def case_files_expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to import: directories expand to their supported files (recursively, sorted).

    Paths that do not exist come back as failed outcomes.
    """
    files: list[Path] = []
    missing: list[FileOutcome] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith((".", "~$"))
                    and p.name.lower() != "readme.md"
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileOutcome(name=str(raw), error="ファイルが見つかりません。"))
    return files, missing


def case_import_paths(
    *,
    actor: Actor,
    paths: Sequence[str | Path],
    visibility: str = Visibility.PUBLIC,
    dry_run: bool = False,
) -> CaseImportReport:
    """Import every file under ``paths``, each in its own transaction; report each."""
    _check_scope(visibility=visibility, actor=actor)
    files, outcomes = case_files_expand(paths)
    directory = OrganizationDirectory.load()
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            outcomes.append(
                FileOutcome(name=path.name, error=f"ファイルを読めません（{exc.strerror}）。")
            )
            continue
        outcomes.append(
            case_import_file(
                data=data,
                filename=path.name,
                visibility=visibility,
                actor=actor,
                dry_run=dry_run,
                directory=directory,
            )
        )
    return CaseImportReport(files=outcomes, dry_run=dry_run)


def case_import_file(
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    visibility: str = Visibility.PUBLIC,
    dry_run: bool = False,
    directory: OrganizationDirectory | None = None,
) -> FileOutcome:
    """Import one file (all its cases, or none of them); never raises for a bad file.

    AccessDenied when the actor may not import; ApplicationError for a wrong scope."""
    _check_scope(visibility=visibility, actor=actor)
    owner = actor.organization
    name = Path(filename).name
    outcome = FileOutcome(name=name)
    directory = directory or OrganizationDirectory.load()
    try:
        documents = read_case_documents(data, filename=name)
        with transaction.atomic():
            for document in documents:
                outcome.cases.append(
                    _import_document(
                        document,
                        source_file=name,
                        visibility=visibility,
                        owner=owner,
                        actor=actor,
                        directory=directory,
                    )
                )
            if dry_run:
                transaction.set_rollback(True)
    except CaseDocumentError as exc:
        outcome.error = _with_label(exc.message, exc)
        outcome.cases.clear()
    except ApplicationError as exc:
        outcome.error = exc.message
        outcome.cases.clear()
    except ValidationError as exc:
        outcome.error = _validation_message(exc)
        outcome.cases.clear()
    return outcome


def _with_label(message: str, exc: CaseDocumentError) -> str:
    label = exc.extra.get("label")
    return f"{label}: {message}" if label else message


def _check_scope(*, visibility: str, actor: Actor) -> None:
    """The actor may import (AccessDenied otherwise) into this visibility (ApplicationError)."""
    if not isinstance(actor, Actor) or not (actor.is_system or actor.has_role(*IMPORT_ROLES)):
        raise AccessDenied()
    owner = actor.organization
    if visibility not in Visibility.values:
        raise ApplicationError(f"公開範囲「{visibility}」は指定できません（公開 または 団体内）。")
    if visibility == Visibility.ORGANIZATION and owner is None:
        raise ApplicationError(
            "「団体内」で取り込むには、取り込む団体（--organization）を指定してください。"
        )


def _own_cases(visibility: str, owner: Organization | None) -> QuerySet[Case]:
    """The cases an import may update: the importer's own (the system's: no owner)."""
    cases = Case.objects.filter(visibility=visibility)
    return cases.filter(owner=owner) if owner is not None else cases.filter(owner__isnull=True)


def _present_elsewhere(document: CaseDocument, visibility: str) -> Case | None:
    """A 公開 case (another 団体's or the seed library's) with exactly this content."""
    if visibility != Visibility.PUBLIC:
        return None
    return (
        Case.objects.filter(visibility=Visibility.PUBLIC, content_hash=document.content_hash)
        .order_by("id")
        .first()
    )


def _existing(
    document: CaseDocument, metadata: ResolvedMetadata, *, source_file: str, scope: QuerySet[Case]
) -> Case | None:
    """The case this document is a new version of: same 事例No., else same source file
    (for a row of a list: same file and title), else the same content under another name."""
    if metadata.case_no:
        found = scope.filter(case_no=metadata.case_no).first()
        if found is not None:
            return found
    same_file = scope.filter(source_file=source_file)
    if document.label:
        same_file = same_file.filter(title=metadata.title, case_no__in=["", metadata.case_no])
    found = same_file.order_by("id").first()
    if found is not None:
        return found
    return scope.filter(content_hash=document.content_hash).order_by("id").first()


def _import_document(
    document: CaseDocument,
    *,
    source_file: str,
    visibility: str,
    owner: Organization | None,
    actor: Actor,
    directory: OrganizationDirectory,
) -> CaseOutcome:
    try:
        metadata = resolve_metadata(document, directory)
    except CaseDocumentError as exc:
        if document.label:
            raise CaseDocumentError(exc.message, extra={"label": document.label}) from exc
        raise
    case = _existing(
        document, metadata, source_file=source_file, scope=_own_cases(visibility, owner)
    )
    if case is not None and case.content_hash == document.content_hash:
        return CaseOutcome("unchanged", title=case.title, case_id=case.pk, label=document.label)
    if case is None:
        present = _present_elsewhere(document, visibility)
        if present is not None:
            return CaseOutcome(
                "present", title=present.title, case_id=present.pk, label=document.label
            )
    status: Status = "stored" if case is None else "updated"
    case = case or Case(visibility=visibility, owner=owner)
    for name in (
        "case_no",
        "title",
        "fiscal_year",
        "org_type",
        "org_name",
        "organization",
        "category_major",
        "category_minor",
        "case_type",
        "source",
        "url",
    ):
        setattr(case, name, getattr(metadata, name))
    case.body = document.body
    case.source_file = source_file
    case.content_hash = document.content_hash
    try:
        case.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            (f"{document.label}: " if document.label else "") + _validation_message(exc)
        ) from exc
    case.save()
    _store_derived(case, document, directory)
    case_index(case=case)  # search units are derived from the stored passages
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if status == "stored" else AuditEvent.Action.UPDATE,
        target=case,
        organization=case.owner,  # the owner's audit shows every change to its cases
        detail={"source_file": source_file, "visibility": visibility, "import": True},
    )
    return CaseOutcome(status, title=case.title, case_id=case.pk, label=document.label)


def _store_derived(case: Case, document: CaseDocument, directory: OrganizationDirectory) -> None:
    """Passages, facts and mentioned 団体: rebuilt from the body on every store."""
    case.passages.all().delete()
    CasePassage.objects.bulk_create(
        CasePassage(
            case=case,
            order=span.order,
            heading=span.heading,
            text=case.body[span.start : span.end],
            start=span.start,
            end=span.end,
            page=span.page,
        )
        for span in split_passages(case.body, pages=document.pages, headings=document.headings)
    )
    case.facts.all().delete()
    CaseFact.objects.bulk_create(
        CaseFact(
            case=case,
            kind=fact.kind,
            value=fact.value,
            unit=fact.unit,
            fiscal_year=fact.fiscal_year,
            per_year=fact.per_year,
            sentence=fact.sentence,
            position=fact.position,
        )
        for fact in extract_facts(case.body)
    )
    case.mentioned_organizations.set(directory.mentioned(f"{case.title}\n{plain_text(case.body)}"))


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = []
        for name, errors in exc.error_dict.items():
            label = _field_label(name)
            parts.append(f"{label}: " + " ".join(str(m) for e in errors for m in e.messages))
        return " / ".join(parts)
    return " ".join(exc.messages)


def _field_label(name: str) -> str:
    if name == "__all__":
        return "事例"
    try:
        field = Case._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))
