"""The search stage: ``archive_search`` per query class, whoosh and postgres, against a floor.

The words come from the generator's vocabulary (``bench/archive/text.py``), chosen by
rule, so every scale and seed asks the same questions. The floor, measured in the
same run on the same rows: one bare PostgreSQL statement over the postgres
backend's own columns (``websearch_to_tsquery``, ``ts_rank``, ``LIMIT 20``; no
facets, snippets, paywall or suggestion). The postgres backend's columns are added
for the stage (``lwn_reindex`` with ``LWNKB_SEARCH_BACKEND=postgres``; its time is
reported) and dropped again afterwards, so imports and re-parses stay whoosh-only.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.archive import text

from .target import Target, django_ready, timings_ms

BACKENDS = ("whoosh", "postgres")


@dataclass(frozen=True)
class QueryClass:
    name: str
    query: str
    sort: str = "relevance"
    page: int = 1
    floor: str = "prose"  # which column and parser the floor statement uses


def topic_words() -> list[str]:
    """The vocabulary's words of six letters or more, most frequent first, from its
    first topic word on: the function words before it are stop words to PostgreSQL."""
    words, _ = text.vocabulary()
    return [w for w in words[words.index("kernel") :] if len(w) >= 6]


def phrase() -> str:
    """Three words every merge-window article's text has in this order, and no other.

    Prose words are drawn one at a time (``bench/archive/text.py``), so two given
    words meet by chance only: the two commonest topic words, "kernel system", make
    no phrase at scale 0.01 and a handful at 0.1. The generator writes one fixed
    sentence into each merge-window article ("Some of the most significant changes
    pulled into the mainline so far are:"); these words of it are stop words to
    neither backend, and the articles are rows the floor reads too ("merge window"
    would match every merge-window item by its title, rows the floor does not read).
    """
    return '"significant changes pulled"'  # bench/archive/model.py, _merge_body


def query_classes() -> list[QueryClass]:
    word = topic_words()[0]
    rare = text.CAPABILITIES[-1]  # one of ~25 capabilities in 20 % of identifiers
    return [
        QueryClass("common_word", word),
        QueryClass("rare_identifier", rare, floor="ident"),
        QueryClass("phrase", phrase()),
        QueryClass("prefix", f"{word[:4]}*", floor="prefix"),
        QueryClass("qualifier_facets", f"type:comment {word}"),
        QueryClass("date_order", word, sort="date"),
        QueryClass("page_50", word, page=50),
    ]


class Subscriber:
    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


def _floor_sql(cls: QueryClass) -> tuple[str, list[Any]]:
    if cls.floor == "ident":
        column, tsquery, arg = "search_ident", "%s::tsquery", f"'{cls.query.lower()}'"
    elif cls.floor == "prefix":
        column, tsquery, arg = (
            "search_prose",
            "to_tsquery('lwnkb_english', %s)",
            (cls.query.rstrip("*") + ":*"),
        )
    else:
        plain = cls.query.removeprefix("type:comment ")
        column, tsquery, arg = "search_prose", "websearch_to_tsquery('lwnkb_english', %s)", plain
    order = "date DESC" if cls.sort == "date" else "rank DESC"
    parts = []
    for table, date in (("articles_article", "date"), ("articles_comment", "posted_at::date")):
        parts.append(
            f"SELECT id, ts_rank({column}, q) AS rank, {date} AS date FROM {table}, "
            f"(SELECT {tsquery} AS q) AS query WHERE {column} @@ q"
        )
    offset = (cls.page - 1) * 20
    sql = f"({parts[0]}) UNION ALL ({parts[1]}) ORDER BY {order} LIMIT 20 OFFSET {offset}"
    return sql, [arg, arg]


def _search(cls: QueryClass, backend: str) -> int:
    from django.test import override_settings

    from articles import search

    with override_settings(SEARCH_BACKEND=backend):
        return search.archive_search(
            query=cls.query, user=Subscriber(), sort=cls.sort, page=cls.page, page_size=20
        ).count


def _floor(cls: QueryClass) -> int:
    from django.db import connection

    sql, params = _floor_sql(cls)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    repeat: int = getattr(args, "repeat", 30)
    started = time.monotonic()
    print("search: adding the postgres backend's columns (lwn_reindex)…", file=sys.stderr)
    target.manage("lwn_reindex", backend="postgres")
    setup_seconds = time.monotonic() - started
    django_ready(target)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    classes = query_classes()
    runners = {b: (lambda c, b=b: _search(c, b)) for b in BACKENDS} | {"floor": _floor}
    counts: dict[str, dict[str, int]] = {}
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in runners}
    try:
        for cls in classes:  # warm every path once: caches, readers, plans
            counts[cls.name] = {name: fn(cls) for name, fn in runners.items()}
        for round_ in range(repeat):
            for cls in classes:
                for name, fn in runners.items():  # in turn, so load hits all alike
                    t0 = time.perf_counter()
                    fn(cls)
                    samples[name].setdefault(cls.name, []).append(time.perf_counter() - t0)
            if round_ % 10 == 9:
                print(f"  search: {round_ + 1}/{repeat} rounds", file=sys.stderr, flush=True)
    finally:
        connection.close()
        target.manage("lwn_reindex", "--drop-postgres-columns")
    table: dict[str, Any] = {}
    for cls in classes:
        floor = timings_ms(samples["floor"][cls.name])
        row: dict[str, Any] = {"query": cls.query, "floor_p95_ms": floor["p95_ms"]}
        for backend in BACKENDS:
            figures = timings_ms(samples[backend][cls.name])
            row[backend] = {
                **figures,
                "x_floor_p95": round(figures["p95_ms"] / floor["p95_ms"], 2)
                if floor["p95_ms"]
                else None,
            }
        table[cls.name] = row
    return {
        "postgres_setup_seconds": round(setup_seconds, 1),
        "repeat": repeat,
        "hits": counts,
        "floor_ms": {c.name: timings_ms(samples["floor"][c.name]) for c in classes},
        "table": table,
    }
