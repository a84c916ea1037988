"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

A certificate is visible exactly when its staff member is, so its staff member
is placed like people's profile builder does: under the matrix 所属長's unit and
linked to the matrix 職員's login (`hagukumi.people.tests.route_kwargs._staff`).
Another 団体's user, 都道府県支援担当 and システム管理者 get 404.
"""

from __future__ import annotations

from typing import Any

from hagukumi.assessments.models import PracticeStatus
from hagukumi.assessments.tests.factories import (
    AssessmentSheetFactory,
    AssessmentWindowFactory,
    CertificateFactory,
    PracticeRecordFactory,
    SheetItemFactory,
)
from hagukumi.people.models import Staff
from hagukumi.people.tests.route_kwargs import _staff


def _certificate(world: Any) -> dict[str, Any]:
    staff = Staff.objects.get(pk=_staff(world)["pk"])
    certificate = CertificateFactory(
        organization=world.organization, prefix="RM", staff=staff, issued_by_name=""
    )
    return {"pk": certificate.pk}


def _sheet(world: Any) -> dict[str, Any]:
    sheet = AssessmentSheetFactory(organization=world.organization)
    SheetItemFactory(sheet=sheet)
    return {"pk": sheet.pk}


def _window(world: Any) -> Any:
    return AssessmentWindowFactory(sheet=AssessmentSheetFactory(organization=world.organization))


def _heatmap(world: Any) -> dict[str, Any]:
    return {"window_pk": _window(world).pk}


def _assessment_form(world: Any) -> dict[str, Any]:
    """The 本人 form of the staff member the matrix roles all see (職員 = self)."""
    return {"window_pk": _window(world).pk, "staff_pk": _staff(world)["pk"], "kind": "self"}


def _practice_record(world: Any) -> dict[str, Any]:
    """A 確認待ち record of that staff member: the 職員 edits (self), the 所属長 confirms."""
    staff = Staff.objects.get(pk=_staff(world)["pk"])
    record = PracticeRecordFactory(
        organization=world.organization, staff=staff, status=PracticeStatus.SUBMITTED
    )
    return {"pk": record.pk}


ROUTE_KWARGS = {
    "assessments:sheet": _sheet,
    "assessments:heatmap": _heatmap,
    "assessments:assessment_form": _assessment_form,
    "assessments:certificate": _certificate,
    "assessments:certificate_pdf": _certificate,
    "assessments:certificate_badge": _certificate,
    "assessments:practice_edit": _practice_record,
    "assessments:practice_confirm": _practice_record,
}
