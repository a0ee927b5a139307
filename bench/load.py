"""``make load``: wrk against gunicorn while a bulk import runs; fails on any 5xx.

1. A scratch PostgreSQL database (``lwnkb_load_<pid>``): migrated, the bundled
   samples and ``--base-editions`` generated editions imported (as
   ``bench_ingest`` makes them), which also builds the search index.
2. gunicorn on a free port of 127.0.0.1 (``--workers`` gthread workers) with
   production settings: DEBUG off, a secret key, only the plain-HTTP redirect
   off. API throttling stays in the path, at a rate the run cannot reach
   (``LWNKB_API_RATE_ANON``/``_USER``), so requests do real work instead of
   answering 429; the anonymous API cache keeps its deployed 5 s.
3. ``manage.py lwn_import`` of ``--import-editions`` more editions in another
   process (follow-ups inline: linking and index writes while searches read),
   and at the same time wrk for ``--seconds`` (60) with ``--connections`` (50),
   replaying the mix of ``bench/load_mix.py`` (article pages, searches, API lists).

Prints a JSON summary (requests/s, latency percentiles, status counts, 5xx from
wrk and from gunicorn's access log, socket errors, the import's outcome and the
editions it stored while wrk ran), writes it to ``var/bench/load.json``, and exits
1 on any 5xx, socket error or failed import. Needs PostgreSQL on 127.0.0.1:5432
and wrk.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_ingest import generate_editions  # noqa: E402
from bench.load_mix import build_mix  # noqa: E402
from bench.load_wrk import ACCESS_FORMAT, lua_script, read_access_log, run_wrk  # noqa: E402
from bench.scratch import fresh_database  # noqa: E402

RESULT = ROOT / "var" / "bench" / "load.json"
_SUMMARY = re.compile(r"imported (\d+), skipped (\d+) unchanged, failed (\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def load_env(database_url: str, data_dir: Path, cache_url: str) -> dict[str, str]:
    """Production settings on the loopback; nothing inherited from the caller's LWNKB_*."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LWNKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "LWNKB_DEBUG": "false",
        "LWNKB_SECRET_KEY": "load-test-only-secret-key-not-for-production-0123456789abcdef",
        "LWNKB_ALLOWED_HOSTS": "127.0.0.1",
        "LWNKB_SSL_REDIRECT": "false",  # plain HTTP on the loopback; no TLS proxy here
        "LWNKB_DATABASE_URL": database_url,
        "LWNKB_DATA_DIR": str(data_dir),
        "LWNKB_CACHE_URL": cache_url,
        "LWNKB_BROKER_URL": "",  # follow-ups (linking, indexing) run inside the import
        "LWNKB_LOG_LEVEL": "warning",
        # Throttling stays on, out of reach: the run measures work, not 429s.
        "LWNKB_API_RATE_ANON": "100000000/s",
        "LWNKB_API_RATE_USER": "100000000/s",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg  # only loaded where PostgreSQL is used

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchall()


def count(database_url: str, table: str) -> int:
    return int(rows(database_url, f"SELECT count(*) FROM {table}")[0][0])


def write_pages(folder: Path, pages: list[tuple[str, bytes]]) -> Path:
    folder.mkdir(parents=True)
    for n, (_url, page) in enumerate(pages):
        (folder / f"edition-{n:04d}.html").write_bytes(page)
    return folder


def mix_from_database(database_url: str) -> tuple[list[str], dict[str, int]]:
    """Every stored article and edition, each release, some authors and entities."""
    return build_mix(
        articles=[
            r[0]
            for r in rows(
                database_url, "SELECT lwn_id FROM articles_article WHERE lwn_id IS NOT NULL"
            )
        ],
        editions=[r[0] for r in rows(database_url, "SELECT lwn_id FROM articles_edition")],
        releases=[r[0] for r in rows(database_url, "SELECT version FROM articles_kernelrelease")],
        authors=[r[0] for r in rows(database_url, "SELECT name FROM articles_author LIMIT 50")],
        entities=[
            (r[0], r[1])
            for r in rows(database_url, "SELECT kind, name FROM articles_entity ORDER BY id")
        ],
    )


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


