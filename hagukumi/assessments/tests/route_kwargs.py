"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

A certificate is visible exactly when its staff member is, so its staff member
is placed like people's profile builder does: under the matrix 所属長's unit and
linked to the matrix 職員's login (`hagukumi.people.tests.route_kwargs._staff`).
Another 団体's user, 都道府県支援担当 and システム管理者 get 404.
"""

from __future__ import annotations

from typing import Any

from hagukumi.assessments.tests.factories import CertificateFactory
from hagukumi.people.models import Staff
from hagukumi.people.tests.route_kwargs import _staff


def _certificate(world: Any) -> dict[str, Any]:
    staff = Staff.objects.get(pk=_staff(world)["pk"])
    certificate = CertificateFactory(
        organization=world.organization, prefix="RM", staff=staff, issued_by_name=""
    )
    return {"pk": certificate.pk}


ROUTE_KWARGS = {
    "assessments:certificate": _certificate,
    "assessments:certificate_pdf": _certificate,
    "assessments:certificate_badge": _certificate,
}
