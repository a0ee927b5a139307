"""A link batch's pairs read the mentions of its own texts, not every mention.

The pair trigger joins the rows a statement wrote to the other mentions of the
same texts. Left to the planner, which has no statistics for a statement's rows,
the join read every visible mention of the archive once per batch, so linking
slowed as the archive grew (migration 0021). Counted here with PostgreSQL's own
per-transaction statistics, on a table that has never been analysed.
"""

from __future__ import annotations

import pytest
from django.db import connection

from articles.models import Comment, Entity, Mention
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers that keep pairs are PostgreSQL's"
)

THREAD = 400  # comments already linked, two mentions each


def _mention_rows_read() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
            " FROM pg_stat_xact_user_tables WHERE relname = 'articles_mention'"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_it_reads_only_the_new_mentions_texts_to_pair_them() -> None:
    first = Entity.objects.create(kind="syscall", name="faccessat2")
    second = Entity.objects.create(kind="capability", name="CAP_PERFMON")
    article = ArticleFactory.create()
    comments = CommentFactory.create_batch(THREAD, article=article)
    Mention.objects.bulk_create(
        Mention(entity=e, comment=c) for c in comments for e in (first, second)
    )
    fresh: list[Comment] = CommentFactory.create_batch(5, article=article)
    before = _mention_rows_read()
    Mention.objects.bulk_create(
        Mention(entity=e, comment=c) for c in fresh for e in (first, second)
    )
    read = _mention_rows_read() - before
    # Each new mention finds its comment's other mention: a few rows, not the thread's 800.
    assert read < 50, read
    assert Mention.objects.count() == 2 * (THREAD + 5)
