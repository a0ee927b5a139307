"""REST API throughput under gunicorn, as a share of the same server's floor.

Creates a scratch PostgreSQL database ``lwnkb_bench_api``, migrates it and
loads the bundled sample pages (``manage.py lwn_load_samples``) plus
``--editions`` generated weekly editions (``manage.py lwn_import`` of shifted
copies of the big-page fixture, as ``bench_ingest`` makes them) and ANALYZEs it
(a long-running server has statistics; a fresh load has none). Then it starts
gunicorn on a free port of 127.0.0.1 with production settings (DEBUG off,
throttling on at a rate nothing reaches) and ``LWNKB_BENCH_FLOOR=true``, and
drives each endpoint for ``--seconds`` with ``--clients`` threads holding
keep-alive connections (``http.client``):

- the floor: ``/bench/floor/``, a fixed JSON body, no database; and two floors that
  each do one part of an API request (``lwnkb/benchfloor.py``): one indexed query of
  50 summary rows written by plain Django, and DRF's dispatch with a fixed body;
- article detail, the article list (50 summaries, with count), a search (when
  the search endpoint exists), and the 5.8 release page.

Reports requests per second, p50 and p99 latency, and each endpoint's ratio to
the floor's throughput. Target: article detail and list at least 0.5, both as
deployed and with the response cache off. ``--reuse-db`` measures what a
``--keep-db`` run left; ``--only`` drives some endpoints (and the floor). Writes
``var/bench/api.json``. Needs PostgreSQL on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_ingest import generate_editions  # noqa: E402
from bench.scratch import fresh_database  # noqa: E402

BENCH_DB = "lwnkb_bench_api"
RESULT = ROOT / "var" / "bench" / "api.json"
TARGET_RATIO = 0.5
TARGETED = ("article detail", "article list")


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str


# The floors (lwnkb/benchfloor.py) are always driven: each ratio is taken against the
# first; the other two say how much of an endpoint's cost one query, or DRF, costs alone.
FLOORS = ("floor", "floor, one query", "floor, DRF")
ENDPOINTS = [
    Endpoint("floor", "/bench/floor/"),
    Endpoint("floor, one query", "/bench/floor-query/"),
    Endpoint("floor, DRF", "/bench/floor-drf/"),
    Endpoint("article detail", "/api/v1/articles/821729/"),
    Endpoint("article list", "/api/v1/articles/"),
    Endpoint("search", "/api/v1/search/?q=capabilities"),
    Endpoint("release 5.8", "/api/v1/releases/5.8/"),
]


@dataclass
class Measurement:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lwnkb.settings",
        "LWNKB_DATABASE_URL": database_url,
        "LWNKB_DATA_DIR": str(data_dir),
        # Production settings, but plain HTTP on the loopback.
        "LWNKB_DEBUG": "false",
        "LWNKB_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "LWNKB_SSL_REDIRECT": "false",
        "LWNKB_ALLOWED_HOSTS": "127.0.0.1",
        "LWNKB_LOG_LEVEL": "warning",
        "LWNKB_BROKER_URL": "",  # follow-ups (linking, indexing) run inline while loading
        # Throttling stays in the path, at a rate the benchmark never reaches.
        "LWNKB_API_RATE_ANON": "100000000/s",
        "LWNKB_API_RATE_USER": "100000000/s",
        "LWNKB_BENCH_FLOOR": "true",
    }


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def load(env: dict[str, str], editions: int) -> None:
    manage(env, "migrate", "--no-input")
    manage(env, "lwn_load_samples")
    with tempfile.TemporaryDirectory() as folder:
        for n, (_url, page) in enumerate(generate_editions(editions)):
            Path(folder, f"edition-{n:04d}.html").write_bytes(page)
        manage(env, "lwn_import", folder)
    analyze(env["LWNKB_DATABASE_URL"])


def analyze(database_url: str) -> None:
    """Give the planner statistics, as autovacuum would on a server that has run a while.

    Measured straight after loading, every table still has none, and the plans
    (and planning times) are those of an empty database.
    """
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute("ANALYZE")


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/floor/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def status_of(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.status


def drive(port: int, endpoint: Endpoint, *, seconds: float, clients: int) -> Measurement:
    """``clients`` threads, each with one keep-alive connection, for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_gate = threading.Barrier(clients + 1)
    stop_at = 0.0

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = latencies[index]
        start_gate.wait()
        while (now := time.perf_counter()) < stop_at:
            try:
                conn.request("GET", endpoint.path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - now)
            else:
                errors[index] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(t for mine in latencies for t in mine)
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))] if every else 0.0
    return Measurement(
        name=endpoint.name,
        path=endpoint.path,
        requests=len(every),
        errors=sum(errors),
        seconds=elapsed,
        p50_ms=round(1000 * statistics.median(every), 2) if every else 0.0,
        p99_ms=round(1000 * p99, 2),
    )


