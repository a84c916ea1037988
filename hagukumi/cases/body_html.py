"""Showing a case body: the HTML fragments real documents carry, through an allow-list.

Case bodies are stored as imported, and the seeds hold ``<p>``, ``<ul>``,
``<u>``, ``<div style=…>`` inside table cells. For display they pass nh3
(ammonia) with a short allow-list: structure and emphasis only, no attributes
but ``href`` on links, no ``style``, no script of any kind. Everything else is
escaped text with line breaks kept.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

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
    return _StructureMender.mend(cleaned)


# Containers whose direct children must be specific elements, so a <br> or
# bare text there is invalid markup (and an accessibility failure for lists).
_LISTS = frozenset({"ul", "ol"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tr"})
_VOID = frozenset({"br"})


class _StructureMender(HTMLParser):
    """Re-serialise nh3's (balanced) output with line breaks as <br> and valid lists.

    Real case bodies carry `<ul>` holding bare text and never closed; nh3 keeps
    the structure it parses. Here text or elements directly inside a list are
    wrapped in `<li>`, and newlines become `<br>` only where flow content is
    allowed (not directly inside lists or table structure).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # Open elements; True marks an <li> this mender opened and must close.
        self.stack: list[tuple[str, bool]] = []

    @classmethod
    def mend(cls, fragment: str) -> str:
        mender = cls()
        mender.feed(fragment)
        mender.close()
        while mender.stack:
            mender._close_top()
        return "".join(mender.out)

    def _parent(self) -> str:
        return self.stack[-1][0] if self.stack else ""

    def _close_top(self) -> None:
        tag, _ = self.stack.pop()
        self.out.append(f"</{tag}>")

    def _wrap_in_li_if_needed(self) -> None:
        if self._parent() in _LISTS:
            self.out.append("<li>")
            self.stack.append(("li", True))

    def _close_synthetic_li(self) -> None:
        if self.stack and self.stack[-1] == ("li", True):
            self._close_top()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "li":
            self._wrap_in_li_if_needed()
        elif self.stack and self.stack[-1] == ("li", True):
            self._close_top()
        rendered = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
        )
        self.out.append(f"<{tag}{rendered}>")
        if tag not in _VOID:
            self.stack.append((tag, False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self._parent() in _LISTS | _TABLE_PARTS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Close what this mender opened, then the element itself (nh3 output is balanced).
        while self.stack and self.stack[-1][1]:
            self._close_top()
        if self.stack and self.stack[-1][0] == tag:
            self._close_top()
        if self._parent() in _LISTS:
            self._close_synthetic_li()

    def _text(self, text: str) -> None:
        parent = self._parent()
        if parent in _TABLE_PARTS:
            if text.strip():
                self.out.append(text)
            return
        if parent in _LISTS:
            if not text.strip():
                return
            self._wrap_in_li_if_needed()
            text = text.strip("\n")
        self.out.append(text.replace("\n", "<br>\n"))

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")


def body_as_text_html(body: str) -> str:
    """The body shown as plain text (every tag escaped), line breaks as <br>."""
    return html.escape(body).replace("\n", "<br>\n")
