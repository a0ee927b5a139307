"""The curation queue's pages come in index order, never from a sort of every mention.

The API's mention list is ordered newest first (``created_at``, then id, for the
cursor). Without an index in that order each page sorted all the mentions: 375 ms
a page on the full archive's 1.28 million (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Entity, Mention
from tests.factories import CommentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def test_it_reads_a_page_after_the_cursor_through_the_created_index() -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    Mention.objects.bulk_create(
        Mention(entity=entity, comment=c) for c in CommentFactory.create_batch(30)
    )
    newest = timezone.now() - dt.timedelta(minutes=1)
    page = Mention.objects.filter(created_at__lt=newest).order_by("-created_at", "-id")[:101]
    with transaction.atomic(), connection.cursor() as cursor:
        # Whatever a small table's costs say: is there an order to read without sorting?
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = page.explain()
    assert "mention_created" in plan, plan
    assert "Sort" not in plan, plan