def serve_and_measure(
    env: dict[str, str], args: argparse.Namespace, skipped: dict[str, str]
) -> list[Measurement]:
    """Start gunicorn with ``env``, drive every endpoint that answers 200, stop it."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "lwnkb.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)),
            *("--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "30"),
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    results: list[Measurement] = []
    try:
        wait_until_up(port)
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        for endpoint in ENDPOINTS:
            if only and endpoint.name not in FLOORS and endpoint.name not in only:
                continue
            status = status_of(port, endpoint.path)
            if status != 200:
                skipped[endpoint.name] = f"{endpoint.path} answered {status}"
                continue
            drive(port, endpoint, seconds=args.warmup, clients=args.clients)
            results.append(drive(port, endpoint, seconds=args.seconds, clients=args.clients))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def report(mode: str, results: list[Measurement]) -> list[dict[str, object]]:
    """Print one table and return its rows, with each endpoint's ratio to the floor."""
    floor = next((m for m in results if m.name == "floor"), None)
    if floor is None or not floor.rps:
        raise RuntimeError("the floor endpoint did not answer; nothing to compare")
    one_query = next((m for m in results if m.name == "floor, one query"), None)
    print(f"\n{mode}")
    print(
        f"{'endpoint':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x floor':>8} "
        f"{'x 1 query':>9} {'errors':>7}"
    )
    rows: list[dict[str, object]] = []
    for m in results:
        ratio = m.rps / floor.rps
        ratio_query = m.rps / one_query.rps if one_query and one_query.rps else 0.0
        rows.append(
            {
                "endpoint": m.name,
                "path": m.path,
                "requests": m.requests,
                "errors": m.errors,
                "seconds": round(m.seconds, 2),
                "requests_per_second": round(m.rps, 1),
                "p50_ms": m.p50_ms,
                "p99_ms": m.p99_ms,
                "ratio_to_floor": round(ratio, 3),
                "ratio_to_one_query_floor": round(ratio_query, 3),
            }
        )
        print(
            f"{m.name:<18} {m.rps:>9.1f} {m.p50_ms:>8.2f} {m.p99_ms:>8.2f} {ratio:>8.2f} "
            f"{ratio_query:>9.2f} {m.errors:>7}"
        )
    return rows


# Production settings as shipped (anonymous answers shared for 5 s), then with the
# sharing off, so the cost of the API itself is on record too.
MODES = {
    "as deployed (LWNKB_API_CACHE_SECONDS=5)": {"LWNKB_API_CACHE_SECONDS": "5"},
    "uncached (LWNKB_API_CACHE_SECONDS=0)": {"LWNKB_API_CACHE_SECONDS": "0"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="per endpoint, not counted")
    parser.add_argument("--clients", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--editions", type=int, default=40, help="generated editions to load")
    parser.add_argument("--keep-db", action="store_true", help="leave lwnkb_bench_api behind")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="measure what an earlier --keep-db run left (same --editions), without loading",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated endpoint names to drive besides the floor (default: all)",
    )
    args = parser.parse_args()

    data_dir = ROOT / "var" / "bench" / "api-data"
    if args.reuse_db:
        env = server_env(f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}", data_dir)
    else:
        shutil.rmtree(data_dir, ignore_errors=True)  # a search index from an earlier run
        env = server_env(fresh_database(BENCH_DB), data_dir)
    skipped: dict[str, str] = {}
    tables: dict[str, list[dict[str, object]]] = {}
    try:
        if not args.reuse_db:
            started = time.perf_counter()
            load(env, args.editions)
            took = time.perf_counter() - started
            print(f"loaded the samples and {args.editions} generated editions in {took:.0f}s")
        for mode, overrides in MODES.items():
            tables[mode] = report(mode, serve_and_measure({**env, **overrides}, args, skipped))
    finally:
        if not args.keep_db and not args.reuse_db:
            fresh_database(BENCH_DB, create=False)
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")

    # Both modes: the response cache must not be what meets the target (issue #18).
    missed = [
        f"{row['endpoint']} ({'uncached' if '=0' in mode else 'as deployed'})"
        for mode, rows in tables.items()
        for row in rows
        if row["endpoint"] in TARGETED and float(str(row["ratio_to_floor"])) < TARGET_RATIO
    ]
    result = {
        "server": {"workers": args.workers, "threads": args.threads, "worker_class": "gthread"},
        "clients": args.clients,
        "seconds_per_endpoint": args.seconds,
        "editions_loaded": args.editions,
        "target": f"{' and '.join(TARGETED)} >= {TARGET_RATIO} x floor, cached and uncached",
        "target_met": not missed,
        "skipped": skipped,
        "modes": tables,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    verdict = "ok" if not missed else "UNDER TARGET: " + ", ".join(missed)
    print(f"\ntarget: {result['target']}: {verdict}  (written to {RESULT.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
