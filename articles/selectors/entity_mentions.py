"""Reads over one entity's mentions: counts per year, a timeline page, the first and
latest, the mentions by type, and the entities named in the same texts. Every function
runs a fixed number of queries whatever the number of mentions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, ExtractYear, TruncDate

from articles.models import Entity, EntityPair, EntityTally, Mention
from articles.models.tallies import UNDATED
from articles.selectors.entities import (
    _VISIBLE,
    Hidden,
    _hidden_in,
    _hidden_with,
    hidden_mentions,
    locked_article_ids,
    tallied,
)
from articles.selectors.mention_rows import (
    MENTION_TYPES,
    TIMELINE_PAGE,
    MentionRow,
    _mentions,
    _row,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

RELATED_LIMIT = 12


@dataclass(frozen=True, slots=True)
class EntityCounts:
    """``entity``'s mentions ``user`` may see: per year (dated ones), in all, and the hidden
    mentions of its texts (for :func:`entity_related`)."""

    years: dict[int, int]
    total: int
    hidden: list[Hidden]
    # The ids of the articles locked for ``user`` (None where not read: SQLite).
    locked: list[int] | None = None


def entity_counts(*, entity: Entity, user: User | AnonymousUser) -> EntityCounts:
    """Counts of ``entity``'s mentions ``user`` may see.

    On PostgreSQL its tallies (at most a row per kind of text and day) less the few
    hidden mentions: two queries, three while some article is locked for ``user``.
    Elsewhere one query counting the mentions.
    """
    mentions = Mention.objects.filter(entity=entity).visible_to(user).order_by()
    if not tallied():
        by_year = _by_year(mentions)  # undated ones under None
        years = {year: n for year, n in by_year.items() if year is not None}
        return EntityCounts(years=years, total=sum(by_year.values()), hidden=[])
    locked = locked_article_ids(user)
    hidden = _hidden_with(entity, _hidden_in(locked))
    # The entity's yearly rows (migration 0024), not its daily ones: their number grows
    # with the archive.
    yearly = EntityTally.objects.filter(entity=entity, source="year").values_list("day", "n")
    counts: Counter[int] = Counter({day.year: n for day, n in yearly})
    for entity_id, _, _, day in hidden:
        if entity_id == entity.pk:
            counts[day.year if day else 1] -= 1
    undated = dt.date.fromisoformat(UNDATED).year
    return EntityCounts(
        years={year: n for year, n in sorted(counts.items()) if n > 0 and year != undated},
        total=sum(n for n in counts.values() if n > 0),
        hidden=hidden,
        locked=locked,
    )


def _by_year(mentions: QuerySet[Mention]) -> dict[int | None, int]:
    """``mentions`` counted by the year of their text (None: undated), one query."""
    rows = (
        mentions.annotate(
            when=Coalesce(
                "article__date",
                "merge_item__article__date",
                "hardware__article__date",
                TruncDate("comment__posted_at"),
            )
        )
        .annotate(year=ExtractYear("when"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {row["year"]: row["n"] for row in rows}


class _CountedPaginator(Paginator):
    """A paginator told its count (from the tallies) instead of counting every mention."""

    def __init__(self, object_list: QuerySet[Mention], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @property
    def count(self) -> int:
        return self.known


def entity_timeline(
    *,
    entity: Entity,
    user: User | AnonymousUser,
    page: int | str | None = 1,
    counts: EntityCounts | None = None,
) -> tuple[Page[Mention], list[MentionRow]]:
    """One page of ``entity``'s mentions, oldest first: two queries, one given ``counts``."""
    mentions = _mentions(entity, user, counts.locked if counts is not None else None)
    paginator = (
        Paginator(mentions, TIMELINE_PAGE)
        if counts is None
        else _CountedPaginator(mentions, TIMELINE_PAGE, count=counts.total)
    )
    current = paginator.get_page(page)
    return current, [_row(m, entity, user) for m in current.object_list]


