from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.mark.django_db
def test_it_sends_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@override_settings(LOGIN_RATE_LIMIT=3, LOGIN_RATE_WINDOW=120)
def test_it_rate_limits_admin_logins_per_address(client: Client) -> None:
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200
    assert client.get("/admin/login/").status_code == 200  # reading the form is not limited
