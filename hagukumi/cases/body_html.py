"""Showing a case body: the HTML fragments real documents carry, through an allow-list.

Case bodies are stored as imported, and the seeds hold ``<p>``, ``<ul>``,
``<u>``, ``<div style=…>`` inside table cells. For display they pass nh3
(ammonia) with a short allow-list: structure and emphasis only, no attributes
but ``href`` on links, no ``style``, no script of any kind. Everything else is
escaped text with line breaks kept.
"""

from __future__ import annotations

import html

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "ul",
        "ol",
        "li",
        "u",
        "b",
        "strong",
        "em",
        "i",
        "div",
        "span",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_body_html(body: str) -> str:
    """HTML safe to insert into a page: allowed tags kept, line breaks as <br>.

    Text outside tags is escaped by nh3 (it parses the body as HTML), and every
    ``<script>``/``<style>`` element is removed together with its content.
    """
    cleaned = nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return cleaned.replace("\n", "<br>\n")


def body_as_text_html(body: str) -> str:
    """The body shown as plain text (every tag escaped), line breaks as <br>."""
    return html.escape(body).replace("\n", "<br>\n")
