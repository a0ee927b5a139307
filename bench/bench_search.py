"""Whoosh and the PostgreSQL backend, both through the ``articles.search`` facade, on the same rows.

Generates the benchmark corpus (``bench.corpus.generate``, 100,000 documents by
default) and stores it in a scratch PostgreSQL database migrated like production,
up to the migration before the full-text columns: articles (with bylines),
merge-window items (under one summary article per release) and comments. Then, in
the same run:

- postgres: applies migration 0004 and adds the opt-in columns to those rows
  (generated tsvector columns and their GIN indexes: what an existing archive pays
  once; new rows pay as they are written), and measures the columns and indexes;
- whoosh: ``index_rebuild`` from the same rows (as ``lwn_reindex`` does) in a child
  process, whose peak resident memory is the rebuild's peak memory;
- runs a mixed query set (single words, AND, phrases, kernel identifiers, prefixes,
  qualifiers) through ``archive_search`` with each backend (20 hits with highlighted
  snippets, total, facets, suggestion), alternating so machine load hits both alike.

Reports build time, index size, query p50/p95 and the hit counts, each for both side
by side, with ratios whoosh / postgres. Targets: p95 <= 2x, prefix p95 <= 3x, rebuild
peak memory < 600 MB. Build times exclude generating the corpus and loading the rows.

Usage: ``python -m bench.bench_search [--docs N] [--repeat R] [--procs P] [--limitmb M]``.
Writes ``var/bench/search.json``. Needs PostgreSQL on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as a plain script from anywhere
    sys.path.insert(0, str(ROOT))
INDEX_DIR = ROOT / "var" / "bench" / "search-index"
PG_DB = "lwnkb_bench_search"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lwnkb.settings")
# Production mode: with DEBUG on, Django records every query the postgres backend runs.
os.environ["LWNKB_DEBUG"] = "false"
os.environ.setdefault("LWNKB_SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("LWNKB_LOG_LEVEL", "warning")
os.environ["LWNKB_INDEX_DIR"] = str(INDEX_DIR)
# Django connects lazily: main() creates the database before the first query, and the
# rebuild child inherits the same URL.
os.environ["LWNKB_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from articles import search  # noqa: E402
from bench.corpus import RELEASES, CorpusDoc, generate  # noqa: E402
from bench.scratch import fresh_database  # noqa: E402
from bench.search_queries import PREFIX, QUERIES  # noqa: E402

RESULT = ROOT / "var" / "bench" / "search.json"
TARGETS = {"p95_ratio": 2.0, "prefix_p95_ratio": 3.0, "rebuild_peak_mb": 600}
BACKENDS = ("whoosh", "postgres")
BEFORE_SEARCH_COLUMNS = "0003_entity_aliases_curation"
SEARCH_COLUMNS = "0004_postgres_search"
SUMMARY_ID = 10_000_000  # ids of the per-release merge-window summary articles


class Everyone:
    """The benchmark reads as a subscriber: no paywall filter (the corpus has none)."""

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


def build_child(procs: int) -> dict[str, Any]:
    """In the child process: rebuild the whoosh index from the database."""
    started = time.perf_counter()
    with override_settings(SEARCH_BACKEND="whoosh"):
        report = search.index_rebuild(chunk_size=1000, procs=procs)
    assert report is not None
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
        "docs": report.documents,
    }


def build_whoosh(procs: int, limitmb: int) -> dict[str, Any]:
    shutil.rmtree(INDEX_DIR, ignore_errors=True)
    env = os.environ | {"LWNKB_SEARCH_WRITER_MB": str(limitmb)}
    command = [sys.executable, __file__, "--build-child", "--procs", str(procs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    with override_settings(SEARCH_BACKEND="whoosh"):
        status = search.index_status()
    assert status.path is not None
    result["bytes"] = sum(p.stat().st_size for p in status.path.iterdir() if p.is_file())
    return result


def _copy(table: str, columns: str, rows: Iterator[tuple[Any, ...]]) -> None:
    raw = connection.connection  # psycopg's own connection, for COPY
    assert raw is not None
    with raw.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load_rows(docs: int) -> dict[str, Any]:
    """The corpus as archive rows, through COPY; returns how many of each."""
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_kernelrelease (version, major, minor, patch)"
            " SELECT v, split_part(v, '.', 1)::int, split_part(v, '.', 2)::int, 0"
            " FROM unnest(%s::text[]) AS v",
            [RELEASES],
        )
        cursor.execute("SELECT version, id FROM articles_kernelrelease")
        releases = dict(cursor.fetchall())
    articles: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    comments: list[tuple[Any, ...]] = []
    bylines: list[tuple[int, str]] = []
    summaries: dict[str, tuple[int, dt.date]] = {}
    parent = SUMMARY_ID  # comments go under the latest article (doc 0 is always long)
    for d in generate(docs):
        if d.type == "comment":
            posted = dt.datetime.combine(d.date, dt.time(12), tzinfo=dt.UTC)
            comments.append(
                (d.id, d.id, parent, d.id, 0, d.title, d.author, "", posted, "", d.body)
            )
        elif d.type == "merge":
            pk, _ = summaries.setdefault(d.release, (SUMMARY_ID + len(summaries), d.date))
            items.append((d.id, releases[d.release], pk, d.section, 0, d.id, d.body, ""))
        else:
            articles.append(_article(d, now))
            bylines.append((d.id, d.author))
            parent = d.id
    for version, (pk, day) in summaries.items():
        title = f"{version} Merge window"
        articles.append(_article(CorpusDoc(pk, "article", title, "", day, "", "", ""), now))
    _copy(
        "articles_article",
        "id, lwn_id, position, section, kind, title, date, body_html, body_text, url,"
        " subscriber_only, curated_fields, created_at, updated_at",
        iter(articles),
    )
    _copy(
        "articles_mergewindowitem",
        'id, release_id, article_id, "group", group_position, position, text, html',
        iter(items),
    )
    _copy(
        "articles_comment",
        "id, lwn_id, article_id, thread_position, depth, title, poster_name, poster_role,"
        " posted_at, body_html, body_text",
        iter(comments),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_author (name) SELECT DISTINCT unnest(%s::text[])",
            [[name for _, name in bylines]],
        )
        cursor.execute(
            "INSERT INTO articles_articleauthor (article_id, author_id, position)"
            " SELECT b.article_id, a.id, 0 FROM unnest(%s::bigint[], %s::text[])"
            " AS b(article_id, name) JOIN articles_author a ON a.name = b.name",
            [[pk for pk, _ in bylines], [name for _, name in bylines]],
        )
        for table in ("articles_article", "articles_mergewindowitem", "articles_comment"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    return {
        "seconds": time.perf_counter() - started,
        "rows": {"article": len(articles), "merge": len(items), "comment": len(comments)},
    }


def _article(d: CorpusDoc, now: dt.datetime) -> tuple[Any, ...]:
    return (
        d.id,
        d.id,
        0,
        d.section,
        "feature",
        d.title,
        d.date,
        "",
        d.body,
        "",
        False,
        "[]",
        now,
        now,
    )


def build_postgres() -> dict[str, Any]:
    """Migration 0004 and the opt-in columns over the loaded rows: computed, GIN-indexed."""
    started = time.perf_counter()
    call_command("migrate", "articles", SEARCH_COLUMNS, verbosity=0)
    with override_settings(SEARCH_BACKEND="postgres"):
        search.index_setup()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        cursor.execute(
            "SELECT sum(pg_relation_size(indexrelid)) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%%_search_%%'"
        )
        (gin,) = cursor.fetchone() or (0,)
        columns = 0
        for table in ("articles_article", "articles_mergewindowitem", "articles_comment"):
            cursor.execute(
                "SELECT sum(pg_column_size(search_prose) + pg_column_size(search_ident))"
                f" FROM {table}"
            )
            columns += (cursor.fetchone() or (0,))[0] or 0
    call_command("migrate", verbosity=0)
    return {"seconds": seconds, "gin_bytes": int(gin), "column_bytes": int(columns)}


def run(backend: str, text: str) -> int:
    with override_settings(SEARCH_BACKEND=backend):
        return search.archive_search(query=text, user=Everyone(), page_size=20).count


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(backend: str, text: str) -> float:
    started = time.perf_counter()
    run(backend, text)
    return time.perf_counter() - started


def measure(repeat: int) -> dict[str, dict[str, list[float]]]:
    timings: dict[str, dict[str, list[float]]] = {b: {} for b in BACKENDS}
    for _category, text in QUERIES:  # warm both: caches, column readers, plans
        for backend in BACKENDS:
            run(backend, text)
    for _ in range(repeat):
        for category, text in QUERIES:
            for backend in BACKENDS:
                timings[backend].setdefault(category, []).append(_timed(backend, text))
    return timings


def summary(
    timings: dict[str, list[float]], categories: tuple[str, ...] | None = None
) -> dict[str, float]:
    samples = [t for c, ts in timings.items() if categories is None or c in categories for t in ts]
    return {"p50_ms": percentile(samples, 0.50) * 1000, "p95_ms": percentile(samples, 0.95) * 1000}


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")


def report(
    docs: int, rows: dict[str, Any], whoosh: dict[str, Any], pg: dict[str, Any], timings: Any
) -> dict[str, Any]:
    overall = {b: summary(timings[b]) for b in BACKENDS}
    prefix = {b: summary(timings[b], (PREFIX,)) for b in BACKENDS}
    pg_bytes = pg["gin_bytes"] + pg["column_bytes"]
    figures = {
        "whoosh": {
            "build_seconds": round(whoosh["seconds"], 1),
            "index_mb": round(whoosh["bytes"] / 2**20, 1),
            "rebuild_peak_mb": round(whoosh["peak_mb"], 1),
        },
        "postgres": {
            "build_seconds": round(pg["seconds"], 1),
            "index_mb": round(pg_bytes / 2**20, 1),
            "gin_index_mb": round(pg["gin_bytes"] / 2**20, 1),
            "tsvector_columns_mb": round(pg["column_bytes"] / 2**20, 1),
        },
    }
    for b in BACKENDS:
        figures[b].update({k: round(v, 2) for k, v in overall[b].items()})
        figures[b]["prefix_p95_ms"] = round(prefix[b]["p95_ms"], 2)
    w, p = figures["whoosh"], figures["postgres"]
    return {
        "docs": docs,
        "rows": rows,
        **figures,
        "ratios": {
            "build_time": ratio(whoosh["seconds"], pg["seconds"]),
            "index_size": ratio(whoosh["bytes"], pg_bytes),
            "query_p50": ratio(w["p50_ms"], p["p50_ms"]),
            "query_p95": ratio(w["p95_ms"], p["p95_ms"]),
            "prefix_p95": ratio(w["prefix_p95_ms"], p["prefix_p95_ms"]),
        },
        "by_category_p95_ms": {
            c: {b: round(summary(timings[b], (c,))["p95_ms"], 2) for b in BACKENDS}
            for c in sorted(timings["whoosh"])
        },
        "targets": TARGETS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--procs", type=int, default=1, help="whoosh indexing processes")
    parser.add_argument("--limitmb", type=int, default=128, help="writer pool size per process")
    parser.add_argument("--build-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_child:
        print(json.dumps(build_child(args.procs)))
        return 0

    started = time.perf_counter()
    for _ in generate(args.docs):
        pass
    generated = time.perf_counter() - started
    print(f"search: corpus of {args.docs} documents generated in {generated:.1f} s", flush=True)
    fresh_database(PG_DB)
    try:
        call_command("migrate", "articles", BEFORE_SEARCH_COLUMNS, verbosity=0)
        loaded = load_rows(args.docs)
        print(f"search: rows loaded in {loaded['seconds']:.1f} s: {loaded['rows']}", flush=True)
        pg = build_postgres()
        print(f"search: postgres columns and indexes built in {pg['seconds']:.1f} s", flush=True)
        whoosh = build_whoosh(args.procs, args.limitmb)
        print(f"search: whoosh index rebuilt in {whoosh['seconds']:.1f} s", flush=True)
        hits = {text: [run(b, text) for b in BACKENDS] for _, text in QUERIES}
        timings = measure(args.repeat)
    finally:
        connection.close()
        fresh_database(PG_DB, create=False)
        shutil.rmtree(INDEX_DIR, ignore_errors=True)  # a few hundred MB at 100k documents

    result = report(args.docs, loaded["rows"], whoosh, pg, timings)
    result["corpus_generation_seconds"] = round(generated, 1)
    result["load_seconds"] = round(loaded["seconds"], 1)
    result["hits"] = hits  # [whoosh, postgres]
    result["settings"] = {"repeat": args.repeat, "procs": args.procs, "limitmb": args.limitmb}
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r, w, p = result["ratios"], result["whoosh"], result["postgres"]
    ok = (
        r["query_p95"] <= TARGETS["p95_ratio"]
        and r["prefix_p95"] <= TARGETS["prefix_p95_ratio"]
        and w["rebuild_peak_mb"] < TARGETS["rebuild_peak_mb"]
    )
    differ = [text for text, (a, b) in hits.items() if a != b]
    print(
        f"search {args.docs} docs (whoosh vs postgres): build {w['build_seconds']} s vs "
        f"{p['build_seconds']} s (x{r['build_time']}), index {w['index_mb']} MB vs "
        f"{p['index_mb']} MB (x{r['index_size']}), rebuild peak {w['rebuild_peak_mb']} MB; "
        f"query p50 {w['p50_ms']} ms vs {p['p50_ms']} ms (x{r['query_p50']}), "
        f"p95 {w['p95_ms']} ms vs {p['p95_ms']} ms (x{r['query_p95']}), "
        f"prefix p95 {w['prefix_p95_ms']} ms vs {p['prefix_p95_ms']} ms (x{r['prefix_p95']}); "
        f"hit counts differ for {len(differ)} of {len(hits)} queries "
        f"({'ok' if ok else 'OVER TARGET'})"
    )
    for text in differ:
        print(f"  {text!r}: whoosh {hits[text][0]}, postgres {hits[text][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
