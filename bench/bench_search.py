"""Whoosh search through the ``articles.search`` facade against PostgreSQL full-text search.

Generates the benchmark corpus (``bench.corpus.generate``, 100,000 documents by
default) and, in the same run:

- builds the Whoosh index with the facade's rebuild (``index_rebuild`` fed
  plain documents) in a child process, whose peak resident memory is the
  rebuild's peak memory;
- builds the baseline: a temporary table in a scratch database ``lwnkb_bench``
  with a stored ``tsvector`` (title weighted A, body B) and a GIN index;
- runs a mixed query set (single words, AND, phrases, kernel identifiers,
  prefixes, qualifiers) through ``archive_search`` (20 hits with highlighted
  snippets, total, facets, suggestion) and through PostgreSQL (the top 20 by
  ``ts_rank`` with ``ts_headline`` snippets, plus the total and the same facets
  with ``GROUPING SETS``), alternating the two so machine load hits both alike.

Reports build time, index size, rebuild peak memory and query p50/p95, each as
a ratio to the baseline. Targets: p95 <= 2x, prefix p95 <= 3x, rebuild peak
memory < 600 MB. Build times exclude generating the corpus (timed separately).

Usage: ``python bench/bench_search.py [--docs N] [--repeat R] [--procs P] [--limitmb M]``.
Writes ``var/bench/search.json``.
"""

from __future__ import annotations

import argparse
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lwnkb.settings")
os.environ.setdefault("LWNKB_DEBUG", "true")
os.environ["LWNKB_INDEX_DIR"] = str(INDEX_DIR)

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402

from articles import search  # noqa: E402
from bench.corpus import CorpusDoc, generate  # noqa: E402
from bench.search_queries import PREFIX, QUERIES, PgQuery, release_key  # noqa: E402

RESULT = ROOT / "var" / "bench" / "search.json"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DB = "lwnkb_bench"
TARGETS = {"p95_ratio": 2.0, "prefix_p95_ratio": 3.0, "rebuild_peak_mb": 600}


class Everyone:
    """The benchmark reads as a subscriber: no paywall filter (the corpus has none)."""

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


def as_document(doc: CorpusDoc) -> search.IndexDocument:
    return search.IndexDocument(
        type=doc.type,
        pk=doc.id,
        lwn_id=doc.id,
        title=doc.title,
        body=doc.body,
        authors=[doc.author],
        section=doc.section,
        release=doc.release,
        date=doc.date,
    )


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kilobytes on Linux


def build_child(docs: int, procs: int) -> dict[str, Any]:
    """In the child process: rebuild the index from the generated corpus."""
    started = time.perf_counter()
    report = search.index_rebuild(
        documents=(as_document(d) for d in generate(docs)), chunk_size=1000, procs=procs
    )
    assert report is not None
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
        "docs": report.documents,
    }


def build_whoosh(docs: int, procs: int, limitmb: int) -> dict[str, Any]:
    shutil.rmtree(INDEX_DIR, ignore_errors=True)
    env = os.environ | {"LWNKB_SEARCH_WRITER_MB": str(limitmb)}
    command = [
        sys.executable,
        __file__,
        "--build-child",
        "--docs",
        str(docs),
        "--procs",
        str(procs),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    status = search.index_status()
    assert status.path is not None
    result["bytes"] = sum(p.stat().st_size for p in status.path.iterdir() if p.is_file())
    return result


def rows(docs: int) -> Iterator[tuple[Any, ...]]:
    for d in generate(docs):
        key = release_key(d.release)
        yield (
            d.id,
            d.type,
            d.title,
            d.body,
            d.date,
            d.date.year,
            d.release,
            key,
            d.section,
            d.author,
        )


def build_postgres(conn: psycopg.Connection[Any], docs: int) -> dict[str, Any]:
    started = time.perf_counter()
    conn.execute(
        """CREATE TEMP TABLE bench_docs (
            id int PRIMARY KEY, type text, title text, body text, date date, year int,
            release text, release_key int, section text, author text,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', body), 'B')) STORED)"""
    )
    columns = "id, type, title, body, date, year, release, release_key, section, author"
    with conn.cursor().copy(f"COPY bench_docs ({columns}) FROM STDIN") as copy:
        for row in rows(docs):
            copy.write_row(row)
    conn.execute("CREATE INDEX bench_docs_tsv ON bench_docs USING gin (tsv)")
    conn.execute("ANALYZE bench_docs")
    seconds = time.perf_counter() - started
    sizes = conn.execute(
        "SELECT pg_total_relation_size('bench_docs'), pg_relation_size('bench_docs_tsv')"
    ).fetchone()
    assert sizes is not None
    return {"seconds": seconds, "bytes": sizes[0], "gin_bytes": sizes[1]}


def run_postgres(conn: psycopg.Connection[Any], query: PgQuery) -> int:
    tsquery = f"{query.function}('english', %s)"
    params = [query.text, *query.params]
    top = conn.execute(
        f"""SELECT id, title, ts_headline('english', body, q,
                'MaxFragments=2, MaxWords=25, MinWords=8, StartSel=<mark>, StopSel=</mark>')
            FROM (SELECT id, title, body, q, ts_rank(tsv, q) AS rank
                  FROM bench_docs, {tsquery} AS q WHERE tsv @@ q {query.where}
                  ORDER BY rank DESC LIMIT 20) AS top ORDER BY rank DESC""",
        params,
    ).fetchall()
    facets = conn.execute(
        f"""SELECT type, release, section, author, year, count(*)
            FROM bench_docs, {tsquery} AS q WHERE tsv @@ q {query.where}
            GROUP BY GROUPING SETS ((type), (release), (section), (author), (year))""",
        params,
    ).fetchall()
    total = sum(row[5] for row in facets if row[0] is not None)
    return total if top or total else 0


def run_whoosh(text: str) -> int:
    return search.archive_search(query=text, user=Everyone(), page_size=20).count


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(work: Any, *args: Any) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


def measure(conn: psycopg.Connection[Any], repeat: int) -> dict[str, dict[str, list[float]]]:
    timings: dict[str, dict[str, list[float]]] = {"whoosh": {}, "postgres": {}}
    for _category, text, pg in QUERIES:  # warm both: caches, column readers, plans
        run_whoosh(text)
        run_postgres(conn, pg)
    for _ in range(repeat):
        for category, text, pg in QUERIES:
            timings["whoosh"].setdefault(category, []).append(_timed(run_whoosh, text))
            timings["postgres"].setdefault(category, []).append(_timed(run_postgres, conn, pg))
    return timings


def summary(
    timings: dict[str, list[float]], categories: tuple[str, ...] | None = None
) -> dict[str, float]:
    samples = [t for c, ts in timings.items() if categories is None or c in categories for t in ts]
    return {"p50_ms": percentile(samples, 0.50) * 1000, "p95_ms": percentile(samples, 0.95) * 1000}


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")


def report(
    docs: int,
    generated: float,
    whoosh: dict[str, Any],
    pg: dict[str, Any],
    timings: Any,
    counts: Any,
) -> dict[str, Any]:
    w_all, p_all = summary(timings["whoosh"]), summary(timings["postgres"])
    w_prefix = summary(timings["whoosh"], (PREFIX,))
    p_prefix = summary(timings["postgres"], (PREFIX,))
    categories = sorted(timings["whoosh"])
    return {
        "docs": docs,
        "corpus_generation_seconds": round(generated, 1),
        "whoosh": {
            "build_seconds": round(whoosh["build_seconds"], 1),
            "index_mb": round(whoosh["bytes"] / 2**20, 1),
            "rebuild_peak_mb": round(whoosh["peak_mb"], 1),
            **{k: round(v, 2) for k, v in w_all.items()},
            "prefix_p95_ms": round(w_prefix["p95_ms"], 2),
        },
        "postgres": {
            "build_seconds": round(pg["build_seconds"], 1),
            "table_and_index_mb": round(pg["bytes"] / 2**20, 1),
            "gin_index_mb": round(pg["gin_bytes"] / 2**20, 1),
            **{k: round(v, 2) for k, v in p_all.items()},
            "prefix_p95_ms": round(p_prefix["p95_ms"], 2),
        },
        "ratios": {
            "build_time": ratio(whoosh["build_seconds"], pg["build_seconds"]),
            "index_size": ratio(whoosh["bytes"], pg["bytes"]),
            "query_p50": ratio(w_all["p50_ms"], p_all["p50_ms"]),
            "query_p95": ratio(w_all["p95_ms"], p_all["p95_ms"]),
            "prefix_p95": ratio(w_prefix["p95_ms"], p_prefix["p95_ms"]),
        },
        "by_category_p95_ms": {
            c: {
                "whoosh": round(summary(timings["whoosh"], (c,))["p95_ms"], 2),
                "postgres": round(summary(timings["postgres"], (c,))["p95_ms"], 2),
            }
            for c in categories
        },
        "hits": counts,
        "targets": TARGETS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--procs", type=int, default=1, help="indexing processes")
    parser.add_argument("--limitmb", type=int, default=128, help="writer pool size per process")
    parser.add_argument("--build-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_child:
        print(json.dumps(build_child(args.docs, args.procs)))
        return 0

    started = time.perf_counter()
    for _ in generate(args.docs):
        pass
    generated = time.perf_counter() - started
    print(f"search: corpus of {args.docs} documents generated in {generated:.1f} s", flush=True)
    whoosh = build_whoosh(args.docs, args.procs, args.limitmb)
    whoosh["build_seconds"] = max(whoosh["seconds"] - generated, 0.0)
    print(f"search: whoosh index built in {whoosh['build_seconds']:.1f} s", flush=True)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    try:
        with psycopg.connect(f"{PG_SERVER}/{PG_DB}", autocommit=True) as conn:
            pg = build_postgres(conn, args.docs)
            pg["build_seconds"] = max(pg["seconds"] - generated, 0.0)
            print(f"search: postgres baseline built in {pg['build_seconds']:.1f} s", flush=True)
            counts = {text: [run_whoosh(text), run_postgres(conn, q)] for _, text, q in QUERIES}
            timings = measure(conn, args.repeat)
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")

    result = report(args.docs, generated, whoosh, pg, timings, counts)
    result["settings"] = {"repeat": args.repeat, "procs": args.procs, "limitmb": args.limitmb}
    shutil.rmtree(INDEX_DIR, ignore_errors=True)  # a few hundred MB at 100k documents
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r, w, p = result["ratios"], result["whoosh"], result["postgres"]
    ok = (
        r["query_p95"] <= TARGETS["p95_ratio"]
        and r["prefix_p95"] <= TARGETS["prefix_p95_ratio"]
        and w["rebuild_peak_mb"] < TARGETS["rebuild_peak_mb"]
    )
    print(
        f"search {args.docs} docs: build {w['build_seconds']} s vs {p['build_seconds']} s "
        f"(x{r['build_time']}), size {w['index_mb']} MB vs {p['table_and_index_mb']} MB "
        f"(x{r['index_size']}), rebuild peak {w['rebuild_peak_mb']} MB; "
        f"query p50 {w['p50_ms']} ms vs {p['p50_ms']} ms (x{r['query_p50']}), "
        f"p95 {w['p95_ms']} ms vs {p['p95_ms']} ms (x{r['query_p95']}), "
        f"prefix p95 x{r['prefix_p95']} ({'ok' if ok else 'OVER TARGET'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
