"""The polite lwn.net fetcher: the only code in lwnkb that talks to LWN over HTTP.

LWN throttles and blocks clients that load it too hard, so every request goes
through :class:`LWNFetcher`, which

- accepts only lwn.net addresses (and, for tests, the host of ``base_url``), also
  after every redirect;
- identifies itself with a configurable User-Agent;
- starts at most one request per ``interval`` seconds in the whole process;
- keeps every page in an on-disk cache and revalidates it with a conditional GET;
- retries timeouts, connection errors, 429 and 5xx with exponential backoff;
- reports LWN's paywall (HTTP 403 or a "Subscription required" page) as a normal
  result with ``subscriber_only=True``, not as an error;
- sends an optional subscriber cookie to LWN only, and never logs or stores it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx

from articles.services.fetch.addresses import (
    DEFAULT_BASE_URL,
    LWNAddresses,
    origin,
)
from articles.services.fetch.cache import CacheEntry, FetchCache
from articles.services.fetch.decode import (
    ACCEPT_ENCODING,
    EncodingRefused,
    TooLarge,
    content_coding,
    decoded,
)
from articles.services.fetch.limits import SHARED_LIMITER, Limiter, backoff_delay, retry_after
from articles.services.fetch.paywall import is_subscription_page, parse_free_on
from articles.services.fetch.types import (
    FetchError,
    FetchNotFound,
    FetchRefused,
    FetchResult,
    FetchTooLarge,
    FetchUnavailable,
)

DEFAULT_USER_AGENT = "lwnkb/0.1 (self-hosted LWN archive; +https://github.com/lwnkb/lwnkb)"

logger = logging.getLogger("lwnkb.fetch")


class LWNFetcher(LWNAddresses):
    """Fetch lwn.net pages politely: allow-listed, rate-limited, cached, retried.

    Build one with :meth:`from_settings` in application code; the keyword-only
    constructor exists for tests and scripts. Use it as a context manager (or call
    :meth:`close`) to release its connections.
    """

    def __init__(
        self,
        *,
        cache_dir: Path | str,
        base_url: str = DEFAULT_BASE_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        interval: float = 1.0,
        cookie: str | None = None,
        max_age: float = 0.0,
        retries: int = 3,
        backoff: float = 2.0,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        max_bytes: int = 20 * 1024 * 1024,
        limiter: Limiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(base_url)
        self.interval = interval
        self.max_age = max_age
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._cookie = cookie or None  # never logged, never cached, never in repr()
        self._cache = FetchCache(Path(cache_dir))
        self._limiter = limiter if limiter is not None else SHARED_LIMITER
        self._sleep = sleep
        self._jitter = jitter
        self._client = httpx.Client(
            # Only the codings .decode can inflate a bounded step at a time.
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True,
            max_redirects=5,
            # LWN's Set-Cookie headers are not kept: the only cookie sent is ours.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            event_hooks={"request": [self._on_request]},
        )

    @classmethod
    def from_settings(cls, **overrides: Any) -> LWNFetcher:
        """A fetcher configured from Django settings (LWN_BASE_URL, LWN_USER_AGENT,
        LWN_REQUEST_INTERVAL, LWN_COOKIE, FETCH_CACHE_DIR, MAX_PAGE_BYTES); keywords override
        them. Prunes the cache folder of pages older than FETCH_CACHE_DAYS, once a day."""
        from django.conf import settings

        # Imported here: the fetcher itself runs without Django (tests, scripts).
        from articles.services.fetch.clock import limiter_for_deployment

        options: dict[str, Any] = {
            "base_url": settings.LWN_BASE_URL,
            "user_agent": settings.LWN_USER_AGENT,
            "interval": settings.LWN_REQUEST_INTERVAL,
            "cookie": settings.LWN_COOKIE or None,
            "cache_dir": settings.FETCH_CACHE_DIR,
            "max_bytes": settings.MAX_PAGE_BYTES,
            "limiter": limiter_for_deployment(),
        }
        options.update(overrides)
        fetcher = cls(**options)
        fetcher._cache.prune_if_due(timedelta(days=settings.FETCH_CACHE_DAYS))
        return fetcher

    def __repr__(self) -> str:
        cookie = "set" if self._cookie else "none"
        return (
            f"LWNFetcher(base_url={self.base_url!r}, cache={self._cache!r}, "
            f"interval={self.interval}, cookie={cookie})"
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __enter__(self) -> LWNFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _on_request(self, request: httpx.Request) -> None:
        # Runs before the first request and before every redirect hop: refuse to leave
        # LWN, and add the cookie here because httpx drops it on each redirect.
        url = str(request.url)
        if not self.is_allowed(url):
            raise FetchRefused(
                f"refusing to follow a redirect to {url}: only lwn.net addresses are allowed",
                url=url,
            )
        found = origin(url)
        secure = found is not None and (found[0] == "https" or found[1:] == self._base_host)
        if self._cookie and secure:
            request.headers["Cookie"] = self._cookie

    # --- fetching --------------------------------------------------------------------

    def fetch(self, url: str, *, max_age: float | None = None) -> FetchResult:
        """Fetch ``url`` (an lwn.net address), from the cache when possible.

        A cached copy younger than ``max_age`` seconds (default: the fetcher's
        ``max_age``, 0 = always revalidate) is returned without any request. Raises
        FetchRefused, FetchNotFound, FetchUnavailable or FetchError; a paywalled page
        is a result with ``subscriber_only=True``.
        """
        url = self.check_url(url)
        entry = self._cache.load(url)
        fresh_for = self.max_age if max_age is None else max_age
        if (
            entry is not None
            and fresh_for > 0
            and entry.meta.age_seconds(datetime.now(UTC)) < fresh_for
        ):
            logger.debug("GET %s served from cache", url)
            return _cached_result(entry, not_modified=False)

        headers: dict[str, str] = {}
        if entry is not None and entry.meta.etag:
            headers["If-None-Match"] = entry.meta.etag
        if entry is not None and entry.meta.last_modified:
            headers["If-Modified-Since"] = entry.meta.last_modified

        status: int | None = None
        reason = ""
        for attempt in range(self.retries + 1):
            response, content, reason = self._send(url, headers)
            status = None if response is None else response.status_code
            if response is not None:
                result = self._handle(url, response, content, entry)
                if result is not None:
                    return result
            if attempt == self.retries:
                break
            delay = retry_after(response) if response is not None else None
            if delay is None:
                delay = self._backoff_delay(attempt)
            logger.warning(
                "GET %s: %s; retry %d/%d in %.1f s", url, reason, attempt + 1, self.retries, delay
            )
            self._sleep(delay)
        attempts = self.retries + 1
        raise FetchUnavailable(
            f"giving up on {url} after {attempts} attempts: {reason}",
            url=url,
            status=status,
            reason=reason,
            attempts=attempts,
        )

    def _send(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response | None, bytes, str]:
        """One network request: (response, its body, "HTTP <status>"), or (None, b"", the error)."""
        self._limiter.wait(self.interval)
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                content = self._body(url, response)
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"too many redirects fetching {url}", url=url) from exc
        except httpx.RequestError as exc:  # timeouts, refused connections, broken replies
            elapsed = (time.monotonic() - started) * 1000
            logger.info("GET %s -> %s after %.0f ms", url, type(exc).__name__, elapsed)
            return None, b"", type(exc).__name__
        elapsed = (time.monotonic() - started) * 1000
        logger.info("GET %s -> %d in %.0f ms", url, response.status_code, elapsed)
        return response, content, f"HTTP {response.status_code}"

    def _body(self, url: str, response: httpx.Response) -> bytes:
        """The decoded body, refused as soon as it passes ``max_bytes``.

        Decoded here, a bounded step at a time (:mod:`.decode`), not by httpx, which
        would inflate a whole network chunk of a gzip bomb before it could be counted.
        """
        try:
            coding = content_coding(response.headers.get("Content-Encoding", ""))
        except EncodingRefused as exc:
            raise FetchError(
                f"{url} answered with {exc}; refused", url=url, status=response.status_code
            ) from exc
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and coding is None and int(declared) > self.max_bytes:
            raise self._too_large(url, response.status_code)
        try:
            return b"".join(decoded(response.iter_raw(), coding, limit=self.max_bytes))
        except TooLarge as exc:
            raise self._too_large(url, response.status_code) from exc
        except EncodingRefused as exc:
            raise FetchError(
                f"{url} answered with {exc}; refused", url=url, status=response.status_code
            ) from exc

    def _too_large(self, url: str, status: int) -> FetchTooLarge:
        return FetchTooLarge(
            f"{url} answered with more than {self.max_bytes:,} bytes, the limit "
            "(LWNKB_MAX_PAGE_BYTES); not downloaded",
            url=url,
            status=status,
        )

    def _handle(
        self, url: str, response: httpx.Response, content: bytes, entry: CacheEntry | None
    ) -> FetchResult | None:
        """The result of a response, None when it is worth retrying, or raise."""
        status = response.status_code
        final_url = str(response.url)
        if status == 304:
            if entry is None:
                raise FetchError(f"{url} answered 304 without a cached copy", url=url, status=304)
            self._cache.touch(entry)
            return _cached_result(entry, not_modified=True)
        if status in (404, 410):
            raise FetchNotFound(f"{url} does not exist (HTTP {status})", url=url, status=status)
        paywall = status == 403 or (200 <= status < 300 and is_subscription_page(content))
        if status == 403 and not is_subscription_page(content):
            logger.warning("GET %s -> 403 without LWN's subscription page", url)
        if paywall or 200 <= status < 300:
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            # Paywall pages are not cached: the full text must be fetched once it is free.
            if not paywall:
                self._cache.store(
                    url,
                    final_url=final_url,
                    status=status,
                    content=content,
                    etag=etag,
                    last_modified=last_modified,
                )
            return FetchResult(
                url=final_url,
                status=status,
                content=content,
                from_cache=False,
                not_modified=False,
                subscriber_only=paywall,
                free_on=parse_free_on(content) if paywall else None,
                etag=etag,
                last_modified=last_modified,
            )
        if status == 429 or status >= 500:
            return None
        raise FetchError(f"{url} answered HTTP {status}", url=url, status=status)

    def _backoff_delay(self, attempt: int) -> float:
        return backoff_delay(attempt, base=self.backoff, jitter=self._jitter())


def _cached_result(entry: CacheEntry, *, not_modified: bool) -> FetchResult:
    meta = entry.meta
    return FetchResult(
        url=meta.final_url,
        status=meta.status,
        content=entry.content,
        from_cache=True,
        not_modified=not_modified,
        subscriber_only=False,
        free_on=None,
        etag=meta.etag,
        last_modified=meta.last_modified,
    )
