"""One scale's pages timed on request: ``python -m bench.archive_bench.page_timer --scale S``.

The pages stage keeps one of these per scale and asks them in turns (a batch of
requests of one page on the full-size database, then the same on the small one),
so whatever else the machine does in the meantime lands on both scales alike.
Each process is Django on its own scale's database, as one process can only be.

Protocol: one JSON object a line on stdin, one answer a line on stdout.
``{"op": "pages"}`` picks the pages (``stage_pages.page_paths``), warms each and
answers ``{kind: {"path", "queries", "kb"}}``; ``{"op": "time", "path": P, "n": N}``
answers ``{"wall": [...], "cpu": [...]}``, seconds per request: wall clock, and this
process's CPU (the rendering; PostgreSQL's own CPU is not in it).

Each batch starts after a full garbage collection. Otherwise a page pays for the
garbage of the page timed before it: the largest thread's requests leave enough
objects that Python's next full collection (about 60 ms at either scale) fell in
the busiest entity's batches in more than 5 % of its requests at 1.0 and fewer at
0.01, which made that page's p95 twice the small one's with the same CPU per
request at the median (docs/performance.md, "The eleventh full-size run").
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from .target import DEFAULT_REDIS, Target, django_ready


def pages(target: Target) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from .stage_pages import page_paths

    client = Client()
    found: dict[str, dict[str, Any]] = {}
    for kind, path in page_paths(target).items():
        # The first request warms what a page keeps (home sums its trends once per newest
        # edition); the second is counted, as every later request costs.
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        found[kind] = {
            "path": path,
            "queries": len(queries.captured_queries),
            "kb": round(len(response.content) / 1024, 1),
        }
    return found


def time_page(path: str, n: int) -> dict[str, list[float]]:
    from django.test import Client

    client = Client()
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {"wall": wall, "cpu": cpu}


def serve(target: Target) -> None:
    django_ready(target)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "pages":
            answer: Any = pages(target)
        elif request["op"] == "time":
            answer = time_page(request["path"], int(request["n"]))
        else:
            raise ValueError(f"unknown op {request['op']!r}")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive_bench.page_timer")
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--database", default="", help="someone else's database URL")
    parser.add_argument("--root", type=Path, help="instead of var/archive-bench/<scale>")
    args = parser.parse_args(argv)
    target = Target(
        scale=args.scale,
        archive=args.archive,
        redis_url=args.redis_url,
        database=args.database,
        root=args.root,
    )
    serve(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
