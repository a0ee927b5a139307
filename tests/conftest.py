"""Shared fixtures: personas, service guards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.test import override_settings

pytest_plugins = ["tests.browser_fixtures"]

IN_CI = os.environ.get("CI", "").lower() == "true"
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_sessionstart(session: pytest.Session) -> None:
    # In CI a missing service must fail the run, never turn into skipped tests.
    if IN_CI and os.environ.get("LWNKB_TEST_DB", "").lower() != "sqlite":
        url = os.environ.get("LWNKB_DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise pytest.UsageError("CI=true requires LWNKB_DATABASE_URL to point at PostgreSQL")
    if IN_CI and not os.environ.get("LWNKB_TEST_BROKER_URL"):
        raise pytest.UsageError("CI=true requires LWNKB_TEST_BROKER_URL (a real Redis broker)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, plus the postgres search backend's opt-in full-text columns.

    The database is migrated under the default (whoosh) settings, which leave them out;
    the search tests run on both backends, so add them once for the session.
    """
    from django.db import connection

    from articles.search.pg.ddl import search_columns_ensure

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            search_columns_ensure()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache, so API throttle counters never carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_search_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Committed imports update the search index; keep every test's index out of var/.

    The folder is only created if a test writes to the index.
    """
    with override_settings(INDEX_DIR=tmp_path_factory.getbasetemp() / "index" / uuid.uuid4().hex):
        yield


@pytest.fixture
def broker_url() -> str:
    """The real Redis broker for Celery tests; fails (never skips) when absent."""
    url = os.environ.get("LWNKB_TEST_BROKER_URL", "")
    if not url:
        pytest.fail("no Redis broker: run the suite through `make test` with Redis on :6379")
    return url


@pytest.fixture
def tmp_data_dir(tmp_path: Path) -> Iterator[Path]:
    """Point DATA_DIR and INDEX_DIR at a fresh folder for one test."""
    with override_settings(
        DATA_DIR=tmp_path, INDEX_DIR=tmp_path / "index", FETCH_CACHE_DIR=tmp_path / "cache"
    ):
        yield tmp_path


def _user(username: str, *perms: str, **flags: Any) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, **flags)
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)  # fresh instance: permission caches start empty


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def subscriber(db: None) -> User:
    return _user("sam_subscriber", "view_subscriber_content")


@pytest.fixture
def curator(db: None) -> User:
    return _user("cora_curator", "view_subscriber_content", "curate_content")


@pytest.fixture
def staff(db: None) -> User:
    return _user("stella_staff", is_staff=True, is_superuser=True)
