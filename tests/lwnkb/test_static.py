from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_serves_static_files_from_the_application_itself(client: Client) -> None:
    """WhiteNoise serves /static/ so gunicorn alone is a complete deployment."""
    response = client.get("/static/articles/site.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
