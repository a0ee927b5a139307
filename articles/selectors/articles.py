"""Read paths for one article: its byline, merge-window items, neighbours in its edition
and comment thread; the paywall rule for rows taken from an article."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection
from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Edition,
    KernelRelease,
    MergeWindowItem,
)
from articles.selectors.sql import column

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

M = TypeVar("M", bound=Model)

# Bylines in order with their authors, for ``Article.byline``: one query per page.
BYLINE = Prefetch(
    "articleauthor_set",
    queryset=ArticleAuthor.objects.select_related("author").order_by("position"),
)


# What an article summary shows, plus the keys cursors sort on (``sort_*``).
SUMMARY_VALUES = (
    "pk",
    "lwn_id",
    "url",
    "title",
    "kind",
    "section",
    "date",
    "edition_lwn_id",
    "subscriber_only",
    "free_on",
    "comment_count",
    "updated_at",
    "sort_date",
    "sort_lwn_id",
)


def article_summary_rows() -> QuerySet[Article, Any]:
    """Every article's summary as a named tuple (``SUMMARY_VALUES``), for a paginator to sort.

    Tuples rather than model instances: a list page reads 50 and the instances'
    construction cost more than the query. The edition's LWN id is a subquery, not
    a join, so that ``count()`` of this queryset stays a plain count of articles.
    """
    # A clone of one queryset built once: building it (annotations, values) cost a
    # tenth of a list request. The original is never evaluated, so it holds no rows.
    return _summary_rows().all()


@functools.cache
def _summary_rows() -> QuerySet[Article, Any]:
    edition = Edition.objects.filter(pk=OuterRef("edition_id")).order_by().values("lwn_id")
    return Article.objects.annotate(
        edition_lwn_id=Subquery(edition[:1]),
        # Cursor pagination needs non-null sort columns; undated items sort oldest.
        sort_date=Coalesce("date", Value(dt.date.min)),
        sort_lwn_id=Coalesce("lwn_id", Value(0)),
    ).values_list(*SUMMARY_VALUES, named=True)


# PostgreSQL's integer: a larger LWN id in a URL names no article (and must not reach SQL).
MAX_LWN_ID = 2**31 - 1


def article_detail(*, lwn_id: int) -> Article | None:
    """The article with this LWN id and everything but its curation notes, or None.

    ``edition_lwn_id`` is annotated. Plain SQL written once per vendor: the ORM took
    longer to build this one-row query than the database took to answer it.
    """
    if not 0 <= lwn_id <= MAX_LWN_ID:
        return None
    found = list(Article.objects.raw(_detail_sql(connection.vendor), [lwn_id]))
    return found[0] if found else None


@functools.cache
def _detail_sql(vendor: str) -> str:
    del vendor  # in the cache key only: quoting belongs to the connection's vendor
    q = connection.ops.quote_name
    meta = Article._meta
    columns = ", ".join(
        f"a.{q(field.column)}" for field in meta.concrete_fields if field.name != "curated_fields"
    )
    edition = Edition._meta
    return (
        f"SELECT {columns}, e.{column(Edition, 'lwn_id')} AS edition_lwn_id "  # noqa: S608
        f"FROM {q(meta.db_table)} a LEFT OUTER JOIN {q(edition.db_table)} e "
        f"ON e.{q(edition.pk.column)} = a.{column(Article, 'edition')} "
        f"WHERE a.{column(Article, 'lwn_id')} = %s"
    )


def article_bylines(article_ids: Iterable[int]) -> dict[int, list[dict[str, str | None]]]:
    """Each article's authors in byline order as ``{"name", "login"}``, from one query.

    Plain SQL rather than ``prefetch_related`` or a values() queryset: for a page of
    50 summaries the ORM took longer to build the query (50 primary keys to prepare)
    than the database took to answer it. An empty login is None.
    """
    ids = list(article_ids)
    bylines: dict[int, list[dict[str, str | None]]] = {pk: [] for pk in ids}
    if not ids:
        return bylines
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(_bylines_sql(connection.vendor).format(placeholders), ids)
        for article_id, name, login in cursor.fetchall():
            bylines[article_id].append({"name": name, "login": login or None})
    return bylines


@functools.cache
def _bylines_sql(vendor: str) -> str:
    """``article_bylines``' query with ``{}`` for the placeholders, once per vendor."""
    del vendor  # in the cache key only: quoting belongs to the connection's vendor
    q = connection.ops.quote_name
    article_id, position = column(ArticleAuthor, "article"), column(ArticleAuthor, "position")
    return (
        f"SELECT l.{article_id}, a.{column(Author, 'name')}, a.{column(Author, 'login')} "  # noqa: S608
        f"FROM {q(ArticleAuthor._meta.db_table)} l INNER JOIN {q(Author._meta.db_table)} a "
        f"ON a.{q(Author._meta.pk.column)} = l.{column(ArticleAuthor, 'author')} "
        f"WHERE l.{article_id} IN ({{}}) ORDER BY l.{article_id}, l.{position}"
    )


