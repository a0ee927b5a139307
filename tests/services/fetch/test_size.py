"""The fetcher stops downloading at ``max_bytes``; imports record what was refused."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from articles.models import ImportOutcome, ImportRun
from articles.services.fetch import LWNFetcher
from articles.services.fetch.remote import article_import_remote, edition_import_remote
from articles.services.fetch.types import FetchError, FetchTooLarge
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


def _bomb(decoded_size: int, *, layers: int = 1) -> bytes:
    """``decoded_size`` zero bytes, gzipped ``layers`` times, without holding them all."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    body = b"".join(packer.compress(block) for _ in range(decoded_size // len(block)))
    body += packer.flush()
    for _ in range(layers - 1):
        body = gzip.compress(body)
    return body


@pytest.mark.parametrize("encoding", ["gzip, gzip", "gzip, gzip, gzip", "deflate, gzip"])
def test_it_refuses_stacked_content_encodings(
    fetcher: LWNFetcher, fake_lwn: FakeLWN, cache_dir: Path, encoding: str
) -> None:
    body = gzip.compress(gzip.compress(_page(100)))
    fake_lwn.routes["/Articles/1/"] = Reply(body=body, headers={"Content-Encoding": encoding})

    with pytest.raises(FetchError, match=r"stacked content encodings.*refused"):
        fetcher.fetch(fetcher.article_url(1))
    assert not cache_files(cache_dir)
    assert len(fake_lwn.requests) == 1


def test_it_refuses_an_encoding_it_did_not_ask_for(fetcher: LWNFetcher, fake_lwn: FakeLWN) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(body=b"x", headers={"Content-Encoding": "br"})

    with pytest.raises(FetchError, match="'br' was not asked for"):
        fetcher.fetch(fetcher.article_url(1))
    assert fake_lwn.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("layers", [1, 3])
def test_it_stops_a_gzip_bomb_at_the_limit_without_inflating_it(
    make_fetcher: Callable[..., LWNFetcher], fake_lwn: FakeLWN, layers: int
) -> None:
    """200 MB of zeros in ~200 KB (or far less, gzipped thrice): memory stays near the limit."""
    fetcher = make_fetcher(retries=0, max_bytes=1024 * 1024)
    encoding = ", ".join(["gzip"] * layers)
    fake_lwn.routes["/Articles/1/"] = Reply(
        body=_bomb(200 * 1024 * 1024, layers=layers), headers={"Content-Encoding": encoding}
    )

    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as raised:
            fetcher.fetch(fetcher.article_url(1))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if layers == 1:
        assert isinstance(raised.value, FetchTooLarge)
    assert peak < 16 * 1024 * 1024, f"peak {peak:,} bytes while refusing a gzip bomb"


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
        ("identity", lambda data: data),
    ],
)
def test_it_decodes_one_content_coding(
    fetcher: LWNFetcher, fake_lwn: FakeLWN, encoding: str, pack: Callable[[bytes], bytes]
) -> None:
    page = _page(LIMIT)
    fake_lwn.routes["/Articles/1/"] = Reply(body=pack(page), headers={"Content-Encoding": encoding})

    assert fetcher.fetch(fetcher.article_url(1)).content == page


def test_it_refuses_damaged_gzip(fetcher: LWNFetcher, fake_lwn: FakeLWN) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(body=b"not gzip", headers={"Content-Encoding": "gzip"})

    with pytest.raises(FetchError, match="damaged gzip data"):
        fetcher.fetch(fetcher.article_url(1))
