from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
def test_it_serves_static_files_from_the_application_itself(client: Client) -> None:
    """WhiteNoise serves /static/ so gunicorn alone is a complete deployment."""
    response = client.get("/static/articles/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


SWAGGER_OAUTH_PAGE = "/static/drf_spectacular_sidecar/swagger-ui-dist/oauth2-redirect.html"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [SWAGGER_OAUTH_PAGE, "/static/articles/site.css"])
def test_it_sends_the_security_headers_with_static_files(client: Client, path: str) -> None:
    """WhiteNoise answers before most middleware; its answers are framed and scripted like pages."""
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_header_middleware_wraps_every_answer() -> None:
    """Anything placed before it could answer (a redirect, a static file) without the headers."""
    assert settings.MIDDLEWARE[:2] == [
        "lwnkb.security.SecurityHeadersMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
