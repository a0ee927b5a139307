"""Shared fixtures: personas, service guards, and what each xdist worker keeps to itself.

Under pytest-xdist (``make test``) every worker ``gwN`` has its own test database
(pytest-django adds ``_gwN`` to its name), its own index and fetch-cache folders
(under the worker's own basetemp) and its own Redis database for the Celery tests
(see ``worker_broker_url``), so no test can see another worker's rows, files or
messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.test import override_settings
from django.utils import timezone

pytest_plugins = ["tests.browser_fixtures"]

IN_CI = os.environ.get("CI", "").lower() == "true"
FIXTURES = Path(__file__).parent / "fixtures"


# A key in each test run's Redis database naming the process that uses it; another
# run (or the multi-host test's claim, tests/multihost/hosts.py) makes it a usage error.
OWNER_KEY = "lwnkb:test:owner"
MULTIHOST_CLAIM = "lwnkb:multihost:claim"
_claimed: list[tuple[redis.Redis, str]] = []


def worker_number() -> int:
    """N for xdist's worker ``gwN``; 0 in a serial run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def worker_broker_url(base_url: str, number: int) -> str:
    """Worker N's Redis database: the base URL's database number minus N (15, 14, 13…).

    Database 0 (``make worker``'s default) is never used; too many workers for the
    base is a usage error naming a fix.
    """
    parts = urllib.parse.urlsplit(base_url)
    base = int(parts.path.strip("/") or 0)
    if base - number < 1:
        raise pytest.UsageError(
            f"LWNKB_TEST_BROKER_URL={base_url}: worker gw{number} would need Redis database "
            f"{base - number}; use fewer workers (-n) or a higher database number"
        )
    return parts._replace(path=f"/{base - number}").geturl()


def _claim_redis_database(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    me = f"{socket.gethostname()}:{os.getpid()}"
    for _ in range(3):
        if client.set(OWNER_KEY, me, nx=True, ex=4 * 3600):
            break
        value = client.get(OWNER_KEY)
        holder = value.decode() if isinstance(value, bytes) else str(value or "")
        host, _, pid = holder.partition(":")
        if holder and not (host == socket.gethostname() and _pid_gone(int(pid or 0))):
            raise pytest.UsageError(
                f"Redis database {url} is in use by another test run ({holder}); point "
                "LWNKB_TEST_BROKER_URL at another database number (worker gwN takes the "
                "one N below it)"
            )
        client.delete(OWNER_KEY)  # left by a run that died
    else:
        raise pytest.UsageError(f"could not claim Redis database {url}")
    if client.exists(MULTIHOST_CLAIM):
        client.delete(OWNER_KEY)
        raise pytest.UsageError(f"Redis database {url} is claimed by a running multi-host test")
    _claimed.append((client, me))


def _pid_gone(pid: int) -> bool:
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


def pytest_configure(config: pytest.Config) -> None:
    """Give this process (a serial run, or one xdist worker) its own Redis database."""
    base_url = os.environ.get("LWNKB_TEST_BROKER_URL", "")
    controller = "PYTEST_XDIST_WORKER" not in os.environ and bool(
        getattr(config.option, "numprocesses", None)
    )
    if not base_url or controller:
        return  # no Redis, or the xdist controller, which runs no test
    os.environ.setdefault("LWNKB_TEST_BROKER_BASE_URL", base_url)
    url = worker_broker_url(os.environ["LWNKB_TEST_BROKER_BASE_URL"], worker_number())
    os.environ["LWNKB_TEST_BROKER_URL"] = url
    _claim_redis_database(url)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _claimed:
        client, me = _claimed.pop()
        with contextlib.suppress(redis.RedisError):
            if client.get(OWNER_KEY) in (me, me.encode()):
                client.delete(OWNER_KEY)
        client.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Under xdist (--dist loadgroup) the browser tests share one worker, so a run
    # starts one Chromium rather than one per worker.
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


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


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords() -> Iterator[None]:
    """Personas are created per test and log in with force_login: the production hasher
    (PBKDF2, a million rounds) would cost a good part of the run for nothing."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def today() -> dt.date:
    """Today's date, read when the test starts: a module-level constant goes stale when a
    suite runs across midnight, and an article "free today" turns into one freed yesterday."""
    return timezone.now().date()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache, so API throttle counters never carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_search_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Committed imports update the search index and fetches fill the HTTP cache: keep
    every test's own out of var/ and away from the other xdist workers.

    The folders are only created if a test writes to them.
    """
    own = uuid.uuid4().hex
    root = tmp_path_factory.getbasetemp()  # per xdist worker
    with override_settings(INDEX_DIR=root / "index" / own, FETCH_CACHE_DIR=root / "cache" / own):
        yield


@pytest.fixture
def broker_url() -> str:
    """The real Redis broker for Celery tests (this worker's own database); fails (never
    skips) when absent."""
    url = os.environ.get("LWNKB_TEST_BROKER_URL", "")
    if not url:
        pytest.fail("no Redis broker: run the suite through `make test` with Redis on :6379")
    return url


Queued = list[tuple[str, tuple[Any, ...]]]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Queued:
    """As if a broker were set: calls to ``.delay`` of the action tasks are recorded, not run.

    The import actions answer 503 without a broker (imports never run inside a request).
    """
    from articles import tasks
    from lwnkb.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    calls: Queued = []
    action_tasks = (tasks.import_edition, tasks.refresh_comments, tasks.reparse_requested)
    for task in action_tasks:
        monkeypatch.setattr(task, "delay", lambda *a, _n=task.name: calls.append((_n, a)))
    return calls


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
