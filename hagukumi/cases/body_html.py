"""Showing a case body: the HTML fragments real documents carry, through an allow-list.

Case bodies are stored as imported, and the seeds hold ``<p>``, ``<ul>``,
``<u>``, ``<div style=…>`` inside table cells. For display they pass nh3
(ammonia) with a short allow-list: structure and emphasis only, no attributes
but ``href`` on links, no ``style``, no script of any kind. Everything else is
escaped text with line breaks kept.

Text imports (.md/.txt, the seeds included) are written in Markdown (``**…**``,
``- ①``, ``# 見出し``): ``render_body_html(markdown=True)`` renders them with
markdown-it-py (CommonMark + tables, raw HTML kept for the allow-list, line
breaks kept, no indented code blocks: text extracted from PDFs is indented by
layout), then sanitises the result the same way. Rendering happens on display,
so cases stored before keep their body and simply show rendered.
``markdown_text`` is the same text without the markup, for snippets and excerpts.
"""

from __future__ import annotations

import html
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import PurePath

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from hagukumi.cases.documents import TEXT_SUFFIXES

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
        "blockquote",
        "hr",
        "pre",
        "code",
        "del",
    }
)
# The case page holds the h1 (title) and h2 (sections): a body's own headings start at h3.
HEADING_SHIFT = 2
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def is_markdown_source(source_file: str) -> bool:
    """Whether a case imported from this file is written in Markdown (.md/.txt)."""
    return PurePath(source_file).suffix.lower() in TEXT_SUFFIXES


def render_body_html(body: str, *, markdown: bool) -> str:
    """The body (or a passage of it) as safe HTML: Markdown rendered when ``markdown``."""
    if not markdown:
        return sanitize_body_html(body)
    return _sanitize(_render_markdown(body), breaks=False)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.disable("code")  # indented lines are layout in extracted text, not code
    return md


def _markdown_tokens(text: str) -> list[Token]:
    return _markdown().parse(text)


def _render_markdown(text: str) -> str:
    tokens = _markdown_tokens(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
        elif token.type == "html_block":
            # Lines inside a raw HTML block are lines of text, as outside it.
            token.content = token.content.rstrip("\n").replace("\n", "<br>\n") + "\n"
    md = _markdown()
    return md.renderer.render(tokens, md.options, {})


def markdown_text(text: str) -> str:
    """The text of Markdown without its markup (``**`` and ``#`` gone, ``- `` bullets
    dropped, ordered list numbers kept); raw HTML is left for ``plain_text`` to strip."""
    out: list[str] = []
    for token in _markdown_tokens(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline", "html_inline"):
                    out.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    out.append("\n")
        elif token.type == "list_item_open" and token.markup in (".", ")"):
            out.append(f"{token.info}{token.markup} ")
        elif token.type in ("html_block", "fence"):
            out.append(token.content)
        elif (token.nesting == -1 and token.block) or token.type == "hr":
            out.append("\n")
    return "".join(out)


def sanitize_body_html(body: str) -> str:
    """HTML safe to insert into a page: allowed tags kept, line breaks as <br>.

    Text outside tags is escaped by nh3 (it parses the body as HTML), and every
    ``<script>``/``<style>`` element is removed together with its content.
    """
    return _sanitize(body, breaks=True)


def _sanitize(body: str, *, breaks: bool) -> str:
    cleaned = nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return _StructureMender.mend(cleaned, breaks=breaks)


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

    def __init__(self, *, breaks: bool = True) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # Open elements; True marks an <li> this mender opened and must close.
        self.stack: list[tuple[str, bool]] = []
        # Newlines of the text become <br> (off for rendered Markdown, which has its own).
        self.breaks = breaks

    @classmethod
    def mend(cls, fragment: str, *, breaks: bool = True) -> str:
        mender = cls(breaks=breaks)
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
        if tag in _VOID and self._parent() in _LISTS | _TABLE_PARTS:
            return  # a <br> directly inside a list or a table row is invalid markup
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
        self.out.append(text.replace("\n", "<br>\n") if self.breaks else text)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")


def body_as_text_html(body: str) -> str:
    """The body shown as plain text (every tag escaped), line breaks as <br>."""
    return html.escape(body).replace("\n", "<br>\n")
