"""Building the search units of a case (title, metadata, passages) and storing them.

``case_index`` is called by the import service after a case and its passages are
stored; ``cases_reindex`` rebuilds everything (after a change of variants.tsv or
of the dictionary). ``units_for`` is pure (no queries) so the benchmark can build
100,000 cases with bulk inserts through the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Sum

from hagukumi.cases.models import Case, CasePassage
from hagukumi.cases.search.models import (
    CaseSearchProfile,
    CaseSearchStatistics,
    CaseSearchTerm,
    CaseSearchUnit,
    SearchUnitKind,
)
from hagukumi.cases.search.profile import case_profile
from hagukumi.cases.search.terms import join_terms, text_terms
from hagukumi.cases.visibility import sees_every_case
from hagukumi.core.errors import AccessDenied
from hagukumi.core.tenancy import Actor
from hagukumi.core.wareki import format_fiscal_year


@dataclass(frozen=True)
class PassageText:
    id: int | None
    text: str


def metadata_text(case: Case, mentioned: Sequence[str] = ()) -> str:
    """What the metadata unit indexes: 団体, 属性, 区分, 種類, 事例No., 年度, named 団体."""
    year = format_fiscal_year(case.fiscal_year) if case.fiscal_year else ""
    parts = [
        case.org_name,
        case.org_type,
        case.category_major,
        case.category_minor,
        case.case_type,
        case.case_no,
        year,
        *mentioned,
    ]
    return "\n".join(part for part in parts if part)


BODY_WINDOW_CHARS = 800  # body units: consecutive passages joined up to this size


@dataclass(frozen=True)
class BodyWindow:
    id: int | None  # the first passage's
    text: str
    passages: int  # how many passages, in order from the first


def body_windows(passages: Iterable[PassageText], chars: int | None = None) -> list[BodyWindow]:
    """Consecutive passages joined while the window stays within ``chars`` characters (a
    longer passage is a window of its own). Passages follow a document's headings and
    are short (a heading and its paragraph, about 300 characters): a window gives BM25
    the context of a section, as the 800-character windows of the bigram baseline do."""
    chars = BODY_WINDOW_CHARS if chars is None else chars
    windows: list[BodyWindow] = []
    for passage in passages:
        last = windows[-1] if windows else None
        if last is not None and chars > 0 and len(last.text) + len(passage.text) <= chars:
            windows[-1] = BodyWindow(last.id, f"{last.text}\n\n{passage.text}", last.passages + 1)
        else:
            windows.append(BodyWindow(passage.id, passage.text, 1))
    return windows


def units_for(
    case: Case, passages: Iterable[PassageText], mentioned: Sequence[str] = ()
) -> list[CaseSearchUnit]:
    """The unsaved units of one case (no database access)."""
    units = []
    for kind, text, passage_id, html, count in [
        (SearchUnitKind.TITLE, case.title, None, False, 1),
        (SearchUnitKind.META, metadata_text(case, mentioned), None, False, 1),
        *((SearchUnitKind.BODY, w.text, w.id, True, w.passages) for w in body_windows(passages)),
    ]:
        terms = text_terms(text, html=html)
        units.append(
            CaseSearchUnit(
                case_id=case.pk,
                passage_id=passage_id,
                kind=kind,
                terms=join_terms(terms),
                length=len(terms),
                passages=count,
            )
        )
    return units


def profile_for(case: Case, units: Iterable[CaseSearchUnit]) -> CaseSearchProfile:
    """The unsaved search profile of a case (``profile.py``) from its built units.

    Reads ``case.organization`` (the caller selects it to stay query-free)."""
    organization = case.organization
    profile = case_profile(
        case_id=case.pk,
        unit_terms=[unit.terms for unit in units],
        case_type=case.case_type,
        org_type=case.org_type,
        organization_kind=organization.kind if organization else "",
        organization_code=organization.code if organization else None,
    )
    return CaseSearchProfile(
        case_id=case.pk,
        topic=profile.topic,
        org_kind=profile.org_kind,
        prefecture=profile.prefecture,
        region=profile.region,
    )


def store_profiles(profiles: Sequence[CaseSearchProfile], *, batch_size: int = 2000) -> None:
    """Insert or replace the profiles of cases."""
    CaseSearchProfile.objects.bulk_create(
        profiles,
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["topic", "org_kind", "prefecture", "region"],
    )


def _add_statistics(counts: dict[str, tuple[int, int]], sign: int) -> None:
    for kind, (units, length) in counts.items():
        if not units:
            continue
        CaseSearchStatistics.objects.get_or_create(kind=kind)
        CaseSearchStatistics.objects.filter(kind=kind).update(
            units=F("units") + sign * units, total_length=F("total_length") + sign * length
        )


def _unit_counts(units: Iterable[CaseSearchUnit]) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    for unit in units:
        n, total = counts.get(unit.kind, (0, 0))
        counts[unit.kind] = (n + 1, total + unit.length)
    return counts


def _case_frequencies(terms_by_case: dict[int, set[str]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for terms in terms_by_case.values():
        counts.update(terms)
    return counts


def _units_case_frequencies(units: Iterable[CaseSearchUnit]) -> Counter[str]:
    by_case: dict[int, set[str]] = {}
    for unit in units:
        by_case.setdefault(unit.case_id, set()).update(unit.terms.split())
    return _case_frequencies(by_case)


_TERM_TABLE = CaseSearchTerm._meta.db_table
_UPSERT_ROWS = 400


def _add_case_frequencies(counts: Counter[str], sign: int) -> None:
    """df += sign · count for each term, one multi-row upsert per few hundred terms."""
    items = [(term, sign * n) for term, n in sorted(counts.items()) if n]
    with connection.cursor() as cursor:
        for i in range(0, len(items), _UPSERT_ROWS):
            chunk = items[i : i + _UPSERT_ROWS]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {_TERM_TABLE} (term, cases) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (term) DO UPDATE SET cases = {_TERM_TABLE}.cases + excluded.cases",
                [value for row in chunk for value in row],
            )


def store_units(units: Sequence[CaseSearchUnit], *, batch_size: int = 2000) -> None:
    """Insert units in bulk and add them to the statistics (for new cases only)."""
    with transaction.atomic():
        CaseSearchUnit.objects.bulk_create(units, batch_size=batch_size)
        _add_statistics(_unit_counts(units), +1)
        _add_case_frequencies(_units_case_frequencies(units), +1)


def case_unindex(*, case_id: int) -> None:
    """Remove a case's units (and their share of the statistics)."""
    with transaction.atomic():
        old = (
            CaseSearchUnit.objects.filter(case_id=case_id)
            .values("kind")
            .annotate(n=Count("id"), total=Sum("length"))
        )
        _add_statistics({row["kind"]: (row["n"], row["total"] or 0) for row in old}, -1)
        terms = CaseSearchUnit.objects.filter(case_id=case_id).values_list("terms", flat=True)
        held = {term for text in terms for term in text.split()}
        _add_case_frequencies(Counter(held), -1)
        CaseSearchUnit.objects.filter(case_id=case_id).delete()
        CaseSearchProfile.objects.filter(case_id=case_id).delete()


def case_index(*, case: Case) -> None:
    """(Re)build the search units of one stored case from its title, metadata and passages."""
    passages = [
        PassageText(p.pk, p.text)
        for p in CasePassage.objects.filter(case=case).order_by("order").only("id", "text")
    ]
    mentioned = list(
        case.mentioned_organizations.order_by("code", "id").values_list("name", flat=True)
    )
    units = units_for(case, passages, mentioned)
    profile = profile_for(case, units)
    with transaction.atomic():
        case_unindex(case_id=case.pk)
        store_units(units)
        store_profiles([profile])


def cases_reindex(*, actor: Actor, progress: bool = False) -> int:
    """Rebuild the whole index (every 団体's cases: the system actor only, AccessDenied
    for any other); returns the number of cases indexed."""
    if not sees_every_case(actor):
        raise AccessDenied()
    with transaction.atomic():
        CaseSearchUnit.objects.all().delete()
        CaseSearchStatistics.objects.all().delete()
        CaseSearchTerm.objects.all().delete()
        CaseSearchProfile.objects.all().delete()
        count = 0
        cases = Case.objects.select_related("organization").order_by("id")
        for case in cases.iterator(chunk_size=200):
            case_index(case=case)
            count += 1
    return count
