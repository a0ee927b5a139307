"""Comment threads, in both markups LWN has used.

Old (to about 2023)::

    <a name="CommAnchor254969"></a>
    <div class="CommentBox">
      <p class="CommentTitle">…</p>
      <div class="CommentBody">
        <p class="CommentPoster">Posted Oct 18, 2007 13:33 UTC (Thu) by <b>dany</b>
           (subscriber, #18902) [<a href="/Articles/254969/">Link</a>]</p>
        <div class="FormattedComment">…</div>
        <div class="CommentReplyButton"><form>…</form></div>
      </div>
    </div>
    <div class="Comment"> …replies: more CommentBox + Comment pairs… </div>

On pages of about 2007 to 2012 most bodies have no ``FormattedComment``: the
text and inline or block elements sit bare in ``CommentBody``, between the
poster line and the reply button. Then the body is everything the comment
owns except its furniture (see ``_bare_body``).

New (2024+): ``<details class="CommentBox">`` with ``<summary>`` holding
``h3.CommentTitle`` and ``.CommentPoster``; replies nest inside the parent.

Either way a comment's parent is found structurally (the enclosing details,
or the box just before the enclosing ``div.Comment``) and its depth is the
parent's depth plus one.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import Tag
from bs4.element import PageElement

from .dates import parse_datetime
from .dom import (
    article_id,
    attr,
    classes,
    first_descendant,
    has_class,
    is_blank,
    links,
    short_text,
)
from .text import render
from .types import ParsedComment
from .warnings import Warnings

_ROLE_RE = re.compile(r"\(\s*(?P<role>[^()#]{1,40}?)\s*,\s*#\d+\s*\)")
_BY_RE = re.compile(r"\bby\s+(?P<name>\S+)")
_KNOWN_ROLES = ("supporter", "subscriber", "guest", "editor")
_ANCHOR_PREFIX = "CommAnchor"
# Look at this many preceding siblings for the "CommAnchorN" anchor.
_ANCHOR_LOOKBACK = 3
# A comment's own parts that are never its body (old and new markup).
_NOT_BODY_CLASSES = frozenset(
    {"CommentPoster", "CommentTitle", "CommentReplyButton", "CommentBox", "Comment"}
)
_NOT_BODY_TAGS = frozenset({"form", "summary", "script", "style"})


@dataclass(frozen=True, slots=True)
class _Placed:
    lwn_id: int
    depth: int


def parse_comments(boxes: list[Tag], warnings: Warnings) -> list[ParsedComment]:
    """Parse every ``CommentBox`` in *boxes* (document order)."""
    comments: list[ParsedComment] = []
    placed: dict[int, _Placed] = {}  # id(box) -> where it landed
    for box in boxes:
        comment = _parse_box(box, placed, warnings)
        if comment is not None:
            comments.append(comment)
            placed[id(box)] = _Placed(comment.lwn_id, comment.depth)
    return comments


def parse_role(poster_text: str) -> str | None:
    """ "(subscriber, #18902)" → "subscriber"; "(✭ supporter ✭, #1)" → "supporter"."""
    match = _ROLE_RE.search(poster_text)
    if match is None:
        return None
    raw = match.group("role").lower()
    for role in _KNOWN_ROLES:
        if role in raw:
            return role
    cleaned = " ".join(re.sub(r"[^\w\s-]", " ", raw).split())
    return cleaned or None


def _parse_box(box: Tag, placed: dict[int, _Placed], warnings: Warnings) -> ParsedComment | None:
    poster = _own_part(box, "CommentPoster")
    if poster is None:
        warnings.add(
            "comment-no-poster", "comment box", "comment box without a poster line skipped"
        )
        return None
    poster_text = " ".join(poster.get_text(" ").split())
    lwn_id = _comment_id(box, poster)
    if lwn_id is None:
        warnings.add(
            "comment-no-id", "comment", f"comment without an id skipped ({poster_text[:60]!r})"
        )
        return None
    posted_at = parse_datetime(poster_text)
    if posted_at is None:
        warnings.add(
            "comment-no-time",
            f"comment {lwn_id}",
            f"comment {lwn_id} without a posting time skipped",
        )
        return None
    parent = placed.get(id(p)) if (p := _parent_box(box)) is not None else None
    title_tag = _own_part(box, "CommentTitle")
    nodes = _body_nodes(box)
    if all(is_blank(node) for node in nodes):
        warnings.add("comment-no-body", f"comment {lwn_id}", f"comment {lwn_id} has no body")
    rendered = render(nodes)
    return ParsedComment(
        lwn_id=lwn_id,
        parent_id=parent.lwn_id if parent else None,
        title=short_text(title_tag) if title_tag is not None else "",
        author=_author(poster, poster_text),
        role=parse_role(poster_text),
        posted_at=posted_at,
        depth=parent.depth + 1 if parent else 0,
        body_html=rendered.html,
        body_text=rendered.text,
    )


def _body_nodes(box: Tag) -> list[PageElement]:
    """The comment's body: its own ``FormattedComment``, else the bare form."""
    wrapped = _own_part(box, "FormattedComment")
    if wrapped is not None:
        return list(wrapped.contents)
    return _bare_body(box)


