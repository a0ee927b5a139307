"""Two web hosts and two worker hosts on one PostgreSQL: an import is found through both.

The compose ``multihost`` profile on one machine, without Docker: two gunicorn
processes and two Celery workers, each in a working directory and data folder of
its own, against a scratch PostgreSQL database migrated with the PostgreSQL search
backend, and a Redis database claimed for this test. A page is imported through
the broker from a fake lwn.net; once its ImportRun reads ``ok``, both gunicorn
processes find it through ``/api/v1/search/``, and neither did before.
"""

from __future__ import annotations

import re
import secrets
import string
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.celery_worker import client, require_postgres
from tests.lwnserver import FakeLWN, Reply
from tests.multihost.hosts import (
    Host,
    RedisDatabase,
    ScratchDatabase,
    celery_worker,
    get_json,
    gunicorn,
    host_env,
    manage,
    wait_until_ready,
    wait_until_serving,
)
from tests.services.conftest import fixture_bytes

pytestmark = [pytest.mark.slow]

ARTICLE = 821729
OPENING = b"Capabilities let a process"
TOOK_IMPORT = re.compile(r"Task articles\.tasks\.refresh_comments\[[\w-]+\] succeeded")


@dataclass
class Site:
    database: ScratchDatabase
    broker_url: str
    web: dict[str, int]  # host name -> port
    workers: list[Host]
    lwn: FakeLWN


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    # The hosts share one PostgreSQL server with the test run; SQLite cannot be shared.
    require_postgres("the multi-host test needs")


@pytest.fixture
def word() -> str:
    """A word no stored text contains until the test imports it: letters only, made up."""
    return "zorblat" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


@pytest.fixture
def site(broker_url: str, word: str, tmp_path: Path) -> Iterator[Site]:
    """Everything started here is stopped, and the database dropped, even when a step fails."""
    page = fixture_bytes("article-2020-capabilities-comments.html")
    assert OPENING in page
    page = page.replace(OPENING, OPENING + b" (" + word.encode() + b" aside)", 1)
    settings = connection.settings_dict
    database = ScratchDatabase(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"],
        password=settings["PASSWORD"] or "",
    )
    hosts: list[Host] = []
    redis_db: RedisDatabase | None = None
    try:
        redis_db = RedisDatabase(broker_url)
        lwn = FakeLWN({f"/Articles/{ARTICLE}/": Reply(body=page)})
        common = {
            "database_url": database.url,
            "broker_url": redis_db.url,
            "cache_url": redis_db.url,  # throttles and login limits shared, as in compose
            "search_backend": "postgres",
            "log_level": "warning",
        }
        # With the PostgreSQL backend, migrate also adds the search columns.
        manage(host_env(**common, data_dir=str(tmp_path / "migrate")), tmp_path, "migrate")
        with lwn:
            web: dict[str, int] = {}
            for name in ("web-1", "web-2"):
                env = host_env(**common, data_dir=str(tmp_path / name / "data"))
                host, web[name] = gunicorn(name, env=env, home=tmp_path / name)
                hosts.append(host)
            for name in ("worker-1", "worker-2"):
                env = host_env(
                    **common,
                    data_dir=str(tmp_path / name / "data"),
                    lwn_base_url=lwn.url,
                    fetch_interval="0",
                )
                hosts.append(celery_worker(name, env=env, home=tmp_path / name))
            # Start all four first, then wait: they boot side by side.
            for host in hosts:
                if host.name.startswith("web"):
                    wait_until_serving(host, web[host.name])
                else:
                    wait_until_ready(host)
            yield Site(
                database=database,
                broker_url=redis_db.url,
                web=web,
                workers=[h for h in hosts if h.name.startswith("worker")],
                lwn=lwn,
            )
    finally:
        for host in hosts:
            host.stop()
        if redis_db is not None:
            redis_db.release()
        database.drop()


def search_hits(port: int, word: str) -> list[dict[str, object]]:
    status, body = get_json(port, f"/api/v1/search/?q={word}")
    assert status == 200, (port, status, body)
    hits: list[dict[str, object]] = body["results"]
    assert body["count"] == len(hits)
    return hits


def wait_for_run(site: Site, timeout: float = 30) -> tuple[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for host in site.workers:
            host.alive()
        runs = site.database.rows("SELECT outcome, error FROM articles_importrun")
        if runs and runs[0][0] != "running":
            return runs[0][0], runs[0][1]
        time.sleep(0.1)
    logs = "\n".join(host.output()[-2000:] for host in site.workers)
    raise AssertionError(f"no import run finished in {timeout}s:\n{logs}")


def test_it_finds_an_import_through_both_web_hosts_as_soon_as_it_commits(
    site: Site, word: str
) -> None:
    assert set(site.web) == {"web-1", "web-2"}
    for port in site.web.values():
        assert search_hits(port, word) == []

    client(site.broker_url).send_task("articles.tasks.refresh_comments", args=[ARTICLE])
    outcome, error = wait_for_run(site)
    # No sleep and no retry from here: the import is committed, so both must see it now.
    found = {name: search_hits(port, word) for name, port in site.web.items()}

    assert (outcome, error) == ("ok", "")
    for name, hits in found.items():
        assert [(hit["type"], hit["lwn_id"]) for hit in hits] == [("article", ARTICLE)], name
        assert f"<mark>{word}</mark>" in str(hits[0]["snippet"]), name
    assert site.lwn.paths().count(f"/Articles/{ARTICLE}/") == 1
    # One worker took the import (either may); the other was up and waiting on the broker.
    took = [h.name for h in site.workers if TOOK_IMPORT.search(h.output())]
    assert len(took) == 1, [h.output()[-2000:] for h in site.workers]
