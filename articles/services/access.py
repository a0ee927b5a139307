"""Who may read an article's text: making a subscriber-only article free now.

LWN frees subscriber-only articles a week after publication; a curator can do
it sooner (a correction, an article LWN freed early). Admin and the API share
this service, so both record the change and re-index the article.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article, CurationAction, CurationTarget
from articles.services.audit import Change, User, curation_events_record
from articles.services.curation import CurationError
from articles.services.enqueue import task_enqueue

logger = logging.getLogger("lwnkb.curation")
INDEX_TASK = "articles.tasks.index_articles"


class AlreadyFree(CurationError):
    """The article's text is already free to everyone."""


def articles_free_now(*, articles: QuerySet[Article], user: User) -> list[Article]:
    """Make the still-locked ``articles`` free from today; returns those it changed.

    Articles already free are left alone. Search is re-indexed after commit, since
    the index keeps each text's paywall state.
    """
    today = timezone.now().date()
    with transaction.atomic():
        still_locked = Article.objects.subscriber_only_on(today).filter(
            pk__in=articles.values("pk")
        )
        locked = list(still_locked.select_for_update().only("pk", "lwn_id", "title", "free_on"))
        Article.objects.filter(pk__in=[a.pk for a in locked]).update(
            free_on=today, updated_at=timezone.now()
        )
        curation_events_record(
            changes=[
                Change(
                    CurationAction.ARTICLE_FREE,
                    CurationTarget.ARTICLE,
                    str(article.lwn_id if article.lwn_id is not None else f"pk:{article.pk}"),
                    {
                        "before": {"free_on": _day(article.free_on)},
                        "after": {"free_on": today.isoformat()},
                    },
                )
                for article in locked
            ],
            user=user,
        )
        if locked:
            # Robust: the change is saved either way; a broker outage is logged, not raised.
            ids = sorted(a.pk for a in locked)
            transaction.on_commit(partial(task_enqueue, INDEX_TASK, ids), robust=True)
    logger.info("%s made %s article(s) free", user, len(locked))
    return locked


def article_free_now(*, article: Article, user: User) -> Article:
    """Make ``article`` free from today; ``AlreadyFree`` if it is free to all already."""
    changed = articles_free_now(articles=Article.objects.filter(pk=article.pk), user=user)
    if not changed:
        raise AlreadyFree(f"{article.title} is already free to read")
    article.refresh_from_db()
    return article


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
