"""Who may see which case: the primitives every read of the case library starts from.

- 公開 cases: every logged-in web user of every 団体, and the command line
  acting for one 団体.
- 団体内 cases: only actors acting in the owner 団体.
- The system actor (`Actor.system()`: seed import, reindexing, the
  ``search_cases`` command) sees every case of every 団体; this module is the one
  place that says so (``actor.is_system``).
- No actor (``None``), or a web actor whose user is not logged in: nothing.

``cases.selectors`` (browse, detail, export) and ``cases.search.selectors``
(search, similar cases) both build on this module, so neither imports the other
to learn who sees what.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hagukumi.cases.models import Case, Visibility
from hagukumi.core.errors import AccessDenied
from hagukumi.core.tenancy import Actor


def sees_every_case(actor: Actor) -> bool:
    """Whether the actor sees the whole library, 団体内 cases of every 団体 included."""
    return isinstance(actor, Actor) and actor.is_system


def _may_read_the_library(actor: Actor) -> bool:
    """A logged-in web user, or the command line for one 団体."""
    if not isinstance(actor, Actor):
        return False
    if actor.is_command_line:
        return actor.organization_id is not None
    return actor.user is not None and actor.user.is_authenticated


def cases_visible(*, actor: Actor) -> QuerySet[Case]:
    """Every case the actor may see (公開, plus 団体内 of the actor's active 団体)."""
    cases = Case.objects.all()
    if sees_every_case(actor):
        return cases
    if not _may_read_the_library(actor):
        return cases.none()
    visible = Q(visibility=Visibility.PUBLIC)
    if actor.organization_id is not None:
        visible |= Q(visibility=Visibility.ORGANIZATION, owner_id=actor.organization_id)
    return cases.filter(visible)


def access_case_by_id(*, actor: Actor, case_id: int | str) -> Case:
    """The case if the actor may see it; AccessDenied (shown as 404) otherwise."""
    try:
        return cases_visible(actor=actor).select_related("organization", "owner").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise AccessDenied() from exc
