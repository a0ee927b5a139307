from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_it_runs_on_the_database_the_suite_was_started_for() -> None:
    """`make test` picks PostgreSQL when it answers; CI insists on it."""
    url = os.environ.get("LWNKB_DATABASE_URL", "")
    expected = "postgresql" if url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected
