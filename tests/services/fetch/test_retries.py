"""The fetcher's retries: 5xx, timeouts, 429 and Retry-After; the errors it never retries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from articles.services.fetch import LWNFetcher
from articles.services.fetch.limits import retry_after
from articles.services.fetch.types import FetchError, FetchNotFound, FetchUnavailable
from tests.lwnserver import FakeLWN, Reply
from tests.services.conftest import PAGE, FakeTime, page


def test_it_retries_a_server_error_then_succeeds(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fake_lwn.routes["/Articles/1/"] = [Reply(500, "oops"), page()]
    fetcher = make_fetcher(backoff=2.0)
    result = fetcher.fetch(fetcher.article_url(1))
    assert result.status == 200
    assert len(fake_lwn.requests) == 2
    assert fake_time.backoffs == [2.0]


def test_it_gives_up_after_its_retries_with_fetch_unavailable(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(502, "bad gateway")
    fetcher = make_fetcher(retries=2, backoff=2.0, jitter=lambda: 1.0)
    with pytest.raises(FetchUnavailable) as caught:
        fetcher.fetch(fetcher.article_url(1))
    assert len(fake_lwn.requests) == 3
    assert fake_time.backoffs == [3.0, 6.0]  # 2 s doubling, plus 50 % jitter at most
    assert caught.value.status == 502
    assert caught.value.url == fetcher.article_url(1)
    assert str(caught.value) == f"giving up on {fetcher.article_url(1)} after 3 attempts: HTTP 502"


def test_it_retries_a_read_timeout(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fake_lwn.routes["/Articles/1/"] = [Reply(200, PAGE, delay=1.0), page()]
    fetcher = make_fetcher(read_timeout=0.2)
    result = fetcher.fetch(fetcher.article_url(1))
    assert result.content == PAGE.encode()
    assert len(fake_lwn.requests) == 2
    assert len(fake_time.backoffs) == 1


def test_it_gives_up_when_nothing_listens(make_fetcher: Callable[..., LWNFetcher]) -> None:
    with FakeLWN() as gone:
        url = gone.url
    fetcher = make_fetcher(base_url=url, retries=1)
    with pytest.raises(FetchUnavailable, match="ConnectError") as caught:
        fetcher.fetch(f"{url}/Articles/1/")
    assert caught.value.status is None


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), ("3600", 60.0)])
def test_it_honours_retry_after_on_429_up_to_a_minute(
    fake_lwn: FakeLWN,
    make_fetcher: Callable[..., LWNFetcher],
    fake_time: FakeTime,
    header: str,
    expected: float,
) -> None:
    fake_lwn.routes["/Articles/1/"] = [Reply(429, "slow down", {"Retry-After": header}), page()]
    fetcher = make_fetcher()
    assert fetcher.fetch(fetcher.article_url(1)).status == 200
    assert fake_time.backoffs == [expected]


def test_it_reads_retry_after_as_an_http_date() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    delay = retry_after(httpx.Response(503, headers={"Retry-After": soon}))
    assert delay is not None
    assert 25 <= delay <= 30
    assert retry_after(httpx.Response(503, headers={"Retry-After": "soon"})) is None
    assert retry_after(httpx.Response(500, headers={"Retry-After": "5"})) is None


def test_it_raises_not_found_for_a_404(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fetcher = make_fetcher()
    with pytest.raises(FetchNotFound):
        fetcher.fetch(fetcher.article_url(404))
    assert len(fake_lwn.requests) == 1
    assert fake_time.backoffs == []


def test_it_never_retries_other_client_errors(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(400, "bad request")
    fetcher = make_fetcher()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(fetcher.article_url(1))
    assert type(caught.value) is FetchError
    assert caught.value.status == 400
    assert len(fake_lwn.requests) == 1
