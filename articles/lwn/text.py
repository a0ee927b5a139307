"""Render a run of nodes as an HTML fragment and as plain text, in one walk.

One explicit-stack walk (no recursion, so absurdly deep markup cannot
overflow) produces both forms, rather than serialising with BeautifulSoup's
``decode`` and walking the tree a second time for the text.

Text rules: each block element becomes a paragraph, paragraphs are
separated by a blank line, whitespace inside a paragraph is collapsed,
``<br>`` keeps a line break (two in a row end the paragraph) and ``<pre>``
keeps its layout. HTML rules: BeautifulSoup's "minimal" formatter (escape
``&``, ``<``, ``>``; quote attributes), comments and scripts dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bs4 import NavigableString, Tag
from bs4.element import CData, PageElement

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "body",
        "html",
    }
)
# Content a reader never sees as text, and that a body fragment does not need.
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "select"})
VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
        "keygen",
        "spacer",
    }
)
_TEXT_TYPES = (NavigableString, CData)


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    text: str


class _Paragraphs:
    """Accumulates inline text and cuts it into collapsed paragraphs."""

    __slots__ = ("lines", "paragraphs")

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        # The current paragraph as lines; only <br> starts a new line, source
        # newlines are plain whitespace. Callers append to ``lines[-1]``
        # directly: this is the hottest loop of the parser.
        self.lines: list[list[str]] = [[]]

    def pending(self) -> bool:
        lines = self.lines
        return len(lines) > 1 or bool(lines[0])

    def flush(self) -> None:
        lines = self.lines
        self.lines = [[]]
        # An empty line (from "<br><br>") separates paragraphs, like a block.
        current: list[str] = []
        for parts in lines:
            line = " ".join("".join(parts).split())
            if line:
                current.append(line)
            elif current:
                self.paragraphs.append("\n".join(current))
                current = []
        if current:
            self.paragraphs.append("\n".join(current))

    def verbatim(self, text: str) -> None:
        if self.pending():
            self.flush()
        # Keep the preformatted layout; only trailing spaces and blank edge
        # lines go.
        lines = [line.rstrip() for line in text.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            self.paragraphs.append("\n".join(lines))


def escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attr(value: str) -> str:
    value = escape_text(value)
    return value.replace('"', "&quot;") if '"' in value else value


def start_tag(tag: Tag) -> str:
    attrs = tag.attrs
    if not attrs:
        return f"<{tag.name}>"
    parts = [tag.name]
    for key, value in attrs.items():
        if value is None:
            parts.append(key)
        else:
            text = value if isinstance(value, str) else " ".join(value)
            parts.append(f'{key}="{_escape_attr(text)}"')
    return "<" + " ".join(parts) + ">"


def render(nodes: Iterable[PageElement]) -> Rendered:
    """The HTML fragment and the readable text of *nodes*."""
    out = _Paragraphs()
    html: list[str] = []
    emit = html.append
    # Frames: the children still to visit, and the tag to close afterwards.
    stack: list[tuple[Iterator[PageElement], Tag | None]] = [(iter(nodes), None)]
    pre: list[str] | None = None  # text collected inside <pre>, verbatim
    pre_depth = 0
    while stack:
        iterator, owner = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            if owner is None:
                continue
            name = owner.name
            emit(f"</{name}>")
            if name == "pre":
                pre_depth -= 1
                if pre_depth == 0 and pre is not None:
                    out.verbatim("".join(pre))
                    pre = None
            elif name in BLOCK_TAGS and out.pending():
                out.flush()
            continue
        if isinstance(node, Tag):
            name = node.name
            if name in SKIP_TAGS:
                continue
            if name == "br":
                emit("<br/>")
                if pre is not None:
                    pre.append("\n")
                else:
                    out.lines.append([])
                continue
            if name in VOID_TAGS and not node.contents:
                emit(start_tag(node)[:-1] + "/>")
                if name == "hr" and out.pending():
                    out.flush()
                continue
            emit(start_tag(node))
            if name == "pre":
                if pre_depth == 0:
                    if out.pending():
                        out.flush()
                    pre = []
                pre_depth += 1
            elif name in BLOCK_TAGS and out.pending():
                out.flush()
            stack.append((iter(node.contents), node))
        elif isinstance(node, NavigableString) and type(node) in _TEXT_TYPES:
            # Exact types: Comment, Doctype and friends subclass NavigableString.
            emit(escape_text(node))
            if pre is not None:
                pre.append(node)
            else:
                out.lines[-1].append(node)
    if out.pending():
        out.flush()
    return Rendered("".join(html).strip(), "\n\n".join(out.paragraphs))


def render_text(nodes: Iterable[PageElement]) -> str:
    """Readable plain text of *nodes* (see the module docstring)."""
    return render(nodes).text


def render_html(nodes: Iterable[PageElement]) -> str:
    """The HTML of *nodes* as one fragment; comments and scripts are dropped."""
    return render(nodes).html


def inline_text(nodes: Iterable[PageElement]) -> str:
    """*nodes* as one line of text (list items, headings)."""
    return " ".join(render(nodes).text.split())