def hide_locked(queryset: QuerySet[M], *, user: User | AnonymousUser, via: str) -> QuerySet[M]:
    """Drop rows whose article (reached through ``via``) is still locked for ``user``.

    Merge-window items, devices and comments of a locked article are its text, so
    pages, the API and feeds leave them out rather than show them without a body.
    """
    locked = Article.objects.locked_pks_for(user)
    if locked is None:
        return queryset
    return queryset.exclude(**{f"{via}__in": locked})


def article_get(*, lwn_id: int) -> Article | None:
    return (
        Article.objects.select_related("edition")
        .prefetch_related(BYLINE)
        .filter(lwn_id=lwn_id)
        .first()
    )


def article_merge_items(*, article: Article) -> list[MergeWindowItem]:
    """The merge-window items taken from this article, in article order, with releases."""
    return list(
        MergeWindowItem.objects.filter(article=article)
        .select_related("release")
        .defer("text", "html")
        .order_by("position")
    )


def releases_of(items: list[MergeWindowItem]) -> list[KernelRelease]:
    """The distinct releases of ``items``, oldest first: the article page's release tags."""
    unique = {item.release.version: item.release for item in items}
    return sorted(unique.values(), key=lambda r: (r.major, r.minor, r.patch))


@dataclass(frozen=True)
class Neighbours:
    previous: Article | None
    next: Article | None
    position: int  # 1-based place among the edition's items that have a page
    total: int


def article_neighbours(*, article: Article) -> Neighbours | None:
    """The items before and after ``article`` in its edition (those with a page of their
    own), in one query over the edition's items; None for an article outside editions."""
    if article.edition_id is None or article.lwn_id is None:
        return None
    siblings = list(
        Article.objects.filter(edition_id=article.edition_id, lwn_id__isnull=False)
        .order_by("position")
        .only("pk", "lwn_id", "title", "position")
    )
    index = next((i for i, row in enumerate(siblings) if row.pk == article.pk), None)
    if index is None:
        return None
    return Neighbours(
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
        position=index + 1,
        total=len(siblings),
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


# Replies deeper than this start folded (their summary line shows, the text does not).
FOLD_DEPTH = 4


@dataclass
class ThreadRow:
    """One comment in display order, for rendering a nested thread with one flat loop."""

    node: ThreadNode
    closes: range  # how many enclosing reply lists end right after this comment
    open: bool = True  # rendered as <details open>


def thread_newest(roots: list[ThreadNode]) -> tuple[ThreadNode | None, set[int]]:
    """The newest comment by date, and the primary keys of it and its ancestors (kept
    open, so a jump to it lands on visible text)."""
    newest: ThreadNode | None = None
    path: list[int] = []
    newest_path: list[int] = []

    def walk(nodes: list[ThreadNode]) -> None:
        nonlocal newest, newest_path
        for node in nodes:
            if newest is None or node.comment.posted_at > newest.comment.posted_at:
                newest, newest_path = node, [*path, node.comment.pk]
            if node.replies:
                path.append(node.comment.pk)
                walk(node.replies)
                path.pop()

    walk(roots)
    return newest, set(newest_path)


def thread_rows(
    roots: list[ThreadNode],
    *,
    fold_depth: int | None = FOLD_DEPTH,
    keep_open: set[int] | frozenset[int] = frozenset(),
) -> list[ThreadRow]:
    """Flatten a thread for templates: a flat loop renders far faster than recursion.

    Comments deeper than ``fold_depth`` (None: none) start closed, except those in
    ``keep_open`` (by primary key).
    """
    rows: list[ThreadRow] = []

    def walk(nodes: list[ThreadNode], depth: int, depth_closing: int) -> None:
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            opened = fold_depth is None or depth <= fold_depth or node.comment.pk in keep_open
            if node.replies:
                rows.append(ThreadRow(node, range(0), opened))
                walk(node.replies, depth + 1, depth_closing + 1 if last else 1)
            else:
                rows.append(ThreadRow(node, range(depth_closing if last else 0), opened))

    walk(roots, 0, 0)
    return rows
