"""URL kwargs for the role × route matrix (core/tests/test_route_matrix.py).

The case is 団体内 to the matrix's 団体, so a user of another 団体 must get 404;
a 公開 case would be seen by every 団体 (that is the point of the library).
"""

from __future__ import annotations

from typing import Any

from hagukumi.cases.models import Case, Visibility


def _case(world: Any) -> dict[str, Any]:
    case = Case.objects.create(
        title="ルート確認用の事例",
        visibility=Visibility.ORGANIZATION,
        owner=world.organization,
        content_hash="0" * 64,
    )
    return {"pk": case.pk}


ROUTE_KWARGS = {"cases:detail": _case}
