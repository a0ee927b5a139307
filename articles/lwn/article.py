"""Single article pages (``/Articles/N/``) in all three layouts.

The body is the ``div.ArticleText`` (or the ``<main>`` inside it on 2024+
pages) up to where the comment area opens; the comments follow.
"""

from __future__ import annotations

from dataclasses import replace

from bs4 import Tag
from bs4.element import PageElement

from .comments import parse_comments
from .dom import Containment, ancestor_ids, top_level_child
from .index import PageIndex
from .items import ItemSource, build_item
from .types import ParsedComment, ParsedItem
from .warnings import Warnings


def body_container(index: PageIndex, article_text: Tag) -> Tag:
    """The element whose children are the article body: the ``<main>`` inside
    *article_text* on 2024+ pages, else *article_text* itself."""
    inside = Containment(article_text)
    return next((main for main in index.mains if main in inside), article_text)


def parse_article(
    index: PageIndex,
    container: Tag,
    *,
    title: str,
    lwn_id: int | None,
    url: str | None,
    warnings: Warnings,
) -> tuple[ParsedItem | None, list[ParsedComment]]:
    """The article's single item and its comments."""
    nodes = _body_nodes(index, container)
    byline_ancestors = ancestor_ids(index.bylines)
    # A byline outside the body container (before a <main>) still counts.
    fallback = None
    if index.article_text is not None:
        inside = Containment(index.article_text)
        fallback = next((tag for tag in index.bylines if tag in inside), None)
    source = ItemSource(
        title=title,
        nodes=nodes,
        title_tag=None,
        lwn_id=lwn_id,
        url=url,
        fallback_byline=fallback,
    )
    comments = parse_comments(index.comment_boxes, warnings)
    built = build_item(source, byline_ancestors=byline_ancestors, warnings=warnings)
    if built is None:
        return None, comments
    item, link = built
    if link is not None and link.count is not None and link.count != len(comments):
        warnings.add(
            "comment-count-mismatch",
            "page",
            f"comment count says {link.count} but {len(comments)} comments were parsed",
        )
    if item.comment_count is None:
        # The page shows its whole thread, so the parsed comments are the count.
        item = replace(item, comment_count=len(comments))
    return item, comments


def _body_nodes(index: PageIndex, container: Tag) -> list[PageElement]:
    """The container's children before the comment area."""
    nodes = list(container.children)
    mark = index.first_comment_mark
    if mark is None or mark.parent is None:
        return nodes
    boundary = top_level_child(mark, container)
    if boundary is None:
        return nodes  # the comments live outside the body container
    for position, node in enumerate(nodes):
        if node is boundary:
            return nodes[:position]
    return nodes
