"""The fetcher stops downloading at ``max_bytes``; imports record what was refused."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from articles.models import ImportOutcome, ImportRun
from articles.services.fetch import LWNFetcher
from articles.services.fetch.remote import article_import_remote, edition_import_remote
from articles.services.fetch.types import FetchTooLarge
from tests.lwnserver import FakeLWN, Reply
from tests.services.conftest import cache_files

LIMIT = 4096


@pytest.fixture
def fetcher(make_fetcher: Callable[..., LWNFetcher]) -> LWNFetcher:
    return make_fetcher(retries=0, max_bytes=LIMIT)


def _page(size: int) -> bytes:
    head = b"<html><body><p>"
    return head + b"x" * (size - len(head))


def test_it_accepts_a_page_of_exactly_the_limit(fetcher: LWNFetcher, fake_lwn: FakeLWN) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(body=_page(LIMIT))

    assert len(fetcher.fetch(fetcher.article_url(1)).content) == LIMIT


def test_it_refuses_a_larger_page_and_caches_nothing(
    fetcher: LWNFetcher, fake_lwn: FakeLWN, cache_dir: Path
) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(body=_page(LIMIT + 1))

    with pytest.raises(FetchTooLarge, match=r"more than 4,096 bytes.*LWNKB_MAX_PAGE_BYTES"):
        fetcher.fetch(fetcher.article_url(1))
    assert not cache_files(cache_dir)
    assert len(fake_lwn.requests) == 1  # refused, not retried


def test_it_counts_the_decompressed_size_of_a_gzipped_answer(
    fetcher: LWNFetcher, fake_lwn: FakeLWN
) -> None:
    bomb = gzip.compress(_page(LIMIT * 50))  # a few hundred bytes on the wire
    assert len(bomb) < LIMIT
    fake_lwn.routes["/Articles/1/"] = Reply(body=bomb, headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchTooLarge):
        fetcher.fetch(fetcher.article_url(1))


@pytest.mark.django_db
def test_it_records_a_too_large_edition_or_article_as_a_failed_import(
    fetcher: LWNFetcher, fake_lwn: FakeLWN
) -> None:
    fake_lwn.routes["/Articles/822335/bigpage"] = Reply(body=_page(LIMIT * 2))
    fake_lwn.routes["/Articles/821729/"] = Reply(body=_page(LIMIT * 2))

    (edition_run,) = edition_import_remote(fetcher=fetcher, lwn_id=822335)
    article_run = article_import_remote(fetcher=fetcher, lwn_id=821729)

    for run in (edition_run, article_run):
        assert run.outcome == ImportOutcome.FAILED
        assert "LWNKB_MAX_PAGE_BYTES" in run.error
    assert ImportRun.objects.count() == 2


@pytest.mark.django_db
def test_it_records_an_edition_that_does_not_exist_as_a_failed_import(
    fetcher: LWNFetcher,
) -> None:
    (run,) = edition_import_remote(fetcher=fetcher, lwn_id=404)

    assert run.outcome == ImportOutcome.FAILED
    assert "does not exist" in run.error
