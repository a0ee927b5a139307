"""The entity list (``/entities/`` and the API's) with the count of mentions each reader
may see, and its filters. On PostgreSQL the counts are the kept tallies less the few
hidden mentions; elsewhere counted from the mentions.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from articles.links import canonical
from articles.models import Article, Entity, EntityTally, Mention
from articles.models.tallies import UNDATED
from articles.selectors.entities import _VISIBLE, hidden_mentions, tallied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def entity_list(
    *,
    user: User | AnonymousUser,
    kind: str | None = None,
    introduced: str | None = None,
    name_prefix: str | None = None,
) -> QuerySet[Entity]:
    """Entities ``user`` may see, with their count of mentions ``user`` may see.

    An entity named only in texts locked for ``user`` is left out; one whose
    introducing item is locked has ``introduction_locked`` set.
    """
    if not tallied():
        return entities_filter(
            _entity_list_live(user),
            user=user,
            kind=kind,
            introduced=introduced,
            name_prefix=name_prefix,
        ).order_by("kind", "name")
    introduction_locked = _introduction_locked(user)
    # Each entity's total is one tally row; the few mentions ``user`` may not see (in
    # the items, devices and comments of locked articles) come off it. A page reads the
    # entities it shows and one row each, whatever the archive's size.
    total = Coalesce(
        Subquery(
            EntityTally.objects.filter(entity=OuterRef("pk"), source="all", day=UNDATED).values(
                "n"
            )[:1]
        ),
        0,
    )
    hidden = Counter(row[0] for row in hidden_mentions(user=user))
    shown = total - Case(
        *(When(pk=pk, then=Value(n)) for pk, n in hidden.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    entities = (
        Entity.objects.select_related("introduced_release")
        .annotate(total=total, mention_count=shown, introduction_locked=introduction_locked)
        # Named only in text locked for ``user``: left out. Named nowhere (yet): kept.
        .filter(Q(mention_count__gt=0) | Q(total=0))
    )
    return entities_filter(
        entities, user=user, kind=kind, introduced=introduced, name_prefix=name_prefix
    ).order_by("kind", "name")


def _entity_list_live(user: User | AnonymousUser) -> QuerySet[Entity]:
    """``entity_list`` counted from the mentions themselves (SQLite keeps no tallies)."""
    mentions = Mention.objects.filter(entity=OuterRef("pk"))
    shown = Mention.objects.visible_to(user).filter(entity=OuterRef("pk"))
    shown_count = shown.order_by().values("entity").annotate(n=Count("pk")).values("n")
    introduction_locked = _introduction_locked(user)
    return (
        Entity.objects.select_related("introduced_release")
        .annotate(
            mention_count=Coalesce(Subquery(shown_count[:1]), 0),
            introduction_locked=introduction_locked,
        )
        .filter(Exists(shown) | ~Exists(mentions.filter(status__in=_VISIBLE)))
    )


def _introduction_locked(user: User | AnonymousUser) -> Value | Case:
    """True where the merge-window item introducing the entity is locked for ``user``."""
    locked = Article.objects.locked_pks_for(user)
    if locked is None:
        return Value(False)
    # A CASE (not EXISTS per entity) reads the locked set once, as a hashed subplan.
    return Case(
        When(introduced_in__article__in=locked, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def entities_filter(
    entities: QuerySet[Entity],
    *,
    user: User | AnonymousUser,
    kind: str | None = None,
    introduced: str | None = None,
    name_prefix: str | None = None,
) -> QuerySet[Entity]:
    """``entities`` of ``kind``, introduced in release ``introduced``, named ``name_prefix``…

    ``introduced`` matches only introductions ``user`` may read.
    """
    if kind:
        entities = entities.filter(kind=kind)
    if introduced:
        entities = entities.filter(introduced_release__version=canonical("release", introduced))
        locked = Article.objects.locked_pks_for(user)
        if locked is not None:
            entities = entities.exclude(introduced_in__article__in=locked)
    if name_prefix:
        prefix = name_prefix.strip().removesuffix("()").lstrip("/")
        entities = entities.filter(Q(name__istartswith=prefix) | Q(name__istartswith=f"/{prefix}"))
    return entities
