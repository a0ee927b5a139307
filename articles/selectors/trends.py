"""The entities trending in the archive's last year, for the home page.

On PostgreSQL a page reads the top of ``EntityTrend`` (each entity's mentions in the
two years, kept by triggers) and takes off the few mentions in articles locked for the
reader: its cost follows the number of locked mentions, not the archive's size. When
the newest edition has moved the window, the first reader sums the tallies again
(``articles.services.trends``). SQLite counts the mentions themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, Sum

from articles.models import (
    Article,
    Entity,
    EntityTally,
    EntityTrend,
    Mention,
    MentionStatus,
    MergeWindowItem,
    TrendWindow,
)
from articles.models.tallies import DAILY_SOURCES
from articles.selectors.entities import locked_article_ids, tallied
from articles.selectors.stats import TOP, EntityCount
from articles.services.trends import Window, trends_refresh

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

_VISIBLE = (MentionStatus.PENDING, MentionStatus.ACCEPTED)

Counts = Counter[tuple[str, str]]
# A mention in a locked article or its merge-window items: (entity id, day).
Hidden = tuple[int, dt.date | None]

# The mentions of the window in the locked articles and in their merge-window items
# (few). The items' ids are an array, so each half is an index lookup: as a join or a
# semi-join PostgreSQL walks every merge-window item's mentions to reach the newest.
_HIDDEN = """
SELECT m.entity_id, m.day FROM {mention} m
WHERE m.article_id = ANY(%(locked)s) AND m.status = ANY(%(visible)s)
    AND m.day > %(start)s AND m.day <= %(until)s
UNION ALL
SELECT m.entity_id, m.day FROM {mention} m
WHERE m.merge_item_id = ANY(ARRAY(
        SELECT i.id FROM {item} i WHERE i.article_id = ANY(%(locked)s)))
    AND m.status = ANY(%(visible)s) AND m.day > %(start)s AND m.day <= %(until)s
"""


def _params(locked: list[int], window: Window) -> dict[str, Any]:
    return {
        "locked": locked,
        "visible": list(_VISIBLE),
        "start": window.start,
        "middle": window.middle,
        "until": window.until,
    }


def _tables() -> dict[str, str]:
    return {
        "mention": Mention._meta.db_table,
        "item": MergeWindowItem._meta.db_table,
        "window": TrendWindow._meta.db_table,
        "trend": EntityTrend._meta.db_table,
        "entity": Entity._meta.db_table,
    }


def _hidden(locked: list[int], window: Window) -> list[Hidden]:
    """The mentions of the window in and in the items of the ``locked`` articles (few):
    one query, none when nothing is locked."""
    if not locked:  # literal ids: see ``locked_article_ids``
        return []
    with connection.cursor() as cursor:
        cursor.execute(_HIDDEN.format(**_tables()), _params(locked, window))
        return [(pk, day) for pk, day in cursor.fetchall()]


def _trending_tallied(
    *, user: User | AnonymousUser, start: dt.date, middle: dt.date, until: dt.date
) -> tuple[Counts, Counts]:
    """From the daily tallies of the two years (rows per entity and day, not per mention),
    less the mentions in and in the items of articles locked for ``user`` (few)."""
    window = Window(start=start, middle=middle, until=until)
    return _tallied(window, _hidden(locked_article_ids(user), window))


def _tallied(window: Window, hidden: list[Hidden]) -> tuple[Counts, Counts]:
    recent: Counts = Counter()
    before: Counts = Counter()
    keys: dict[int, tuple[str, str]] = {}
    rows = (
        EntityTally.objects.filter(
            source__in=DAILY_SOURCES, day__gt=window.start, day__lte=window.until, n__gt=0
        )
        .order_by()
        .values("entity_id", "entity__kind", "entity__name")
        .annotate(
            recent=Sum("n", filter=Q(day__gt=window.middle), default=0),
            before=Sum("n", filter=Q(day__lte=window.middle), default=0),
        )
    )
    for row in rows:
        key = keys[row["entity_id"]] = (row["entity__kind"], row["entity__name"])
        recent[key] += row["recent"]
        before[key] += row["before"]
    # A hidden mention of the window is counted in its entity's tallies of the window.
    for pk, day in hidden:
        (recent if day is not None and day > window.middle else before)[keys[pk]] -= 1
    return recent, before


def _trending_live(
    *, user: User | AnonymousUser, start: dt.date, middle: dt.date, until: dt.date
) -> tuple[Counts, Counts]:
    recent: Counts = Counter()
    before: Counts = Counter()
    locked = Article.objects.locked_pks_for(user)
    for path in ("article", "merge_item__article"):
        mentions = Mention.objects.filter(
            status__in=_VISIBLE,
            **{f"{path}__date__gt": start, f"{path}__date__lte": until},
        )
        if locked is not None:
            mentions = mentions.exclude(**{f"{path}__in": locked})
        rows = (
            mentions.order_by()
            .values("entity__kind", "entity__name")
            .annotate(
                recent=Count("pk", filter=Q(**{f"{path}__date__gt": middle})),
                before=Count("pk", filter=Q(**{f"{path}__date__lte": middle})),
            )
        )
        for row in rows:
            key = (row["entity__kind"], row["entity__name"])
            recent[key] += row["recent"]
            before[key] += row["before"]
    return recent, before


def _ranked(counts: list[EntityCount], limit: int) -> list[EntityCount]:
    trends = [t for t in counts if t.count > t.before]
    trends.sort(key=lambda t: (-t.rise, -t.count, t.kind, t.name))
    return trends[:limit]


def _from_counts(recent: Counts, before: Counts, limit: int) -> list[EntityCount]:
    return _ranked([EntityCount(k, n, recent[(k, n)], before[(k, n)]) for k, n in recent], limit)


# The window's row first, so a stale or missing window is told from an empty top; then
# the rising entities without locked mentions in their order, ties by name in code-point
# order as Python sorts (COLLATE "C"); then the entities with locked mentions that still
# rise without them.
_KEPT = (
    "WITH hidden AS ("  # noqa: S608 (table names, formatted in ``_trending_kept``)
    + _HIDDEN
    + """),
