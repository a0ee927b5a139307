"""``POST /api/v1/auth/token/``: a password for a token, at the login form's rate."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import API

pytestmark = pytest.mark.django_db
TOKEN = f"{API}/auth/token/"


def credentials(user: User) -> dict[str, str]:
    return {"username": user.username, "password": f"pw-{user.username}"}  # the personas'


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()  # the throttle counts per client address, across tests


def test_it_gives_the_accounts_token_for_its_password(api: APIClient, curator: User) -> None:
    response = api.post(TOKEN, credentials(curator), format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=curator).key}
    again = api.post(TOKEN, credentials(curator), format="json")
    assert again.json() == response.json()  # the same token each time


def test_the_token_opens_the_write_side(api: APIClient, curator: User, queued: object) -> None:
    key = api.post(TOKEN, credentials(curator)).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(f"{API}/actions/import/", {"lwn_id": 822335}, format="json")
    assert response.status_code == 202


@pytest.mark.parametrize(
    "body",
    [
        {"username": "cora_curator", "password": "wrong"},
        {"username": "nobody", "password": "pw-cora_curator"},
        {"username": "cora_curator"},
        {},
    ],
)
def test_it_refuses_wrong_or_missing_credentials(
    body: dict[str, str], api: APIClient, curator: User
) -> None:
    response = api.post(TOKEN, body, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_it_refuses_an_inactive_account(api: APIClient, curator: User) -> None:
    curator.is_active = False
    curator.save()
    response = api.post(TOKEN, credentials(curator), format="json")
    assert response.status_code == 400


def test_it_allows_only_post(api: APIClient) -> None:
    assert api.get(TOKEN).status_code == 405


@override_settings(LOGIN_RATE_LIMIT=3, LOGIN_RATE_WINDOW=120)
def test_it_limits_attempts_per_client_address(api: APIClient, curator: User) -> None:
    for _ in range(3):
        assert api.post(TOKEN, {"username": curator.username, "password": "x"}).status_code == 400
    refused = api.post(TOKEN, credentials(curator))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 120
    other = APIClient(REMOTE_ADDR="192.0.2.7")  # another address has its own allowance
    ok = other.post(TOKEN, credentials(curator))
    assert ok.status_code == 200
