"""View glue shared by every app: the acting user, htmx detection, page windows.

Views stay thin (docs/architecture.md): parse input, call one service or
selector, render. What every view needs to do that lives here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar, cast

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from hagukumi.core.errors import ApplicationError
from hagukumi.core.tenancy import Actor, request_actor

T = TypeVar("T")

# Page numbers above this are treated as page 1 (a URL typed by hand, a fuzzer).
MAX_PAGE_NUMBER = 100_000


def actor_of(request: HttpRequest) -> Actor:
    """The web actor of a view behind `role_required` (404 for an anonymous request)."""
    actor = request_actor(request)
    if actor is None:
        raise Http404("見つかりません。")
    return cast(Actor, actor)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's `request.htmx`), boosted or not."""
    return bool(getattr(request, "htmx", False))


def htmx_target(request: HttpRequest) -> str | None:
    """The id of the element htmx will swap (`HX-Target`), or None."""
    details = getattr(request, "htmx", None)
    return details.target if details else None


def page_number(request: HttpRequest, *, parameter: str = "page") -> int:
    """The requested page number, 1 for anything that is not a sane positive integer."""
    value = request.GET.get(parameter, "")
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_PAGE_NUMBER))):
        return 1  # also 「²」 (isdigit, but not int()) and 5,000 digits (int() refuses)
    return int(value) if 0 < int(value) < MAX_PAGE_NUMBER else 1


def query_int(value: str | None, *, name: str, default: int, minimum: int, maximum: int) -> int:
    """An integer query parameter within [minimum, maximum]; `default` when absent or empty.

    ApplicationError (400, Japanese) for anything else: 「²」, 5,000 digits or 2^64
    never reach int() or the database (issue 16).
    """
    text = (value or "").strip()
    if not text:
        return default
    digits = text.removeprefix("-")
    widest = len(str(max(abs(minimum), maximum)))
    if digits.isascii() and digits.isdigit() and len(digits) <= widest:
        number = int(text)
        if minimum <= number <= maximum:
            return number
    raise ApplicationError(f"{name} は {minimum}〜{maximum:,} の整数で指定してください。")


class PageWindow(Generic[T]):
    """The rows of one page standing in for the whole list of `total` rows.

    A search that computes one page at a time (and knows the total) hands this
    to Django's Paginator, so `includes/pagination.html` pages through it
    without loading every row.
    """

    def __init__(self, total: int, rows: Sequence[T]) -> None:
        self.total = total
        self.rows = list(rows)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> list[T]:
        return self.rows


def window_page(*, total: int, rows: Sequence[T], number: int, per_page: int) -> Page[T]:
    """A Django Page for one computed page of rows (see PageWindow)."""
    window = cast(Sequence[T], PageWindow(total, rows))
    return Paginator(window, per_page).get_page(number)
