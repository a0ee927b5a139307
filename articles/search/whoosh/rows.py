"""Model rows → :class:`IndexDocument`: what the whoosh index holds for each row.

Pure mapping: nothing here queries the database (``batches.py`` loads the rows
and their side data in chunks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from articles.models import Article, Comment, HardwareDevice, MergeWindowItem
from articles.search.documents import IndexDocument


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
