"""Which entities one article or one comment names, as the caller may see them.

"In an article" means in its own text, its merge-window items and its hardware
list, not in its comments (``comment`` asks for those one at a time). Mentions
follow ``Mention.objects.visible_to``: the article's own text counts even while
it is locked (as on entity pages, without the sentence); its locked items,
devices and comments do not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet

from articles.models import (
    Article,
    Entity,
    HardwareDevice,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.selectors.sql import column

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


VISIBLE_STATUSES = (MentionStatus.PENDING, MentionStatus.ACCEPTED)
VISIBLE_STATUS_VALUES = tuple(str(status.value) for status in VISIBLE_STATUSES)


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
    locked = article.is_locked_for(user)
    with connection.cursor() as cursor:
        cursor.execute(
            _entities_sql(connection.vendor, locked=locked),
            [*VISIBLE_STATUS_VALUES, *([article.pk] * (1 if locked else 3))],
        )
        return [ArticleEntity(kind, name, n) for kind, name, n in cursor.fetchall()]


@functools.cache
def _entities_sql(vendor: str, *, locked: bool) -> str:
    """The entities query, as plain SQL written once per database vendor.

    The mentions of each kind of target come by their own index, then those rows by
    primary key: an OR across the joined item and device tables can only be answered
    by reading every mention (1.5 ms on the API benchmark's 3,000; 60-110 ms at a
    tenth of the full archive). A mention has exactly one target, so UNION ALL counts
    each once. Plain SQL because the ORM took ten times as long to build this query
    as the database took to run it (1.1 ms against 0.1 of an article detail's CPU).
    ``tests/api/test_article_entities.py`` pins what it counts.
    """
    del vendor  # in the cache key only: quoting belongs to the connection's vendor
    q = connection.ops.quote_name
    mention, entity = q(Mention._meta.db_table), q(Entity._meta.db_table)
    mention_id = q(Mention._meta.pk.column)
    own = f"SELECT {mention_id} FROM {mention} WHERE {column(Mention, 'article')} = %s"  # noqa: S608
    targets = [own]
    if not locked:
        for model, via in ((MergeWindowItem, "merge_item"), (HardwareDevice, "hardware")):
            table, pk = q(model._meta.db_table), q(model._meta.pk.column)
            targets.append(
                f"SELECT t.{mention_id} FROM {mention} t INNER JOIN {table} r "  # noqa: S608
                f"ON r.{pk} = t.{column(Mention, via)} WHERE r.{column(model, 'article')} = %s"
            )
    kind, name = column(Entity, "kind"), column(Entity, "name")
    return (
        f"SELECT e.{kind}, e.{name}, COUNT(*) AS n FROM {mention} m "  # noqa: S608
        f"INNER JOIN {entity} e ON e.{q(Entity._meta.pk.column)} = m.{column(Mention, 'entity')} "
        f"WHERE m.{column(Mention, 'status')} IN ({', '.join(['%s'] * len(VISIBLE_STATUSES))}) "
        f"AND m.{mention_id} IN ({' UNION ALL '.join(targets)}) "
        f"GROUP BY e.{kind}, e.{name} ORDER BY n DESC, e.{kind}, e.{name}"
    )


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
