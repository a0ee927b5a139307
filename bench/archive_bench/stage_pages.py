"""The pages stage: p95 of the heaviest server-rendered pages, through Django's test client.

The same page kinds are picked on every database by rule (the largest comment
thread, the entity with most mentions, the newest release, the oldest year of
the edition archive, the hardware list filtered by its commonest category, home,
the newest edition's big page). With ``--compare S`` the same kinds are measured on
scale S's database in the same run (a child process), and each page's full/small
ratio says whether its cost grows with the archive.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any
from urllib.parse import quote, urlencode

from .target import BENCH_TODAY, ROOT, Target, django_ready, timings_ms

PICKS = {
    "largest_thread": (
        "SELECT '/articles/' || a.lwn_id || '/', count(*) FROM articles_comment c "
        "JOIN articles_article a ON a.id = c.article_id WHERE a.lwn_id IS NOT NULL "
        "GROUP BY a.lwn_id ORDER BY count(*) DESC, a.lwn_id LIMIT 1"
    ),
    "top_entity": (
        "SELECT e.kind, e.name, count(*) FROM articles_mention m "
        "JOIN articles_entity e ON e.id = m.entity_id "
        "GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1"
    ),
    # The newest release a reader sees whole: none of its merge-window articles locked
    # on the run's day. At a small scale the last edition holds both parts of the newest
    # merge window and is still locked; at full size those parts are in earlier editions.
    "newest_release": (
        "SELECT '/releases/' || r.version || '/' FROM articles_kernelrelease r "
        "WHERE NOT EXISTS (SELECT 1 FROM articles_mergewindowitem i "
        "JOIN articles_article a ON a.id = i.article_id WHERE i.release_id = r.id "
        "AND a.subscriber_only AND (a.free_on IS NULL OR a.free_on > DATE "
        f"'{BENCH_TODAY.isoformat()}')) "
        "ORDER BY r.major DESC, r.minor DESC LIMIT 1"
    ),
    "edition_archive_last": (
        "SELECT '/editions/?year=' || min(extract(year FROM date))::int FROM articles_edition"
    ),
    "hardware_by_category": (
        "SELECT category, count(*) FROM articles_hardwaredevice "
        "GROUP BY category ORDER BY count(*) DESC, category LIMIT 1"
    ),
    "edition_big_page": (
        "SELECT '/editions/' || lwn_id || '/' FROM articles_edition ORDER BY date DESC LIMIT 1"
    ),
}


def page_paths(target: Target) -> dict[str, str]:
    paths = {"home": "/"}
    for kind, sql in PICKS.items():
        rows = target.sql(sql)
        if not rows or rows[0][0] is None:
            continue
        row = rows[0]
        if kind == "top_entity":
            paths[kind] = f"/entities/{row[0]}/{quote(row[1], safe='')}/"
        elif kind == "hardware_by_category":
            paths[kind] = "/hardware/?" + urlencode({"category": row[0]})
        else:
            paths[kind] = str(row[0])
    return paths


def measure(target: Target, repeat: int) -> dict[str, Any]:
    django_ready(target)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    figures: dict[str, Any] = {}
    for kind, path in page_paths(target).items():
        # The first request warms what a page keeps (home sums its trends once per newest
        # edition); the second is counted, as every later request costs.
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Now: the next request empties the log the count is read from.
        count = len(queries.captured_queries)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - started)
        figures[kind] = {
            "path": path,
            "queries": count,
            "kb": round(len(response.content) / 1024, 1),
            **timings_ms(samples),
        }
        print(f"  pages: {kind} {figures[kind]['p95_ms']} ms p95", file=sys.stderr, flush=True)
    return figures


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    repeat: int = getattr(args, "repeat", 30)
    figures: dict[str, Any] = {"pages": measure(target, repeat)}
    compare: float = getattr(args, "compare", 0.0) or 0.0
    if compare:
        small = Target(scale=compare, archive=target.archive, redis_url=target.redis_url)
        print(f"pages: the same kinds on scale {small.label}", file=sys.stderr, flush=True)
        subprocess.run(
            [
                *(sys.executable, "-m", "bench.archive_bench", "--scale", small.label),
                *("--stages", "pages", "--compare", "0", "--repeat", str(repeat)),
            ],
            cwd=ROOT,
            check=True,
        )
        other = json.loads(small.result_path.read_text())["stages"]["pages"]["pages"]
        figures["compare_scale"] = compare
        figures["table"] = {
            kind: {
                "p95_ms": row["p95_ms"],
                f"p95_ms_at_{small.label}": other[kind]["p95_ms"],
                "x_small": round(row["p95_ms"] / other[kind]["p95_ms"], 2)
                if other.get(kind, {}).get("p95_ms")
                else None,
                "queries": row["queries"],
            }
            for kind, row in figures["pages"].items()
            if kind in other
        }
    else:
        figures["table"] = {
            kind: {"p95_ms": row["p95_ms"], "queries": row["queries"], "path": row["path"]}
            for kind, row in figures["pages"].items()
        }
    return figures
