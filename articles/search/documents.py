"""Model rows → index documents, and index documents → whoosh fields.

Pure mapping: nothing here queries the database (``feed.py`` loads the rows
and the side data in chunks). An :class:`IndexDocument` is also what callers
without models (the benchmark) hand to ``index_add_documents``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, Required, TypedDict

from articles.models import Article, Comment, HardwareDevice, MergeWindowItem
from articles.search.schema import FACET_SEPARATOR, release_key

# Subscriber-only texts without a known free date stay locked "for ever".
_NEVER = dt.date.max.toordinal()


class IndexDocument(TypedDict, total=False):
    """One searchable text: an article, merge-window item, hardware device or comment."""

    type: Required[str]  # article, merge, hardware or comment
    pk: Required[int]
    title: Required[str]
    body: Required[str]
    lwn_id: int | None
    url: str
    authors: Sequence[str]
    section: str
    release: str
    date: dt.date | None
    entities: Sequence[str]
    subscriber_only: bool
    free_on: dt.date | None
    article_id: int | None  # the article it belongs to (itself for an article)
    article_lwn_id: int | None
    edition_id: int | None


def document_key(doc_type: str, pk: int) -> str:
    return f"{doc_type}:{pk}"


_WORD = re.compile(r"[^\W\d_]{3,30}")


class Vocabulary:
    """The words a writer session has not indexed for spelling suggestions yet.

    The suggestion index only needs each word once, not once per document, so
    a rebuild writes a few hundred thousand postings instead of tens of
    millions. ``limit`` bounds the memory of a very long session.
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        self.seen: set[str] = set()
        self.limit = limit

    def new_words(self, text: str) -> str | None:
        if len(self.seen) >= self.limit:
            return None
        words = set(_WORD.findall(text.lower())) - self.seen
        if not words:
            return None
        self.seen |= words
        return " ".join(words)


def _lwn_url(lwn_id: int | None) -> str:
    return f"https://lwn.net/Articles/{lwn_id}/" if lwn_id else ""


def _article_common(article: Article) -> dict[str, Any]:
    """What children inherit from their article: paywall state and placement."""
    return {
        "subscriber_only": article.subscriber_only,
        "free_on": article.free_on,
        "article_id": article.pk,
        "article_lwn_id": article.lwn_id,
        "edition_id": article.edition_id,
    }


def article_date(article: Article) -> dt.date | None:
    # Edition intros carry no date of their own; the edition's is the right one.
    if article.date is not None:
        return article.date
    return article.edition.date if article.edition_id and article.edition else None


def article_document(
    article: Article, *, authors: Sequence[str], release: str, entities: Sequence[str]
) -> IndexDocument:
    return IndexDocument(
        type="article",
        pk=article.pk,
        lwn_id=article.lwn_id,
        url=article.url or _lwn_url(article.lwn_id),
        title=article.title,
        body=article.body_text,
        authors=list(authors),
        section=article.section,
        release=release,
        date=article_date(article),
        entities=list(entities),
        **_article_common(article),  # type: ignore[typeddict-item]
    )


def merge_item_document(
    item: MergeWindowItem, *, article: Article, entities: Sequence[str]
) -> IndexDocument:
    version = item.release.version
    return IndexDocument(
        type="merge",
        pk=item.pk,
        lwn_id=article.lwn_id,
        url=article.url or _lwn_url(article.lwn_id),
        title=f"{version} merge window: {item.group}",
        body=item.text,
        authors=[],
        section=item.group,
        release=version,
        date=article_date(article),
        entities=list(entities),
        **_article_common(article),  # type: ignore[typeddict-item]
    )


def hardware_document(
    device: HardwareDevice, *, article: Article, entities: Sequence[str]
) -> IndexDocument:
    version = device.release.version
    return IndexDocument(
        type="hardware",
        pk=device.pk,
        lwn_id=article.lwn_id,
        url=article.url or _lwn_url(article.lwn_id),
        title=device.name,
        body=f"{device.category}: {device.name} (supported in {version})",
        authors=[],
        section=device.category,
        release=version,
        date=article_date(article),
        entities=list(entities),
        **_article_common(article),  # type: ignore[typeddict-item]
    )


def comment_document(
    comment: Comment, *, article: Article, entities: Sequence[str]
) -> IndexDocument:
    return IndexDocument(
        type="comment",
        pk=comment.pk,
        lwn_id=comment.lwn_id,
        url=_lwn_url(comment.lwn_id),
        title=comment.title or f"Comment on {article.title}",
        body=comment.body_text,
        authors=[comment.poster_name] if comment.poster_name else [],
        section="",
        release="",
        date=comment.posted_at.date(),
        entities=list(entities),
        **_article_common(article),  # type: ignore[typeddict-item]
    )


def whoosh_fields(doc: IndexDocument, vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The field values whoosh stores for ``doc``; None values are left out."""
    authors = [a for a in doc.get("authors", ()) if a]
    day = doc.get("date")
    release = doc.get("release", "")
    section = doc.get("section", "")
    free_on = doc.get("free_on")
    locked_until = None
    if doc.get("subscriber_only"):
        locked_until = free_on.toordinal() if free_on else _NEVER
    article_id, edition_id = doc.get("article_id"), doc.get("edition_id")
    fields: dict[str, Any] = {
        "key": document_key(doc["type"], doc["pk"]),
        "type": doc["type"],
        "pk": doc["pk"],
        "lwn_id": doc.get("lwn_id"),
        "article_lwn_id": doc.get("article_lwn_id"),
        "url": doc.get("url", ""),
        "article_id": str(article_id) if article_id is not None else None,
        "edition_id": str(edition_id) if edition_id is not None else None,
        "title": doc["title"],
        "title_ident": doc["title"],
        # Body and identifiers index the title too, so a search anywhere reads one
        # field; the stored body (for snippets) stays the body alone.
        "body": f"{doc['title']}\n{doc['body']}",
        "_stored_body": doc["body"],
        "ident": f"{doc['title']}\n{doc['body']}",
        "vocab": vocabulary.new_words(doc["body"]) if vocabulary is not None else None,
        "authors": ", ".join(authors) or None,
        "author": ",".join(a.replace(",", " ") for a in authors) or None,
        "author_names": authors,
        "author_facet": FACET_SEPARATOR.join(authors).encode(),
        "section": section or None,
        "section_text": section or None,
        "release": release or None,
        "release_key": release_key(release) if release else None,
        "date": day.isoformat() if day else None,
        "day": day.toordinal() if day else None,
        "year": str(day.year) if day else None,
        "entities": ",".join(e.replace(",", " ") for e in doc.get("entities", ()) if e) or None,
        "locked_until": locked_until,
        "subscriber_only": bool(doc.get("subscriber_only")),
        "free_on": free_on.isoformat() if free_on else None,
    }
    return {name: value for name, value in fields.items() if value is not None}
