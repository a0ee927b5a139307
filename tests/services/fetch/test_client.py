"""The polite fetcher against a real local server that imitates lwn.net (no mocks)."""

from __future__ import annotations

import gzip
import json
import logging
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from django.test import override_settings

from articles.services.fetch import LWNFetcher
from articles.services.fetch import client as fetch_client
from articles.services.fetch.limits import RateLimiter
from articles.services.fetch.paywall import parse_free_on
from articles.services.fetch.types import FetchNotFound, FetchRefused
from tests.lwnserver import FakeLWN, Recorded, Reply, subscription_page
from tests.services.conftest import ETAG, LAST_MODIFIED, PAGE, UA, FakeTime, cache_files, page

COOKIE = "LWNSession=s3cr3t-c00kie-value"


def test_it_sends_its_user_agent(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    fake_lwn.routes["/Articles/1/"] = page()
    fetcher = make_fetcher()
    result = fetcher.fetch(fetcher.article_url(1))
    assert result.status == 200
    assert result.content == PAGE.encode()
    assert not result.from_cache
    assert not result.subscriber_only
    assert fake_lwn.requests[0].headers["user-agent"] == UA


def test_it_waits_the_interval_between_network_requests(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fake_lwn.routes.update({"/Articles/1/": page(), "/Articles/2/": page(), "/current/": page()})
    fetcher = make_fetcher(interval=1.5)
    fetcher.fetch(fetcher.article_url(1))
    assert fake_time.waits == []  # the first request goes at once
    fetcher.fetch(fetcher.article_url(2))
    assert fake_time.waits == [1.5]
    fake_time.now += 1.0  # time spent elsewhere counts towards the interval
    fetcher.fetch(fetcher.current_url())
    assert fake_time.waits == [1.5, pytest.approx(0.5)]


def test_it_shares_one_rate_limit_between_all_fetchers(
    fake_lwn: FakeLWN,
    make_fetcher: Callable[..., LWNFetcher],
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        fetch_client, "SHARED_LIMITER", RateLimiter(clock=fake_time.clock, sleep=fake_time.wait)
    )
    fake_lwn.routes.update({"/Articles/1/": page(), "/Articles/2/": page()})
    first, second = make_fetcher(limiter=None), make_fetcher(limiter=None)
    first.fetch(first.article_url(1))
    second.fetch(second.article_url(2))
    assert fake_time.waits == [1.0]


def test_it_serves_a_fresh_cache_entry_without_the_network_or_waiting(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime
) -> None:
    fake_lwn.routes["/Articles/1/"] = page()
    fetcher = make_fetcher(max_age=3600)
    fetcher.fetch(fetcher.article_url(1))
    again = fetcher.fetch(fetcher.article_url(1))
    assert again.from_cache
    assert not again.not_modified
    assert again.content == PAGE.encode()
    assert len(fake_lwn.requests) == 1
    assert fake_time.waits == []


def test_it_revalidates_with_a_conditional_get_and_keeps_the_cached_body(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], cache_dir: Path
) -> None:
    fake_lwn.routes["/Articles/1/"] = page()
    fetcher = make_fetcher()
    first = fetcher.fetch(fetcher.article_url(1))
    assert (first.etag, first.last_modified) == (ETAG, LAST_MODIFIED)

    again = fetcher.fetch(fetcher.article_url(1))

    conditional = fake_lwn.requests[1].headers
    assert conditional["if-none-match"] == ETAG
    assert conditional["if-modified-since"] == LAST_MODIFIED
    assert again.not_modified  # only a 304 sets it: the body was not sent again
    assert again.from_cache
    assert (again.status, again.content, again.etag) == (200, PAGE.encode(), ETAG)
    meta_file, body_file = (
        next(cache_dir.rglob("*.json")),
        next(cache_dir.rglob("*.body.gz")),
    )
    meta = json.loads(meta_file.read_text())
    assert meta["url"] == fetcher.article_url(1)
    assert (meta["status"], meta["etag"], meta["last_modified"]) == (200, ETAG, LAST_MODIFIED)
    assert datetime.fromisoformat(meta["fetched_at"]).tzinfo is not None
    assert gzip.decompress(body_file.read_bytes()) == PAGE.encode()
    assert [p.name for p in cache_files(cache_dir)] == [body_file.name, meta_file.name]


def test_it_downloads_again_when_the_cache_entry_is_damaged(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], cache_dir: Path
) -> None:
    fake_lwn.routes["/Articles/1/"] = page()
    fetcher = make_fetcher()
    fetcher.fetch(fetcher.article_url(1))
    next(cache_dir.rglob("*.body.gz")).write_bytes(b"not gzip")
    result = fetcher.fetch(fetcher.article_url(1))
    assert "if-none-match" not in fake_lwn.requests[1].headers
    assert (result.from_cache, result.content) == (False, PAGE.encode())


