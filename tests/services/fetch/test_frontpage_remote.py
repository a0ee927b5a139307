"""The lwn.net home page from the network: its address, its import, its headlines' pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from articles.models import Article, ImportOutcome
from articles.services.fetch import LWNFetcher
from articles.services.fetch.remote import frontpage_refresh, pages_queue, teaser_ids
from articles.services.fetch.types import FetchRefused
from tests.conftest import Queued
from tests.faults.services import celery_on
from tests.lwnserver import FakeLWN, Reply
from tests.services.conftest import import_fixture
from tests.services.frontpages import front_page, headline, page_bytes, parsed_as

CAPABILITIES = 821729
REFRESH = "articles.tasks.refresh_comments"
# Nothing listens here: publishing fails as it does when Redis is down.
DEAD_BROKER = "redis://127.0.0.1:9/0"


def test_it_accepts_the_home_page_address_and_still_refuses_others(tmp_path: Path) -> None:
    with LWNFetcher(cache_dir=tmp_path) as fetcher:
        assert fetcher.home_url() == "https://lwn.net/"
        assert fetcher.resolve_source("https://lwn.net/") == "https://lwn.net/"
        assert fetcher.resolve_source("https://lwn.net") == "https://lwn.net/"
        assert fetcher.resolve_source("http://WWW.LWN.NET/#top") == "https://www.lwn.net/"
        for bad in (
            "https://lwn.net.example.com/",
            "https://example.com/?u=https://lwn.net/",
            "https://user@lwn.net/",
            "https://lwn.net:8443/",
            "ftp://lwn.net/",
            "//lwn.net/",
        ):
            with pytest.raises(FetchRefused):
                fetcher.resolve_source(bad)


@pytest.mark.django_db
def test_it_imports_the_home_page_and_queues_the_pages_of_its_teasers(
    fake_lwn: FakeLWN,
    make_fetcher: Callable[..., LWNFetcher],
    monkeypatch: pytest.MonkeyPatch,
    queued: Queued,
) -> None:
    import_fixture("article-2020-capabilities-comments.html")  # its own text is stored
    data = page_bytes("one")
    parsed_as(
        monkeypatch, {data: front_page(headline(1001), headline(CAPABILITIES), headline(1002))}
    )
    fake_lwn.routes["/"] = Reply(body=data, headers={"ETag": '"home-1"'})
    fetcher = make_fetcher()

    run, count = frontpage_refresh(fetcher=fetcher)

    assert run.outcome == ImportOutcome.OK
    assert run.source == f"{fake_lwn.url}/"
    assert Article.objects.filter(teaser=True).count() == 2
    # The article stored from its own page is not fetched again: its comments have
    # their daily refresh.
    assert queued == [(REFRESH, (1002,)), (REFRESH, (1001,))]
    assert count == 2

    # Every import revalidates the home page; unchanged, it is skipped, and the
    # pages still missing are queued again.
    again, _ = frontpage_refresh(fetcher=fetcher)
    assert fake_lwn.requests[-1].headers["if-none-match"] == '"home-1"'
    assert again.outcome == ImportOutcome.SKIPPED
    assert teaser_ids(again) == [1002, 1001]
    assert queued[2:] == [(REFRESH, (1002,)), (REFRESH, (1001,))]


@pytest.mark.django_db
def test_it_records_a_missing_home_page_and_queues_nothing(
    make_fetcher: Callable[..., LWNFetcher], queued: Queued
) -> None:
    run, count = frontpage_refresh(fetcher=make_fetcher())  # the fake site has no "/"

    assert run.outcome == ImportOutcome.FAILED
    assert "does not exist" in run.error
    assert (count, queued) == (0, [])


def test_it_stops_queueing_with_a_warning_when_the_broker_is_away(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        celery_on(DEAD_BROKER),
        caplog.at_level(logging.WARNING, logger="lwnkb.ingest"),
    ):
        count = pages_queue(lwn_ids=[3, 2, 1])

    assert count == 0
    assert "3 article pages not queued (broker unavailable" in caplog.text
