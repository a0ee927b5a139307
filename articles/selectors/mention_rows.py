"""One entity's mentions as a reader sees them: the ordered query and each mention as a
row (its date, its sentence or None while locked, where to read it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Entity, Mention, MergeWindowItem
from articles.selectors.entities import _visible, tallied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MENTION_TYPES = ("article", "merge_item", "hardware", "comment")
TIMELINE_PAGE = 100
# Bodies are never shown on entity pages; leaving them out keeps timelines light.
_HEAVY = (
    "article__body_html",
    "article__body_text",
    "merge_item__html",
    "merge_item__article__body_html",
    "merge_item__article__body_text",
    "hardware__article__body_html",
    "hardware__article__body_text",
    "comment__body_html",
    "comment__body_text",
    "comment__article__body_html",
    "comment__article__body_text",
)


def mention_date() -> Coalesce:
    """The date of the text a mention is in (a comment's day), as an expression."""
    return Coalesce(
        "article__date",
        "merge_item__article__date",
        "hardware__article__date",
        TruncDate("comment__posted_at"),
    )


@dataclass(frozen=True, slots=True)
class MentionRow:
    """One mention as shown in a timeline."""

    mention: Mention
    type: str  # article, merge_item, hardware or comment
    article: Article
    when: dt.date | None
    sentence: str | None  # None: subscriber-only for this user
    locked_until: dt.date | None
    introduces: bool
    href: str

    @property
    def locked(self) -> bool:
        return self.sentence is None


def _mentions(
    entity: Entity, user: User | AnonymousUser, locked: list[int] | None = None
) -> QuerySet[Mention]:
    return (
        _visible(Mention.objects.filter(entity=entity), user, locked)
        .select_related(
            "article",
            "merge_item__article",
            "merge_item__release",
            "hardware__article",
            "hardware__release",
            "comment__article",
        )
        .defer(*_HEAVY)
        .annotate(when=mention_date())
        # On PostgreSQL ``day`` is ``when`` kept on the row: an index range per entity.
        .order_by(F("day" if tallied() else "when").asc(nulls_last=True), "pk")
    )


def _row(mention: Mention, entity: Entity, user: User | AnonymousUser) -> MentionRow:
    article = mention.target_article
    locked = article.is_locked_for(user)
    kind = next(t for t in MENTION_TYPES if getattr(mention, f"{t}_id"))
    return MentionRow(
        mention=mention,
        type=kind,
        article=article,
        when=getattr(mention, "when", None),
        sentence=None if locked else mention.sentence,
        locked_until=article.free_on if locked else None,
        introduces=bool(mention.merge_item_id) and mention.merge_item_id == entity.introduced_in_id,
        href=_mention_href(mention, article),
    )


def mention_row(mention: Mention, *, entity: Entity, user: User | AnonymousUser) -> MentionRow:
    """One mention from ``entity_mentions.entity_mentions`` as ``user`` may read it."""
    return _row(mention, entity, user)


def _reverse(name: str, fallback: str, **kwargs: object) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page that does not exist (yet): LWN's own
        return fallback


def article_href(article: Article) -> str:
    """Where to read ``article``: its page here when it has an LWN id, else LWN's."""
    if article.lwn_id is None:
        return article.url
    return _reverse("articles:article-detail", article.url, lwn_id=article.lwn_id)


def merge_item_href(item: MergeWindowItem) -> str:
    """A merge-window item in its release's page."""
    page = _reverse("articles:release-detail", "", version=item.release.version)
    return f"{page}#item-{item.pk}" if page else article_href(item.article)


def _mention_href(mention: Mention, article: Article) -> str:
    if mention.merge_item_id and mention.merge_item is not None:
        return merge_item_href(mention.merge_item)
    if mention.comment_id and mention.comment is not None:
        return f"{article_href(article)}#c{mention.comment.lwn_id}"
    return article_href(article)
