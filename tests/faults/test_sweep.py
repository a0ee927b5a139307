"""The import sweep: which follow-ups it queues again, and which runs it closes as interrupted.

No broker here: tasks run inline, so a queued follow-up has run when the sweep returns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import ImportRun, Mention
from articles.services.followup import QUEUE_GRACE, REQUEUE_AFTER, import_followups_sweep
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db

PAGES = ("article-2020-capabilities-comments.html", "article-2024-details-comments.html")


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


def committed(name: str, **fields: object) -> ImportRun:
    """An "ok" run whose after-commit follow-ups never ran (as in a broker outage)."""
    run = import_fixture(name)
    assert run.outcome == "ok", run.error
    ImportRun.objects.filter(pk=run.pk).update(**fields)
    return ImportRun.objects.get(pk=run.pk)


def test_it_queues_followups_never_queued_once_past_the_grace(
    tmp_data_dir: Path, now: dt.datetime
) -> None:
    # As a refused enqueue leaves it: the import's own "queued" mark taken back.
    fresh = committed(PAGES[0], finished_at=now - QUEUE_GRACE / 2, followups_queued_at=None)
    assert import_followups_sweep(now=now).queued == 0  # its on_commit may still be coming
    later = now + QUEUE_GRACE
    assert import_followups_sweep(now=later).queued == 1
    fresh.refresh_from_db()
    assert fresh.followups_done_at is not None
    assert fresh.followups_queued_at is None  # inline: done before it could be "queued"
    assert Mention.objects.filter(article__raw_page=fresh.raw_page).exists()
    assert import_followups_sweep(now=later).queued == 0  # done: never again


def test_it_queues_again_only_what_stayed_queued_too_long(
    tmp_data_dir: Path, now: dt.datetime
) -> None:
    lost = committed(PAGES[0], followups_queued_at=now - REQUEUE_AFTER - dt.timedelta(1))
    waiting = committed(PAGES[1], followups_queued_at=now - REQUEUE_AFTER / 2)
    assert import_followups_sweep(now=now).queued == 1
    assert ImportRun.objects.get(pk=lost.pk).followups_done_at is not None
    assert ImportRun.objects.get(pk=waiting.pk).followups_done_at is None


def test_it_closes_runs_left_running_for_over_an_hour(now: dt.datetime) -> None:
    old = ImportRun.objects.create(source="killed")
    young = ImportRun.objects.create(source="still going")
    ImportRun.objects.filter(pk=old.pk).update(started_at=now - dt.timedelta(hours=2))
    assert import_followups_sweep(now=now).interrupted == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.outcome, young.outcome) == ("failed", "running")
    assert old.error.startswith("interrupted")
    assert old.finished_at == now
