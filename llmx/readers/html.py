"""HTML to the visible text in reading order (wire-service pages, EDGAR exhibits).

Block elements end lines (paragraphs, headings and tables are set off by a blank line), table
rows become lines with their cells joined by " | ", headings start with Markdown's "# " (so the
text has the structure of the Markdown releases the rules were written on: a headline is not
taken for the lead paragraph), scripts, styles and hidden elements are dropped, and entities
are decoded by the parser (lexbor, through selectolax).
"""

from __future__ import annotations

import re
from typing import Any

from llmx.errors import InputError
from llmx.readers.document import Document, single_page
from llmx.readers.encoding import decode_markup

CELL_SEPARATOR = " | "

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed", "canvas", "select", "-comment", "math"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre", "figure", "hr", "address"})
_LINE = frozenset({
    "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "main", "nav", "aside", "form",
    "figcaption", "caption", "center", "fieldset", "legend", "details", "summary", "thead", "tbody", "tfoot", "body",
})
_CELLS = frozenset({"td", "th"})
_HEADINGS = {f"h{level}": "#" * level + " " for level in range(1, 7)}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0]+")


def read_html(data: bytes | str, source: str | None = None) -> Document:
    """The visible text of an HTML page; InputError when it shows no text at all."""
    metadata: dict[str, Any] = {}
    if isinstance(data, bytes):
        decoded = decode_markup(data)
        markup = decoded.text
        metadata["encoding"] = decoded.encoding
        if decoded.declared:
            metadata["declared_charset"] = decoded.declared
        if decoded.stray_bytes:
            metadata["stray_bytes"] = decoded.stray_bytes
    else:
        markup = data
    text, title = html_to_text(markup)
    if title:
        metadata["title"] = title
    if not text.strip():
        raise InputError(f"{source or '<html>'}: the HTML shows no text (only scripts, styles or hidden elements)")
    return single_page(text, "html", source=source, metadata=metadata)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """(visible text, title) of an HTML string."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    title_node = tree.css_first("title")
    title = _SPACES.sub(" ", title_node.text()).strip() if title_node is not None else None
    out = _TextBuilder()
    root = tree.body if tree.body is not None else tree.root
    if root is not None:
        _walk(root, out)
    return out.text(), title or None


def _hidden(node: Any) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def _walk(root: Any, out: "_TextBuilder") -> None:
    """Depth-first over the tree without recursion (deeply nested pages exist)."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    preformatted = 0
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            if tag == "pre":
                preformatted -= 1
            out.end(tag)
            continue
        if tag == "-text":
            out.add(node.text_content or "", preformatted > 0)
            continue
        if tag in _SKIP or tag.startswith("-") or _hidden(node):
            continue
        if tag == "br":
            out.line()
            continue
        if tag == "pre":
            preformatted += 1
        out.start(tag)
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


class _TextBuilder:
    """Collects text with pending line/paragraph breaks, collapsing whitespace as browsers do."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # newlines owed before the next text: 0, 1 (line) or 2 (paragraph)
        self.space = False  # a collapsed space owed before the next text
        self.cells: list[int] = []  # per open row: cells started so far
        self.prefix = ""  # a heading's "# " owed before its first text

    def add(self, value: str, preformatted: bool) -> None:
        trailing = False
        if not preformatted:
            if value and value[0] in " \t\n\r\f\v\u00a0":
                self.space = True
            trailing = value[-1:] in (" ", "\t", "\n", "\r", "\f", "\v", "\u00a0")
            value = _SPACES.sub(" ", value).strip()
            if not value:
                return
        elif not value:
            return
        if self.parts:
            if self.pending:
                self.parts.append("\n" * self.pending)
            elif self.space:
                self.parts.append(" ")
        self.pending = 0
        if self.prefix:
            self.parts.append(self.prefix)
            self.prefix = ""
        self.parts.append(value)
        self.space = trailing

    def line(self) -> None:
        self.pending = max(self.pending, 1)
        self.space = False

    def start(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self.pending = max(self.pending, 2) if self.parts else 0
            self.space = False
        elif tag in _LINE:
            self.line()
        if tag in _HEADINGS:
            self.prefix = _HEADINGS[tag]
        if tag == "tr":
            self.cells.append(0)
        elif tag in _CELLS and self.cells:
            if self.cells[-1] and not self.pending:
                self.parts.append(CELL_SEPARATOR)
                self.space = False
            self.cells[-1] += 1

    def end(self, tag: str) -> None:
        if tag == "tr" and self.cells:
            self.cells.pop()
        if tag in _HEADINGS:
            self.prefix = ""
        if tag in _PARAGRAPH:
            self.pending = max(self.pending, 2)
            self.space = False
        elif tag in _LINE:
            self.line()

    def text(self) -> str:
        return "".join(self.parts)
