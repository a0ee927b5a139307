"""Run the test suite against the right services (``make test``).

- ``CI=true``: PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are
  required; if either is missing the run fails at once with a clear message.
- Otherwise PostgreSQL is used when it answers, and SQLite when it does not.
- ``LWNKB_TEST_DB=sqlite|postgres`` forces one.

Extra arguments are passed to pytest (``make test`` adds ``-n``: pytest-xdist workers,
each with its own test database, folders and Redis database; see tests/conftest.py).
"""

from __future__ import annotations

import os
import socket
import sys

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
PG_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/lwnkb"
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    wanted = os.environ.get("LWNKB_TEST_DB", "").lower()
    pg_up, redis_up = answers(PG_HOST, PG_PORT), answers(REDIS_HOST, REDIS_PORT)

    if in_ci and wanted != "sqlite" and not pg_up:
        print(f"CI=true but PostgreSQL does not answer on {PG_HOST}:{PG_PORT}", file=sys.stderr)
        return 3
    if in_ci and not redis_up:
        print(f"CI=true but Redis does not answer on {REDIS_HOST}:{REDIS_PORT}", file=sys.stderr)
        return 3
    if wanted == "postgres" and not pg_up:
        print(f"LWNKB_TEST_DB=postgres but nothing answers on {PG_HOST}:{PG_PORT}", file=sys.stderr)
        return 3

    use_pg = wanted == "postgres" or (wanted != "sqlite" and pg_up)
    if use_pg:
        os.environ["LWNKB_DATABASE_URL"] = PG_URL
        # One test database per run, so parallel runs on one server never collide.
        os.environ.setdefault("LWNKB_TEST_DATABASE_NAME", f"test_lwnkb_{os.getpid()}")
    else:
        os.environ.pop("LWNKB_DATABASE_URL", None)
    # Tasks stay inline inside ordinary tests; the Celery tests start a real worker
    # on this broker themselves (xdist worker gwN on the database N below it). The
    # cache stays per process (locmem), so clearing it never touches another worker's.
    os.environ.pop("LWNKB_BROKER_URL", None)
    os.environ.pop("LWNKB_CACHE_URL", None)
    if redis_up:
        os.environ.setdefault("LWNKB_TEST_BROKER_URL", REDIS_URL)
    os.environ.setdefault("LWNKB_DEBUG", "true")
    redis_url = os.environ.get("LWNKB_TEST_BROKER_URL", "")
    print(
        f"lwnkb tests on {'PostgreSQL' if use_pg else 'SQLite'}; "
        f"Redis {'at ' + redis_url if redis_up and redis_url else 'not available'}; CI={in_ci}",
        flush=True,
    )
    return int(pytest.main(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
