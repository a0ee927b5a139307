"""Read paths for entities: lookup, and which of their mentions a reader may see.

Used by the entity pages, the API and the feeds. What a user sees follows
``Mention.objects.visible_to``: a mention in a locked article comes back with
its sentence ``None`` and the date it becomes free; mentions in a locked
article's merge-window items, devices and comments are left out and not
counted, as those rows are everywhere else (docs/security.md). The lists are in
``entity_lists``, the mentions of one entity in ``entity_mentions`` and their rows
in ``mention_rows``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value

from articles.links import KINDS, canonical
from articles.models import (
    Article,
    Comment,
    Entity,
    HardwareDevice,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.models.entities import MentionQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

_VISIBLE = (MentionStatus.PENDING, MentionStatus.ACCEPTED)


def entity_get(*, kind: str, name: str, user: User | AnonymousUser | None = None) -> Entity | None:
    """The entity ``kind``/``name``, matched case-insensitively, or by a former name.

    ``name`` may be written as in text: ``faccessat2()``, ``Linux 5.8``,
    ``proc/pid/map_files`` (without its leading slash, as in URLs). Given ``user``,
    an entity named only in texts locked for them is None: its name is their text
    (one without mentions came from a curator and is shown).
    """
    entity = _entity_get(kind=kind, name=name, user=user)
    if entity is None or user is None or user.has_perm(SUBSCRIBER_PERMISSION):
        return entity
    if entity.has_mentions and entity.shown_mention is None:  # type: ignore[attr-defined]
        return None
    return entity


def _entity_get(*, kind: str, name: str, user: User | AnonymousUser | None) -> Entity | None:
    if kind not in KINDS:
        return None
    wanted = canonical(kind, name)
    if not wanted:
        return None
    entities = Entity.objects.select_related(
        "introduced_in__article", "introduced_in__release", "introduced_release"
    ).defer("introduced_in__article__body_html", "introduced_in__article__body_text")
    if user is not None and not user.has_perm(SUBSCRIBER_PERMISSION):
        mentions = Mention.objects.filter(entity=OuterRef("pk"))
        # The newest mention the reader may see, not EXISTS: for EXISTS PostgreSQL built
        # a bitmap of every mention of the entity (20,376 for the busiest at full size)
        # before it read the first; in the (entity, day, id) index's order it stops at
        # the first one shown.
        shown = mentions.visible_to(user).order_by("-day", "-id").values("pk")[:1]
        entities = entities.annotate(
            has_mentions=Exists(mentions.filter(status__in=_VISIBLE)),
            shown_mention=Subquery(shown),
        )
    entity = entities.filter(kind=kind, name__iexact=wanted).first()
    if entity is not None:
        return entity
    lowered = wanted.lower()
    for candidate in entities.filter(kind=kind).exclude(aliases=[]):
        if any(str(alias).lower() == lowered for alias in candidate.aliases):
            return candidate
    return None


def introduction_hidden(entity: Entity, user: User | AnonymousUser) -> bool:
    """True when the merge-window item introducing ``entity`` is locked for ``user``.

    The introducing release is read from that item's text, so it is hidden with it.
    """
    item = entity.introduced_in
    return item is not None and item.article.is_locked_for(user)


def entity_for(entity: Entity, user: User | AnonymousUser) -> Entity:
    """``entity`` as ``user`` may see it: without an introduction read from locked text.

    Changes the instance in memory only (callers never save it).
    """
    if introduction_hidden(entity, user):
        entity.introduced_in = None
        entity.introduced_release = None
    return entity


def tallied() -> bool:
    """True where triggers keep ``EntityTally``, ``EntityPair``, ``Mention.day`` and
    ``HardwareTally`` (PostgreSQL)."""
    return connection.vendor == "postgresql"


_PARTS = (("merge_item", MergeWindowItem), ("hardware", HardwareDevice), ("comment", Comment))
# (entity id, type of text, its id, day) of a pending or accepted mention that
# ``visible_to`` leaves out.
Hidden = tuple[int, str, int, dt.date | None]


def locked_article_ids(user: User | AnonymousUser) -> list[int]:
    """The articles locked for ``user`` (``Article.objects.locked_pks_for``), in one query.

    Few (LWN frees an article a week after it is published). Fetched first so the
    queries that use them see literal ids: PostgreSQL cannot estimate the paywall
    test (``free_on`` is null for every free article) and, guessing hundreds of
    locked articles, would scan every mention to join them.
    """
    locked = Article.objects.locked_pks_for(user)
    return [] if locked is None else [row["pk"] for row in locked]


def hidden_mentions(*, user: User | AnonymousUser) -> list[Hidden]:
    """Mentions the tallies count but ``user`` may not see: a query for the locked
    articles and, when there are any, one over their texts' mentions.

    Those in the merge-window items, devices and comments of the articles locked for
    ``user``, read from the locked side through the target indexes: their number
    follows the last weeks' subscriber-only articles, never the archive's size.
    """
    return _hidden_in(locked_article_ids(user))


def _hidden_in(locked: list[int]) -> list[Hidden]:
    """``hidden_mentions`` given the locked articles' ids: one query, none if there are none."""
    if not locked:
        return []
    parts: list[QuerySet[Mention, Any]] = []
    for part, model in _PARTS:
        column = f"{part}_id"
        texts = model.objects.filter(article_id__in=locked).values("pk")
        parts.append(
            Mention.objects.filter(status__in=_VISIBLE, **{f"{column}__in": texts})
            .order_by()
            .values_list("entity_id", Value(part), column, "day")
        )
    first, *rest = parts
    return list(first.union(*rest, all=True))


def _hidden_with(entity: Entity, hidden: list[Hidden]) -> list[Hidden]:
    """The hidden mentions in the texts that name ``entity`` (its own included)."""
    texts = {(part, text) for pk, part, text, _ in hidden if pk == entity.pk}
    return [row for row in hidden if (row[1], row[2]) in texts]


def _visible(
    mentions: MentionQuerySet, user: User | AnonymousUser, locked: list[int] | None
) -> QuerySet[Mention]:
    """``visible_to(user)``, or the same rule on ``locked``, the ids of the articles locked
    for ``user`` when the caller has read them already.

    Literal ids let PostgreSQL walk the (entity, day, id) index in page order and stop
    at the page's last row; the paywall test as a subquery made it join every mention
    of the entity to its text and sort them all first (the top entity's timeline grew
    with its mentions, so with the archive).
    """
    if locked is None:
        return mentions.visible_to(user)
    shown: QuerySet[Mention] = mentions.filter(status__in=_VISIBLE)
    for part, _ in _PARTS if locked else ():
        shown = shown.exclude(**{f"{part}__article_id__in": locked})
    return shown
