"""End to end: a real worker over the real Redis broker imports from a fake lwn.net.

The fake site answers 200s, a 304 on revalidation, a 403 subscription page,
a 500 that succeeds on retry and a slow response, like lwn.net can.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from articles.models import Article, Comment, Edition, ImportRun
from tests.celery_worker import Worker, client, purge, require_postgres, wait_for
from tests.lwnserver import FakeLWN, Reply, subscription_page
from tests.services.conftest import fixture_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EDITION = 822335
FEATURES = (822349, 822256, 821534, 821729, 822052, 822350)
# Pages the fake site does not have: each import records them as failed, nothing more.
MISSING = {"822349", "821534"}


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    # Worker processes share the test database, which an in-memory SQLite cannot do.
    require_postgres("Celery worker tests need")


def lwn_routes() -> dict[str, object]:
    bigpage = fixture_bytes("edition-2020-06-11-bigpage.html")
    comments = fixture_bytes("article-2020-capabilities-comments.html")
    routes: dict[str, object] = {
        f"/Articles/{EDITION}/bigpage": Reply(body=bigpage, headers={"ETag": '"big-1"'}),
        "/Articles/821729/": Reply(body=comments, headers={"ETag": '"cap-1"'}),
        # A transient server error: the fetcher retries and then succeeds.
        "/Articles/822256/": [
            Reply(500, "oops"),
            Reply(body=comments.replace(b"821729", b"822256")),
        ],
        "/Articles/822052/": Reply(403, subscription_page(822052, "June 18, 2020")),
        # Slow but within the read timeout.
        "/Articles/822350/": Reply(body=comments.replace(b"821729", b"822350"), delay=1.5),
    }
    return routes


@pytest.fixture
def fake_site() -> Iterator[FakeLWN]:
    with FakeLWN(lwn_routes()) as lwn:  # type: ignore[arg-type]
        yield lwn


@pytest.fixture
def start_worker(broker_url: str, fake_site: FakeLWN, tmp_path: Path) -> Iterator[object]:
    purge(broker_url)
    workers: list[Worker] = []

    def start(name: str) -> Worker:
        worker = Worker(
            name=name,
            broker_url=broker_url,
            log=tmp_path / f"{name}.log",
            env={
                "LWNKB_LWN_BASE_URL": fake_site.url,
                "LWNKB_FETCH_INTERVAL": "0",
                "LWNKB_DATA_DIR": str(tmp_path / name),
            },
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    purge(broker_url)


def finished_runs(n: int) -> list[ImportRun] | None:
    runs = list(ImportRun.objects.exclude(outcome="running"))
    return runs if len(runs) >= n else None


def test_it_imports_an_edition_through_a_real_worker(
    start_worker, broker_url: str, fake_site: FakeLWN
) -> None:
    worker = start_worker("w1")
    client(broker_url).send_task("articles.tasks.import_edition", args=[EDITION])
    # The big page, then one task per feature or guest article page.
    runs = wait_for(lambda: finished_runs(1 + len(FEATURES)), what="the runs", timeout=120)
    outcomes = {run.source.rstrip("/").split("/")[-1]: run for run in runs}
    assert Edition.objects.filter(lwn_id=EDITION).count() == 1, worker.output()[-3000:]
    assert outcomes["bigpage"].outcome == "ok"
    # The intro item has no page on the fake site: an audited failure, nothing else lost.
    assert outcomes["822349"].outcome == "failed"
    assert "does not exist" in outcomes["822349"].error
    assert outcomes["821729"].outcome == "ok"
    assert Comment.objects.filter(article__lwn_id=821729).exists()
    assert "/Articles/822256/" in fake_site.paths()
    assert fake_site.paths().count("/Articles/822256/") == 2  # a 500, then the retry
    guest = Article.objects.get(lwn_id=822052)
    assert guest.subscriber_only
    assert str(guest.free_on) == "2020-06-18"
    ua = fake_site.requests[0].headers["user-agent"]
    assert ua.startswith("lwnkb/")


def test_it_changes_nothing_when_the_same_edition_is_imported_again(
    start_worker, broker_url: str, fake_site: FakeLWN
) -> None:
    start_worker("w1")
    send = client(broker_url).send_task
    send("articles.tasks.import_edition", args=[EDITION], kwargs={})
    first = wait_for(lambda: finished_runs(1 + len(FEATURES)), what="the first import", timeout=120)
    counts = (Article.objects.count(), Comment.objects.count(), Edition.objects.count())
    send("articles.tasks.import_edition", args=[EDITION])
    wait_for(lambda: finished_runs(len(first) * 2), what="the second import", timeout=120)
    assert (Article.objects.count(), Comment.objects.count(), Edition.objects.count()) == counts
    second = ImportRun.objects.order_by("-pk")[: len(first)]
    assert {run.outcome for run in second} <= {"skipped", "failed"}
    assert sum(run.outcome == "skipped" for run in second) == len(first) - len(MISSING)
    # The second fetch of the big page revalidated with the cached ETag and got a 304.
    big = [r for r in fake_site.requests if r.path.endswith("/bigpage")]
    assert big[-1].headers.get("if-none-match") == '"big-1"'


def test_it_imports_once_when_two_workers_take_the_same_edition(
    start_worker, broker_url: str
) -> None:
    start_worker("w1")
    start_worker("w2")
    send = client(broker_url).send_task
    for _ in range(2):
        send("articles.tasks.import_edition", args=[EDITION])
    wait_for(lambda: finished_runs(2 + 2 * len(FEATURES)), what="both imports", timeout=180)
    assert Edition.objects.filter(lwn_id=EDITION).count() == 1
    ids = list(Article.objects.exclude(lwn_id=None).values_list("lwn_id", flat=True))
    assert len(ids) == len(set(ids))
    # Only the pages missing from the fake site fail; nothing else does.
    failed = ImportRun.objects.filter(outcome="failed")
    assert {run.source.rstrip("/").split("/")[-1] for run in failed} == MISSING
