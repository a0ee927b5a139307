"""Throttling per address (anonymous) and per account, with Retry-After."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
