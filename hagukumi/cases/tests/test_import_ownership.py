"""An import never changes another 団体's case (issue 16, defect 1 — High).

Importing a file under the same name as a public case of another 団体 (or of
the seed library, which belongs to the system) used to update that case: its
text was lost, its owner became the importer, and the change was audited under
the importer's 団体 so the owner never saw it. Now identical content is
reported as already there (登録済み), different content becomes the importer's
own new case, and every change to a case is audited under the case's owner.
"""

from __future__ import annotations

import pytest

from hagukumi.cases.models import Case, Visibility
from hagukumi.cases.services import case_import_file, case_import_paths
from hagukumi.cases.tests.conftest import SEEDS
from hagukumi.core.audit import audit_events_for
from hagukumi.core.models import AuditEvent, Role
from hagukumi.core.tenancy import Actor, actor_for
from hagukumi.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SEED_3 = SEEDS / "003_7c1bdbfa22e4fb34.txt"


@pytest.fixture
def importers(user_with_role, organization):  # type: ignore[no-untyped-def]
    """DX推進担当 of 団体 A (`organization`) and of 団体 B."""
    other = OrganizationFactory(name="B町")
    a = actor_for(user_with_role(Role.DX_OFFICE, org=organization), organization.pk)
    b = actor_for(user_with_role(Role.DX_OFFICE, org=other), other.pk)
    return a, b


def _snapshot(case: Case) -> tuple[object, ...]:
    case.refresh_from_db()
    return (case.owner_id, case.title, case.body, case.content_hash, case.source_file)


def _case_events(case: Case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="cases.Case", target_id=str(case.pk)))


def test_seed_file_name_with_other_text_becomes_the_importers_own_case(importers) -> None:  # type: ignore[no-untyped-def]
    _a, b = importers
    case_import_paths(actor=Actor.system(), paths=[SEED_3])
    seed = Case.objects.get(source_file=SEED_3.name)
    before = _snapshot(seed)
    outcome = case_import_file(
        actor=b, data="B町の別の取組\n\n別の本文。\n".encode(), filename=SEED_3.name
    )
    assert not outcome.failed, outcome.error
    assert [c.status for c in outcome.cases] == ["stored"]
    mine = Case.objects.get(pk=outcome.cases[0].case_id)
    assert mine.pk != seed.pk
    assert (mine.owner, mine.visibility, mine.source_file) == (
        b.organization,
        Visibility.PUBLIC,
        SEED_3.name,
    )
    assert _snapshot(seed) == before  # the seed: same owner (the system), same text
    assert [e.action for e in _case_events(seed)] == [AuditEvent.Action.CREATE]


def test_same_content_as_a_seed_is_reported_as_already_present(importers) -> None:  # type: ignore[no-untyped-def]
    _a, b = importers
    case_import_paths(actor=Actor.system(), paths=[SEED_3])
    seed = Case.objects.get()
    before = _snapshot(seed)
    for name in (SEED_3.name, "renamed.txt"):
        outcome = case_import_file(actor=b, data=SEED_3.read_bytes(), filename=name)
        assert [(c.status, c.case_id) for c in outcome.cases] == [("present", seed.pk)]
        assert outcome.line().startswith("登録済み: ")
    assert Case.objects.count() == 1
    assert _snapshot(seed) == before


def test_another_organizations_public_case_is_never_changed(importers) -> None:  # type: ignore[no-untyped-def]
    a, b = importers
    text = "---\ncase_no: K-1\ntitle: A市の取組\n---\nA市の本文。\n"
    theirs = Case.objects.get(
        pk=case_import_file(actor=a, data=text.encode(), filename="k.md").cases[0].case_id
    )
    before = _snapshot(theirs)
    # Same 事例No. and file name, other text: B's own case (事例No. is per owner).
    other = "---\ncase_no: K-1\ntitle: B町の取組\n---\nB町の本文。\n"
    outcome = case_import_file(actor=b, data=other.encode(), filename="k.md")
    assert [c.status for c in outcome.cases] == ["stored"], outcome.error
    assert Case.objects.get(pk=outcome.cases[0].case_id).owner == b.organization
    assert _snapshot(theirs) == before
    assert Case.objects.filter(case_no="K-1").count() == 2
    # Nothing about A's case in B's name.
    assert [e.organization_id for e in _case_events(theirs)] == [a.organization_id]


def test_own_case_is_updated_and_the_owner_sees_it_in_its_audit(importers) -> None:  # type: ignore[no-untyped-def]
    a, b = importers
    first = case_import_file(actor=b, data="B町の取組\n\n本文1\n".encode(), filename="b.txt")
    case = Case.objects.get(pk=first.cases[0].case_id)
    again = case_import_file(
        actor=b, data="B町の取組（改訂）\n\n本文2\n".encode(), filename="b.txt"
    )
    assert [(c.status, c.case_id) for c in again.cases] == [("updated", case.pk)]
    case.refresh_from_db()
    assert case.owner == b.organization
    assert "本文2" in case.body
    seen_by_b = audit_events_for(actor=b).filter(target_type="cases.Case", target_id=str(case.pk))
    assert [e.action for e in seen_by_b.order_by("id")] == [
        AuditEvent.Action.CREATE,
        AuditEvent.Action.UPDATE,
    ]
    assert not audit_events_for(actor=a).filter(target_id=str(case.pk)).exists()


def test_organization_scoped_cases_stay_per_owner(importers) -> None:  # type: ignore[no-untyped-def]
    a, b = importers
    text = "---\ncase_no: 9\ntitle: 内部\n---\n本文\n".encode()
    for actor in (a, b):
        outcome = case_import_file(
            actor=actor, data=text, filename="x.md", visibility=Visibility.ORGANIZATION
        )
        assert [c.status for c in outcome.cases] == ["stored"]
    assert set(Case.objects.values_list("owner", flat=True)) == {
        a.organization_id,
        b.organization_id,
    }
