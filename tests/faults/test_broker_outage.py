"""The broker goes away during an import; the web keeps serving; nothing is lost.

A throwaway ``redis-server`` (no persistence) is the broker of a real worker
and of this process. It is killed while an import's transaction is open, so
the after-commit enqueue of the follow-ups (linking, indexing) fails. The
import must still commit, the site must keep answering, and once a fresh
broker is back the periodic sweep queues the follow-ups from the database,
because the killed broker took every queued message with it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from articles import search
from articles.models import Article, ImportRun, Mention
from articles.services.followup import import_followups_sweep
from lwnkb.celery import app
from tests.celery_worker import Worker, wait_for
from tests.faults.services import RedisServer, celery_on, index_worker, pg_connect
from tests.search.conftest import SUBSCRIBER
from tests.services.conftest import import_fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("postgres_only"),
]

PAGE, LWN_ID = "article-2020-capabilities-comments.html", 821729


@pytest.fixture
def worker(redis_server: RedisServer, tmp_path: Path) -> Iterator[Worker]:
    """A real worker on the throwaway broker, writing the index this test reads."""
    with index_worker("outage", broker_url=redis_server.url, tmp_path=tmp_path) as w:
        yield w


def hits(query: str) -> int:
    return search.archive_search(query=query, user=SUBSCRIBER).count


def committed_elsewhere(lwn_id: int) -> bool:
    """Seen from another connection, i.e. really committed."""
    with pg_connect() as conn:
        row = conn.execute("SELECT count(*) FROM articles_article WHERE lwn_id = %s", [lwn_id])
        return bool(row.fetchone()[0])  # type: ignore[index]


def test_it_commits_keeps_serving_and_runs_the_followups_when_the_broker_returns(
    redis_server: RedisServer, worker: Worker, staff: User, curator: User
) -> None:
    call_command("lwn_reindex", stdout=io.StringIO(), stderr=io.StringIO())  # an empty index
    with celery_on(redis_server.url):
        with transaction.atomic():
            run = import_fixture(PAGE)
            redis_server.kill()  # mid-import: before the commit and its enqueue
        # The commit stands; the failed enqueue was handled, not raised.
        assert run.outcome == "ok", run.error
        assert committed_elsewhere(LWN_ID)
        run.refresh_from_db()
        assert run.followups_queued_at is None
        assert run.followups_done_at is None

        # The web keeps serving while the broker is away.
        web = Client()
        assert web.get("/").status_code == 200
        page = web.get(f"/articles/{LWN_ID}/")
        assert page.status_code == 200
        assert "A crop of new capabilities" in page.content.decode()
        assert web.get("/search/?q=capabilities").status_code == 200
        web.force_login(staff)
        assert PAGE in web.get("/imports/").content.decode()
        api = APIClient()
        api.force_authenticate(curator)
        assert api.get("/api/v1/articles/").status_code == 200
        reparse = {"raw_page_id": run.raw_page_id}
        refused = api.post("/api/v1/actions/reparse/", reparse, format="json")
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "60"
        assert "task queue is unavailable" in refused.json()["detail"]
        # Nothing was linked or indexed yet: that work waits in the database.
        assert not Mention.objects.filter(article__lwn_id=LWN_ID).exists()
        assert hits("CAP_PERFMON") == 0
        # While the broker is away, a sweep queues nothing and loses nothing.
        report = import_followups_sweep(grace=dt.timedelta(0))
        assert (report.queued, report.not_queued) == (0, 1)

        redis_server.start()  # back, but empty: the outage took every queued message

        # Beat runs the sweep every few minutes; here it runs at once.
        report = import_followups_sweep(grace=dt.timedelta(0))
        assert (report.queued, report.not_queued) == (1, 0)
        wait_for(
            lambda: ImportRun.objects.filter(pk=run.pk, followups_done_at__isnull=False).exists(),
            timeout=60,
            what=f"the follow-ups of the import\n{worker.output()[-3000:]}",
        )
        assert Mention.objects.filter(article__lwn_id=LWN_ID).exists()
        assert hits("CAP_PERFMON") >= 1
        assert f"/articles/{LWN_ID}/" in web.get("/search/?q=CAP_PERFMON").content.decode()

        # The web's broker connection recovers too: the action is queued and runs.
        accepted = api.post("/api/v1/actions/reparse/", reparse, format="json")
        assert accepted.status_code == 202
        wait_for(
            lambda: ImportRun.objects.filter(source__startswith="reparse of raw page").exists(),
            timeout=60,
            what="the re-parse",
        )
        assert Article.objects.filter(lwn_id=LWN_ID).count() == 1


def test_it_configures_the_sweep_and_the_redelivery_of_lost_tasks() -> None:
    """The effective configuration behind the recovery (a misspelt setting fails silently)."""
    entry = app.conf.beat_schedule["sweep-imports"]
    assert entry["task"] == "articles.tasks.sweep_imports"
    assert entry["schedule"].minute == set(range(0, 60, 10))
    app.loader.import_default_modules()
    assert "articles.tasks.sweep_imports" in app.tasks
    options = app.conf.broker_transport_options
    assert options["visibility_timeout"] == 3600
    assert options["unacked_restore_interval"] == 10
    assert options["socket_timeout"] > 1  # above kombu's 1 s BRPOP wait
