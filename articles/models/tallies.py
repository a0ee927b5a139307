"""Counts kept beside the mentions so entity pages and lists never count them per request.

On PostgreSQL, triggers (``articles/services/sql/tallies.py``, installed by migration
0016) keep these rows in step with every write to ``articles_mention`` (linking,
curation, cascades of deleted articles and comments) and with the dates of the texts
mentions are in. Only pending and accepted mentions count, and every user's view of
them: subtracting the few mentions in texts locked for a reader is the selectors' job
(``articles.selectors.entities``). On SQLite nothing keeps them and the selectors count
live: an archive small enough for SQLite is small enough to count.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from articles.models.entities import Entity

# The day of an undated text (``Mention.day`` null) in a tally: tallies need a real key
# for their upserts, and no text is dated year 1.
UNDATED = "0001-01-01"
# Texts whose tallies keep the day: trending counts them in windows of 365 days. Devices
# and comments are kept by year (January 1st), all the year chart asks of them.
DAILY_SOURCES = ("article", "merge_item")


class EntityTally(models.Model):
    """How many pending or accepted mentions ``entity`` has in one kind of text on one day."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="tallies", db_index=False
    )
    source = models.CharField(
        max_length=10, help_text="article, merge_item, hardware, comment; all: the total"
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
