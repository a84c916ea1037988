"""What the training pages share: breadcrumbs, the clock at the edge, POST-only guards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone

from hagukumi.core.web import actor_of
from hagukumi.training.selectors.pages import enrollment_cohort_id
from hagukumi.training.selectors.programs import access_cohort_by_id

View = Callable[..., HttpResponse]


def crumbs(*items: tuple[str, str]) -> list[tuple[str, str]]:
    """ホーム › 研修 › …"""
    return [("ホーム", reverse("core:home")), ("研修", reverse("training:index")), *items]


def cohort_crumb(cohort: Any) -> tuple[str, str]:
    return (
        f"{cohort.program.title} {cohort}",
        reverse("training:cohort_detail", kwargs={"pk": cohort.pk}),
    )


def error_field(form: Any, exc: Any) -> str | None:
    """The form field an ApplicationError names (`extra["field"]`), or None (the whole form)."""
    field = exc.extra.get("field")
    return field if isinstance(field, str) and field in form.fields else None


def now() -> dt.datetime:
    """The request's time: read here, at the edge, and passed to the services."""
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def confirmed(request: HttpRequest) -> bool:
    """A POST from a confirmation page (its form sends confirm=yes)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def cohort_post_only(view: View) -> View:
    """POST only, checked after the cohort is found: another 団体's cohort is 404, not 405."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        access_cohort_by_id(actor=actor_of(request), cohort_id=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, pk, **kwargs)

    return wrapped


def enrollment_post_only(view: View) -> View:
    """POST only, checked after the enrolment is found in the actor's 団体 (else 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        enrollment_cohort_id(actor=actor_of(request), enrollment_id=pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, pk, **kwargs)

    return wrapped


# Where an enrolment action returns to: a fixed set, never a URL from the form.
BACK_PAGES = {
    "apply": "training:apply",
    "approvals": "training:approvals",
    "recommend": "training:recommend",
}


def back_url(request: HttpRequest, cohort_id: int) -> str:
    name = BACK_PAGES.get(request.POST.get("back", ""))
    if name is not None:
        return reverse(name)
    return reverse("training:cohort_detail", kwargs={"pk": cohort_id})
