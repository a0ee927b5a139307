"""Where one scale's run lives: its own database, index folder, Redis database, results.

Everything is named after the scale, so a run at 1.0 and one at 0.01 sit side by side
and later stages (``--stages search,pages``) find the database an earlier import left.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.archive.shape import LAST_EDITION

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"  # 15 belongs to the tests
SECRET = "archive-bench-only-secret-key-not-for-production-0123456789abcdef"
# Every process of a run lives two days after the archive's last edition, as a live
# site would: that edition's subscriber-only articles are still locked, so the paywall
# paths do their real work, and the figures do not depend on the day they were taken.
BENCH_TODAY = LAST_EDITION + dt.timedelta(days=2)


@dataclass(frozen=True)
class Target:
    scale: float
    archive: Path
    redis_url: str = DEFAULT_REDIS
    pg_server: str = PG_SERVER
    # Someone else's database (the test suite's): used as it is, never dropped.
    database: str = ""
    root: Path | None = None  # instead of var/archive-bench/<scale>

    @property
    def label(self) -> str:
        return repr(self.scale)  # 0.01 -> "0.01", 1.0 -> "1.0"

    @property
    def db_name(self) -> str:
        return "lwnkb_archive_" + self.label.replace(".", "_")

    @property
    def database_url(self) -> str:
        return self.database or f"{self.pg_server}/{self.db_name}"

    @property
    def work(self) -> Path:
        return self.root or ROOT / "var" / "archive-bench" / self.label

    @property
    def index_dir(self) -> Path:
        return self.work / "index"

    @property
    def result_path(self) -> Path:
        return ROOT / "var" / "bench" / f"archive-{self.label}.json"

    def env(self, *, backend: str = "whoosh", broker: bool = True) -> dict[str, str]:
        """Production settings (DEBUG off) on this scale's database, index and broker.

        Nothing is inherited from the caller's ``LWNKB_*``. Throttling stays in the
        path at a rate no run reaches, so requests measure work, not 429s.
        """
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("LWNKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        return {
            **clean,
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "LWNKB_DEBUG": "false",
            "LWNKB_SECRET_KEY": SECRET,
            "LWNKB_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "LWNKB_SSL_REDIRECT": "false",
            "LWNKB_DATABASE_URL": self.database_url,
            "LWNKB_DATA_DIR": str(self.work),
            "LWNKB_INDEX_DIR": str(self.index_dir),
            "LWNKB_SEARCH_BACKEND": backend,
            "LWNKB_BROKER_URL": self.redis_url if broker else "",
            "LWNKB_LOG_LEVEL": "warning",
            "LWNKB_API_RATE_ANON": "100000000/s",
            "LWNKB_API_RATE_USER": "100000000/s",
            "LWNKB_BENCH_TODAY": BENCH_TODAY.isoformat(),  # read by bench.load_settings
            "LWNKB_API_CACHE_SECONDS": "0",  # uncached: the figures are the work itself
        }

    def apply(self, *, backend: str = "whoosh") -> None:
        """Configure this process (before ``django.setup()``) like :meth:`env`."""
        for key in [k for k in os.environ if k.startswith("LWNKB_")]:
            del os.environ[key]
        os.environ.update(self.env(backend=backend, broker=False))
        (self.work / "static").mkdir(parents=True, exist_ok=True)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            cursor = conn.execute(query, params or None)
            # A statement that returns no rows (ANALYZE, DDL) has no description.
            return cursor.fetchall() if cursor.description is not None else []

    def exists(self) -> bool:
        if self.database:
            return True
        import psycopg

        with psycopg.connect(f"{self.pg_server}/postgres", autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.db_name,)
            ).fetchone()
        return found is not None

    def recreate(self) -> None:
        """A fresh, empty database for an import (someone else's is left alone)."""
        if self.database:
            return
        import psycopg

        with psycopg.connect(f"{self.pg_server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {self.db_name}")

    def manage(self, *args: str, backend: str = "whoosh", broker: bool = False) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(backend=backend, broker=broker),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout


def django_ready(target: Target) -> None:
    """Set this process up (once) on the target's database, for the in-process stages."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    target.apply()
    django.setup()


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timings_ms(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 of ``samples`` (seconds) in milliseconds."""
    return {
        f"p{int(q * 100)}_ms": round(percentile(samples, q) * 1000, 1) for q in (0.5, 0.95, 0.99)
    }
