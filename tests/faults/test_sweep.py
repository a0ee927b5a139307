"""The import sweep: which follow-ups it queues again, and which runs it closes as interrupted.

No broker here: tasks run inline, so a queued follow-up has run when the sweep returns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import ImportRun, Mention
from articles.services.followup import (
    MAX_REQUEUES,
    QUEUE_GRACE,
    REQUEUE_AFTER,
    import_followups_sweep,
)
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


def test_it_counts_requeues_and_stops_after_the_last_one(
    tmp_data_dir: Path, now: dt.datetime, caplog: pytest.LogCaptureFixture
) -> None:
    stale = now - REQUEUE_AFTER - dt.timedelta(1)
    failing = committed(PAGES[0], followups_queued_at=stale, followups_requeued=MAX_REQUEUES)
    last_try = committed(PAGES[1], followups_queued_at=stale, followups_requeued=MAX_REQUEUES - 1)

    assert import_followups_sweep(now=now).queued == 1  # not the one out of attempts

    assert ImportRun.objects.get(pk=failing.pk).followups_done_at is None
    assert ImportRun.objects.get(pk=last_try.pk).followups_requeued == MAX_REQUEUES
    assert "queued for the last time" in caplog.text


def test_a_broker_outage_uses_up_no_attempt(tmp_data_dir: Path, now: dt.datetime) -> None:
    never = committed(PAGES[0], finished_at=now - QUEUE_GRACE * 2, followups_queued_at=None)

    assert import_followups_sweep(now=now).queued == 1
    assert ImportRun.objects.get(pk=never.pk).followups_requeued == 0


def test_admin_queues_follow_ups_again_with_a_fresh_count(
    tmp_data_dir: Path, now: dt.datetime, client: Client, staff: User
) -> None:
    stale = now - REQUEUE_AFTER - dt.timedelta(1)
    given_up = committed(PAGES[0], followups_queued_at=stale, followups_requeued=MAX_REQUEUES)
    Mention.objects.all().delete()  # what the failing follow-up never wrote
    client.force_login(staff)

    client.post(
        reverse("admin:articles_importrun_changelist"),
        {"action": "queue_followups_again", ACTION_CHECKBOX_NAME: [given_up.pk]},
    )

    given_up.refresh_from_db()
    assert given_up.followups_requeued == 0
    assert given_up.followups_done_at is not None  # inline: linked and indexed at once
    assert Mention.objects.filter(article__raw_page=given_up.raw_page).exists()


def test_it_never_closes_an_import_that_may_still_be_running() -> None:
    """Runs are closed as interrupted only once every import task's hard limit is long past."""
    from articles import tasks
    from articles.services.followup import INTERRUPTED_AFTER

    for task in (tasks.import_edition, tasks.refresh_comments, tasks.reparse_raw_page):
        assert task.time_limit is not None
        assert dt.timedelta(seconds=task.time_limit) < INTERRUPTED_AFTER
