"""The pages stage: p95 of the heaviest server-rendered pages, through Django's test client.

The same page kinds are picked on every database by rule (the largest comment
thread, the entity with most mentions, the newest release, the oldest year of
the edition archive, the hardware list filtered by its commonest category, home,
the newest edition's big page). With ``--compare S`` the same kinds are measured on
scale S's database in the same run, in turns with the full-size ones (``page_timer``:
one process per scale), and each page's full/small ratio says whether its cost
grows with the archive. Beside the wall-clock p95, each page's median CPU time in
the serving process (the rendering, not PostgreSQL's work) and its ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any
from urllib.parse import quote, urlencode

from .target import BENCH_TODAY, ROOT, Target, timings_ms

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
# Requests of one page on one scale before the next page or scale takes its turn.
BATCH = 10


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


class Timer:
    """A ``page_timer`` process on one scale's database (see that module)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "bench.archive_bench.page_timer"),
                *("--scale", target.label, "--archive", str(target.archive)),
                *("--redis-url", target.redis_url, "--database", target.database),
                *(("--root", str(target.root)) if target.root else ()),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request: Any) -> Any:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"the page timer of scale {self.target.label} stopped")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def measure(targets: list[Target], repeat: int, batch: int = BATCH) -> list[dict[str, Any]]:
    """Each target's pages, ``repeat`` requests each, in turns of ``batch`` requests.

    Turns go page by page, each page on every scale in a row (the order flipped every
    round), so a burst of other work on the machine falls on both scales, not on the
    one that happened to be measured then. Returns one ``{kind: figures}`` per target.
    """
    timers = [Timer(target) for target in targets]
    try:
        found: list[dict[str, dict[str, Any]]] = [timer.ask(op="pages") for timer in timers]
        kinds = [kind for kind in found[0] if all(kind in pages for pages in found)]
        wall: list[dict[str, list[float]]] = [{kind: [] for kind in kinds} for _ in timers]
        cpu: list[dict[str, list[float]]] = [{kind: [] for kind in kinds} for _ in timers]
        done, turn = 0, 0
        while done < repeat:
            n = min(batch, repeat - done)
            order = list(range(len(timers)))
            if turn % 2:
                order.reverse()
            for kind in kinds:
                for i in order:
                    got = timers[i].ask(op="time", path=found[i][kind]["path"], n=n)
                    wall[i][kind] += got["wall"]
                    cpu[i][kind] += got["cpu"]
            done, turn = done + n, turn + 1
            print(f"  pages: {done}/{repeat} requests a page", file=sys.stderr, flush=True)
    finally:
        for timer in timers:
            timer.close()
    return [
        {
            kind: {
                **found[i][kind],
                "requests": len(wall[i][kind]),
                **timings_ms(wall[i][kind]),
                "cpu_p50_ms": timings_ms(cpu[i][kind])["p50_ms"],
            }
            for kind in kinds
        }
        for i in range(len(timers))
    ]


def _ratio(big: float, small: float) -> float | None:
    return round(big / small, 2) if small else None


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    repeat: int = getattr(args, "repeat", 30)
    compare: float = getattr(args, "compare", 0.0) or 0.0
    if not compare:
        (pages,) = measure([target], repeat)
        return {
            "pages": pages,
            "table": {
                kind: {"p95_ms": row["p95_ms"], "queries": row["queries"], "path": row["path"]}
                for kind, row in pages.items()
            },
        }
    small = Target(scale=compare, archive=target.archive, redis_url=target.redis_url)
    if not small.exists():
        raise RuntimeError(f"no database {small.db_name}: import scale {small.label} first")
    print(f"pages: scale {target.label} in turns with {small.label}", file=sys.stderr, flush=True)
    pages, other = measure([target, small], repeat)
    at = small.label
    return {
        "pages": pages,
        "compare_scale": compare,
        f"pages_at_{at}": other,
        "table": {
            kind: {
                "p95_ms": row["p95_ms"],
                f"p95_ms_at_{at}": other[kind]["p95_ms"],
                "x_small": _ratio(row["p95_ms"], other[kind]["p95_ms"]),
                "cpu_p50_ms": row["cpu_p50_ms"],
                f"cpu_p50_ms_at_{at}": other[kind]["cpu_p50_ms"],
                "cpu_x_small": _ratio(row["cpu_p50_ms"], other[kind]["cpu_p50_ms"]),
                "queries": row["queries"],
            }
            for kind, row in pages.items()
        },
    }
