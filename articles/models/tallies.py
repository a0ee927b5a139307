"""Counts kept beside the mentions so entity pages and lists never count them per request.

On PostgreSQL, triggers (installed by migrations 0018 to 0021 and 0024, which also say in
what order writers take the tallies' lock) keep these rows in step with every write to
``articles_mention`` (linking, curation, cascades of deleted articles and comments) and
with the dates of the texts mentions are in. Only pending and accepted mentions count,
and every user's view of them: subtracting the few mentions in texts locked for a reader
is the selectors' job (``articles.selectors.entity_lists``, ``entity_mentions`` and
``trends``). On SQLite nothing keeps them and the selectors count
live: an archive small enough for SQLite is small enough to count.

``EntityTrend`` sums the daily tallies of one window of two years (``TrendWindow``) per
entity, so the home page's trends read the top of an index instead of two years of
tallies. Migration 0020's triggers keep it in step with every tally write; a new window
(a newer edition) is summed again by ``articles.services.trends``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, OrderBy, Q

from articles.models.entities import Entity

# The day of an undated text (``Mention.day`` null) in a tally: tallies need a real key
# for their upserts, and no text is dated year 1.
UNDATED = "0001-01-01"
# Texts whose tallies keep the day: trending counts them in windows of 365 days. Devices
# and comments are kept by year (January 1st). Rows of source ``year`` sum every kind of
# text per year (January 1st) for the year chart (migration 0024).
DAILY_SOURCES = ("article", "merge_item")


class EntityTally(models.Model):
    """How many pending or accepted mentions ``entity`` has in one kind of text on one day."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="tallies", db_index=False
    )
    source = models.CharField(
        max_length=10,
        help_text="article, merge_item, hardware, comment; all: the total; year: all in a year",
    )
    day = models.DateField(help_text="The texts' date; January 1st for devices and comments")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "source", "day"], name="tally_once")
        ]
        indexes = [
            models.Index(
                fields=["day"], condition=Q(source__in=DAILY_SOURCES), name="tally_daily_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.source} {self.day}: {self.n}"


class EntityPair(models.Model):
    """In how many texts both entities have a pending or accepted mention (kept both ways)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+", db_index=False)
    other = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    shared = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "other"], name="pair_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} & {self.other_id}: {self.shared}"


class TrendWindow(models.Model):
    """The window ``EntityTrend`` counts: the year up to ``until`` and the year before it.

    At most one row; none until trends are first asked for (PostgreSQL only).
    """

    until = models.DateField()

    def __str__(self) -> str:
        return f"trends up to {self.until}"


class EntityTrend(models.Model):
    """An entity's pending or accepted mentions in articles and merge-window items, in the
    year up to ``TrendWindow.until`` (``recent``) and in the year before it (``prior``)."""

    entity = models.OneToOneField(
        Entity, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    recent = models.IntegerField(default=0)
    prior = models.IntegerField(default=0)

    class Meta:
        indexes = [
            # The trends in their order (rise, then count), only the rising ones: the home
            # page reads its top ten from here and breaks ties by name in a few rows.
            models.Index(
                OrderBy(F("recent") - F("prior"), descending=True),
                OrderBy(F("recent"), descending=True),
                condition=Q(recent__gt=F("prior")),
                name="trend_rise",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.prior} -> {self.recent}"