less AS (
    SELECT entity_id, count(*) FILTER (WHERE day > %(middle)s) AS recent,
        count(*) FILTER (WHERE day <= %(middle)s) AS prior
    FROM hidden GROUP BY entity_id
)
SELECT w.until, t.kind, t.name, t.recent, t.prior
FROM {window} w LEFT JOIN LATERAL (
    (SELECT e.kind, e.name, s.recent, s.prior
     FROM {trend} s JOIN {entity} e ON e.id = s.entity_id
     WHERE s.recent > s.prior AND NOT (s.entity_id = ANY(ARRAY(SELECT entity_id FROM less)))
     ORDER BY s.recent - s.prior DESC, s.recent DESC, e.kind COLLATE "C", e.name COLLATE "C"
     LIMIT %(limit)s)
    UNION ALL
    (SELECT e.kind, e.name, s.recent - l.recent, s.prior - l.prior
     FROM less l JOIN {trend} s ON s.entity_id = l.entity_id
        JOIN {entity} e ON e.id = s.entity_id
     WHERE s.recent - l.recent > s.prior - l.prior)
) t ON true
"""
)


def _trending_kept(window: Window, locked: list[int], limit: int) -> list[EntityCount] | None:
    """The top ``limit`` from the kept sums less the mentions in the ``locked`` articles,
    in one query; None when the sums are for another window (or none)."""
    with connection.cursor() as cursor:
        cursor.execute(_KEPT.format(**_tables()), {**_params(locked, window), "limit": limit})
        rows = cursor.fetchall()
    if not rows or rows[0][0] != window.until:
        return None
    # Exact: an entity without locked mentions that is in the top ``limit`` of all is
    # in the top ``limit`` of those without, with the same counts.
    return _ranked(
        [EntityCount(kind, name, recent, prior) for _, kind, name, recent, prior in rows if kind],
        limit,
    )


def entities_trending(
    *, user: User | AnonymousUser, until: dt.date, limit: int = TOP
) -> list[EntityCount]:
    """Entities named in more articles in the year up to ``until`` than in the year before.

    Counts mentions in articles and their merge-window items (comments are chatter,
    and unbounded). ``until`` is the newest edition's date, so an old archive has trends
    too. On PostgreSQL: a query for the locked articles and one over the kept sums less
    their mentions (more when ``until`` is new: see the module).
    """
    window = Window.up_to(until)
    if not tallied():
        recent, before = _trending_live(
            user=user, start=window.start, middle=window.middle, until=window.until
        )
        return _from_counts(recent, before, limit)
    locked = locked_article_ids(user)
    trends = _trending_kept(window, locked, limit)
    if trends is None and trends_refresh(until=until):
        trends = _trending_kept(window, locked, limit)
    if trends is None:  # a writer of mentions holds the tallies: count them this once
        return _from_counts(*_tallied(window, _hidden(locked, window)), limit)
    return trends
