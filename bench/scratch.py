"""A throw-away PostgreSQL database for one benchmark run."""

from __future__ import annotations

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def fresh_database(name: str, *, create: bool = True) -> str:
    """Drop ``name`` (ending any session still on it), create it again; return its URL."""
    import psycopg  # only benchmarks that use PostgreSQL need it loaded

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"