@contextmanager
def gunicorn(env: dict[str, str], logs: Path, *, workers: int, threads: int) -> Iterator[int]:
    """gunicorn on a free port for the duration of the block; yields the port."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "lwnkb.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "30"),
            *("--access-logfile", str(logs / "access.log"), "--access-logformat", ACCESS_FORMAT),
            *("--error-logfile", str(logs / "gunicorn.log"), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def import_outcome(done: int | None, output: str, expected: int) -> dict[str, Any]:
    match = _SUMMARY.search(output)
    imported, skipped, failed = (int(g) for g in match.groups()) if match else (0, 0, 0)
    ok = done == 0 and match is not None and imported == expected and failed == 0
    return {
        "outcome": "ok" if ok else "failed",
        "exit_code": done,
        "editions_expected": expected,
        "imported": imported,
        "skipped": skipped,
        "failed": failed,
    }


def run(args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    """Prepare, serve, load and import; the summary of one run."""
    base_pages: list[tuple[str, bytes]] = []
    bulk_pages: list[tuple[str, bytes]] = []
    for n, page in enumerate(generate_editions(args.base_editions + args.import_editions)):
        (base_pages if n < args.base_editions else bulk_pages).append(page)
    name = f"lwnkb_load_{os.getpid()}"
    database_url = fresh_database(name)
    work = Path(tempfile.mkdtemp(prefix="lwnkb-load-"))
    try:
        env = load_env(database_url, work / "data", args.cache_url)
        (work / "data" / "static").mkdir(parents=True)  # nothing collected; wrk asks no files
        started = time.monotonic()
        manage(env, "migrate", "--no-input")
        manage(env, "lwn_load_samples")
        manage(env, "lwn_import", str(write_pages(work / "base", base_pages)))
        bulk = write_pages(work / "bulk", bulk_pages)
        paths, mix = mix_from_database(database_url)
        script = work / "mix.lua"
        script.write_text(lua_script(paths))
        print(f"load: prepared in {time.monotonic() - started:.0f}s", file=sys.stderr)

        with gunicorn(env, logs, workers=args.workers, threads=args.threads) as port:
            editions_before = count(database_url, "articles_edition")
            import_log = (logs / "import.log").open("w")
            importer = subprocess.Popen(
                [sys.executable, "manage.py", "lwn_import", str(bulk)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=import_log,
                text=True,
            )
            import_started = time.monotonic()
            try:
                wrk = run_wrk(
                    f"http://127.0.0.1:{port}",
                    script,
                    seconds=args.seconds,
                    connections=args.connections,
                    threads=args.wrk_threads,
                )
                editions_during = count(database_url, "articles_edition") - editions_before
                import_running_at_end = importer.poll() is None
                out, _ = importer.communicate(timeout=args.import_timeout)
            finally:
                if importer.poll() is None:
                    importer.kill()
                    out, _ = importer.communicate()
                import_log.close()
            import_seconds = time.monotonic() - import_started
        (logs / "wrk.txt").write_text(wrk.output)
        with (logs / "import.log").open("a") as log:
            log.write(out)
        access = read_access_log(logs / "access.log")
    finally:
        if not args.keep:
            fresh_database(name, create=False)
            shutil.rmtree(work, ignore_errors=True)

    return {
        "seconds": round(wrk.seconds, 1),
        "connections": args.connections,
        "server": {"workers": args.workers, "threads": args.threads, "worker_class": "gthread"},
        "mix": mix,
        "distinct_paths": len(set(paths)),
        "requests": wrk.requests,
        "requests_per_second": round(wrk.requests_per_second, 1),
        "latency_ms": wrk.latency_ms,
        "statuses": {str(k): v for k, v in sorted(wrk.statuses.items())},
        "server_errors": wrk.server_errors,
        "socket_errors": wrk.socket_errors,
        "access_log": {
            "requests": access.total,
            "statuses": {str(k): v for k, v in sorted(access.statuses.items())},
            "server_errors": sum(n for s, n in access.statuses.items() if s >= 500),
            "first_server_errors": access.server_errors,
        },
        "import": {
            **import_outcome(importer.returncode, out, len(bulk_pages)),
            "seconds": round(import_seconds, 1),
            "editions_stored_while_wrk_ran": editions_during,
            "still_running_when_wrk_ended": import_running_at_end,
        },
        "logs": str(logs),
    }


def failures(summary: dict[str, Any]) -> list[str]:
    """Why a run fails: any 5xx, any socket error, an import that did not finish ok."""
    why = []
    if summary["server_errors"] or summary["access_log"]["server_errors"]:
        why.append(
            f"{summary['server_errors']} 5xx answers seen by wrk, "
            f"{summary['access_log']['server_errors']} in gunicorn's access log"
        )
    if any(summary["socket_errors"].values()):
        why.append(f"socket errors: {summary['socket_errors']}")
    if summary["import"]["outcome"] != "ok":
        why.append(f"the bulk import did not finish ok: {summary['import']}")
    if not summary["requests"]:
        why.append("wrk completed no request")
    return why


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--base-editions", type=int, default=20, help="loaded before the run")
    parser.add_argument("--import-editions", type=int, default=30, help="imported during it")
    parser.add_argument("--import-timeout", type=float, default=900.0)
    parser.add_argument("--cache-url", default="locmem://", help="LWNKB_CACHE_URL for gunicorn")
    parser.add_argument("--logs", type=Path, default=ROOT / "var" / "bench" / "load")
    parser.add_argument("--result", type=Path, default=RESULT)
    parser.add_argument("--keep", action="store_true", help="leave the database and data behind")
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        print("load: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    args.logs.mkdir(parents=True, exist_ok=True)
    # gunicorn appends to its logs: a previous run's 5xx must not fail this one.
    for name in ("access.log", "gunicorn.log", "import.log", "wrk.txt"):
        (args.logs / name).unlink(missing_ok=True)
    summary = run(args, args.logs)
    why = failures(summary)
    summary["ok"] = not why
    summary["failures"] = why
    args.result.parent.mkdir(parents=True, exist_ok=True)
    args.result.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    for reason in why:
        print(f"load: FAILED: {reason}", file=sys.stderr)
    return 1 if why else 0


if __name__ == "__main__":
    sys.exit(main())