def _bare_body(box: Tag) -> list[PageElement]:
    """Everything in the comment's own ``CommentBody`` (or, without one, in
    the box) but the title, poster line, reply button or form and replies.

    Only the children of that one element are looked at, so the cost stays
    proportional to the comment's own markup.
    """
    holder = _own_part(box, "CommentBody") or box
    nodes: list[PageElement] = []
    for node in holder.children:
        if isinstance(node, Tag) and (
            node.name in _NOT_BODY_TAGS or not _NOT_BODY_CLASSES.isdisjoint(classes(node))
        ):
            continue
        nodes.append(node)
    # Whitespace at either end is layout, not text.
    start, end = 0, len(nodes)
    while start < end and _is_space(nodes[start]):
        start += 1
    while end > start and _is_space(nodes[end - 1]):
        end -= 1
    return nodes[start:end]


def _is_space(node: PageElement) -> bool:
    return not isinstance(node, Tag) and is_blank(node)


def _own_part(box: Tag, cls: str) -> Tag | None:
    """The first element with class *cls* that belongs to this comment."""
    return _own_element(box, lambda tag: has_class(tag, cls))


def _own_element(box: Tag, test: Callable[[Tag], bool]) -> Tag | None:
    """The first descendant of *box* passing *test* that belongs to this
    comment, not to a nested reply (breadth-first, and never entering a
    reply's box or ``div.Comment``)."""
    queue: deque[Tag] = deque(child for child in box.children if isinstance(child, Tag))
    while queue:
        tag = queue.popleft()
        if test(tag):
            return tag
        if _is_comment_container(tag):
            continue
        queue.extend(child for child in tag.children if isinstance(child, Tag))
    return None


def _is_comment_container(tag: Tag) -> bool:
    names = classes(tag)
    return "CommentBox" in names or "Comment" in names


def _comment_id(box: Tag, poster: Tag) -> int | None:
    # Plain walks, not find_all: a poster line is a handful of nodes, and bs4's
    # filter machinery cost more than the walk on thread-heavy pages (bench_parse).
    for link in links(poster):
        lwn_id = article_id(attr(link, "href"))
        if lwn_id is not None:
            return lwn_id
    # The anchor sits just before the box (maybe inside a <p>) or inside it.
    node = box.previous_sibling
    seen = 0
    while node is not None and seen < _ANCHOR_LOOKBACK:
        if isinstance(node, Tag):
            seen += 1
            found = _anchor_id(node)
            if found is not None:
                return found
            if _is_comment_container(node):
                break
        node = node.previous_sibling
    # Or inside the box's heading. Not anywhere in the box: a reply's anchor
    # sits inside its parent's <details>, just before the reply.
    heading = _own_element(box, lambda tag: tag.name == "summary") or _own_part(box, "CommentTitle")
    return _anchor_id(heading) if heading is not None else None


def _anchor_id(tag: Tag) -> int | None:
    anchors = [tag] if tag.name == "a" else tag.find_all("a", attrs={"name": True}, limit=3)
    for anchor in reversed(anchors):
        name = attr(anchor, "name")
        if name.startswith(_ANCHOR_PREFIX) and name[len(_ANCHOR_PREFIX) :].isdigit():
            return int(name[len(_ANCHOR_PREFIX) :])
    return None


def _parent_box(box: Tag) -> Tag | None:
    """The comment *box* replies to, or None for a top-level comment."""
    node = box.parent
    while node is not None:
        names = classes(node)
        if "CommentBox" in names:
            return node  # new markup: replies nest inside the parent
        if "Comment" in names and node.name == "div":
            return _previous_box(node)
        node = node.parent
    return None


def _previous_box(reply_container: Tag) -> Tag | None:
    """The box a ``div.Comment`` holds the replies to: the element just before
    it, give or take the "CommAnchor" anchor."""
    node = reply_container.previous_sibling
    seen = 0
    while node is not None and seen <= _ANCHOR_LOOKBACK:
        if isinstance(node, Tag):
            if has_class(node, "CommentBox"):
                return node
            if has_class(node, "Comment"):
                return None
            seen += 1
        node = node.previous_sibling
    return None


def _author(poster: Tag, poster_text: str) -> str:
    bold = first_descendant(poster, lambda tag: tag.name in ("b", "strong"))
    if bold is not None:
        name = short_text(bold)
        if name:
            return name
    match = _BY_RE.search(poster_text)
    return match.group("name") if match else ""
