"""The index folder is deleted or damaged: search degrades clearly, the rest works, repair works.

Each case damages the on-disk whoosh index of a small indexed archive in one
way a disk, a person or a crash could, then checks every way in: the
search page, the search API and feed (503 with a message saying what
happened), the pages that do not need the index (200), then
``lwn_reindex`` and search again.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from articles import search
from articles.search import repair as search_repair
from articles.search.whoosh import index
from tests.celery_worker import wait_for
from tests.factories import ArticleFactory, CommentFactory, EditionFactory
from tests.faults.services import RedisServer, celery_on, free_port, index_worker

pytestmark = pytest.mark.django_db

EDITION, ARTICLE = 870001, 870002
QUERY = "CAP_PERFMON"


def current() -> Path:
    directory = index.current_generation(Path(settings.INDEX_DIR))
    assert directory is not None
    return directory


def segment_files() -> list[Path]:
    return [p for p in current().iterdir() if p.is_file() and p.name != index.VERSION_FILE]


def garble(path: Path) -> None:
    path.write_bytes(b"\x00not an index\xff" * max(1, path.stat().st_size // 14))


def delete_folder() -> None:
    shutil.rmtree(settings.INDEX_DIR)


def delete_generation() -> None:
    shutil.rmtree(current())


def empty_folder() -> None:
    for path in current().iterdir():
        path.unlink()


def garble_all() -> None:
    for path in segment_files():
        garble(path)


def truncate_all() -> None:
    for path in segment_files():
        path.write_bytes(b"")


def garble_postings() -> None:
    """Only the data searches read; the table of contents still opens."""
    for path in segment_files():
        if not path.name.endswith(".toc") and "_LOCK" not in path.name:
            garble(path)


def cut_postings_short() -> None:
    for path in segment_files():
        if not path.name.endswith(".toc"):
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def delete_table_of_contents() -> None:
    for path in current().glob("*.toc"):
        path.unlink()


def garble_pointer() -> None:
    (Path(settings.INDEX_DIR) / index.POINTER).write_text("../../etc\n")


def garble_version() -> None:
    (current() / index.VERSION_FILE).write_text("not a number\n")


DAMAGE: dict[str, Callable[[], None]] = {
    f.__name__: f
    for f in (
        delete_folder,
        delete_generation,
        empty_folder,
        garble_all,
        truncate_all,
        garble_postings,
        cut_postings_short,
        delete_table_of_contents,
        garble_pointer,
        garble_version,
    )
}


@pytest.fixture
def archive(tmp_data_dir: Path) -> Iterator[None]:
    # Whoosh: the backend with an index on disk to lose.
    with override_settings(SEARCH_BACKEND="whoosh"):
        edition = EditionFactory(lwn_id=EDITION)
        article = ArticleFactory(
            lwn_id=ARTICLE,
            edition=edition,
            title="Watching performance without root",
            body_text=f"A new capability, {QUERY}, lets a profiler read events unprivileged.",
        )
        ArticleFactory(edition=edition, title="Scheduler notes", body_text="Runqueues, again.")
        CommentFactory(article=article, body_text=f"Finally, {QUERY} for my tracing tools.")
        search.index_rebuild()
        yield


def found(client: Client) -> bool:
    response = client.get(f"/search/?q={QUERY}")
    return response.status_code == 200 and f"/articles/{ARTICLE}/" in response.content.decode()


@pytest.mark.parametrize("damage", DAMAGE)
def test_it_degrades_search_keeps_the_site_up_and_lwn_reindex_repairs(
    archive: None, client: Client, damage: str
) -> None:
    assert found(client)
    DAMAGE[damage]()

    page = client.get(f"/search/?q={QUERY}")
    assert page.status_code == 503
    body = page.content.decode()
    assert "Search is unavailable" in body or "Search is being rebuilt" in body
    assert "the rest of the site works" in body
    assert 'role="alert"' in body
    api = client.get(f"/api/v1/search/?q={QUERY}")
    assert api.status_code == 503
    assert api.headers["Retry-After"]
    assert api.json()["detail"].startswith("Search is")
    assert client.get(f"/feeds/search/?q={QUERY}").status_code == 503
    # Everything that reads the database, not the index, carries on.
    for url in ("/", f"/editions/{EDITION}/", f"/articles/{ARTICLE}/", "/api/v1/articles/"):
        assert client.get(url).status_code == 200, url

    out = io.StringIO()
    call_command("lwn_reindex", stdout=out, stderr=io.StringIO())

    assert "rebuilt the search index" in out.getvalue()
    assert found(client)
    assert client.get(f"/api/v1/search/?q={QUERY}").json()["count"] >= 1


def index_gone() -> bool:
    return index.current_generation(Path(settings.INDEX_DIR)) is None


def test_it_never_rebuilds_inside_a_search_request_without_a_broker(
    archive: None, client: Client
) -> None:
    # Tasks run inline here: a rebuild of a large archive would hold the request for minutes.
    delete_folder()
    assert client.get(f"/search/?q={QUERY}").status_code == 503
    assert index_gone()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_it_queues_one_rebuild_from_searches_and_a_worker_repairs_the_index(
    archive: None, redis_server: RedisServer, tmp_path: Path
) -> None:
    delete_folder()
    client = Client()
    with celery_on(redis_server.url):
        for url in ("/search/", "/api/v1/search/", "/feeds/search/", "/search/"):
            assert client.get(f"{url}?q={QUERY}").status_code == 503, url
        # One rebuild for all those searches, waiting on the index queue; none ran here.
        assert redis.Redis.from_url(redis_server.url).llen("index") == 1
        assert index_gone()
        with index_worker("repair", broker_url=redis_server.url, tmp_path=tmp_path) as worker:
            wait_for(
                lambda: found(client),
                timeout=60,
                what=f"the rebuilt index\n{worker.output()[-3000:]}",
            )


def test_it_asks_again_at_the_next_search_when_the_broker_was_away(archive: None) -> None:
    delete_folder()
    with celery_on(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        assert Client().get(f"/search/?q={QUERY}").status_code == 503
        assert cache.get(search_repair._ASKED) is None
        assert not search_repair.index_repair_request(reason="missing")
        assert cache.get(search_repair._ASKED) is None
