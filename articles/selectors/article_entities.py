"""Which entities one article or one comment names, as the caller may see them.

"In an article" means in its own text, its merge-window items and its hardware
list, not in its comments (``comment`` asks for those one at a time). Mentions
follow ``Mention.objects.visible_to``: the article's own text counts even while
it is locked (as on entity pages, without the sentence); its locked items,
devices and comments do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from articles.models import Article, Entity, Mention, MentionStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


VISIBLE_STATUSES = (MentionStatus.PENDING, MentionStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class ArticleEntity:
    kind: str
    name: str
    mentions: int  # in this article


def _in_article(lwn_id: int) -> Q:
    return (
        Q(article__lwn_id=lwn_id)
        | Q(merge_item__article__lwn_id=lwn_id)
        | Q(hardware__article__lwn_id=lwn_id)
    )


def article_entities(*, article: Article, user: User | AnonymousUser) -> list[ArticleEntity]:
    """The entities the article names, most mentioned first, from one query.

    The rows ``visible_to`` keeps, decided for this one article up front (a
    locked article counts its own text only): the article page is hot, and
    ``visible_to``'s general query costs more to build than to run.
    """
    mentions = Mention.objects.filter(article_id=article.pk)
    if not article.is_locked_for(user):
        # The mentions of each kind of target by its own index, then those rows by primary
        # key: an OR across the joined item and device tables can only be answered by
        # reading every mention (1.5 ms on the API benchmark's 3,000, 100 ms at a tenth
        # of the full archive). A mention has exactly one target, so UNION ALL counts
        # each once.
        mentions = Mention.objects.filter(
            pk__in=_ids(mentions).union(
                _ids(Mention.objects.filter(merge_item__article_id=article.pk)),
                _ids(Mention.objects.filter(hardware__article_id=article.pk)),
                all=True,
            )
        )
    rows = (
        mentions.filter(status__in=VISIBLE_STATUSES)
        .values_list("entity__kind", "entity__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "entity__kind", "entity__name")
    )
    return [ArticleEntity(kind, name, n) for kind, name, n in rows]


def _ids(mentions: QuerySet[Mention]) -> QuerySet[Mention, Any]:
    return mentions.order_by().values("pk")


def entities_named_in(
    entities: QuerySet[Entity],
    *,
    user: User | AnonymousUser,
    article: int | None = None,
    comment: int | None = None,
) -> QuerySet[Entity]:
    """``entities`` named in the article or the comment with that LWN id (both: in both)."""
    visible = Mention.objects.visible_to(user)
    if article is not None:
        entities = entities.filter(pk__in=visible.filter(_in_article(article)).values("entity"))
    if comment is not None:
        entities = entities.filter(pk__in=visible.filter(comment__lwn_id=comment).values("entity"))
    return entities