def test_it_still_fetches_when_the_cache_cannot_be_written(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    fake_lwn.routes["/Articles/1/"] = page()
    fetcher = make_fetcher(cache_dir=blocked)
    for _ in range(2):
        assert fetcher.fetch(fetcher.article_url(1)).content == PAGE.encode()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "https://lwn.net.example.com/Articles/1/",
        "https://user:pw@lwn.net/Articles/1/",
        "ftp://lwn.net/Articles/1/",
        "https://lwn.net:8443/Articles/1/",
        "http://127.0.0.1:9/Articles/1/",
        "/Articles/1/",
    ],
)
def test_it_refuses_other_hosts_before_any_request(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], fake_time: FakeTime, url: str
) -> None:
    fetcher = make_fetcher()
    with pytest.raises(FetchRefused) as caught:
        fetcher.fetch(url)
    assert str(caught.value) == f"refusing to fetch {url}: only lwn.net addresses are allowed"
    assert fake_lwn.requests == []
    assert fake_time.waits == []


def test_it_refuses_a_redirect_off_lwn(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    # localhost is the same server under another name: it must not see the request.
    elsewhere = f"http://localhost:{fake_lwn.port}/landed"
    fake_lwn.routes["/Articles/1/"] = Reply(302, "", {"Location": elsewhere})
    fake_lwn.routes["/landed"] = page()
    fetcher = make_fetcher(cookie=COOKIE)
    with pytest.raises(FetchRefused, match="refusing to follow a redirect to http://localhost"):
        fetcher.fetch(fetcher.article_url(1))
    assert fake_lwn.paths() == ["/Articles/1/"]


def test_it_follows_a_redirect_within_lwn_and_reports_the_final_url(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    fake_lwn.routes["/current/"] = Reply(302, "", {"Location": "/Articles/822335/"})
    fake_lwn.routes["/Articles/822335/"] = page()
    fetcher = make_fetcher(cookie=COOKIE)
    result = fetcher.fetch(fetcher.current_url())
    assert result.url == fetcher.article_url(822335)
    assert [r.headers.get("cookie") for r in fake_lwn.requests] == [COOKIE, COOKIE]


@pytest.mark.parametrize("status", [403, 200])
def test_it_reports_the_subscription_page_as_subscriber_only(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher], cache_dir: Path, status: int
) -> None:
    fake_lwn.routes["/Articles/783673/"] = Reply(status, subscription_page(), {"ETag": ETAG})
    fetcher = make_fetcher()
    result = fetcher.fetch(fetcher.article_url(783673))
    assert result.subscriber_only
    assert result.free_on == date(2019, 4, 4)
    assert result.status == status
    assert b"Subscription required" in result.content
    assert not result.from_cache
    # Not cached: the full text must be fetched once it is free.
    assert cache_files(cache_dir) == []
    fetcher.fetch(fetcher.article_url(783673))
    assert "if-none-match" not in fake_lwn.requests[1].headers


def test_it_treats_any_403_as_subscriber_only_without_a_free_date(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    fake_lwn.routes["/Articles/1/"] = Reply(403, subscription_page(free_on=None))
    fetcher = make_fetcher()
    result = fetcher.fetch(fetcher.article_url(1))
    assert (result.subscriber_only, result.free_on) == (True, None)


def test_it_sends_the_cookie_but_never_logs_caches_or_shows_it(
    fake_lwn: FakeLWN,
    make_fetcher: Callable[..., LWNFetcher],
    cache_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # "lwnkb" does not propagate to the root logger, so listen on it directly; the root
    # level also catches what httpx and httpcore log.
    fetch_logger = logging.getLogger("lwnkb.fetch")
    fetch_logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="lwnkb.fetch")
    fake_lwn.routes.update(
        {
            "/Articles/1/": page(),
            "/Articles/2/": [Reply(500, "oops"), page()],
            "/Articles/3/": Reply(403, subscription_page()),
        }
    )
    try:
        fetcher = make_fetcher(cookie=COOKIE)
        results = [fetcher.fetch(fetcher.article_url(n)) for n in (1, 1, 2, 3)]
        with pytest.raises(FetchNotFound) as caught:
            fetcher.fetch(fetcher.article_url(4))
    finally:
        fetch_logger.removeHandler(caplog.handler)

    assert {r.headers.get("cookie") for r in fake_lwn.requests} == {COOKIE}
    secret = COOKIE.split("=", 1)[1]
    assert caplog.records, "the fetcher logs its requests"
    assert any(r.name == "lwnkb.fetch" and r.levelno == logging.WARNING for r in caplog.records)
    for record in caplog.records:
        assert secret not in record.getMessage()
    assert secret not in caplog.text
    for path in cache_files(cache_dir):
        data = path.read_bytes()
        assert secret.encode() not in (gzip.decompress(data) if path.suffix == ".gz" else data)
    assert secret not in repr(fetcher)
    assert "cookie=set" in repr(fetcher)
    for result in results:
        assert secret not in repr(result)
        assert "Text</body>" not in repr(result)  # the body stays out of repr too
    assert secret not in str(caught.value)


def test_it_never_sends_back_cookies_that_lwn_sets(
    fake_lwn: FakeLWN, make_fetcher: Callable[..., LWNFetcher]
) -> None:
    fake_lwn.routes["/Articles/1/"] = page(**{"Set-Cookie": "tracker=1; Path=/"})
    fake_lwn.routes["/Articles/2/"] = page()
    fetcher = make_fetcher()
    fetcher.fetch(fetcher.article_url(1))
    fetcher.fetch(fetcher.article_url(2))
    assert "cookie" not in fake_lwn.requests[1].headers


def test_it_builds_lwn_addresses(tmp_path: Path) -> None:
    with LWNFetcher(cache_dir=tmp_path) as fetcher:
        assert fetcher.article_url(822335) == "https://lwn.net/Articles/822335/"
        assert fetcher.bigpage_url(822335) == "https://lwn.net/Articles/822335/bigpage"
        assert fetcher.current_url() == "https://lwn.net/current/"
        assert fetcher.resolve_source(" 822335 ") == "https://lwn.net/Articles/822335/"
        assert fetcher.resolve_source("lwn.net/Articles/1/") == "https://lwn.net/Articles/1/"
        assert (
            fetcher.resolve_source("http://WWW.LWN.NET/Articles/1/?format=printable#Comments")
            == "https://www.lwn.net/Articles/1/?format=printable"
        )
        for bad in ("0", "https://example.com/Articles/1/", "hello", ""):
            with pytest.raises(FetchRefused):
                fetcher.resolve_source(bad)


def test_it_builds_from_django_settings(tmp_path: Path) -> None:
    with (
        override_settings(
            LWN_BASE_URL="https://lwn.net",
            LWN_USER_AGENT=UA,
            LWN_REQUEST_INTERVAL=2.5,
            LWN_COOKIE=COOKIE,
            FETCH_CACHE_DIR=tmp_path / "cache",
        ),
        LWNFetcher.from_settings(max_age=60) as fetcher,
    ):
        assert (fetcher.interval, fetcher.max_age) == (2.5, 60)
        assert repr(fetcher) == (
            f"LWNFetcher(base_url='https://lwn.net', cache=FetchCache('{tmp_path / 'cache'}'), "
            "interval=2.5, cookie=set)"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Alternatively, this item will become freely available on April 4, 2019)", (2019, 4, 4)),
        ("will become freely available\n  on Sept 5, 2024)", (2024, 9, 5)),
        ("freely available on February 30, 2020", None),
        ("freely available on Ma 3, 2020", None),
        ("no date here", None),
    ],
)
def test_it_parses_the_free_date(text: str, expected: tuple[int, int, int] | None) -> None:
    assert parse_free_on(text.encode()) == (date(*expected) if expected else None)


def test_it_records_what_the_fake_server_saw(fake_lwn: FakeLWN) -> None:
    """The fake server itself: routes, 404 for unknown paths, the request log."""
    fake_lwn.routes["/x"] = lambda request: Reply(201, request.path)
    before = time.monotonic()
    with httpx.Client(base_url=fake_lwn.url) as client:
        assert client.get("/x?y=1").status_code == 201
        assert client.get("/nowhere").status_code == 404
    first = fake_lwn.requests[0]
    assert first == Recorded("GET", "/x?y=1", first.headers, first.at)
    assert before <= first.at <= fake_lwn.requests[1].at <= time.monotonic()
    assert fake_lwn.paths() == ["/x?y=1", "/nowhere"]
