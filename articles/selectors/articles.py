"""Read paths for one article: its byline, releases and comment thread; the paywall rule
for rows taken from an article."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Prefetch, QuerySet

from articles.models import Article, ArticleAuthor, Comment, KernelRelease
from articles.models.articles import SUBSCRIBER_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

M = TypeVar("M", bound=Model)

# Bylines in order with their authors, for ``Article.byline``: one query per page.
BYLINE = Prefetch(
    "articleauthor_set",
    queryset=ArticleAuthor.objects.select_related("author").order_by("position"),
)


def hide_locked(queryset: QuerySet[M], *, user: User | AnonymousUser, via: str) -> QuerySet[M]:
    """Drop rows whose article (reached through ``via``) is still locked for ``user``.

    Merge-window items, devices and comments of a locked article are its text, so
    pages, the API and feeds leave them out rather than show them without a body.
    """
    if user.has_perm(SUBSCRIBER_PERMISSION):
        return queryset
    return queryset.exclude(**{f"{via}__in": Article.objects.locked_for(user).values("pk")})


def article_get(*, lwn_id: int) -> Article | None:
    return (
        Article.objects.select_related("edition")
        .prefetch_related(BYLINE)
        .filter(lwn_id=lwn_id)
        .first()
    )


def article_releases(*, article: Article) -> list[KernelRelease]:
    """Releases whose merge-window items this article lists."""
    return list(
        KernelRelease.objects.filter(merge_items__article=article)
        .distinct()
        .order_by("major", "minor", "patch")
    )


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)
    descendants: int = 0


def comment_thread(*, article: Article) -> list[ThreadNode]:
    """The article's comments as a tree, from one query in display order."""
    roots: list[ThreadNode] = []
    nodes: dict[int, ThreadNode] = {}
    for comment in Comment.objects.filter(article=article).order_by("thread_position"):
        node = ThreadNode(comment)
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    for node in reversed(list(nodes.values())):  # children come after parents
        node.descendants = sum(1 + child.descendants for child in node.replies)
    return roots


@dataclass
class ThreadRow:
    """One comment in display order, for rendering a nested thread with one flat loop."""

    node: ThreadNode
    closes: range  # how many enclosing reply lists end right after this comment


def thread_rows(roots: list[ThreadNode]) -> list[ThreadRow]:
    """Flatten a thread for templates: a flat loop renders far faster than recursion."""
    rows: list[ThreadRow] = []

    def walk(nodes: list[ThreadNode], depth_closing: int) -> None:
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            if node.replies:
                rows.append(ThreadRow(node, range(0)))
                walk(node.replies, depth_closing + 1 if last else 1)
            else:
                rows.append(ThreadRow(node, range(depth_closing if last else 0)))

    walk(roots, 0)
    return rows