def entity_first_and_latest(
    *, entity: Entity, user: User | AnonymousUser, counts: EntityCounts | None = None
) -> tuple[MentionRow | None, MentionRow | None]:
    """``entity``'s oldest and newest dated mentions ``user`` may see: one query on
    PostgreSQL, two elsewhere."""
    if tallied():
        # Both ends of the (entity, day, id) index in one statement.
        locked = counts.locked if counts is not None else None
        dated = _mentions(entity, user, locked).exclude(day=None)
        ends = sorted(
            dated.order_by("day", "pk")[:1].union(
                dated.order_by(F("day").desc(), "-pk")[:1], all=True
            ),
            key=lambda m: (m.day, m.pk),
        )
        first, latest = (ends[0], ends[-1]) if ends else (None, None)
    else:
        dated = _mentions(entity, user).exclude(Q(when=None))
        first = dated.first()
        latest = dated.order_by(F("when").desc(), "-pk").first()
    return (
        _row(first, entity, user) if first else None,
        _row(latest, entity, user) if latest else None,
    )


def entity_mentions_grouped(
    *, entity: Entity, user: User | AnonymousUser, limit: int = TIMELINE_PAGE
) -> tuple[dict[str, list[MentionRow]], dict[str, int]]:
    """Up to ``limit`` mentions of each type, newest first, and the count of each type."""
    base = _mentions(entity, user)
    groups = {
        kind: [
            _row(m, entity, user)
            for m in base.filter(**{f"{kind}__isnull": False}).order_by(
                F("when").desc(nulls_last=True), "-pk"
            )[:limit]
        ]
        for kind in MENTION_TYPES
    }
    counts = base.order_by().aggregate(
        **{kind: Count("pk", filter=Q(**{f"{kind}__isnull": False})) for kind in MENTION_TYPES}
    )
    return groups, counts


def entity_mentions(
    *, entity: Entity, user: User | AnonymousUser, type: str | None = None
) -> QuerySet[Mention]:
    """``entity``'s mentions ``user`` may see, of one ``type`` if given, newest first.

    Annotated ``sort_when`` (the date, undated last) for cursor pagination, which
    needs a non-null column; turn each into a row with :func:`mention_row`.
    """
    mentions = _mentions(entity, user)
    if type is not None:
        mentions = mentions.filter(**{f"{type}__isnull": False})
    return mentions.annotate(sort_when=Coalesce("when", Value(dt.date.min))).order_by(
        "-sort_when", "-pk"
    )


def entity_related(
    *,
    entity: Entity,
    user: User | AnonymousUser,
    limit: int = RELATED_LIMIT,
    counts: EntityCounts | None = None,
) -> list[Entity]:
    """Entities named in the same texts as ``entity``, most shared texts first.

    Only texts whose mentions ``user`` may see count. On PostgreSQL read from the kept
    pairs, less the hidden texts (``counts.hidden``, else one more query).
    """
    if not tallied():
        return _related_live(entity=entity, user=user, limit=limit)
    hidden = (
        counts.hidden if counts is not None else _hidden_with(entity, hidden_mentions(user=user))
    )
    less = Counter(row[0] for row in hidden if row[0] != entity.pk)
    # Lowering a pair's count moves it down only: the first ``limit`` after the
    # corrections are among the first ``limit + len(less)`` before them.
    pairs = (
        EntityPair.objects.filter(entity=entity, shared__gt=0)
        .select_related("other")
        .order_by("-shared", "other__kind", "other__name")[: limit + len(less)]
    )
    related = []
    for pair in pairs:
        other = pair.other
        other.shared = pair.shared - less[other.pk]  # type: ignore[attr-defined]
        if other.shared > 0:  # type: ignore[attr-defined]
            related.append(other)
    related.sort(key=lambda e: (-e.shared, e.kind, e.name))  # type: ignore[attr-defined]
    return related[:limit]


def _related_live(*, entity: Entity, user: User | AnonymousUser, limit: int) -> list[Entity]:
    mine = Mention.objects.filter(entity=entity).visible_to(user)
    together = Q()
    for kind in MENTION_TYPES:
        together |= Q(
            **{f"mentions__{kind}__in": mine.filter(**{f"{kind}__isnull": False}).values(kind)}
        )
    return list(
        Entity.objects.filter(together, mentions__status__in=_VISIBLE)
        .exclude(pk=entity.pk)
        .annotate(shared=Count("mentions", distinct=True))
        .order_by("-shared", "kind", "name")[:limit]
    )
