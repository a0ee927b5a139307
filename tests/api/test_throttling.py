"""Throttling per address (anonymous) and per account, with Retry-After."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_rates() -> Iterator[None]:
    rates = {"anon": "2/min", "user": "3/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        yield


def test_it_throttles_anonymous_clients_by_address(api: APIClient, tiny_rates: None) -> None:
    assert [api.get(f"{API}/articles/").status_code for _ in range(2)] == [200, 200]
    throttled = api.get(f"{API}/articles/")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Another address has its own allowance.
    assert api.get(f"{API}/articles/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_it_throttles_each_account_at_its_own_rate(
    client_as: Callable[[str], APIClient], tiny_rates: None
) -> None:
    subscriber, curator = client_as("subscriber"), client_as("curator")
    assert [subscriber.get(f"{API}/releases/").status_code for _ in range(3)] == [200] * 3
    response = subscriber.get(f"{API}/releases/")
    assert response.status_code == 429
    assert "Retry-After" in response
    assert curator.get(f"{API}/releases/").status_code == 200


def test_it_uses_the_configured_default_rates() -> None:
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": settings.API_RATE_ANON,
        "user": settings.API_RATE_USER,
    }
    assert settings.API_RATE_ANON == "60/min"
    assert settings.API_RATE_USER == "600/min"


def test_it_can_switch_throttling_off(api: APIClient) -> None:
    off = {"anon": None, "user": None}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": off}
    ):
        assert {api.get(f"{API}/releases/").status_code for _ in range(70)} == {200}


def test_it_ignores_a_forged_forwarded_for(api: APIClient, tiny_rates: None) -> None:
    """Without the proxy setting, a fresh X-Forwarded-For per request buys nothing."""
    statuses = [
        api.get(f"{API}/articles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    # Nor does a list of addresses, or a header without one.
    assert api.get(f"{API}/articles/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8").status_code == 429
    assert api.get(f"{API}/articles/", HTTP_X_FORWARDED_FOR="").status_code == 429


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_it_counts_the_address_the_documented_proxy_reports(
    api: APIClient, tiny_rates: None
) -> None:
    def get(forwarded: str) -> int:
        return api.get(f"{API}/articles/", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    assert get("192.0.2.1, 203.0.113.5") == 429
    assert get("203.0.113.5, 203.0.113.6") == 200


SEARCH_PAGE = "/search/?q=kernel"
SEARCH_FEED = "/feeds/search/?q=kernel"


@pytest.mark.parametrize("path", [SEARCH_PAGE, SEARCH_FEED])
def test_it_throttles_the_search_page_and_feed_like_the_api(
    api: APIClient, tiny_rates: None, path: str
) -> None:
    statuses = [api.get(path, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(2)]
    assert 429 not in statuses
    throttled = api.get(path, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled["Content-Type"].startswith("text/plain")
    assert b"Too many requests" in throttled.content
    assert api.get(path, REMOTE_ADDR="192.0.2.7").status_code != 429


def test_the_api_search_page_and_feed_share_one_allowance(api: APIClient, tiny_rates: None) -> None:
    """Spreading requests over the three surfaces that search gains nothing."""
    assert api.get(f"{API}/articles/").status_code == 200
    assert api.get(SEARCH_PAGE).status_code != 429
    assert api.get(SEARCH_FEED).status_code == 429
    assert api.get(f"{API}/articles/").status_code == 429


def test_it_does_not_count_the_empty_search_form(api: APIClient, tiny_rates: None) -> None:
    assert {api.get("/search/").status_code for _ in range(5)} == {200}


def test_it_throttles_a_signed_in_reader_at_the_account_rate(
    client_as: Callable[[str], APIClient], tiny_rates: None
) -> None:
    subscriber = client_as("subscriber")
    assert 429 not in [subscriber.get(SEARCH_PAGE).status_code for _ in range(3)]
    assert subscriber.get(SEARCH_PAGE).status_code == 429
    assert client_as("curator").get(SEARCH_PAGE).status_code != 429


def ratelimit(response: Any) -> tuple[int, int, int]:
    return (
        int(response["RateLimit-Limit"]),
        int(response["RateLimit-Remaining"]),
        int(response["RateLimit-Reset"]),
    )


@pytest.mark.parametrize("path", [f"{API}/articles/", f"{API}/search/?q=kernel", f"{API}/"])
def test_it_tells_a_client_where_it_stands_in_ratelimit_headers(
    path: str, api: APIClient, tiny_rates: None
) -> None:
    first, second, refused = (api.get(path) for _ in range(3))
    assert ratelimit(first)[:2] == (2, 1)
    assert ratelimit(second)[:2] == (2, 0)
    assert refused.status_code == 429
    limit, remaining, reset = ratelimit(refused)
    assert (limit, remaining) == (2, 0)
    # Reset is when the oldest counted request leaves the minute's window.
    assert 0 < reset <= 60
    assert abs(reset - int(refused["Retry-After"])) <= 1


def test_it_gives_a_signed_in_reader_the_accounts_allowance(
    client_as: Callable[[str], APIClient], tiny_rates: None
) -> None:
    response = client_as("subscriber").get(f"{API}/releases/")
    assert ratelimit(response)[:2] == (3, 2)


@pytest.mark.parametrize("path", [SEARCH_PAGE, SEARCH_FEED])
def test_it_adds_ratelimit_headers_to_the_search_page_and_feed(
    path: str, api: APIClient, tiny_rates: None
) -> None:
    assert ratelimit(api.get(path))[:2] == (2, 1)
    api.get(path)
    refused = api.get(path)
    assert refused.status_code == 429
    assert ratelimit(refused)[:2] == (2, 0)


def test_it_sends_no_ratelimit_headers_where_nothing_is_throttled(api: APIClient) -> None:
    off = {"anon": None, "user": None}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": off}
    ):
        assert "RateLimit-Limit" not in api.get(f"{API}/releases/")
    # Pages that run no search are not throttled, so they say nothing either.
    assert "RateLimit-Limit" not in api.get("/search/")
