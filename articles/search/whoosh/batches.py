"""What to index, loaded from the database in bounded chunks.

Rows are read by primary-key ranges (keyset pagination), ``CHUNK_SIZE`` at a
time, with their side data (authors, releases, accepted or pending entity
mentions) fetched per chunk, so memory stays flat however large the archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from articles.models import (
    Article,
    ArticleAuthor,
    Comment,
    HardwareDevice,
    ImportRun,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.search.documents import CHUNK_SIZE, IndexDocument
from articles.search.whoosh.rows import (
    article_document,
    comment_document,
    hardware_document,
    merge_item_document,
)

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Batches:
    """Chunks of documents to (re)index, how many there are, and what they replace."""

    chunks: Iterator[list[IndexDocument]]
    counts: dict[str, int]  # rows per document type
    # (field, value) pairs whose documents are deleted before the new ones go in.
    delete_terms: tuple[tuple[str, str], ...] = ()


def _chunked(queryset: QuerySet[M], size: int) -> Iterator[list[M]]:
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _entities(target: str, ids: list[int]) -> dict[int, list[str]]:
    """Entity names mentioned in each target row; rejected mentions do not count."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        Mention.objects.filter(**{f"{target}_id__in": ids})
        .exclude(status=MentionStatus.REJECTED)
        .order_by("entity__name")
        .values_list(f"{target}_id", "entity__name")
    )
    for pk, name in rows:
        found[pk].append(name)
    return found


def _article_chunks(articles: QuerySet[Article], size: int) -> Iterator[list[IndexDocument]]:
    rows = articles.select_related("edition").defer("body_html", "edition__raw_page")
    for chunk in _chunked(rows, size):
        ids = [a.pk for a in chunk]
        authors: dict[int, list[str]] = defaultdict(list)
        for article_id, name in (
            ArticleAuthor.objects.filter(article_id__in=ids)
            .order_by("article_id", "position")
            .values_list("article_id", "author__name")
        ):
            authors[article_id].append(name)
        releases: dict[int, str] = {}
        for article_id, version in (
            MergeWindowItem.objects.filter(article_id__in=ids)
            .order_by("article_id", "release__major", "release__minor")
            .values_list("article_id", "release__version")
        ):
            releases.setdefault(article_id, version)
        entities = _entities("article", ids)
        yield [
            article_document(
                a, authors=authors[a.pk], release=releases.get(a.pk, ""), entities=entities[a.pk]
            )
            for a in chunk
        ]


# Children only need their article's paywall state, placement and date.
_PARENT_FIELDS = (
    "article",
    "article__edition",
    "article__id",
    "article__lwn_id",
    "article__url",
    "article__title",
    "article__date",
    "article__subscriber_only",
    "article__free_on",
    "article__edition_id",
    "article__edition__date",
)


def _child_chunks(
    queryset: QuerySet[Any], target: str, size: int, build: Any, *extra: str
) -> Iterator[list[IndexDocument]]:
    rows = queryset.select_related("article", "article__edition", *extra)
    for chunk in _chunked(rows, size):
        entities = _entities(target, [row.pk for row in chunk])
        yield [build(row, article=row.article, entities=entities[row.pk]) for row in chunk]


def _merge_chunks(items: QuerySet[MergeWindowItem], size: int) -> Iterator[list[IndexDocument]]:
    only = items.only("group", "text", "release", "release__version", *_PARENT_FIELDS)
    return _child_chunks(only, "merge_item", size, merge_item_document, "release")


def _hardware_chunks(devices: QuerySet[HardwareDevice], size: int) -> Iterator[list[IndexDocument]]:
    only = devices.only("category", "name", "release", "release__version", *_PARENT_FIELDS)
    return _child_chunks(only, "hardware", size, hardware_document, "release")


def _comment_chunks(comments: QuerySet[Comment], size: int) -> Iterator[list[IndexDocument]]:
    only = comments.only(
        "lwn_id", "title", "poster_name", "posted_at", "body_text", *_PARENT_FIELDS
    )
    return _child_chunks(only, "comment", size, comment_document)


def _batches(
    articles: QuerySet[Article],
    items: QuerySet[MergeWindowItem],
    devices: QuerySet[HardwareDevice],
    comments: QuerySet[Comment],
    *,
    size: int,
    delete_terms: tuple[tuple[str, str], ...] = (),
) -> Batches:
    counts = {
        "article": articles.count(),
        "merge": items.count(),
        "hardware": devices.count(),
        "comment": comments.count(),
    }

    def chunks() -> Iterator[list[IndexDocument]]:
        yield from _article_chunks(articles, size)
        yield from _merge_chunks(items, size)
        yield from _hardware_chunks(devices, size)
        yield from _comment_chunks(comments, size)

    return Batches(chunks=chunks(), counts=counts, delete_terms=delete_terms)


def all_batches(*, size: int = CHUNK_SIZE) -> Batches:
    """Everything in the archive, for a rebuild."""
    return _batches(
        Article.objects.all(),
        MergeWindowItem.objects.all(),
        HardwareDevice.objects.all(),
        Comment.objects.all(),
        size=size,
    )


def article_batches(*, article_ids: set[int], edition_ids: Iterable[int] = ()) -> Batches:
    """These articles and everything under them, replacing what the index had for them.

    With ``edition_ids``, documents of those editions that no longer exist (an
    item dropped from a re-imported page) are deleted too.
    """
    ids = sorted(article_ids)
    deletes = [("article_id", str(pk)) for pk in ids]
    deletes.extend(("edition_id", str(pk)) for pk in sorted(set(edition_ids)))
    return _batches(
        Article.objects.filter(pk__in=ids),
        MergeWindowItem.objects.filter(article_id__in=ids),
        HardwareDevice.objects.filter(article_id__in=ids),
        Comment.objects.filter(article_id__in=ids),
        size=CHUNK_SIZE,
        delete_terms=tuple(deletes),
    )


def import_batches(runs: Iterable[ImportRun]) -> Batches:
    """What these imports touched: their editions' articles, or their single pages'."""
    ids: set[int] = set()
    editions: set[int] = set()
    for run in runs:
        ids |= set(Article.objects.written_by(run).values_list("pk", flat=True))
        # A "subscription required" page updates an article without becoming its raw page.
        if run.raw_page_id and run.raw_page and run.raw_page.lwn_id:
            lwn_id = run.raw_page.lwn_id
            ids |= set(Article.objects.filter(lwn_id=lwn_id).values_list("pk", flat=True))
        if run.edition_id is not None:
            editions.add(run.edition_id)
    return article_batches(article_ids=ids, edition_ids=editions)
