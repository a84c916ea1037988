"""Template tags of the page shell: navigation links, form fields, pagination, notices.

Load with `{% load shell %}`. The partials in `templates/includes/` use them; an
app's template normally only includes those partials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from hagukumi.core.registries import NavItem

register = template.Library()

# The page that lets a user of several 団体 choose the active one (core's auth module).
ORGANIZATION_SWITCH_URL_NAME = "core:organization_switch"


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    # Value for aria-current: "page" on the entry's own page, "true" below it, "" elsewhere.
    current: str


def nav_link(item: NavItem, request: HttpRequest | None) -> NavLink:
    href = reverse(item.url_name)
    current = ""
    if request is not None:
        match = request.resolver_match
        if match is not None and match.view_name == item.url_name:
            current = "page"
        elif href != "/" and request.path.startswith(href):
            current = "true"
    return NavLink(label=item.label, href=href, current=current)


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> list[NavLink]:
    """The actor's navigation entries (from the registry) with their URLs and state."""
    request = context.get("request")
    return [nav_link(item, request) for item in context.get("nav_items") or []]


@register.simple_tag(takes_context=True)
def organization_switch_url(context: template.Context) -> str:
    """URL of the 団体 switch page when the user belongs to several 団体, else ""."""
    actor = context.get("actor")
    if actor is None or not actor.has_several_organizations:
        return ""
    return reverse(ORGANIZATION_SWITCH_URL_NAME)


# Forms ---------------------------------------------------------------------

_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def field_kind(field: forms.BoundField) -> str:
    """How includes/field.html lays a field out: "choices", "checkbox", "hidden" or "input"."""
    widget = field.field.widget
    if isinstance(widget, _CHOICE_WIDGETS):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if widget.is_hidden:
        return "hidden"
    return "input"


def field_ids(field: forms.BoundField) -> dict[str, str]:
    base = field.auto_id or field.html_name
    return {"support": f"{base}_support", "error": f"{base}_error"}


@register.simple_tag
def field_describedby(field: forms.BoundField) -> str:
    """Space-separated ids of the support text and error text of `field` (may be empty)."""
    ids = field_ids(field)
    parts = []
    if field.help_text:
        parts.append(ids["support"])
    if field.errors:
        parts.append(ids["error"])
    return " ".join(parts)


@register.simple_tag
def field_id(field: forms.BoundField, part: str) -> str:
    """The id of the "support" or "error" text of `field`."""
    return field_ids(field)[part]


_WIDGET_CLASS = {
    forms.Textarea: "textarea",
    forms.Select: "select",
    forms.SelectMultiple: "select",
}


@register.simple_tag
def field_widget(field: forms.BoundField, **extra: Any) -> SafeString:
    """Render the widget of `field` with our class and its accessibility attributes.

    aria-describedby points at the support text and the error text, and
    aria-invalid="true" marks a field with errors (DADS input text pattern).
    """
    widget = field.field.widget
    css = next((c for w, c in _WIDGET_CLASS.items() if isinstance(widget, w)), "input")
    if isinstance(widget, forms.CheckboxInput):
        css = ""
    attrs: dict[str, Any] = {}
    existing = widget.attrs.get("class", "")
    classes = " ".join(c for c in (css, existing, extra.pop("class", "")) if c)
    if classes:
        attrs["class"] = classes
    describedby = field_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
    attrs.update(extra)
    return field.as_widget(attrs=attrs)


# Pagination and notices ----------------------------------------------------


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int, param: str = "page") -> str:
    """The current URL's query string with `param` set to `number` (filters kept)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query[param] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag
def page_range(page_obj: Page) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2))


_NOTICE_TYPES = {
    "success": "success",
    "info": "info",
    "debug": "info",
    "warning": "warning",
    "error": "error",
}
_NOTICE_LABELS = {"success": "完了", "info": "お知らせ", "warning": "注意", "error": "エラー"}


@register.filter
def notice_type(level_tag: str) -> str:
    """Map a Django message level tag to one of success / info / warning / error."""
    return _NOTICE_TYPES.get(level_tag, "info")


@register.filter
def notice_label(notice: str) -> str:
    """The Japanese word read before a notice (完了, お知らせ, 注意, エラー)."""
    return _NOTICE_LABELS.get(notice, "お知らせ")


@register.simple_tag(takes_context=True)
def page_has_errors(context: template.Context) -> bool:
    """Whether the page reports input errors (WCAG 3.3.1: its title then says 「エラー」).

    True when the view sets ``page_errors`` or any bound form or formset of the
    context has errors, whatever its name. Types are compared without touching the
    values, so lazy context values (user, csrf_token) are not evaluated.
    """
    for name, value in context.flatten().items():
        if name == "page_errors" and value is True:
            return True
        kind = type(value)
        if issubclass(kind, forms.BaseForm) and value.is_bound and value.errors:
            return True
        if issubclass(kind, forms.BaseFormSet) and value.is_bound and value.total_error_count():
            return True
    return False
